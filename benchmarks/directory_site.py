"""The directory at 1,000, 10,000 and 100,000 entries: build time and search download size.

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
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from directory.synthetic import write_synthetic_dataset

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: What the measured visitor types: two words of generated names, and the same with a filter.
QUERIES = ("/directory/?q=harbor+nursing", "/directory/?q=harbor+nursing&country=CA")
#: Pagefind files that do not grow with the data.
RUNTIME_SUFFIXES = (".js", ".wasm", ".pagefind")


@dataclass(frozen=True)
class SearchCost:
    runtime_bytes: int
    index_bytes: int
    requests: int
    results: int


def build_site(entries: int, folder: Path) -> tuple[float, int]:
    """Seconds for a full build of ``entries`` generated entries; and the HTML page count."""
    data = write_synthetic_dataset(
        folder / f"data-{entries}",
        REPO_ROOT / "directory_data",
        providers=entries * 4 // 5,
        organizations=entries // 5,
    )
    site = folder / f"site-{entries}"
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), site_dir=str(site))
    config.extra["openceu"] = {**config.extra["openceu"], "data_dir": str(data), "allow_synthetic": True}
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    start = time.perf_counter()
    build(config)
    seconds = time.perf_counter() - start
    return seconds, sum(1 for _ in site.rglob("*.html"))


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
        page.wait_for_selector("#directory-app[data-state=ready]", timeout=120_000)
        page.wait_for_load_state("networkidle")
        results = int(page.get_attribute("#directory-app", "data-result-count") or 0)
        browser.close()
    runtime = sum(size for url, size in fetched.items() if url.endswith(RUNTIME_SUFFIXES))
    return SearchCost(runtime, sum(fetched.values()) - runtime, len(fetched), results)


def report(folder: Path, sizes: tuple[int, ...] = (1_000, 10_000, 100_000)) -> None:
    print(
        "directory site (mkdocs build + Pagefind), generated entries -> build seconds, pages, search download"
    )
    print("  (search download = Pagefind index, filter and fragment files for one visitor's first search;")
    print("   the Pagefind runtime, script + WebAssembly, is the same at every size and shown once)")
    timings: dict[int, float] = {}
    for entries in sizes:
        seconds, pages = build_site(entries, folder)
        timings[entries] = seconds
        site = folder / f"site-{entries}"
        costs = [search_cost(site, query) for query in QUERIES]
        runtime = costs[0].runtime_bytes
        searches = ", ".join(
            f"{query.split('?')[1]}: {cost.index_bytes / 1024:,.0f} KiB in {cost.requests} files, {cost.results} results"
            for query, cost in zip(QUERIES, costs, strict=True)
        )
        print(
            f"  {entries:>7,} entries: {seconds:7.1f} s  {pages:>7,} pages  {seconds / entries * 1000:5.2f} ms/entry"
        )
        print(f"           search: {searches}; runtime {runtime / 1024:,.0f} KiB")
    first, last = sizes[0], sizes[-1]
    print(
        f"  ratio {last:,} / {first:,} entries: {timings[last] / timings[first]:.1f}x time ({last // first}x entries)"
    )


def main() -> None:
    import tempfile

    sizes = tuple(int(n) for n in os.environ.get("BENCH_DIRECTORY_SIZES", "1000,10000,100000").split(","))
    with tempfile.TemporaryDirectory() as folder:
        report(Path(folder), sizes)


if __name__ == "__main__":
    main()
