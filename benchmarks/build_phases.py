"""One real build of the repository's site, timed by phase from inside: what `make bench`
states beside a build goal not met (where the time and the memory go), measured, not guessed.

``python -m benchmarks.build_phases DATA SITE OUT.json`` builds as ``benchmarks.directory_site``
does (the same code, in its own process so the tree's memory can be sampled) while wrapping a
few functions of MkDocs and of the plugin's wiring in a timer; the real functions run, with their
real arguments. Phases do not overlap; what they leave out (navigation, the theme's setup,
sitemap) is ``other``. Peaks are the MkDocs process's own resident memory before Pagefind
starts, and the largest child's (Pagefind's indexer) once it has finished.
"""

from __future__ import annotations

import functools
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mkdocs.commands.build
from mkdocs.structure.files import Files

import hooks.plugin
from benchmarks.directory_site import build_over

GIB = 1024**3
#: Phase names, as `make bench` prints them, in build order (the timed functions are in _targets).
BUILD_PHASES = (
    "directory data read",
    "directory files made",
    "Markdown",
    "pages written",
    "files copied",
    "runtimes installed",
    "Pagefind",
    "_headers and service worker",
    "other",
)


def _targets() -> dict[str, tuple[Any, str]]:
    """Phase -> (owner, attribute) of the function timed for it."""
    return {
        "directory data read": (hooks.plugin.OpenCEUPlugin, "on_pre_build"),
        "directory files made": (hooks.plugin.OpenCEUPlugin, "on_files"),
        "Markdown": (mkdocs.commands.build, "_populate_page"),
        "pages written": (mkdocs.commands.build, "_build_page"),
        "files copied": (Files, "copy_static_files"),
        "runtimes installed": (hooks.plugin, "install_runtimes"),
        "Pagefind": (hooks.plugin, "index_for_search"),
        "_headers and service worker": (hooks.plugin, "write_host_files"),
    }


def _peak_bytes(who: int) -> int:
    return resource.getrusage(who).ru_maxrss * 1024  # Linux gives KiB


def timed_build(data: Path, site: Path) -> dict[str, float]:
    """Seconds per phase of one build (and the two peaks, in GiB)."""
    spent = dict.fromkeys(BUILD_PHASES, 0.0)
    peaks: dict[str, float] = {}

    def timer(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if name == "Pagefind":
                peaks["mkdocs_peak_gib"] = _peak_bytes(resource.RUSAGE_SELF) / GIB
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return timed

    for name, (owner, attribute) in _targets().items():
        setattr(owner, attribute, timer(name, getattr(owner, attribute)))
    start = time.perf_counter()
    build_over(data, site)
    total = time.perf_counter() - start
    spent["other"] = total - sum(spent.values())
    peaks["pagefind_peak_gib"] = _peak_bytes(resource.RUSAGE_CHILDREN) / GIB
    return {**spent, **peaks}


if __name__ == "__main__":
    data_dir, site_dir, out = (Path(arg) for arg in sys.argv[1:4])
    out.write_text(json.dumps(timed_build(data_dir, site_dir), indent=2) + "\n", encoding="utf-8")
