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

from benchmarks.build_cost import BuildCost
from benchmarks.build_phases import BUILD_PHASES
from benchmarks.directory_site import QUERIES, SEARCH_TIMEOUT_S, SizeFigures
from benchmarks.page_speed import CALCULATORS, LighthouseFigures, PageSpeed, StartFigures
from benchmarks.serve_latency import TABLE, ServeLatency
from benchmarks.test_run import TEST_RUN_FILE, TestRun

GIB = 1024**3
# Issue 31's goals, each declared once and read by the tables and by the list of goals not met.
#: The build and output goals are set at these sizes (1,000 entries is shown for the trend:
#: there the runtimes every site carries outweigh the entries).
GOAL_SIZES = (10_000, 100_000)
#: Build time at most this times the floor's; peak memory at most the floor's, and under
#: MEMORY_GOAL_GIB at 100,000 entries.
TIME_GOAL = 1.0
MEMORY_GOAL_GIB = 4.0
#: Output per entry: at most this many files, and at most this times the floor's bytes.
FILES_PER_ENTRY_GOAL = 2.2
BYTES_PER_ENTRY_GOAL = 1.3
#: A first directory query downloads at most this much index (runtime counted apart).
SEARCH_GOAL_BYTES = 300 * 1000
#: `make serve`: one edited CSV row shows in the browser within this many seconds.
SERVE_GOAL_S = 2.0
#: A calculator is ready within this times a bare Pyodide page, cold and warm.
START_GOAL = 1.2
LONG_TASK_GOAL_MS = 200
#: Lighthouse (mobile) on every page kind.
PERFORMANCE_GOAL = 95
CLS_GOAL = 0.02
#: `make test`'s run of every test, in seconds.
TEST_GOAL_S = 600


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


def _at_goal_size(entries: int) -> bool:
    return entries in GOAL_SIZES


def _goal_sizes() -> str:
    return " and ".join(f"{n:,}" for n in GOAL_SIZES)


def time_met(size: SizeFigures) -> bool:
    return size.project.seconds / size.floor.seconds <= TIME_GOAL


def memory_met(size: SizeFigures) -> bool:
    peak = size.project.peak_bytes
    return peak <= size.floor.peak_bytes and (size.entries < 100_000 or peak / GIB < MEMORY_GOAL_GIB)


def files_met(size: SizeFigures) -> bool:
    return size.project.files / size.entries <= FILES_PER_ENTRY_GOAL


def bytes_met(size: SizeFigures) -> bool:
    return size.project.bytes <= BYTES_PER_ENTRY_GOAL * size.floor.bytes


def _judged(size: SizeFigures, ok: bool) -> str:
    return _met(ok) if _at_goal_size(size.entries) else "(goal set at " + _goal_sizes() + ")"


def build_table(sizes: Sequence[SizeFigures]) -> list[str]:
    lines = [
        f"| entries | floor | OpenCEU | time ratio (goal ≤ {TIME_GOAL:.1f}x) | floor peak | OpenCEU peak | "
        f"memory goal (≤ the floor's; < {MEMORY_GOAL_GIB:.0f} GiB at 100,000) |",
        "|---:|---:|---:|---|---:|---:|---|",
    ]
    for size in sizes:
        ratio = size.project.seconds / size.floor.seconds
        lines.append(
            f"| {size.entries:,} | {size.floor.seconds:.1f} s | {size.project.seconds:.1f} s | "
            f"{ratio:.2f}x: {_judged(size, time_met(size))} | {size.floor.peak_bytes / GIB:.2f} GiB | "
            f"{size.project.peak_bytes / GIB:.2f} GiB | {_judged(size, memory_met(size))} |"
        )
    return lines


def output_table(sizes: Sequence[SizeFigures]) -> list[str]:
    lines = [
        "| entries | floor files | OpenCEU files | files per entry (floor / OpenCEU) | "
        f"goal ≤ {FILES_PER_ENTRY_GOAL} | floor size | OpenCEU size | bytes per entry (floor / OpenCEU) | "
        f"goal ≤ {BYTES_PER_ENTRY_GOAL}x the floor's |",
        "|---:|---:|---:|---|---|---:|---:|---|---|",
    ]
    for size in sizes:
        n = size.entries
        floor, project = size.floor, size.project
        lines.append(
            f"| {n:,} | {floor.files:,} | {project.files:,} | {floor.files / n:.1f} / {project.files / n:.1f} | "
            f"{_judged(size, files_met(size))} | "
            f"{floor.bytes / 1e6:,.0f} MB | {project.bytes / 1e6:,.0f} MB | "
            f"{floor.bytes / n / 1024:.1f} KiB / {project.bytes / n / 1024:.1f} KiB | "
            f"{project.bytes / floor.bytes:.2f}x: {_judged(size, bytes_met(size))} |"
        )
    return lines


