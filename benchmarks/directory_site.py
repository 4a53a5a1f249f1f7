"""The directory at 1,000, 10,000 and 100,000 entries: build time and memory beside the
stack's floor (benchmarks.build_cost), output size, and search download size.

Each size gets generated (synthetic) data in a temporary folder and a real MkDocs
build of the repository's site over it, Pagefind included. Then a headless
Chromium opens ``/directory/?q=...`` as a visitor would and the bytes of every
Pagefind file it fetched are added up: what one search costs a visitor, split into
the fixed runtime (script and WebAssembly) and the data that grows with the index.
"""

from __future__ import annotations

import functools
import http.server
import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from benchmarks.build_cost import BuildCost, floor_cost, median_cost, project_cost, write_floor_project
from directory.synthetic import write_synthetic_dataset
from hooks.config import with_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: What the measured visitor asks: the directory as it opens (every entry, every filter count),
#: two words of generated names, and the same with a filter.
QUERIES = ("/directory/", "/directory/?q=harbor+nursing", "/directory/?q=harbor+nursing&country=CA")
#: A search still running after this long is reported as not finished (with what it fetched).
SEARCH_TIMEOUT_S = 120
#: Pagefind files that do not grow with the data.
RUNTIME_SUFFIXES = (".js", ".wasm", ".pagefind")
#: The kinds of Pagefind file that do grow with it, by their names' ends: the entry, the
#: per-page metadata, the word index's chunks, the filters, and each result's fragment.
INDEX_KINDS = ("pagefind-entry.json", ".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment")


@dataclass(frozen=True)
class SearchCost:
    runtime_bytes: int
    index_bytes: int
    requests: int
    results: int
    #: The search had not finished after SEARCH_TIMEOUT_S: the bytes are what it had fetched by then.
    timed_out: bool = False
    #: index_bytes by kind of file (INDEX_KINDS; "other" for any other file that is not runtime).
    by_kind: dict[str, int] = field(default_factory=dict)


def index_kind(url: str) -> str:
    """The INDEX_KINDS a fetched Pagefind address is of, "runtime", or "other"."""
    path = url.split("?", 1)[0]
    if path.endswith(RUNTIME_SUFFIXES):
        return "runtime"
    return next((kind for kind in INDEX_KINDS if path.endswith(kind)), "other")


def write_data(entries: int, folder: Path) -> Path:
    """``entries`` generated entries (four providers to one organization) in a data folder."""
    return write_synthetic_dataset(
        folder / f"data-{entries}",
        REPO_ROOT / "directory_data",
        providers=entries * 4 // 5,
        organizations=entries // 5,
    )


def build_over(data: Path | None, site: Path) -> None:
    """The repository's real build into ``site``, over ``data`` (synthetic rows allowed) or,
    with None, over the published data."""
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), site_dir=str(site))
    if data is not None:
        with_settings(config, data_dir=str(data), allow_synthetic=True)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    build(config)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def search_cost(site: Path, path: str) -> SearchCost:
    """Bytes of Pagefind files one fresh visitor downloads for the search at ``path``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        fetched: dict[str, int] = {}

        def record(response: object) -> None:
            url: str = response.url  # type: ignore[attr-defined]
            if "/pagefind/" in url:
                fetched[url] = len(response.body())  # type: ignore[attr-defined]

        page.on("response", record)
        page.goto(base + path)
        try:
            page.wait_for_selector(
                "#directory-app[data-state=ready]", state="attached", timeout=SEARCH_TIMEOUT_S * 1000
            )
            page.wait_for_load_state("networkidle")
            timed_out = False
        except PlaywrightTimeoutError:
            timed_out = True
        results = int(page.get_attribute("#directory-app", "data-result-count") or 0)
        browser.close()
    by_kind: dict[str, int] = {}
    for url, size in fetched.items():
        kind = index_kind(url)
        by_kind[kind] = by_kind.get(kind, 0) + size
    runtime = by_kind.pop("runtime", 0)
    return SearchCost(runtime, sum(by_kind.values()), len(fetched), results, timed_out, by_kind)


@dataclass(frozen=True)
class SizeFigures:
    entries: int
    floor: BuildCost
    project: BuildCost
    searches: dict[str, SearchCost]


def measure(folder: Path, entries: int, repeats: int) -> SizeFigures:
    """Floor and project built ``repeats`` times each, in turns, then the project's searches."""
    data = write_data(entries, folder)
    floor_project = write_floor_project(folder / f"floor-{entries}", entries)
    site = folder / f"site-{entries}"
    floors, projects = [], []
    for _ in range(repeats):
        floors.append(floor_cost(floor_project))
        projects.append(project_cost(data, site))
    searches = {query: search_cost(site, query) for query in QUERIES}
    return SizeFigures(entries, median_cost(floors), median_cost(projects), searches)


def report(figures: SizeFigures) -> None:
    floor, project = figures.floor, figures.project
    gib = 1024**3
    print(
        f"  {figures.entries:>7,} entries: floor {floor.seconds:6.1f} s {floor.peak_bytes / gib:5.2f} GiB | "
        f"OpenCEU {project.seconds:6.1f} s {project.peak_bytes / gib:5.2f} GiB | "
        f"{project.seconds / floor.seconds:4.2f}x time, {project.peak_bytes / floor.peak_bytes:4.2f}x memory"
    )
    print(
        f"           output: floor {floor.files:,} files {floor.bytes / 1e6:,.0f} MB | "
        f"OpenCEU {project.files:,} files {project.bytes / 1e6:,.0f} MB"
    )
    for query, cost in figures.searches.items():
        print(
            f"           {query}: {cost.index_bytes / 1024:,.0f} KiB of index in {cost.requests} files, "
            f"{cost.results} results; runtime {cost.runtime_bytes / 1024:,.0f} KiB"
            + (f"; NOT FINISHED after {SEARCH_TIMEOUT_S} s" if cost.timed_out else "")
        )
        print(
            "             by kind: "
            + ", ".join(f"{kind} {size / 1024:,.1f} KiB" for kind, size in sorted(cost.by_kind.items()))
        )


def main() -> list[SizeFigures]:
    import tempfile

    sizes = tuple(int(n) for n in os.environ.get("BENCH_DIRECTORY_SIZES", "1000,10000,100000").split(","))
    print("directory build beside the floor (MkDocs + Material + Pagefind over pages with a fixed body),")
    print("  medians of BENCH_REPEATS runs (3 up to 10,000 entries, 1 above); peak = whole process tree")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for entries in sizes:
            repeats = int(os.environ.get("BENCH_REPEATS", "3" if entries <= 10_000 else "1"))
            results.append(measure(Path(folder), entries, repeats))
            report(results[-1])
    return results


if __name__ == "__main__":
    # python -m benchmarks.directory_site build DATA SITE: one build, in its own process (build_cost).
    if len(sys.argv) == 4 and sys.argv[1] == "build":
        build_over(Path(sys.argv[2]), Path(sys.argv[3]))
