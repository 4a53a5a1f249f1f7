"""The site as a visitor's browser meets it: calculator start-up beside a bare Pyodide page,
the main thread's long tasks while a calculator starts, and Lighthouse on each page kind.

The repository's site is built into a temporary folder and served locally. The bare page is
written into that site: it imports the same self-hosted ``pyodide.mjs``, loads it and runs one
line of Python, so the ratio shows what the engine, the worker and the page add; a second bare
page does the same in a module Worker, as the calculators do. Cold is a fresh
browser context; warm is the same page loaded again in that context (the HTTP cache holds the
runtime). Lighthouse (mobile, its default) comes from benchmarks/lighthouse/, pinned there and
installed by ``npm ci`` on first use: `make test` never needs it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.directory_site import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, build_over, serve

if TYPE_CHECKING:
    from playwright.sync_api import Request

LIGHTHOUSE_DIR = REPO_ROOT / "benchmarks" / "lighthouse"
#: Calculator pages and the name of their status element (#<name>-status[data-state=ready]).
CALCULATORS = {
    "/calculator/": "ceu",
    "/course-plan/": "plan",
    "/eligibility/": "eligibility",
    "/deadlines/": "deadlines",
    "/accreditation/": "accreditation",
    "/cec/": "cec",
    "/recertification/": "recert",
    "/annual-report/": "annual-report",
    "/will-it-count/": "answer",
}
BARE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare Pyodide</title>
<script type="module" src="bench-bare.js"></script></head><body><p id="state">loading</p></body></html>
"""
BARE_SCRIPT = """import { loadPyodide } from "./pyodide/VERSION/pyodide.mjs";
const pyodide = await loadPyodide({ indexURL: "./pyodide/VERSION/" });
pyodide.runPython("1 + 1");
document.getElementById("state").dataset.state = "ready";
"""
#: The same in a module Worker, as the calculators run it. A Chromium trace (categories v8.wasm and
#: disabled-by-default-v8.wasm.detailed) shows why a bare worker starts more slowly on a second
#: visit than a page: the page's second start takes the compiled module from V8's in-process
#: cache (wasm.GetNativeModuleFromCache, no wasm.CompileLazy), while each new worker compiles
#: again the ~2,600 functions Python's start runs (wasm.CompileLazy) and re-optimises ~350 of
#: them; the old worker's module went with its isolate. (The 9.6 MB wasm is downloaded again on
#: every visit here: an off-the-record context's memory cache keeps no entry that big.) The
#: calculators restore a memory snapshot instead of starting Python (site_build/runtime.py).
BARE_WORKER_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare Pyodide worker</title>
<script type="module" src="bench-bare-worker-page.js"></script></head><body><p id="state">loading</p></body></html>
"""
BARE_WORKER_PAGE_SCRIPT = """const worker = new Worker("bench-bare-worker.js", { type: "module" });
worker.onmessage = () => { document.getElementById("state").dataset.state = "ready"; };
"""
BARE_WORKER_SCRIPT = """import { loadPyodide } from "./pyodide/VERSION/pyodide.mjs";
const pyodide = await loadPyodide({ indexURL: "./pyodide/VERSION/" });
pyodide.runPython("1 + 1");
self.postMessage("ready");
"""
#: Long tasks (over 50 ms) on the main thread since the page began, as Chromium reports them.
LONG_TASKS = """() => new Promise((done) => {
  const tasks = [];
  new PerformanceObserver((list) => { for (const t of list.getEntries()) tasks.push(t.duration); })
    .observe({ type: "longtask", buffered: true });
  setTimeout(() => done(tasks), 200);
})"""


@dataclass(frozen=True)
class StartFigures:
    path: str
    cold: float
    warm: float
    longest_task_ms: float
    blocking_ms: float  # the sum of each long task's time over 50 ms, as TBT counts it
    #: Response bytes (as sent: compressed where the server compressed) of a cold visit, the
    #: page's and its worker's: what a start costs on a slow network, which localhost hides.
    cold_bytes: int = 0


@dataclass(frozen=True)
class LighthouseFigures:
    path: str
    performance: float
    best_practices: float
    blocking_ms: float
    layout_shift: float
    failed: tuple[str, ...]
    #: What the score is lost to in the last run, with Lighthouse's own figures: the scored
    #: metrics under 0.9 ("largest-contentful-paint (2.9 s)"), then the audits under 0.9 that
    #: it estimates would save the most ("render-blocking-insight (Est savings of 1,810 ms)").
    blamed: tuple[str, ...] = ()


def build_site(folder: Path) -> Path:
    site = folder / "site"
    build_over(None, site)
    version = next((site / "pyodide").iterdir()).name
    (site / "bench-bare.html").write_text(BARE_PAGE, encoding="utf-8")
    (site / "bench-bare.js").write_text(BARE_SCRIPT.replace("VERSION", version), encoding="utf-8")
    (site / "bench-bare-worker.html").write_text(BARE_WORKER_PAGE, encoding="utf-8")
    (site / "bench-bare-worker-page.js").write_text(BARE_WORKER_PAGE_SCRIPT, encoding="utf-8")
    (site / "bench-bare-worker.js").write_text(
        BARE_WORKER_SCRIPT.replace("VERSION", version), encoding="utf-8"
    )
    return site


def _ready(path: str) -> str:
    name = CALCULATORS.get(path)
    return f'#{name}-status[data-state="ready"]' if name else '#state[data-state="ready"]'


def start_figures(base: str, path: str, runs: int) -> StartFigures:
    from playwright.sync_api import sync_playwright

    colds: list[float] = []
    warms: list[float] = []
    longest: list[float] = []
    blocking: list[float] = []
    sizes: list[int] = []
    finished: list[Request] = []  # the cold visit's requests, the page's and its worker's

    def record(request: Request) -> None:
        finished.append(request)

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(service_workers="block")
            page = context.new_page()
            finished.clear()
            context.on("requestfinished", record)
            for times in (colds, warms):
                start = time.perf_counter()
                page.goto(base + path)
                page.wait_for_selector(_ready(path), timeout=180_000)
                times.append(time.perf_counter() - start)
                if times is colds:
                    sizes.append(sum(request.sizes()["responseBodySize"] for request in finished))
                    context.remove_listener("requestfinished", record)
                    tasks = page.evaluate(LONG_TASKS)
                    longest.append(max(tasks, default=0.0))
                    blocking.append(sum(t - 50 for t in tasks))
            context.close()
        browser.close()
    return StartFigures(
        path,
        statistics.median(colds),
        statistics.median(warms),
        statistics.median(longest),
        statistics.median(blocking),
        int(statistics.median(sizes)),
    )


def lighthouse_ready() -> Path:
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=LIGHTHOUSE_DIR, check=True
        )
    return binary


def lighthouse(binary: Path, url: str, out: Path) -> dict[str, Any]:
    command = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance,best-practices",
        "--chrome-flags=--headless=new --no-sandbox",
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True)
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


#: How many of the audits that would save the most time a page's figures name.
BLAMED = 3


def _under(audit: dict[str, Any]) -> bool:
    return audit.get("score") is not None and audit["score"] < 0.9


def blamed_audits(report: dict[str, Any]) -> tuple[str, ...]:
    """What a report's performance score is lost to, with Lighthouse's own figures: the scored
    metrics under 0.9, then the few (BLAMED) audits under 0.9 it estimates would save the most."""
    audits = report["audits"]
    under = [ref for ref in report["categories"]["performance"]["auditRefs"] if _under(audits[ref["id"]])]
    savings = sorted(
        (ref["id"] for ref in under if not ref.get("weight")),
        key=lambda name: -max((audits[name].get("metricSavings") or {}).values(), default=0),
    )
    return tuple(
        name + (f" ({audits[name]['displayValue']})" if audits[name].get("displayValue") else "")
        for name in [ref["id"] for ref in under if ref.get("weight")] + savings[:BLAMED]
    )


def lighthouse_figures(binary: Path, base: str, path: str, runs: int, out: Path) -> LighthouseFigures:
    reports = [lighthouse(binary, base + path, out) for _ in range(runs)]

    def median(read: Callable[[dict[str, Any]], float]) -> float:
        return float(statistics.median(read(report) for report in reports))

    last = reports[-1]
    failed = tuple(
        ref["id"]
        for ref in last["categories"]["best-practices"]["auditRefs"]
        if (last["audits"][ref["id"]].get("score") is not None and last["audits"][ref["id"]]["score"] < 1)
    )
    return LighthouseFigures(
        path,
        median(lambda r: r["categories"]["performance"]["score"] * 100),
        median(lambda r: r["categories"]["best-practices"]["score"] * 100),
        median(lambda r: r["audits"]["total-blocking-time"]["numericValue"]),
        median(lambda r: r["audits"]["cumulative-layout-shift"]["numericValue"]),
        failed,
        blamed_audits(last),
    )


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind: name -> site path."""
    profile = sorted((site / "directory" / "providers").glob("*/index.html"))[0].parent.name
    return {
        "home": "/",
        "directory": "/directory/",
        "profile": f"/directory/providers/{profile}/",
        "matrix": "/directory/matrix/",
        "search": "/search/?q=safety",  # an example the search page suggests
        "guide": "/guides/counting-ceus/",
        **{path.strip("/"): path for path in CALCULATORS},
    }


