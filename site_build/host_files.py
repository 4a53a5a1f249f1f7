"""Files the web host reads at the site's root: ``robots.txt`` and ``_headers``.

GitHub Pages, where the deploy workflow publishes, serves ``robots.txt`` as a page and
ignores ``_headers``; Netlify and Cloudflare Pages read ``_headers`` (same format). On a
project site (``https://owner.github.io/openceu/``) crawlers look for robots.txt only at
the host's root, so there the sitemap is best submitted to search engines directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from site_build.content_policy import covering_policy, header_policy

DEFAULT_KIND = "default"
CACHE_FOREVER = "public, max-age=31536000, immutable"
#: Sent with every response, whatever its kind.
EVERY_RESPONSE = (
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Content-Type-Options", "nosniff"),
)
#: Cloudflare Pages reads at most this many rules from a _headers file.
MAX_RULES = 100

#: File names that carry a hash of the file's content, so a new version gets a new name.
#: (Pyodide and PyScript need none: their folders are named by version, see headers_file.)
_CONTENT_HASHED = tuple(
    re.compile(pattern, re.ASCII)
    for pattern in (
        # Material for MkDocs: bundle.a5f9d56c.min.js, main.57a0d79d.min.css and their maps.
        r"[\w-]+\.[0-9a-f]{8}\.min\.(?:js|css)(?:\.map)?",
        # Pagefind's index: fragment/en_1281a59.pf_fragment, pagefind.en_a946e93423.pf_meta.
        r"(?:pagefind\.)?[a-z-]+_[0-9a-f]{7,}\.pf_(?:fragment|index|filter|meta)",
    )
)


def robots_txt(site_url: str) -> str:
    """Every crawler may read everything; the sitemap is named by its absolute address."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n"


def is_content_hashed(name: str) -> bool:
    """Whether a file name carries a hash of its content (never a plain name: caching it would go stale)."""
    return any(pattern.fullmatch(name) for pattern in _CONTENT_HASHED)


def content_hashed_paths(files: Iterable[str], versioned: Iterable[str] = ()) -> list[str]:
    """Rule paths for the content-hashed files among ``files`` (paths relative to the site).

    A folder whose every file, at any depth, is content-hashed becomes one ``folder/*``
    rule; other hashed files are listed one by one. Files in the ``versioned`` folders
    (``pyodide/314.0.7/``) are left out: each of those folders has its own rule, so no
    rule here may cover them (nor may a rule for a folder that holds one).
    """
    # Plain strings, not PurePosixPath: this runs over every file of every build (and rebuild
    # under `mkdocs serve`), thousands of them; the paths are already relative POSIX paths.
    own_rule = tuple(versioned)
    mixed: set[str] = set()
    hashed: list[str] = []
    for path in files:
        if path.startswith(own_rule) or not is_content_hashed(path.rpartition("/")[2]):
            mixed.update(_folders(path))
        else:
            hashed.append(path)
    rules: set[str] = set()
    for path in hashed:
        whole = next((folder for folder in reversed(_folders(path)) if folder not in mixed), None)
        rules.add(f"{whole}/*" if whole else path)
    return sorted(rules)


def _folders(path: str) -> list[str]:
    """The folders holding ``path``, innermost first: ``a/b/c.js`` -> ``a/b``, ``a``."""
    found = []
    while "/" in path:
        path = path.rpartition("/")[0]
        found.append(path)
    return found


def headers_file(
    prefix: str,
    policies: Mapping[str, str],
    page_kinds: Mapping[str, str],
    cached: Iterable[str],
    versioned: Iterable[str] = (),
) -> str:
    """The ``_headers`` file (Netlify and Cloudflare Pages format).

    ``prefix`` is the path the site lives under (``/`` or ``/openceu/``); ``policies`` the
    Content-Security-Policy of each page kind; ``page_kinds`` each built page's URL
    (relative to the site, as MkDocs gives it) and kind; ``cached`` the rule paths from
    :func:`content_hashed_paths`; ``versioned`` the folders named by the version of what
    they hold (``pyodide/314.0.7/``), each cached for a year by one rule.
    """
    if not prefix.startswith("/") or not prefix.endswith("/"):
        raise ValueError(f"the path prefix must start and end with '/': {prefix!r}")
    for url, kind in page_kinds.items():
        if kind not in policies:
            raise ValueError(f"page {url!r} has the kind {kind!r}, which has no policy")

    def rule(path: str) -> str:
        return quote(prefix + path.lstrip("/"), safe="/*-._~%")

    blocks = [
        "\n".join(
            [
                "# Response headers for hosts that read a _headers file (Netlify, Cloudflare Pages);",
                "# GitHub Pages ignores it. Written by site_build/host_files.py at every build.",
                "#",
                "# A host applies every rule whose path matches and joins repeated headers, and a",
                "# browser enforces every policy it is sent. So the policy for every path blocks",
                "# nothing a page needs, and each page's <meta> policy (and, for the kinds that relax",
                "# the default, the rules below) narrows it to that page's kind. Only a header can",
                "# forbid framing (frame-ancestors).",
                rule("*"),
                f"  Content-Security-Policy: {header_policy(covering_policy(list(policies.values())))}",
                *(f"  {name}: {value}" for name, value in EVERY_RESPONSE),
            ]
        )
    ]
    for kind, policy in policies.items():
        urls = sorted(url for url, k in page_kinds.items() if k == kind)
        if kind == DEFAULT_KIND or not urls:
            continue
        lines = [f"# Pages with `csp: {kind}` in their front matter"]
        for url in urls:
            lines += [rule(url), f"  Content-Security-Policy: {header_policy(policy)}"]
        blocks.append("\n".join(lines))
    folders = list(versioned)
    for folder in folders:
        if not folder.endswith("/") or folder.startswith("/") or ".." in folder.split("/"):
            raise ValueError(f"a versioned folder is a relative path ending in '/': {folder!r}")
    if folders:
        lines = [
            "# Pyodide and PyScript, in folders named by their version: a new version gets a new",
            "# address, so every file in them is cached for a year. The engine zips (assets/py/*.zip)",
            "# keep their names when the engine changes, so they are left to the host's default",
            "# (revalidated).",
        ]
        for folder in folders:
            lines += [rule(folder + "*"), f"  Cache-Control: {CACHE_FOREVER}"]
        blocks.append("\n".join(lines))
    budget = MAX_RULES - sum(rule_count(block) for block in blocks)
    if budget < 0:
        raise ValueError(
            f"the page kinds and the versioned folders need {MAX_RULES - budget} rules; "
            f"hosts read at most {MAX_RULES}"
        )
    hashed = list(cached)
    if hashed:
        lines = ["# Named by a hash of their content, so a changed file gets a new name: cached for a year."]
        for path in hashed[:budget]:
            lines += [rule(path), f"  Cache-Control: {CACHE_FOREVER}"]
        if len(hashed) > budget:
            lines.append(
                f"# {len(hashed) - budget} more left to the host's default: at most {MAX_RULES} rules."
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def rule_count(headers: str) -> int:
    """How many rules a _headers file holds (lines that start with a path)."""
    return sum(1 for line in headers.splitlines() if line.startswith("/"))
