"""Content-Security-Policy: adjustments for the development server, and the policies a host sends.

Every page carries its kind's policy in a ``<meta>`` tag (site_src/main.html). The
``_headers`` file (site_build/host_files.py) repeats them as HTTP headers, which can
also forbid framing; these functions read, combine and extend policies for that.
"""

from __future__ import annotations

from collections.abc import Iterable


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


#: Where a fetch directive that a policy leaves out takes its sources from (CSP Level 3).
_FALLBACKS: dict[str, tuple[str, ...]] = {
    "script-src-elem": ("script-src", "default-src"),
    "script-src-attr": ("script-src", "default-src"),
    "style-src-elem": ("style-src", "default-src"),
    "style-src-attr": ("style-src", "default-src"),
    "worker-src": ("child-src", "script-src", "default-src"),
    "frame-src": ("child-src", "default-src"),
}
#: Keywords that mean something only for scripts and styles (and default-src, which stands in for them).
_SCRIPT_KEYWORDS = {"'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", "'unsafe-hashes'"}
#: Directives allowed only in a header: a <meta> policy that names them is ignored for them.
HEADER_ONLY = "frame-ancestors 'none'"


def parse_policy(policy: str) -> dict[str, list[str]]:
    """Directive name → its sources, in the order written (names lower-cased)."""
    parsed: dict[str, list[str]] = {}
    for directive in policy.split(";"):
        name, *sources = directive.split() or [""]
        if name and name.lower() not in parsed:  # the browser ignores a repeated directive
            parsed[name.lower()] = sources
    return parsed


def format_policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def _is_fetch_directive(name: str) -> bool:
    return name.endswith(("-src", "-src-elem", "-src-attr"))


def _effective(directives: dict[str, list[str]], name: str) -> list[str] | None:
    if name in directives:
        return directives[name]
    if not _is_fetch_directive(name):
        return None
    for fallback in _FALLBACKS.get(name, ("default-src",)):
        if fallback in directives:
            return directives[fallback]
    return None


def meaningful(directive: str, sources: list[str]) -> list[str]:
    """``sources`` without repeats, and without script keywords where they mean nothing.

    A worker-src that falls back to script-src takes over 'wasm-unsafe-eval' and the like,
    which only script-src, style-src and default-src understand.
    """
    unique = list(dict.fromkeys(sources))
    if directive.startswith(("default-src", "script-src", "style-src")):
        return unique
    return [s for s in unique if s not in _SCRIPT_KEYWORDS]


def allowed_sources(policy: str, directive: str) -> list[str] | None:
    """What ``policy`` allows for ``directive``, after fetch fallbacks; None means unrestricted."""
    return _effective(parse_policy(policy), directive.lower())


def covering_policy(policies: list[str]) -> str:
    """The narrowest policy that allows everything each of ``policies`` allows.

    Hosts that read a ``_headers`` file apply every rule that matches a path and join
    repeated headers, and a browser enforces every policy it gets. A policy sent for
    every path must therefore block nothing any page's own policy allows; the page's
    ``<meta>`` policy then narrows it to that page's kind.
    """
    parsed = [parse_policy(p) for p in policies]
    for directives in parsed:
        if "default-src" not in directives:
            raise ValueError(
                f"every page policy needs a default-src to be combined: {format_policy(directives)}"
            )
        for sources in directives.values():
            if any(s.startswith(("'nonce-", "'sha", "'strict-dynamic'")) for s in sources):
                raise ValueError("policies with nonces, hashes or 'strict-dynamic' cannot be combined")
    names = list(dict.fromkeys(name for directives in parsed for name in directives))
    combined: dict[str, list[str]] = {}
    for name in names:
        allowed = [_effective(directives, name) for directives in parsed]
        if any(sources is None for sources in allowed):
            continue  # one policy leaves it unrestricted, so the combination must too
        merged = meaningful(name, [s for sources in allowed if sources is not None for s in sources])
        combined[name] = [s for s in merged if s != "'none'"] or ["'none'"]
    return format_policy(combined)


def header_policy(policy: str) -> str:
    """``policy`` as an HTTP header: with ``frame-ancestors 'none'`` unless it sets its own."""
    directives = parse_policy(policy)
    if "frame-ancestors" in directives:
        return format_policy(directives)
    return format_policy(directives) + "; " + HEADER_ONLY


def page_kind(value: object, kinds: Iterable[str]) -> str:
    """The policy kind a page's front matter ``csp:`` names; none (or empty) is the default.

    An unknown kind is an error: the template would otherwise give the page no policy.
    """
    kind = value or "default"
    known = list(kinds)
    if not isinstance(kind, str) or kind not in known:
        raise ValueError(f"csp: {value!r} is not a page kind (one of {', '.join(known)})")
    return kind
