"""BENCHMARKS.md: the figures of one `make bench` run, each beside its goal (issue 15).

Written from the run's own measurements; a goal the run did not measure says so, never a
figure from another run.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from benchmarks.directory_site import QUERIES, SEARCH_TIMEOUT_S, SizeFigures
from benchmarks.page_speed import CALCULATORS, PageSpeed

GIB = 1024**3
#: The build goals: at most this times the floor's time, and under this peak at 100,000 entries.
TIME_GOAL = 1.25
MEMORY_GOAL_GIB = 4.0
#: A first directory query downloads at most this much index (runtime counted apart).
SEARCH_GOAL_BYTES = 300 * 1000


def _machine() -> str:
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024**2:.0f} GiB memory"
    except OSError:
        pass
    packages = ", ".join(f"{name} {version(name)}" for name in ("mkdocs", "mkdocs-material", "pagefind"))
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{memory}; "
        f"Python {platform.python_version()}; {packages}"
    )


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def build_table(sizes: Sequence[SizeFigures]) -> list[str]:
    lines = [
        "| entries | floor | OpenCEU | time ratio (goal ≤ 1.25x) | floor peak | OpenCEU peak | memory goal |",
        "|---:|---:|---:|---|---:|---:|---|",
    ]
    for size in sizes:
        ratio = size.project.seconds / size.floor.seconds
        peak = size.project.peak_bytes / GIB
        memory_goal = (
            f"< {MEMORY_GOAL_GIB:.0f} GiB at 100,000: {_met(peak < MEMORY_GOAL_GIB)}"
            if size.entries >= 100_000
            else "(set at 100,000)"
        )
        lines.append(
            f"| {size.entries:,} | {size.floor.seconds:.1f} s | {size.project.seconds:.1f} s | "
            f"{ratio:.2f}x: {_met(ratio <= TIME_GOAL)} | {size.floor.peak_bytes / GIB:.2f} GiB | "
            f"{peak:.2f} GiB | {memory_goal} |"
        )
    return lines


def output_table(sizes: Sequence[SizeFigures]) -> list[str]:
    lines = [
        "| entries | floor files | OpenCEU files | files per entry (floor / OpenCEU) | floor size | OpenCEU size | bytes per entry (floor / OpenCEU) |",
        "|---:|---:|---:|---|---:|---:|---|",
    ]
    for size in sizes:
        n = size.entries
        floor, project = size.floor, size.project
        lines.append(
            f"| {n:,} | {floor.files:,} | {project.files:,} | {floor.files / n:.1f} / {project.files / n:.1f} | "
            f"{floor.bytes / 1e6:,.0f} MB | {project.bytes / 1e6:,.0f} MB | "
            f"{floor.bytes / n / 1024:.1f} KiB / {project.bytes / n / 1024:.1f} KiB |"
        )
    return lines


def search_table(sizes: Sequence[SizeFigures]) -> list[str]:
    header = " | ".join(f"`{query}`" for query in QUERIES)
    lines = [f"| entries | {header} | goal ≤ 300 KB |", "|---:|" + "---:|" * len(QUERIES) + "---|"]
    for size in sizes:
        cells = [size.searches[query] for query in QUERIES]
        worst = max(cost.index_bytes for cost in cells)
        shown = " | ".join(
            f"{cost.index_bytes / 1000:,.0f} KB in {cost.requests} files"
            + (f" (**not finished after {SEARCH_TIMEOUT_S} s**)" if cost.timed_out else "")
            for cost in cells
        )
        ok = worst <= SEARCH_GOAL_BYTES and not any(cost.timed_out for cost in cells)
        lines.append(f"| {size.entries:,} | {shown} | {_met(ok)} |")
    # The opening view loads no Pagefind at all: the runtime is what a query fetched.
    runtime = max((cost.runtime_bytes for cost in sizes[0].searches.values()), default=0) if sizes else 0
    lines += [
        "",
        f"Pagefind's runtime (script and WebAssembly), the same at every size: {runtime / 1000:,.0f} KB.",
    ]
    return lines


@dataclass(frozen=True)
class Host:
    name: str
    max_bytes: int | None
    max_files: int | None
    source: str


#: Published limits of static hosts (as their documentation states them, read 2026-12-04).
HOSTS = (
    Host(
        "GitHub Pages",
        1_000_000_000,
        None,
        "docs.github.com, GitHub Pages limits: published sites no larger than 1 GB",
    ),
    Host("GitLab Pages (GitLab.com)", 1_000_000_000, 200_000, "GitLab: 1 GB per site, 200,000 file entries"),
    Host("Cloudflare Pages, Free plan", None, 20_000, "Cloudflare Pages limits: 20,000 files per site"),
    Host(
        "Cloudflare Pages, paid plans",
        None,
        100_000,
        "Cloudflare changelog 2026-01-23: 100,000 files per site",
    ),
)


def hosts_table(sizes: Sequence[SizeFigures]) -> list[str]:
    header = " | ".join(f"{size.entries:,} entries" for size in sizes)
    lines = [f"| host (limit) | {header} |", "|---|" + "---|" * len(sizes)]
    for host in HOSTS:
        cells = []
        for size in sizes:
            over = []
            if host.max_bytes is not None and size.project.bytes > host.max_bytes:
                over.append(f"{size.project.bytes / 1e9:.1f} GB > {host.max_bytes / 1e9:.0f} GB")
            if host.max_files is not None and size.project.files > host.max_files:
                over.append(f"{size.project.files:,} files > {host.max_files:,}")
            cells.append("**too large**: " + ", ".join(over) if over else "fits")
        lines.append(f"| {host.name} ({host.source}) | " + " | ".join(cells) + " |")
    return lines


OBJECT_STORAGE = """A site too large for these hosts goes to object storage (any S3-compatible bucket) behind a
CDN, since every page is a file:

