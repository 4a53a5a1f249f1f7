"""The annual-report helper in Chromium: seconds to count 100,000 and 1,000,000 attendance rows
in the page's Web Worker, against ``ceu annual-report`` on the same files, and the longest time
the page's main thread was busy meanwhile (what a visitor would feel as a freeze).

The site is built from the repository (mkdocs build) into a temporary folder and served locally.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.directory_site import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, build_over, serve

FIGURES = ("events", "participants", "learners_awarded", "total_ceus")
#: Started in the page before a count: the longest gap between 20 ms timer ticks is the
#: longest stretch the main thread could not answer a click.
LAG_PROBE = """() => {
    window.benchLag = 0;
    let last = performance.now();
    window.benchTimer = setInterval(() => {
        const now = performance.now();
        window.benchLag = Math.max(window.benchLag, now - last - 20);
        last = now;
    }, 20);
}"""


def cli_seconds(path: Path) -> tuple[float, dict[str, str]]:
    command = [sys.executable, "-m", "ceu_cli", "annual-report", str(path), "--as-of", "2026-06-30", "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    seconds = time.perf_counter() - start
    answer = json.loads(done.stdout)
    return seconds, {key: str(answer[key]) for key in FIGURES}


def report(files: dict[int, Path], folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    site = folder / "site"
    build_over(None, site)
    print(
        "annual-report helper in Chromium (Web Worker), rows -> seconds in the page, ceu CLI, ratio, main-thread lag"
    )
    with serve(site) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(base + "/annual-report/")
        page.wait_for_selector('#annual-report-status[data-state="ready"]', timeout=180_000)
        print(f"  Python ready in the worker after {time.perf_counter() - start:.1f} s")
        page.fill("#annual-report-as_of", "2026-06-30")
        for rows, path in files.items():
            page.evaluate(LAG_PROBE)
            start = time.perf_counter()
            page.set_input_files("#annual-report-attendance", str(path))
            page.wait_for_selector('#annual-report-result[data-state="ok"]', timeout=600_000)
            seconds = time.perf_counter() - start
            lag = page.evaluate("() => { clearInterval(window.benchTimer); return window.benchLag; }")
            shown = dict(
                page.locator("#annual-report-result [data-key]").evaluate_all(
                    "nodes => nodes.map(n => [n.dataset.key, n.dataset.value])"
                )
            )
            cli, expected = cli_seconds(path)
            same = "same figures as the CLI" if shown == expected else f"DIFFERENT: {shown} vs {expected}"
            print(
                f"  {rows:>9,} rows: {seconds:6.2f} s page  {cli:6.2f} s CLI  {seconds / cli:4.1f}x"
                f"  longest main-thread stall {lag:5.0f} ms  ({same})"
            )
        browser.close()
