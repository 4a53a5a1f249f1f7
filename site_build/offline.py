"""The service worker that keeps the calculators working offline (``sw.js`` at the site's root).

Its code is ``service_worker.js`` beside this module, a real script whose lines marked
``// @build NAME`` this module fills with the build's facts. Installed on a first visit to any
page, it saves only the offline page (shown, offline, for a page that was not saved) and what
that page loads, which the visited page has already loaded. The calculators (every page of the
calculator kinds, what they load, and the Pyodide and PyScript runtime: about 15 MB) are saved
only once a calculator page is opened or the visitor asks (``offline.js``); other pages are kept
as they are visited, from what they loaded anyway.

A new build has a new version (a hash of the saved files): its caches have new names, its worker
installs beside the old one and takes over only when no tab uses the old one, then deletes the
old caches. Every file the worker saves is checked against this build's digest of it, so a page
never mixes files of two builds.

Pure functions over a built site folder; the build's plugin (``hooks/plugin.py``) writes the file.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path

SERVICE_WORKER = "sw.js"
#: The worker's code; the build fills in its ``// @build NAME`` lines.
TEMPLATE = Path(__file__).with_name("service_worker.js")
#: The page the worker shows, offline, for a page it has not saved (content/offline.md).
OFFLINE_PAGE = "offline/"
#: The page script that registers it (added to every page of a build, never to ``mkdocs serve``).
REGISTRATION = "assets/javascripts/offline.js"
#: <link rel=...> values whose file a page needs to show or run.
_NEEDED_LINKS = {"stylesheet", "modulepreload", "preload", "icon"}


class _References(HTMLParser):
    """What a page loads: scripts, styles, icons, PyScript configs and the worker's files."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paths: list[str] = []
        self.configs: list[str] = []
        self._worker_config = False
        self.worker_config = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "script":
            if values.get("src"):
                self.paths.append(values["src"])
            if values.get("config"):
                self.configs.append(values["config"])
            self._worker_config = values.get("id") == "openceu-worker-config"
        elif tag == "link" and _NEEDED_LINKS & set(values.get("rel", "").split()) and values.get("href"):
            self.paths.append(values["href"])

    def handle_data(self, data: str) -> None:
        if self._worker_config:
            self.worker_config += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._worker_config = False


def _resolve(base_folder: str, reference: str) -> str | None:
    """A site path for a reference made from ``base_folder``, or None for another site or a data URL."""
    reference = reference.split("#", 1)[0].split("?", 1)[0]
    if not reference or ":" in reference or reference.startswith("//"):
        return None
    if reference.startswith("/"):
        return None  # the site's pages use relative links; an absolute one is not ours to guess
    path = posixpath.normpath(posixpath.join(base_folder, reference))
    return None if path.startswith("..") else path


def page_needs(site: Path, page_url: str) -> set[str]:
    """Site paths of every file the page at ``page_url`` (``cec/``) loads, the page included."""
    page_file = posixpath.join(page_url, "index.html") if page_url.endswith("/") or not page_url else page_url
    folder = posixpath.dirname(page_file)
    parser = _References()
    parser.feed((site / page_file).read_text(encoding="utf-8"))
    needed = {page_file}
    needed |= {path for ref in parser.paths if (path := _resolve(folder, ref))}
    for ref in parser.configs:
        config = _resolve(folder, ref)
        if not config or not (site / config).is_file():
            continue
        needed.add(config)
        files = json.loads((site / config).read_text(encoding="utf-8")).get("files", {})
        needed |= {path for source in files if (path := _resolve(posixpath.dirname(config), source))}
    if parser.worker_config.strip():
        worker = json.loads(parser.worker_config)
        refs = [
            worker.get("worker", ""),
            worker.get("entry", ""),
            *worker.get("zips", []),
            worker.get("snapshot", ""),  # issue 31: the calculators' memory snapshot
            *worker.get("files", []),
        ]
        needed |= {path for ref in refs if (path := _resolve(folder, ref))}
    return {path for path in needed if (site / path).is_file()}


def precache_paths(site: Path, page_urls: Iterable[str], runtime_folders: Iterable[str]) -> list[str]:
    """Every file the offline pages need, and the whole runtime folders (loaded on demand)."""
    paths: set[str] = set()
    for url in page_urls:
        paths |= page_needs(site, url)
    for folder in runtime_folders:
        paths |= {p.relative_to(site).as_posix() for p in (site / folder).rglob("*") if p.is_file()}
    return sorted(paths)


def build_version(site: Path, paths: Iterable[str]) -> str:
    """A short hash of the precached files' names and bytes: a new build's files, a new version."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((site / path).read_bytes()).digest())
    return digest.hexdigest()[:16]


def as_request(path: str) -> str:
    """The address a page is asked for (``cec/``, not ``cec/index.html``)."""
    if path == "index.html":
        return "./"
    return path.removesuffix("index.html") if path.endswith("/index.html") else path


def file_facts(site: Path, paths: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Each path's size in bytes and SHA-256 digest: what the worker checks a download against."""
    facts = {}
    for path in paths:
        data = (site / path).read_bytes()
        facts[path] = (len(data), hashlib.sha256(data).hexdigest())
    return facts


_BUILD_LINE = re.compile(r"^const (\w+) = .*; // @build (\w+)$", re.MULTILINE)


def service_worker(
    version: str,
    paths: Sequence[str],
    *,
    shell: Sequence[str],
    pages: Sequence[str],
    files: Mapping[str, tuple[int, str]],
) -> str:
    """The text of ``sw.js``: the template with this build's facts.

    ``paths`` are saved once a calculator page (one of ``pages``, page URLs) is opened, ``shell``
    (the offline page and what it loads) when the worker installs; ``files`` holds the size and
    digest of each of them.
    """
    facts = {
        "version": version,
        "precache": [as_request(path) for path in paths],
        "shell": [as_request(path) for path in shell],
        "pages": [as_request(page) for page in pages],
        "offline_page": OFFLINE_PAGE,
        "files": {as_request(path): list(files[path]) for path in (*paths, *shell)},
    }
    template = TEMPLATE.read_text(encoding="utf-8")
    named = {match[2] for match in _BUILD_LINE.finditer(template)}
    if named != set(facts):
        raise ValueError(f"{TEMPLATE.name}: @build lines {sorted(named)}, expected {sorted(facts)}")

    def filled(match: re.Match[str]) -> str:
        return f"const {match[1]} = {json.dumps(facts[match[2]], indent=0)};"

    return _BUILD_LINE.sub(filled, template)