1. `make build` with `OPENCEU_SITE_URL` set to the published address.
2. Upload the runtime folders first (`pyodide/<version>/`, `pyscript/<version>/`: their names
   change with their contents, so cache them for a year, immutable), then everything else with
   a short cache time, HTML last, so no page ever names a file that is not there yet;
   delete files the new build no longer has only after the CDN has the new HTML.
3. Set each object's `Content-Type` from its name (`.wasm` as `application/wasm`, `.mjs` as
   `text/javascript`: browsers refuse WebAssembly and modules served as anything else).
4. Have the CDN answer `/a/b/` with `/a/b/index.html` and send the headers the build writes to
   `_headers` (Content-Security-Policy per page kind, referrer policy) as response headers.
"""


def start_table(speed: PageSpeed) -> list[str]:
    bare, worker = speed.starts[0], speed.bare_worker
    lines = [
        f"Bare page (imports `pyodide.mjs`, runs one line): {bare.cold:.2f} s cold, {bare.warm:.2f} s warm.",
        f"The same in a module Worker, as the calculators run Python: {worker.cold:.2f} s cold, "
        f"{worker.warm:.2f} s warm.",
        "",
        "| page | cold | vs bare (goal ≤ 1.5x) | warm | vs bare (goal ≤ 1.2x) | vs bare worker | longest main-thread task (goal < 200 ms) | blocking time |",
        "|---|---:|---|---:|---|---:|---:|---:|",
    ]
    for start in speed.starts[1:]:
        cold, warm = start.cold / bare.cold, start.warm / bare.warm
        lines.append(
            f"| `{start.path}` | {start.cold:.2f} s | {cold:.2f}x: {_met(cold <= 1.5)} | {start.warm:.2f} s | "
            f"{warm:.2f}x: {_met(warm <= 1.2)} | {start.warm / worker.warm:.2f}x | {start.longest_task_ms:,.0f} ms: "
            f"{_met(start.longest_task_ms < 200)} | {start.blocking_ms:,.0f} ms |"
        )
    return lines


def lighthouse_table(speed: PageSpeed) -> list[str]:
    lines = [
        "| page kind | performance (goal ≥ 90) | best practices (goal 100) | total blocking time (goal < 200 ms) | CLS | best-practice audits failed |",
        "|---|---|---|---|---:|---|",
    ]
    for name, found in speed.lighthouse.items():
        lines.append(
            f"| {name} (`{found.path}`) | {found.performance:.0f}: {_met(found.performance >= 90)} | "
            f"{found.best_practices:.0f}: {_met(found.best_practices >= 100)} | "
            f"{found.blocking_ms:,.0f} ms: {_met(found.blocking_ms < 200)} | {found.layout_shift:.3f} | "
            f"{', '.join(found.failed) or 'none'} |"
        )
    directory = speed.lighthouse.get("directory")
    if directory:
        lines += [
            "",
            f"Directory CLS (goal < 0.05): {directory.layout_shift:.3f}: {_met(directory.layout_shift < 0.05)}.",
        ]
    return lines


CALCULATOR_KINDS = {path.strip("/") for path in CALCULATORS}
#: Why a goal is not met, as far as it is known (written only when this run finds it unmet).
WHY = {
    "build time": (
        "the project writes about twice the floor's files per entry (profile, JSON record, badge, "
        "listing and group pages), its profiles carry more words for Pagefind to index than the "
        "floor's fixed 2 KB body, and every profile is rendered from the records in a hook; the "
        "build has not been profiled function by function yet."
    ),
    "build memory": (
        "Pagefind's indexing holds most of it (at 10,000 entries MkDocs' own process peaked at "
        "0.2 GiB and Pagefind at 0.5 GiB, measured on their own), and MkDocs is still running while "
        "its post-build hook runs Pagefind. The floor itself, measured the same way, needs more "
        "than 4 GiB at 100,000 pages: under 4 GiB needs Pagefind to index the site in parts."
    ),
    "search download": (
        "every Pagefind query loads the metadata file (about 10 bytes per page: about 1 MB at "
        "100,000 pages) and, for the filter counts, every filter file; so does a visitor's "
        '"show more" on the opening view, which itself loads nothing. Under 300 KB at 100,000 '
        "entries needs a directory search that does not load per-page metadata (a separate, "
        "sharded index), which Pagefind does not offer."
    ),
    "calculator start": (
        "Python runs in a module Worker, so the page has no long task; but Chromium starts Pyodide "
        "in a worker more slowly on a second visit than on a page (see the bare worker's warm time "
        "beside the bare page's), so a warm start cannot come within 1.2x a bare page: compare "
        "the calculators with the bare worker."
    ),
    "other pages' performance": (
        "the search page loads Pagefind and searches after the first paint (its results keep "
        "their room, so nothing shifts: the browser tests hold it under 0.05), and the WebAssembly "
        "and index files it needs come with the first search."
    ),
    "best practices": (
        "Chromium's SharedArrayBuffer deprecation is raised by `pyodide.asm.mjs` itself when Pyodide "
        "runs on the page, and Lighthouse asks for source maps of Pyodide's large files, which the "
        "npm package does not ship."
    ),
}


def unmet(sizes: Sequence[SizeFigures], speed: PageSpeed) -> list[str]:
    found = []
    if any(size.project.seconds / size.floor.seconds > TIME_GOAL for size in sizes):
        found.append("build time")
    if any(size.entries >= 100_000 and size.project.peak_bytes / GIB >= MEMORY_GOAL_GIB for size in sizes):
        found.append("build memory")
    if any(
        cost.index_bytes > SEARCH_GOAL_BYTES or cost.timed_out
        for size in sizes
        for cost in size.searches.values()
    ):
        found.append("search download")
    bare = speed.starts[0]
    if any(
        s.cold / bare.cold > 1.5 or s.warm / bare.warm > 1.2 or s.longest_task_ms >= 200
        for s in speed.starts[1:]
    ) or any(
        found_.blocking_ms >= 200 or found_.performance < 90
        for name, found_ in speed.lighthouse.items()
        if name in CALCULATOR_KINDS
    ):
        found.append("calculator start")
    if any(
        found_.performance < 90 for name, found_ in speed.lighthouse.items() if name not in CALCULATOR_KINDS
    ):
        found.append("other pages' performance")
    if any(found_.best_practices < 100 for found_ in speed.lighthouse.values()):
        found.append("best practices")
    return [f"- **{goal}**: {WHY[goal]}" for goal in found]


def write(path: Path, sizes: Sequence[SizeFigures], speed: PageSpeed, started: dt.datetime) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {started:%Y-%m-%d %H:%M} UTC. Machine: {_machine()}.",
        "Times are medians of several runs on a shared machine: compare the ratios, measured",
        "side by side in this one run, not the seconds. The floor is the same stack doing nothing",
        "of ours: MkDocs + Material over the same number of generated pages with a fixed 2 KB",
        "body, outside the navigation, then Pagefind over the output. Peak memory is the whole",
        "process tree's resident memory (MkDocs still holds its memory while Pagefind runs).",
        "",
        "## Build time and peak memory",
        "",
        *build_table(sizes),
        "",
        "## Output",
        "",
        *output_table(sizes),
        "",
        "## Search: what a visitor's first directory query downloads",
        "",
        "Pagefind index, filter, metadata and fragment files fetched by a fresh visitor (no cache)",
        "for the directory as it opens (every entry and every filter count, written into the page by",
        "the build: no Pagefind file), for a two-word query, and for the same query with a country filter.",
        "",
        *search_table(sizes),
        "",
        "## Static hosts",
        "",
        "Whether the built site, at each size measured in this run, is within each host's published limits.",
        "",
        *hosts_table(sizes),
        "",
        OBJECT_STORAGE,
        f"## Calculator start-up (Chromium, median of {speed.runs})",
        "",
        "Seconds from navigation until the page's Python is ready; cold in a fresh browser context,",
        "warm reloaded in it. Long tasks are those Chromium reports on the main thread during a cold start.",
        "",
        *start_table(speed),
        "",
        f"## Lighthouse (mobile, median of {speed.lighthouse_runs})",
        "",
        *lighthouse_table(speed),
        "",
        "## Goals not met in this run, and why",
        "",
        *(unmet(sizes, speed) or ["Every goal above is met."]),
    ]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