def search_table(sizes: Sequence[SizeFigures]) -> list[str]:
    header = " | ".join(f"`{query}`" for query in QUERIES)
    lines = [
        f"| entries | {header} | goal ≤ {SEARCH_GOAL_BYTES // 1000:,} KB |",
        "|---:|" + "---:|" * len(QUERIES) + "---|",
    ]
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


def start_met(start: StartFigures, bare: StartFigures) -> bool:
    return (
        start.cold / bare.cold <= START_GOAL
        and start.warm / bare.warm <= START_GOAL
        and start.longest_task_ms < LONG_TASK_GOAL_MS
    )


def start_table(speed: PageSpeed) -> list[str]:
    bare, worker = speed.starts[0], speed.bare_worker
    lines = [
        f"Bare page (imports `pyodide.mjs`, runs one line): {bare.cold:.2f} s cold, {bare.warm:.2f} s warm.",
        f"The same in a module Worker, as the calculators run Python: {worker.cold:.2f} s cold, "
        f"{worker.warm:.2f} s warm.",
        "",
        f"| page | cold | vs bare (goal ≤ {START_GOAL}x) | warm | vs bare (goal ≤ {START_GOAL}x) | vs bare worker | "
        f"longest main-thread task (goal < {LONG_TASK_GOAL_MS} ms) | blocking time |",
        "|---|---:|---|---:|---|---:|---:|---:|",
    ]
    for start in speed.starts[1:]:
        cold, warm = start.cold / bare.cold, start.warm / bare.warm
        lines.append(
            f"| `{start.path}` | {start.cold:.2f} s | {cold:.2f}x: {_met(cold <= START_GOAL)} | {start.warm:.2f} s | "
            f"{warm:.2f}x: {_met(warm <= START_GOAL)} | {start.warm / worker.warm:.2f}x | "
            f"{start.longest_task_ms:,.0f} ms: {_met(start.longest_task_ms < LONG_TASK_GOAL_MS)} | "
            f"{start.blocking_ms:,.0f} ms |"
        )
    return lines


def lighthouse_met(found: LighthouseFigures) -> bool:
    return found.performance >= PERFORMANCE_GOAL and found.layout_shift < CLS_GOAL


def lighthouse_table(speed: PageSpeed) -> list[str]:
    lines = [
        f"| page kind | performance (goal ≥ {PERFORMANCE_GOAL}) | CLS (goal < {CLS_GOAL}) | best practices (goal 100) | "
        f"total blocking time (goal < {LONG_TASK_GOAL_MS} ms) | best-practice audits failed |",
        "|---|---|---|---|---|---|",
    ]
    for name, found in speed.lighthouse.items():
        lines.append(
            f"| {name} (`{found.path}`) | {found.performance:.0f}: {_met(found.performance >= PERFORMANCE_GOAL)} | "
            f"{found.layout_shift:.3f}: {_met(found.layout_shift < CLS_GOAL)} | "
            f"{found.best_practices:.0f}: {_met(found.best_practices >= 100)} | "
            f"{found.blocking_ms:,.0f} ms: {_met(found.blocking_ms < LONG_TASK_GOAL_MS)} | "
            f"{', '.join(found.failed) or 'none'} |"
        )
    return lines


def serve_lines(serve: ServeLatency | None) -> list[str]:
    if serve is None:
        return ["Not measured in this run."]
    runs = ", ".join(f"{s:.2f} s" for s in serve.seconds)
    return [
        f"Seconds from writing one edited row of `{TABLE}` (the entry's name) until the entry's open",
        f"profile, reloaded by `mkdocs serve`, shows it: {serve.entries:,} generated entries, median of",
        f"{len(serve.seconds)} edits ({runs}).",
        "",
        f"| entries | edit shown after | goal ≤ {SERVE_GOAL_S:.0f} s | MkDocs' own rebuild (its log) |",
        "|---:|---:|---|---:|",
        f"| {serve.entries:,} | {serve.median:.2f} s | {_met(serve.median <= SERVE_GOAL_S)} | "
        f"{serve.build_median:.2f} s |",
    ]


