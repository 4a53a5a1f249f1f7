"""robots.txt and _headers: what the host reads, for the site's own path prefix."""

from __future__ import annotations

import re

import pytest

from site_build.content_policy import allowed_sources, header_policy, meaningful
from site_build.host_files import (
    CACHE_FOREVER,
    MAX_RULES,
    content_hashed_paths,
    headers_file,
    is_content_hashed,
    robots_txt,
    rule_count,
)
from tests.conftest import plugin_settings

POLICIES: dict[str, str] = plugin_settings()["csp"]
PAGES = {
    "": "default",
    "search/": "search",
    "directory/": "search",
    "calculator/": "python",
    "rules/": "default",
}
#: Pyodide's and PyScript's folders, named by version (site_build.runtime.RuntimePaths.folders).
VERSIONED = ("pyodide/314.0.7/", "pyscript/0.7.31/")
FETCH_AND_NAVIGATION = (
    "default-src", "script-src", "style-src", "img-src", "font-src", "connect-src", "worker-src",
    "object-src", "frame-src", "base-uri", "form-action",
)  # fmt: skip


def test_robots_allows_everything_and_names_the_sitemap_by_its_absolute_address():
    assert robots_txt("https://example.github.io/openceu/") == (
        "User-agent: *\nAllow: /\n\nSitemap: https://example.github.io/openceu/sitemap.xml\n"
    )


@pytest.mark.parametrize(
    "name",
    [
        "bundle.a5f9d56c.min.js",
        "bundle.a5f9d56c.min.js.map",
        "main.57a0d79d.min.css",
        "palette.fb2fffe2.min.css",
        "search.a7633da7.min.js",
        "en_1281a59.pf_fragment",
        "en_2f89454.pf_index",
        "en_19853c6.pf_filter",
        "pagefind.en_a946e93423.pf_meta",
    ],
)
def test_names_with_a_content_hash_are_recognised(name):
    assert is_content_hashed(name)


@pytest.mark.parametrize(
    "name",
    [
        # Entry points and files whose name stays the same when their content changes.
        "core.js",
        "core.css",
        "py-terminal.js",
        "service-worker.js",
        "storage.js",
        "xterm.css",
        # PyScript's chunks are cached by their versioned folder, not by name.
        "core-C9KDLldu.js",
        "pyodide.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
        "pagefind.js",
        "pagefind-entry.json",
        "pagefind-modular-ui.js",
        "wasm.en.pagefind",
        "material-bootstrap.js",
        "directory-search.js",
        "openceu.css",
        "calc.zip",
        "badge.svg",
        "index.html",
        "tinyseg.js",
    ],
)
def test_plain_names_are_never_taken_for_hashed_ones(name):
    assert not is_content_hashed(name)


def test_a_folder_of_hashed_files_is_one_rule_and_other_hashed_files_are_listed():
    files = [
        "index.html",
        "assets/javascripts/bundle.a5f9d56c.min.js",
        "assets/javascripts/material-bootstrap.js",
        "assets/javascripts/workers/search.a7633da7.min.js",
        "pagefind/pagefind.js",
        "pagefind/pagefind.en_a946e93423.pf_meta",
        "pagefind/fragment/en_1281a59.pf_fragment",
        "pagefind/fragment/en_15ffbc3.pf_fragment",
        "pagefind/index/en_2f89454.pf_index",
        "hashed/only/main.57a0d79d.min.css",
        "hashed/only/deeper/en_2f89454.pf_index",
        "mixed/deeper/en_2f89454.pf_index",
        "mixed/core.js",
        "palette.fb2fffe2.min.css",
    ]
    assert content_hashed_paths(files) == [
        "assets/javascripts/bundle.a5f9d56c.min.js",
        "assets/javascripts/workers/*",
        "hashed/*",
        "mixed/deeper/*",
        "pagefind/fragment/*",
        "pagefind/index/*",
        "pagefind/pagefind.en_a946e93423.pf_meta",
        "palette.fb2fffe2.min.css",
    ]


def test_files_in_the_versioned_folders_are_left_to_their_folders_rule():
    files = [
        "index.html",
        "pyodide/314.0.7/pyodide.mjs",
        "pyscript/0.7.31/core.js",
        "pyscript/0.7.31/main.57a0d79d.min.css",
        "pyscript/0.7.31/deeper/en_2f89454.pf_index",
        "pyscript/0.7.310/bundle.a5f9d56c.min.js",
        "assets/stylesheets/main.57a0d79d.min.css",
        "assets/stylesheets/openceu.css",
    ]
    # pyscript/ holds a versioned folder, so it never becomes one rule that would cover it again.
    assert content_hashed_paths(files, ["pyodide/314.0.7/", "pyscript/0.7.31/"]) == [
        "assets/stylesheets/main.57a0d79d.min.css",
        "pyscript/0.7.310/*",
    ]