@dataclass(frozen=True)
class PageSpeed:
    #: The bare page first, then each calculator.
    starts: list[StartFigures]
    bare_worker: StartFigures
    lighthouse: dict[str, LighthouseFigures]
    runs: int
    lighthouse_runs: int


def main() -> PageSpeed:
    import tempfile

    runs = int(os.environ.get("BENCH_START_RUNS", "3"))
    lighthouse_runs = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
    binary = lighthouse_ready()
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(Path(folder))
        with serve(site) as base:
            print(
                f"calculator start in Chromium, median of {runs}: cold / warm seconds, main-thread long tasks"
            )
            bare = start_figures(base, "/bench-bare.html", runs)
            starts = [bare]
            print(
                f"  bare Pyodide page: {bare.cold:5.2f} s cold, {bare.warm:5.2f} s warm, "
                f"{bare.cold_bytes / 2**20:.1f} MiB"
            )
            worker = start_figures(base, "/bench-bare-worker.html", runs)
            print(
                f"  bare Pyodide in a worker: {worker.cold:5.2f} s cold, {worker.warm:5.2f} s warm, "
                f"{worker.cold_bytes / 2**20:.1f} MiB"
            )
            for path in CALCULATORS:
                figures = start_figures(base, path, runs)
                starts.append(figures)
                print(
                    f"  {path:<19} {figures.cold:5.2f} s cold ({figures.cold / bare.cold:.2f}x), "
                    f"{figures.warm:5.2f} s warm ({figures.warm / bare.warm:.2f}x, "
                    f"{figures.warm / worker.warm:.2f}x the worker); longest task "
                    f"{figures.longest_task_ms:,.0f} ms, blocking {figures.blocking_ms:,.0f} ms; "
                    f"{figures.cold_bytes / 2**20:.1f} MiB downloaded cold"
                )
            print(f"Lighthouse (mobile), median of {lighthouse_runs}: performance, best practices, TBT, CLS")
            results = {}
            for name, path in page_kinds(site).items():
                found = lighthouse_figures(
                    binary, base, path, lighthouse_runs, Path(folder) / "lighthouse.json"
                )
                results[name] = found
                print(
                    f"  {name:<16} {found.performance:4.0f} {found.best_practices:4.0f} "
                    f"TBT {found.blocking_ms:7,.0f} ms CLS {found.layout_shift:.3f} {' '.join(found.failed)}"
                )
    return PageSpeed(starts, worker, results, runs, lighthouse_runs)
