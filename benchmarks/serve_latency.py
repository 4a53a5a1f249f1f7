"""`make serve` as someone editing the data meets it: seconds from saving one CSV row until
the browser shows the change, at 1,000 generated entries.

The real ``mkdocs serve`` runs the repository's config over a generated data folder (synthetic
rows allowed), with live reload, on a free local port. A headless Chromium opens the edited
entry's profile; then the entry's name is changed in its CSV file, and the time runs from the
moment the file is written until the page (reloaded by the server) shows the new name.
Each edit is a new name, so every figure is a full rebuild; the median of ``edits`` is reported.
"""

from __future__ import annotations

import csv
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

from benchmarks.directory_site import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, write_data
from hooks.config import PLUGIN_NAME

#: The data table edited, and how long a start or a rebuild may take before the run gives up.
TABLE = "providers.csv"
START_TIMEOUT_S = 600
EDIT_TIMEOUT_S = 300
#: MkDocs' own line after each build under serve ("Documentation built in 12.34 seconds").
BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


@dataclass(frozen=True)
class ServeLatency:
    entries: int
    #: Seconds from each file write until the page showed the new text.
    seconds: tuple[float, ...]
    #: MkDocs' own build time of each of those rebuilds, as it logged it.
    build_seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def build_median(self) -> float:
        return statistics.median(self.build_seconds) if self.build_seconds else 0.0


def serve_config(data: Path) -> str:
    """The repository's mkdocs.yml, its plugin pointed at ``data`` with synthetic rows allowed.
    (MkDocs' INHERIT replaces lists whole, and ``plugins`` is a list: so the file is copied,
    written as JSON, which YAML reads as it is.)"""
    with (REPO_ROOT / "mkdocs.yml").open(encoding="utf-8") as handle:
        config = yaml_load(handle)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and PLUGIN_NAME in plugin:
            plugin[PLUGIN_NAME].update(data_dir=str(data), allow_synthetic=True)
            return json.dumps(config, indent=1)
    raise ValueError(f"mkdocs.yml has no {PLUGIN_NAME} plugin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerLog:
    """The server's log, read as it comes; each build's time as MkDocs states it."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self.builds: list[float] = []
        self.serving = threading.Event()
        self._reader = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._reader.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            self.lines.append(line)
            if found := BUILT.search(line):
                self.builds.append(float(found.group(1)))
            if "Serving on" in line:
                self.serving.set()


@contextmanager
def mkdocs_serve(data: Path) -> Iterator[tuple[str, ServerLog]]:
    """``mkdocs serve --strict`` (as `make serve` runs it) over ``data``; its address and log."""
    port = free_port()
    # The config sits in the repository's folder: its relative paths (content/, site_src/,
    # node_modules/) are read from there. A hidden, unique name, removed afterwards.
    handle, name = tempfile.mkstemp(prefix=".bench-serve-", suffix=".yml", dir=REPO_ROOT)
    config = Path(name)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(serve_config(data))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--strict",
            "-f",
            str(config),
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        log = ServerLog(process)
        if not log.serving.wait(START_TIMEOUT_S) or process.poll() is not None:
            raise RuntimeError("mkdocs serve did not start:\n" + "".join(log.lines[-40:]))
        yield f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        config.unlink(missing_ok=True)


def rename(table: Path, entry_id: str, name: str) -> None:
    """The entry's name in its CSV file, every other byte kept (written in one go)."""
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("name")
    for row in rows[1:]:
        if row[0] == entry_id:
            row[column] = name
    lines: list[str] = []

    class Collect:
        def write(self, text: str) -> None:
            lines.append(text)

    csv.writer(Collect(), lineterminator="\n").writerows(rows)
    table.write_text("".join(lines), encoding="utf-8")


def measure(folder: Path, entries: int = 1000, edits: int = 3) -> ServeLatency:
    from playwright.sync_api import sync_playwright

    data = write_data(entries, folder)
    table = data / TABLE
    with table.open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    entry_id, name = first["id"], first["name"]
    seconds: list[float] = []
    builds: list[float] = []
    with mkdocs_serve(data) as (base, log), sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/directory/providers/{entry_id}/")
        page.get_by_role("heading", level=1, name=name).wait_for(timeout=60_000)
        for edit in range(1, edits + 1):
            new_name = f"{name} Edit {edit}"
            built_before = len(log.builds)
            rename(table, entry_id, new_name)
            written = time.perf_counter()
            page.get_by_role("heading", level=1, name=new_name).wait_for(timeout=EDIT_TIMEOUT_S * 1000)
            seconds.append(time.perf_counter() - written)
            # The build's own line comes just before the reload; wait for it, briefly.
            deadline = time.monotonic() + 10
            while len(log.builds) == built_before and time.monotonic() < deadline:
                time.sleep(0.05)
            builds += log.builds[built_before:][-1:]
        browser.close()
    return ServeLatency(entries, tuple(seconds), tuple(builds))


def main() -> ServeLatency:
    entries = int(os.environ.get("BENCH_SERVE_ENTRIES", "1000"))
    edits = int(os.environ.get("BENCH_SERVE_EDITS", "3"))
    print(f"make serve: one edited row at {entries:,} entries until the browser shows it, median of {edits}")
    with tempfile.TemporaryDirectory() as folder:
        found = measure(Path(folder), entries, edits)
    shown = ", ".join(f"{s:.2f}" for s in found.seconds)
    print(f"  {found.median:.2f} s (runs: {shown} s); MkDocs' own rebuild {found.build_median:.2f} s")
    return found


if __name__ == "__main__":
    main()
