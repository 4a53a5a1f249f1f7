"""The site built as the deploy workflow builds it: for a published address under a path prefix.

GitHub Pages serves a project site at https://<owner>.github.io/<repository>/, so every
absolute address must carry the host and every absolute path the prefix. One real
`mkdocs build --strict` with OPENCEU_SITE_URL set (as .github/workflows/deploy.yml sets
it) is read by every test here.
"""

from __future__ import annotations

import ast
import gzip
import json
import logging
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import material
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from directory.badges import badge_snippet
from directory.build_date import build_date
from directory.check_report import IACET_PROVIDER_URL
from directory.schema import load_schema
from directory.status import provider_statuses
from directory.validate import validate_directory
from site_build.content_policy import header_policy
from site_build.host_files import CACHE_FOREVER, MAX_RULES, is_content_hashed
from site_build.runtime import ENGINE_SNAPSHOT, runtime_paths
from site_build.site_address import ENVIRONMENT_VARIABLE
from tests.conftest import REPO_ROOT, build_repository_site, plugin_settings

pytestmark = pytest.mark.build

#: What configure-pages gives a project site (base_url), plus the slash the workflow adds.
SITE_URL = "https://example.github.io/openceu/"
PREFIX = "/openceu/"
LOCAL_NAMES = ("127.0.0.1", "localhost")
#: Our own files that name the local hosts as data, never as an address: the validator's list of
#: hosts refused in published data (the Suggest page runs it from the directory zip).
REFUSES_LOCAL_NAMES = ("assets/py/directory.zip:directory/reserved_hosts.py",)
POLICIES: dict[str, str] = plugin_settings()["csp"]
#: Folders copied whole from npm packages or written by Pagefind.
VENDORED = ("pagefind", "pyodide", "pyscript")
#: Issue 31: the calculators' Pyodide memory snapshot holds CPython's own strings (asyncio's and
#: ipaddress's docstrings name 127.0.0.1), so it is held to the vendored files' rule.
VENDORED_FILES = (ENGINE_SNAPSHOT,)
#: Where the build puts Pyodide and PyScript: folders named by the installed versions.
RUNTIME = runtime_paths(REPO_ROOT / "node_modules")
#: Attributes that name another file the browser fetches or goes to.
LINK_ATTRIBUTES = ("href", "src", "action", "config")


@dataclass
class Page:
    """One HTML file of the built site: its links and what it says about itself."""

    path: Path
    url: str  # the path it is served at, e.g. /openceu/directory/
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    canonical: list[str] = field(default_factory=list)
    snippets: list[str] = field(default_factory=list)  # badge HTML offered for copying
    ids: set[str] = field(default_factory=set)  # what a #fragment may name


