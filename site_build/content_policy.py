"""Content-Security-Policy adjustments that depend on how the site is being built."""

from __future__ import annotations


def allow_inline_scripts(policy: str) -> str:
    """Add 'unsafe-inline' to script-src: only for `mkdocs serve`.

    The development server injects its live-reload script inline into every page,
    with a different body per request, so no hash can allow it. Built sites never
    get this.
    """
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    for index, directive in enumerate(directives):
        name, *sources = directive.split()
        if name == "script-src" and "'unsafe-inline'" not in sources:
            directives[index] = " ".join([name, *sources, "'unsafe-inline'"])
    return "; ".join(directives)