def test_run_lines(run: TestRun | None) -> list[str]:
    if run is None:
        return [
            f"No full test run recorded ({TEST_RUN_FILE} is written at the end of a full `make test`): "
            "not measured."
        ]
    return [
        f"The last full run recorded ({TEST_RUN_FILE}), on {run.finished:%Y-%m-%d %H:%M} UTC, not in this run:",
        "",
        f"| tests | wall time of the test run | goal < {TEST_GOAL_S // 60} minutes | outcome |",
        "|---:|---:|---|---|",
        f"| {run.count:,} | {run.seconds / 60:.1f} min | {_met(run.seconds < TEST_GOAL_S)} | {run.outcome} |",
        "",
        "The wall time is pytest's (`make test` runs `make lint` before it).",
    ]


CALCULATOR_KINDS = {path.strip("/") for path in CALCULATORS}


# What holds back each goal not met, written from this run's own figures (never a guess, never
# a figure from another run); where this run did not measure a cause, it says so.
def why_build_time(sizes: Sequence[SizeFigures]) -> str:
    over = [s for s in sizes if _at_goal_size(s.entries) and not time_met(s)]
    size = over[-1]
    floor = size.floor
    found = (
        f"at {size.entries:,} entries the floor took {floor.seconds:.1f} s "
        + (
            f"(MkDocs {floor.phases['mkdocs']:.1f} s, Pagefind {floor.phases['pagefind']:.1f} s)"
            if {"mkdocs", "pagefind"} <= floor.phases.keys()
            else ""
        )
        + f" and OpenCEU {size.project.seconds:.1f} s"
    )
    if not size.project.phases:
        return found + "; this run did not break OpenCEU's build down."
    return f"{found}, of which (timed inside the build, largest first): {_phases(size.project)}."


def why_build_memory(sizes: Sequence[SizeFigures]) -> str:
    parts = []
    for size in (s for s in sizes if _at_goal_size(s.entries) and not memory_met(s)):
        line = (
            f"at {size.entries:,} entries OpenCEU peaked at {size.project.peak_bytes / GIB:.2f} GiB, "
            f"the floor at {size.floor.peak_bytes / GIB:.2f} GiB"
        )
        phases = size.project.phases
        if "mkdocs_peak_gib" in phases and "pagefind_peak_gib" in phases:
            line += (
                f" (OpenCEU's MkDocs process {phases['mkdocs_peak_gib']:.2f} GiB before indexing, "
                f"its Pagefind process {phases['pagefind_peak_gib']:.2f} GiB, while MkDocs still held its own)"
            )
        parts.append(line)
    return "; ".join(parts) + "."


def why_output(sizes: Sequence[SizeFigures]) -> str:
    size = [s for s in sizes if _at_goal_size(s.entries) and not (files_met(s) and bytes_met(s))][-1]
    if not size.project.folders:
        return f"at {size.entries:,} entries; this run did not count the output by folder."
    largest = sorted(size.project.folders.items(), key=lambda item: -item[1][1])[:5]
    shown = ", ".join(
        f"`{folder}/` {files / size.entries:.2f} files and {total / size.entries / 1024:.1f} KiB per entry"
        for folder, (files, total) in largest
    )
    return f"at {size.entries:,} entries, the largest folders of OpenCEU's output: {shown}."


def _phases(cost: BuildCost) -> str:
    return ", ".join(
        f"{name} {seconds:.1f} s"
        for name, seconds in sorted(cost.phases.items(), key=lambda item: -item[1])
        if name in BUILD_PHASES
    )


def why_serve(serve: ServeLatency, sizes: Sequence[SizeFigures]) -> str:
    found = (
        f"MkDocs' own log gives {serve.build_median:.2f} s for the rebuild of the {serve.median:.2f} s until "
        "the page showed the edit, and every edit rebuilds the whole site (`mkdocs serve` builds clean)"
    )
    same = next((s for s in sizes if s.entries == serve.entries and s.project.phases), None)
    if same is None:
        return found + f"; this run did not break a {serve.entries:,}-entry build down."
    return f"{found}: this run's {serve.entries:,}-entry build, timed inside, spent {_phases(same.project)}."


def why_start(speed: PageSpeed) -> str:
    bare, worker = speed.starts[0], speed.bare_worker
    worst_cold = max(s.cold / bare.cold for s in speed.starts[1:])
    worst_warm = max(s.warm / bare.warm for s in speed.starts[1:])
    return (
        f"the slowest calculator took {worst_cold:.2f}x the bare page cold and {worst_warm:.2f}x warm; "
        f"Pyodide alone in a module Worker took {worker.cold / bare.cold:.2f}x the bare page cold and "
        f"{worker.warm / bare.warm:.2f}x warm, and the slowest calculator {max(s.warm / worker.warm for s in speed.starts[1:]):.2f}x "
        "that worker warm (the table's last columns)."
    )