class Links(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.in_snippet = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"] or "")
        if tag == "link" and values.get("rel") == "canonical":
            self.page.canonical.append(values.get("href") or "")
        for name in LINK_ATTRIBUTES:
            value = values.get(name)
            if value is not None and not (name == "config" and tag != "script"):
                self.page.links.append((tag, name, value))
        self.in_snippet = tag == "textarea" and values.get("id") == "badge-snippet"

    def handle_data(self, data: str) -> None:
        if self.in_snippet:
            self.page.snippets.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.in_snippet = False


@dataclass
class Site:
    root: Path
    pages: list[Page]

    def file_for(self, url_path: str) -> Path | None:
        """The file a static host serves for an absolute path under the prefix, or None."""
        assert url_path.startswith(PREFIX), url_path
        target = self.root / unquote(url_path[len(PREFIX) :])
        if url_path.endswith("/") or target.is_dir():  # a host redirects /a/b to /a/b/
            target = target / "index.html"
        return target if target.is_file() else None

    def file_for_address(self, address: str) -> Path | None:
        assert address.startswith(SITE_URL), address
        return self.file_for(urlsplit(address).path)


def page_url(root: Path, path: Path) -> str:
    relative = path.relative_to(root).as_posix()
    return PREFIX + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = build_repository_site(tmp_path_factory.mktemp("deploy") / "site", SITE_URL)
    pages = []
    for path in sorted(root.rglob("*.html")):
        if path.relative_to(root).parts[0] in VENDORED:
            continue
        page = Page(path, page_url(root, path))
        Links(page).feed(path.read_text(encoding="utf-8"))
        pages.append(page)
    return Site(root, pages)


def content_pages(site: Site) -> list[Page]:
    return [p for p in site.pages if p.path != site.root / "404.html"]


def test_every_page_names_itself_by_its_published_address(site):
    assert len(content_pages(site)) > 20
    for page in content_pages(site):
        assert page.canonical == [SITE_URL + page.url[len(PREFIX) :]], page.path


def test_the_sitemap_lists_every_page_at_its_published_address(site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [
        loc.text or "" for loc in ET.parse(site.root / "sitemap.xml").findall("s:url/s:loc", namespace)
    ]
    assert all(loc.startswith(SITE_URL) for loc in locations), [
        loc for loc in locations if not loc.startswith(SITE_URL)
    ]
    assert all(site.file_for_address(loc) for loc in locations)
    assert sorted(locations) == sorted(c for p in content_pages(site) for c in p.canonical)
    compressed = gzip.decompress((site.root / "sitemap.xml.gz").read_bytes()).decode("utf-8")
    assert compressed == (site.root / "sitemap.xml").read_text(encoding="utf-8")


def test_badge_snippets_link_the_published_profile_and_badge(site):
    """Each provider's snippet names its published profile and badge. A profile offers it only in
    good standing, so every provider's snippet is made here as its profile would offer it, and any
    profile that shows one must show exactly that."""
    data = REPO_ROOT / "directory_data"
    directory = validate_directory(data, load_schema(data), build_date())
    statuses = provider_statuses(directory, build_date(), IACET_PROVIDER_URL)
    providers = directory.of("providers")
    assert len(providers) > 10
    by_path = {page.path: page for page in site.pages}
    for entry in providers:
        snippet = badge_snippet(entry, statuses[entry.id], SITE_URL)
        page = by_path[site.root / "directory" / "providers" / entry.id / "index.html"]
        assert page.snippets in ([], [snippet]), page.path
        copied = Page(page.path, page.url)
        Links(copied).feed(snippet)
        (href,) = [v for t, a, v in copied.links if t == "a" and a == "href"]
        (src,) = [v for t, a, v in copied.links if t == "img" and a == "src"]
        assert href == SITE_URL + page.url[len(PREFIX) :], page.path
        assert src == href + "badge.svg", page.path
        assert site.file_for_address(src), src


def resolve(page: Page, value: str) -> str | None:
    """The absolute path a link on ``page`` goes to on this site, or None for another site."""
    parts = urlsplit(value)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, data: and the like
    if parts.scheme or value.startswith("//"):
        return urlsplit(value).path if value.startswith(SITE_URL) else None
    if not parts.path:
        return None  # #fragment or ?query on the same page
    return urlsplit(urljoin(page.url, value)).path


def test_every_link_on_every_page_resolves_under_the_prefix(site):
    """Every link goes to a file of the site, and a #fragment to an element of that page."""
    by_file = {page.path: page for page in site.pages}
    broken = []
    checked = anchors = 0
    for page in site.pages:
        for tag, attribute, value in page.links:
            fragment = urlsplit(value).fragment
            target = resolve(page, value)
            if target is None:
                if fragment and not urlsplit(value).path and not urlsplit(value).scheme:
                    anchors += 1
                    if unquote(fragment) not in page.ids:
                        broken.append(f"{page.url}: <{tag} {attribute}={value!r}>: no such id on the page")
                continue
            checked += 1
            file = site.file_for(target) if target.startswith(PREFIX) else None
            if file is None:
                broken.append(f"{page.url}: <{tag} {attribute}={value!r}> → {target}")
            elif fragment and file in by_file:
                anchors += 1
                if unquote(fragment) not in by_file[file].ids:
                    broken.append(f"{page.url}: <{tag} {attribute}={value!r}>: no id {fragment!r} there")
    assert checked > 10 * len(site.pages) and anchors > 20
    assert not broken, "\n".join(broken[:20])


def test_the_404_page_works_at_any_depth(site):
    """Hosts serve 404.html for /openceu/a/b/c/missing, so it may hold no relative link."""
    (page,) = [p for p in site.pages if p.path == site.root / "404.html"]
    relative = [
        v for _, _, v in page.links if resolve(page, v) is not None and not v.startswith((PREFIX, SITE_URL))
    ]
    assert not relative, relative
    deep = Page(page.path, PREFIX + "a/b/c/missing")
    for _, _, value in page.links:
        if (target := resolve(deep, value)) is not None:
            assert site.file_for(target), value
    loaded = {(t, a) for t, a, v in page.links if v.startswith(PREFIX)}
    assert {("link", "href"), ("script", "src"), ("a", "href"), ("form", "action")} <= loaded
    text = page.path.read_text(encoding="utf-8")
    assert "<title>Page not found - OpenCEU</title>" in text
    assert f'action="{PREFIX}search/"' in text
    assert f'href="{PREFIX}directory/"' in text


def test_pages_that_run_python_reach_pyodide_and_their_files_under_the_prefix(site):
    """PyScript resolves `interpreter` against the page and `files` against the config.

    Without an `interpreter` PyScript fetches Pyodide from a CDN, so every config a page
    names must hold the absolute path of the site's own versioned Pyodide, and the page
    preloads that same one.
    """
    python_pages = [(p, v) for p in site.pages for t, a, v in p.links if t == "script" and a == "config"]
    assert python_pages  # the suggest form's
    interpreter = PREFIX + RUNTIME.interpreter
    assert site.file_for(interpreter), interpreter
    for page, config_link in python_pages:
        config_url = resolve(page, config_link) or ""
        config_file = site.file_for(config_url)
        assert config_file, config_link
        config = json.loads(config_file.read_text(encoding="utf-8"))
        assert config.get("interpreter") == interpreter, (page.url, config_url, config.get("interpreter"))
        preloaded = {resolve(page, v) for t, a, v in page.links if t == "link" and a == "href"}
        assert {interpreter, PREFIX + RUNTIME.pyodide + "pyodide.asm.wasm"} <= preloaded, page.url
        for source in config.get("files", {}):
            assert site.file_for(urljoin(config_url, source)), (config_url, source)


WORKER_CONFIG = re.compile(r'<script type="application/json" id="openceu-worker-config">(.*?)</script>', re.S)


def test_pages_whose_python_runs_in_a_worker_reach_every_file_it_loads_under_the_prefix(site):
    """The worker is handed absolute addresses made from the page's relative ones: each must exist."""
    checked = 0
    for page in site.pages:
        found = WORKER_CONFIG.search(page.path.read_text(encoding="utf-8"))
        if not found:
            continue
        config = json.loads(found.group(1))
        assert resolve(page, config["pyodide"]) == PREFIX + RUNTIME.pyodide, page.url
        named = [config["pyodide"] + "pyodide.mjs", config["worker"], config["entry"], *config["zips"]]
        for value in [*named, *config.get("files", [])]:
            assert site.file_for(resolve(page, value) or ""), (page.url, value)
        checked += 1
    assert checked >= 8  # seven calculators and the annual-report helper


#: Modules the worker finds outside the zips: Pyodide's own (``js``, ``pyodide``) and the standard library.
WORKER_PROVIDED = frozenset({"js", "pyodide", *sys.stdlib_module_names})


def imported_names(source: str) -> set[str]:
    """Every module ``source`` imports, at any depth (``from a import b`` names both a and a.b)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def zipped_modules(archive: Path) -> dict[str, str]:
    """Dotted module name -> source, for every module in a zip the worker unpacks onto sys.path."""
    with zipfile.ZipFile(archive) as opened:
        return {
            name.removesuffix(".py").removesuffix("/__init__").replace("/", "."): opened.read(name).decode()
            for name in opened.namelist()
            if name.endswith(".py")
        }


def test_what_a_calculator_page_downloads_holds_only_what_its_worker_imports(site):
    """The zips a worker page downloads hold the modules its worker entry reaches through imports
    and nothing the build alone runs (the guides' worked examples, site_build.embeds); every module
    the entry reaches is in them or in Pyodide. The browser tests show the reached ones work."""
    zipped: dict[str, str] = {}
    reached: set[str] = set()
    missing: set[str] = set()
    for page in site.pages:
        found = WORKER_CONFIG.search(page.path.read_text(encoding="utf-8"))
        if not found:
            continue
        config = json.loads(found.group(1))
        for archive in config["zips"]:
            zipped |= zipped_modules(site.file_for(resolve(page, archive) or "") or Path("missing"))
        entry = site.file_for(resolve(page, config["entry"]) or "")
        assert entry, (page.url, config["entry"])
        waiting = sorted(imported_names(entry.read_text(encoding="utf-8")))
        while waiting:
            name = waiting.pop()
            if name in reached or name.split(".")[0] in WORKER_PROVIDED:
                continue
            if name not in zipped:
                if name.rpartition(".")[0] not in zipped:  # `from pkg import name` of a name, not a module
                    missing.add(f"{page.url}: {name}")
                continue
            reached.add(name)
            package = name.rpartition(".")[0]
            waiting += [package] if package else []
            waiting += sorted(imported_names(zipped[name]))
    assert not missing, f"the worker imports modules no zip holds: {sorted(missing)}"
    assert "calculator_pages.page_session" in reached and "calc.ceu" in reached
    calculators = {name for name in zipped if name.split(".")[0] == "calculator_pages"}
    assert calculators - reached == set(), "the calculators' zip holds modules no worker imports"
    # Issue 33: the certificates' standard-library modules (site_build.runtime.CERTIFICATES_MODULES),
    # which the certificates, verify and tracker pages' models import.
    packages = ("calc", "calculator_pages", "certificates")
    assert not [name for name in zipped if name.split(".")[0] not in packages], sorted(zipped)
    assert "certificates.model" in reached
    build_only = {
        "mkdocs",
        "jinja2",
        "markdown",
        "site_build",
        "directory",
        "ceu_cli",
        "pyld",
        "cryptography",
    }
    importing = {n: sorted(imported_names(s)) for n, s in zipped.items()}
    assert not {n for n, names in importing.items() if {i.split(".")[0] for i in names} & build_only}


def test_robots_txt_allows_crawling_and_names_the_sitemap(site):
    assert (site.root / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /\n\nSitemap: {SITE_URL}sitemap.xml\n"
    )


def header_rules(site: Site) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    current = ""
    for line in (site.root / "_headers").read_text(encoding="utf-8").splitlines():
        if line.startswith("/"):
            current = line
            assert current not in rules, f"{current} twice"
            rules[current] = {}
        elif line.startswith("  "):
            name, value = line.strip().split(": ", 1)
            rules[current][name] = value
    return rules


def test_headers_give_each_relaxed_page_its_policy_and_every_path_the_shared_ones(site):
    rules = header_rules(site)
    assert len(rules) <= MAX_RULES
    assert all(path.startswith(PREFIX) for path in rules)
    every = rules[PREFIX + "*"]
    assert "frame-ancestors 'none'" in every["Content-Security-Policy"]
    assert every["X-Content-Type-Options"] == "nosniff"
    meta = '<meta name="referrer" content="strict-origin-when-cross-origin">'
    assert every["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert all(meta in p.path.read_text(encoding="utf-8") for p in site.pages)
    # The pages that relax the default, read from the built pages' own <meta> policies.
    relaxed = {}
    for page in content_pages(site):
        policy = re.search(
            r'http-equiv="Content-Security-Policy" content="([^"]*)"', page.path.read_text("utf-8")
        )
        assert policy, page.path
        kind = next(
            k for k, p in POLICIES.items() if p.replace("&#39;", "'") == policy[1].replace("&#39;", "'")
        )
        if kind != "default":
            relaxed[page.url] = kind
    assert set(relaxed.values()) == {"search", "worker", "python"}
    assert {
        PREFIX + "search/",
        PREFIX + "calculator/",
        PREFIX + "annual-report/",
        PREFIX + "directory/suggest/",
    } <= set(relaxed)
    csp_rules = {path for path, headers in rules.items() if "Content-Security-Policy" in headers}
    assert csp_rules == {PREFIX + "*", *relaxed}
    for url, kind in relaxed.items():
        assert rules[url]["Content-Security-Policy"] == header_policy(POLICIES[kind])


def covers(rule: str, path: str) -> bool:
    return rule == path or (rule.endswith("*") and path.startswith(rule[:-1]))


def test_only_files_named_by_their_content_or_version_are_cached_for_a_year(site):
    cached = [
        path for path, headers in header_rules(site).items() if headers.get("Cache-Control") == CACHE_FOREVER
    ]
    names = {path.rsplit("/", 1)[-1] for path in cached}
    assert any(n.startswith("bundle.") for n in names), "Material's script"
    assert any(n.startswith("main.") for n in names), "Material's stylesheet"
    assert PREFIX + "pagefind/fragment/*" in cached
    # Pyodide and PyScript: one rule per versioned folder, and every runtime file lies in one.
    versioned = [PREFIX + folder + "*" for folder in RUNTIME.folders]
    assert set(versioned) <= set(cached), cached
    runtime = [
        PREFIX + p.relative_to(site.root).as_posix()
        for folder in ("pyodide", "pyscript")
        for p in (site.root / folder).rglob("*")
        if p.is_file()
    ]
    assert PREFIX + RUNTIME.pyodide + "pyodide.asm.wasm" in runtime
    for path in runtime:
        assert [rule for rule in cached if covers(rule, path)] in ([versioned[0]], [versioned[1]]), path
    # The engine zips keep their names when the engine changes: revalidated.
    for name in ("calc.zip", "calculator_pages.zip", "directory.zip"):
        assert site.file_for(PREFIX + "assets/py/" + name), name
        assert not any(covers(rule, PREFIX + "assets/py/" + name) for rule in cached), name
    for path in (p for p in cached if p not in versioned):
        if path.endswith("/*"):
            folder = site.root / path[len(PREFIX) : -2]
            files = [f for f in folder.rglob("*") if f.is_file()]
            assert files and all(is_content_hashed(f.name) for f in files), path
        else:
            assert site.file_for(path) and is_content_hashed(path.rsplit("/", 1)[-1]), path


def theme_files() -> set[str]:
    """Files Material copies into the site from its theme folder (not written by this project)."""
    theme = Path(material.__file__).parent / "templates"
    return {p.relative_to(theme).as_posix() for p in theme.rglob("*") if p.is_file()}


def texts(site: Site) -> list[tuple[str, str]]:
    """Every text in the built site, including those inside gzip and zip files, by name."""
    found = []
    for path in sorted(p for p in site.root.rglob("*") if p.is_file()):
        name = path.relative_to(site.root).as_posix()
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            found.append((name, gzip.decompress(data).decode("utf-8", "replace")))
        elif (
            zipfile.is_zipfile(path) and name != RUNTIME.pyodide + "python_stdlib.zip"
        ):  # CPython's docstrings say localhost
            with zipfile.ZipFile(path) as archive:
                found += [
                    (f"{name}:{n}", archive.read(n).decode("utf-8", "replace")) for n in archive.namelist()
                ]
        else:
            found.append((name, data.decode("utf-8", "replace")))
    return found


def test_nothing_in_the_build_names_the_development_address(site):
    vendored = theme_files()
    named = []
    for name, text in texts(site):
        third_party = name.split("/", 1)[0] in VENDORED or name in vendored or name in VENDORED_FILES
        mentions_only = third_party or name in REFUSES_LOCAL_NAMES
        for local in LOCAL_NAMES:
            # Third-party code may mention the words (PyScript rewrites 0.0.0.0 to localhost;
            # a comment in Material's source map), and so may the list of hosts the validator
            # refuses; neither may address them.
            pattern = rf"//{re.escape(local)}\b" if mentions_only else re.escape(local)
            if re.search(pattern, text):
                named.append(f"{name}: {local}")
    assert not named, named


def test_every_published_address_in_any_file_names_a_file_that_exists(site):
    """Exports, badges, schema ids and pages: every absolute address of the site resolves."""
    addresses = {
        (name, match)
        for name, text in texts(site)
        for match in re.findall(re.escape(SITE_URL) + r"[^\s\"'<>&)\]\\]*", text)
    }
    assert len(addresses) > len(content_pages(site))
    missing = sorted(
        f"{name}: {address}" for name, address in addresses if not site.file_for_address(address)
    )
    assert not missing, missing[:20]


def test_a_malformed_site_address_stops_the_build_naming_the_setting(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "example.github.io/openceu")
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        build(config)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"{ENVIRONMENT_VARIABLE}='example.github.io/openceu': the address must be absolute" in logged
    assert not (tmp_path / "site").exists()


def test_a_local_build_keeps_the_development_address(built_site):
    """`make build` without OPENCEU_SITE_URL: the site for http://127.0.0.1:8000/ (make serve's)."""
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert robots.endswith("Sitemap: http://127.0.0.1:8000/sitemap.xml\n")
    assert (built_site / "_headers").read_text(encoding="utf-8").count("\n/*\n") == 1
