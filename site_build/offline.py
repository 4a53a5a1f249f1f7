"""The service worker that keeps the calculators working offline (``sw.js`` at the site's root).

On its first visit a browser installs it, and it downloads, into one cache named by the
build's version, every calculator page and everything those pages load: the Pyodide and
PyScript runtime, the engine zips, the pages' Python, styles and scripts. From then on those
files come from that cache, network or not. Every other page of the site (the directory, its
profiles, search) is kept as it is visited and served from the cache when the network is gone.

A new build has a new version (a hash of the precached files). Its worker installs beside the
old one and takes over only when no tab uses the old one any more, then deletes the old
caches: a page never mixes files of two builds.

Pure functions over a built site folder; ``hooks/publishing.py`` writes the file.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from pathlib import Path

SERVICE_WORKER = "sw.js"
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
            worker.get("glue", ""),
            *worker.get("zips", []),
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


def service_worker(version: str, paths: Sequence[str]) -> str:
    """The text of ``sw.js``."""
    requests = json.dumps([as_request(path) for path in paths], indent=0)
    return _TEMPLATE.replace("__VERSION__", json.dumps(version)).replace("__PRECACHE__", requests)


_TEMPLATE = """\
// OpenCEU's service worker, written by the build (site_build/offline.py): the calculators
// work offline after one visit, and visited pages are kept for when the network is gone.
// One cache per build version; a new version takes over only when no tab uses the old one.
const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
const CACHE = `openceu-${VERSION}`;
const VISITED = `openceu-visited-${VERSION}`;
const ROOT = new URL("./", self.location).href;

self.addEventListener("install", (event) => {
  // All or nothing: a cache with part of a build is never used.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((path) => new Request(new URL(path, ROOT), { cache: "reload" }))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("openceu-") && name !== CACHE && name !== VISITED) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(ROOT)) return;
  event.respondWith(answer(request));
});

async function answer(request) {
  // A page's address may carry a calculator's inputs (?minutes=...): the page is the same.
  const options = { ignoreSearch: request.mode === "navigate" };
  const built = await (await caches.open(CACHE)).match(request, options);
  if (built) return built;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      caches.open(VISITED).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    // Offline: the copy kept from the last visit, even if asked for with another query
    // (Pagefind asks for pagefind-entry.json?ts=<now> to get past caches).
    const kept = await caches.open(VISITED);
    const visited = (await kept.match(request)) || (await kept.match(request, { ignoreSearch: true }));
    if (visited) return visited;
    throw error;
  }
}
"""