def why_lighthouse(speed: PageSpeed) -> str:
    parts = []
    for name, found in speed.lighthouse.items():
        if lighthouse_met(found):
            continue
        blamed = ", ".join(found.blamed) if found.blamed else "no performance audit under 0.9"
        parts.append(
            f"{name}: performance {found.performance:.0f}, CLS {found.layout_shift:.3f}; Lighthouse's "
            f"audits that cost it: {blamed}"
        )
    return "; ".join(parts) + "."


def why_best_practices(speed: PageSpeed) -> str:
    failed = sorted({audit for found in speed.lighthouse.values() for audit in found.failed})
    return f"the audits Lighthouse failed: {', '.join(failed) or 'none named'} (per page in the table)."


def why_tests(run: TestRun) -> str:
    slowest = ", ".join(f"`{name}` {seconds:.0f} s" for name, seconds in run.slowest)
    return f"the slowest tests of that run ({run.count:,} tests): {slowest or 'not recorded'}."


def why_search(sizes: Sequence[SizeFigures]) -> str:
    """The heaviest query of the largest size, split by kind of Pagefind file, as measured."""
    largest = max(sizes, key=lambda size: size.entries)
    query, cost = max(largest.searches.items(), key=lambda item: item[1].index_bytes)
    split = ", ".join(
        f"{kind} {size / 1000:,.0f} KB" for kind, size in sorted(cost.by_kind.items(), key=lambda kv: -kv[1])
    )
    return (
        f"at {largest.entries:,} entries `{query}` downloads {split or 'nothing split by kind'}. "
        "Pagefind loads its metadata file (each page's hash, word count and place in every sort "
        "order) before any search, so it grows with the whole index whatever the query asks."
    )


def unmet(
    sizes: Sequence[SizeFigures],
    speed: PageSpeed,
    serve: ServeLatency | None = None,
    test_run: TestRun | None = None,
) -> list[str]:
    """Each goal this run (or the recorded test run) found not met, with what holds it back."""
    found: list[tuple[str, str]] = []
    at_goal = [s for s in sizes if _at_goal_size(s.entries)]
    if any(not time_met(s) for s in at_goal):
        found.append(("build time", why_build_time(sizes)))
    if any(not memory_met(s) for s in at_goal):
        found.append(("build memory", why_build_memory(sizes)))
    if any(not (files_met(s) and bytes_met(s)) for s in at_goal):
        found.append(("output", why_output(sizes)))
    if any(
        cost.index_bytes > SEARCH_GOAL_BYTES or cost.timed_out
        for size in sizes
        for cost in size.searches.values()
    ):
        found.append(("search download", why_search(sizes)))
    if serve is not None and serve.median > SERVE_GOAL_S:
        found.append(("make serve", why_serve(serve, sizes)))
    bare = speed.starts[0]
    if any(not start_met(s, bare) for s in speed.starts[1:]):
        found.append(("calculator start", why_start(speed)))
    if any(not lighthouse_met(f) for f in speed.lighthouse.values()):
        found.append(("Lighthouse", why_lighthouse(speed)))
    if any(f.best_practices < 100 for f in speed.lighthouse.values()):
        found.append(("best practices", why_best_practices(speed)))
    if test_run is not None and test_run.seconds >= TEST_GOAL_S:
        found.append(("make test", why_tests(test_run)))
    return [f"- **{goal}**: {why}" for goal, why in found]


def write(
    path: Path,
    sizes: Sequence[SizeFigures],
    speed: PageSpeed,
    started: dt.datetime,
    serve: ServeLatency | None = None,
    test_run: TestRun | None = None,
) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {started:%Y-%m-%d %H:%M} UTC. Machine: {_machine()}.",
        "Times are medians of several runs on a shared machine: compare the ratios, measured",
        "side by side in this one run, not the seconds. The floor is the same stack doing nothing",
        "of ours: MkDocs + Material over the same number of generated pages with a fixed 2 KB",
        "body, outside the navigation, then Pagefind over the output. Peak memory is the whole",
        "process tree's resident memory (MkDocs still holds its memory while Pagefind runs).",
        f"The build and output goals are set at {_goal_sizes()} entries.",
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
        "## `make serve`: an edited row in the browser",
        "",
        *serve_lines(serve),
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
        "The site is served here by Python's http.server, which sends no cache headers (a host",
        "reading the build's `_headers` does): Lighthouse's cache-insight comes from that.",
        "",
        *lighthouse_table(speed),
        "",
        "## `make test`",
        "",
        *test_run_lines(test_run),
        "",
        "## Goals not met in this run, and why",
        "",
        *(unmet(sizes, speed, serve, test_run) or ["Every goal above is met."]),
    ]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
