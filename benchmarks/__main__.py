"""`make bench`: how the slow paths scale, as ratios measured in one run.

Absolute times on a shared 2-core machine are noisy; the ratio between sizes
measured back to back is the figure to compare across changes.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks import (
    annual_report_page,
    benchmarks_file,
    directory_history,
    directory_site,
    page_speed,
    serve_latency,
)
from benchmarks.test_run import read_test_run
from calc.annual_report import annual_statistics


def write_attendance(path: Path, rows: int) -> None:
    rng = random.Random(1)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("learner_id,event_id,date,ceus_awarded\n")
        for _ in range(rows):
            day = dt.date(2025, 7, 1) + dt.timedelta(days=rng.randrange(365))
            handle.write(
                f"learner{rng.randrange(20_000)},event{rng.randrange(2_000)},{day},{rng.choice(('0', '0.5', '1.2'))}\n"
            )


def annual_report(rows: int, folder: Path) -> tuple[float, int]:
    """Seconds for one run (untraced), then peak memory from a second, traced run."""
    path = folder / f"attendance-{rows}.csv"
    write_attendance(path, rows)
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        annual_statistics(handle, dt.date(2026, 6, 30))
    seconds = time.perf_counter() - start
    tracemalloc.start()
    with path.open(encoding="utf-8", newline="") as handle:
        annual_statistics(handle, dt.date(2026, 6, 30))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    started = dt.datetime.now(dt.UTC)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()}")
    print("annual report (ceu annual-report), attendance rows -> seconds, rows/s, peak traced memory")
    print("  (20,000 learners x 2,000 events: memory follows distinct learner-event pairs, not rows)")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for rows in (100_000, 1_000_000):
            seconds, peak = annual_report(rows, Path(folder))
            results[rows] = seconds
            print(
                f"  {rows:>9,} rows: {seconds:6.2f} s  {rows / seconds:>9,.0f} rows/s  {peak / 1e6:6.1f} MB"
            )
        print(
            f"  ratio 1,000,000 / 100,000 rows: {results[1_000_000] / results[100_000]:.1f}x time (10x rows)"
        )
        files = {rows: Path(folder) / f"attendance-{rows}.csv" for rows in results}
        annual_report_page.report(files, Path(folder))
    speed = page_speed.main()
    sizes = directory_site.main()
    serve = serve_latency.main()
    root = Path(__file__).resolve().parent.parent
    target = Path(os.environ.get("BENCH_OUTPUT", root / "BENCHMARKS.md"))
    benchmarks_file.write(target, sizes, speed, started, serve, read_test_run(root))
    print(f"wrote {target}")
    directory_history.main()


if __name__ == "__main__":
    main()
