"""The directory's build beside the stack's own floor, measured in the same run.

The floor is MkDocs + Material doing nothing of ours: a generated project of N pages with
one fixed 2 KB body, outside the navigation, built by ``mkdocs build`` and then indexed by
Pagefind, as two processes. The project is the repository's real build over N generated
(synthetic) directory entries, its plugin and Pagefind included, in one process. Both run
as child processes so that their peak memory is measured the same way: the resident memory
of the whole process tree, read from ``/proc`` every 50 ms (MkDocs still holds its memory
while the project's Pagefind runs, so a tree sum is what a CI runner has to have).

Each figure is the median of ``repeats`` runs; the ratios are what to compare across changes.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
#: The floor's page body: fixed text of about 2 KB (one paragraph repeated), like a profile.
FLOOR_BODY = ("A generated page with a fixed body, as long as a directory profile. " * 30).strip()
FLOOR_CONFIG = """site_name: Floor
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
plugins: []
nav:
  - Home: index.md
validation:
  nav:
    omitted_files: ignore
"""


@dataclass(frozen=True)
class BuildCost:
    seconds: float
    peak_bytes: int
    files: int
    bytes: int
    #: Seconds per phase (and peaks in GiB) of the run, as measured from inside it.
    phases: dict[str, float] = field(default_factory=dict)
    #: Files and bytes per folder of the output, two levels deep (``directory/providers``).
    folders: dict[str, tuple[int, int]] = field(default_factory=dict)


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every process below it (0 once it is gone)."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
        stack += [int(child) for child in children]
    return total


def run_measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak tree memory of one command, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{errors[-2000:]}")
    return seconds, peak


def site_size(site: Path) -> tuple[int, int]:
    files = [path for path in site.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def folder_sizes(site: Path) -> dict[str, tuple[int, int]]:
    """Files and bytes under each folder of ``site``, two levels deep (files at the top: ``.``)."""
    found: dict[str, tuple[int, int]] = {}
    for path in site.rglob("*"):
        if path.is_file():
            parts = path.relative_to(site).parts[:-1][:2]
            folder = "/".join(parts) or "."
            files, total = found.get(folder, (0, 0))
            found[folder] = (files + 1, total + path.stat().st_size)
    return found


def write_floor_project(folder: Path, entries: int) -> Path:
    """The floor's MkDocs project: a home page and ``entries`` pages outside the navigation."""
    pages = folder / "docs" / "entry"
    pages.mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
    (folder / "docs" / "index.md").write_text("# Floor\n", encoding="utf-8")
    for number in range(entries):
        (pages / f"{number:06}.md").write_text(f"# Entry {number}\n\n{FLOOR_BODY}\n", encoding="utf-8")
    return folder


def floor_cost(project: Path) -> BuildCost:
    site = project / "site"
    quiet = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built, built_peak = run_measured([sys.executable, "-m", "mkdocs", "build", "--quiet"], project, quiet)
    indexed, indexed_peak = run_measured(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"], project
    )
    return BuildCost(
        built + indexed,
        max(built_peak, indexed_peak),
        *site_size(site),
        phases={"mkdocs": built, "pagefind": indexed},
    )


def project_cost(data: Path, site: Path) -> BuildCost:
    """The repository's build over ``data``, in its own process, timed by phase from inside
    (benchmarks.build_phases)."""
    phases = site.parent / f"{site.name}-phases.json"
    command = [sys.executable, "-m", "benchmarks.build_phases", str(data), str(site), str(phases)]
    seconds, peak = run_measured(command, REPO_ROOT, {**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return BuildCost(
        seconds,
        peak,
        *site_size(site),
        phases=json.loads(phases.read_text(encoding="utf-8")),
        folders=folder_sizes(site),
    )


def median_cost(costs: list[BuildCost]) -> BuildCost:
    """Median time and peak; the phases of the run whose time is the median (the lower middle
    of an even count), so they add up to a run that happened."""
    middle = sorted(costs, key=lambda c: c.seconds)[(len(costs) - 1) // 2]
    return BuildCost(
        statistics.median(c.seconds for c in costs),
        int(statistics.median(c.peak_bytes for c in costs)),
        costs[-1].files,
        costs[-1].bytes,
        phases=middle.phases,
        folders=costs[-1].folders,
    )