def rules(headers: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The _headers file as a host reads it: each path with its headers."""
    parsed: list[tuple[str, list[tuple[str, str]]]] = []
    for line in headers.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("/"):
            parsed.append((line, []))
        else:
            assert line.startswith("  ") and parsed, line
            name, value = line.strip().split(": ", 1)
            parsed[-1][1].append((name, value))
    return parsed


def matches(rule: str, path: str) -> bool:
    return re.fullmatch(".*".join(re.escape(part) for part in rule.split("*")), path) is not None


def served(headers: str, path: str, joined: bool) -> dict[str, list[str]]:
    """The headers a host sends for ``path``: every matching rule's (joined), or the last one's."""
    sent: dict[str, list[str]] = {}
    for rule, values in rules(headers):
        if matches(rule, path):
            for name, value in values:
                sent[name] = [*sent.get(name, []), value] if joined else [value]
    return sent


@pytest.mark.parametrize("prefix", ["/", "/openceu/"])
def test_every_rule_carries_the_path_prefix(prefix):
    headers = headers_file(
        prefix, POLICIES, PAGES, ["pagefind/fragment/*", "main.57a0d79d.min.css"], VERSIONED
    )
    paths = [rule for rule, _ in rules(headers)]
    assert paths == [
        f"{prefix}*",
        f"{prefix}directory/",
        f"{prefix}search/",
        f"{prefix}calculator/",
        f"{prefix}pyodide/314.0.7/*",
        f"{prefix}pyscript/0.7.31/*",
        f"{prefix}pagefind/fragment/*",
        f"{prefix}main.57a0d79d.min.css",
    ]
    assert rule_count(headers) == len(paths)


@pytest.mark.parametrize("joined", [True, False], ids=["host joins matching rules", "last rule wins"])
@pytest.mark.parametrize(("url", "kind"), PAGES.items())
def test_no_page_gets_a_header_policy_that_blocks_what_its_own_allows(url, kind, joined):
    headers = headers_file("/openceu/", POLICIES, PAGES, [])
    sent = served(headers, "/openceu/" + url, joined)
    assert sent["X-Content-Type-Options"] == ["nosniff"]
    assert sent["Referrer-Policy"] == ["strict-origin-when-cross-origin"]
    for policy in sent["Content-Security-Policy"]:
        assert "frame-ancestors 'none'" in policy
        for directive in FETCH_AND_NAVIGATION:
            own = allowed_sources(POLICIES[kind], directive)
            header = allowed_sources(policy, directive)
            if header is not None:
                assert own is not None, (url, directive, policy)
                assert set(meaningful(directive, own)) - {"'none'"} <= set(header), (url, directive, policy)
    if kind != "default":  # a relaxed page has its own rule, exactly its policy
        assert header_policy(POLICIES[kind]) in sent["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/openceu/pagefind/fragment/en_1281a59.pf_fragment",
        "/openceu/pyodide/314.0.7/pyodide.asm.wasm",
        "/openceu/pyodide/314.0.7/pyodide.mjs",
        "/openceu/pyscript/0.7.31/core.js",
        "/openceu/pyscript/0.7.31/core-C9KDLldu.js",
    ],
)
def test_hashed_files_and_the_versioned_runtime_are_cached_for_a_year(path):
    headers = headers_file("/openceu/", POLICIES, PAGES, ["pagefind/fragment/*"], VERSIONED)
    assert served(headers, path, True)["Cache-Control"] == [CACHE_FOREVER]


@pytest.mark.parametrize(
    "path",
    [
        "/openceu/",
        "/openceu/pagefind/pagefind.js",
        "/openceu/assets/py/calc.zip",  # the engine keeps its name when it changes
        "/openceu/pyodide/pyodide.mjs",
        "/openceu/pyodide/314.0.8/pyodide.mjs",
    ],
)
def test_files_that_keep_their_name_are_revalidated(path):
    headers = headers_file("/openceu/", POLICIES, PAGES, ["pagefind/fragment/*"], VERSIONED)
    assert "Cache-Control" not in served(headers, path, True)


def test_cache_rules_stop_at_the_hosts_rule_limit():
    hashed = [f"assets/bundle{n}.a5f9d56c.min.js" for n in range(MAX_RULES)]
    headers = headers_file("/", POLICIES, PAGES, hashed, VERSIONED)
    assert rule_count(headers) == MAX_RULES
    assert f"# {6} more left to the host's default" in headers
    assert "\n/pyodide/314.0.7/*\n" in headers and "\n/pyscript/0.7.31/*\n" in headers


def test_page_urls_are_written_as_paths_a_host_can_match():
    headers = headers_file("/", POLICIES, {"a b:c/": "search"}, [])
    assert "\n/a%20b%3Ac/\n" in headers


@pytest.mark.parametrize(
    ("prefix", "pages", "message"),
    [
        ("openceu/", PAGES, "must start and end with '/'"),
        ("/openceu", PAGES, "must start and end with '/'"),
        ("/", {"x/": "pyhton"}, "page 'x/' has the kind 'pyhton', which has no policy"),
        ("/", {f"p{n}/": "search" for n in range(MAX_RULES)}, f"need {MAX_RULES + 3} rules"),
        ("/", {f"p{n}/": "search" for n in range(MAX_RULES - 2)}, f"need {MAX_RULES + 1} rules"),
    ],
)
def test_a_headers_file_that_cannot_be_right_is_refused(prefix, pages, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        headers_file(prefix, POLICIES, pages, [], VERSIONED)


@pytest.mark.parametrize("folder", ["pyodide/314.0.7", "/pyodide/314.0.7/", "pyodide/../", ""])
def test_a_versioned_folder_that_is_not_a_relative_folder_is_refused(folder):
    with pytest.raises(ValueError, match="a versioned folder is a relative path ending in '/'"):
        headers_file("/", POLICIES, PAGES, [], [folder])
