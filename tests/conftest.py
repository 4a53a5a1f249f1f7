"""Fixtures shared by every kind of test: the repository root and one real site build."""

from __future__ import annotations

import csv
import fcntl
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import settings

from benchmarks.test_run import write_test_run

REPO_ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")

#: Issue 31: which test process runs which file under `make test` (--dist loadfile).
pytest_plugins = ["tests.process_groups"]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


def plugin_settings() -> dict[str, Any]:
    """The openceu plugin's settings as mkdocs.yml writes them (``plugins: - openceu:``)."""
    import yaml

    plugins = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
    (settings,) = (entry["openceu"] for entry in plugins if isinstance(entry, dict) and "openceu" in entry)
    return dict(settings)


def latest_verification(data_dir: Path = REPO_ROOT / "directory_data") -> str:
    """The newest verified_on in the published data (YYYY-MM-DD).

    Tests that check the real data pin OPENCEU_TODAY to it: reproducible, and never a day
    before a row was read (a verified_on after "today" is an error).
    """
    days = []
    for table in sorted(data_dir.glob("*.csv")):
        with table.open(encoding="utf-8", newline="") as handle:
            days += [row["verified_on"] for row in csv.DictReader(handle) if row.get("verified_on")]
    return max(days)


#: Where test rows made to look published point: the project's own site, so no test row names
#: another organization's address, and not example.org, which published data may not cite
#: (directory/reserved_hosts.py). Nothing is ever fetched from it.
PUBLIC_TEST_SITE = "https://openceu.github.io/openceu/test-rows"


def looking_published(row: dict[str, str]) -> dict[str, str]:
    """A generated row's example.org addresses moved to PUBLIC_TEST_SITE (same paths)."""
    return {
        column: value.replace("https://example.org", PUBLIC_TEST_SITE, 1)
        if value.startswith("https://example.org/")
        else value
        for column, value in row.items()
    }


def modules_loaded_by(code: str, cwd: Path = REPO_ROOT) -> list[str]:
    """The modules a fresh interpreter loads while it runs ``code`` (names, sorted).

    A subprocess, so what this test session has imported already does not hide anything.
    """
    marker = "-- modules loaded --"
    probe = (
        "import sys\n"
        "before = set(sys.modules)\n"
        f"exec({code!r})\n"
        f"print({marker!r})\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.rpartition(marker)[2].split()  # whatever ``code`` printed comes before the marker


def outside_standard_library(modules: list[str]) -> set[str]:
    """The top-level packages among ``modules`` that are not in Python's standard library."""
    return {name.split(".")[0] for name in modules} - set(sys.stdlib_module_names)


def build_repository_site(site: Path, site_url: str | None = None) -> Path:
    """Build the repository's site into ``site`` with the real `mkdocs build --strict`.

    ``site_url`` is the published address (OPENCEU_SITE_URL, as the deploy workflow sets
    it); without it the site is built for the local address, whatever the shell says.
    """
    env = {k: v for k, v in os.environ.items() if k != "OPENCEU_SITE_URL"} | {"NO_MKDOCS_2_WARNING": "1"}
    if site_url is not None:
        env["OPENCEU_SITE_URL"] = site_url
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return site


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """``make(folder)`` once for the whole run, its result shared by every test process.

    ``make test`` spreads the test files over processes (pytest-xdist), each its own session:
    a session fixture would build the same site once in each. The first process to ask builds
    it under a lock in the run's shared temporary folder; the others wait for it and read its
    result back. What it builds is read only, as it always was within one process. Without
    xdist the run is one process and this is an ordinary session fixture.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    shared.mkdir(exist_ok=True)
    result = shared / "result.pickle"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if result.exists():
            loaded: T = pickle.loads(result.read_bytes())
            return loaded
        made = make(shared / "built")
        result.write_bytes(pickle.dumps(made))
        return made


def _build_site_in(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return build_repository_site(folder / "site")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site, built once per test run for the local address.

    Build tests read its files; browser tests serve it.
    """
    return once_per_run(tmp_path_factory, "site", _build_site_in)


# --------------------------------------------------------------------------- issue 34: data is text
@pytest.fixture(scope="session")
def marker_site(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The site built once over the published data with a marker in every text cell
    (tests/marker_site.MarkerSite): the build tests read its files, the browser tests serve it."""
    from tests.marker_site import build_marker_site  # it imports this module: not at the top

    def build_in(folder: Path) -> object:
        folder.mkdir(parents=True, exist_ok=True)
        return build_marker_site(folder)

    return once_per_run(tmp_path_factory, "marker", build_in)


# --------------------------------------------------------------------------- issue 35: make test-fast
#: `make test-fast` runs ``-m "not browser and not build"``: a test in one of these folders, or
#: one that asks for a built site, carries the marker, or the inner loop would build or browse.
_MARKED_FOLDERS = {"browser": REPO_ROOT / "tests" / "browser", "build": REPO_ROOT / "tests" / "build"}
_BUILT_SITES = {"built_site", "marker_site"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Stop the run, naming them, if a test that builds the site or drives a browser lacks its marker."""
    unmarked = []
    for item in items:
        marks = {mark.name for mark in item.iter_markers()}
        wanted = {name for name, folder in _MARKED_FOLDERS.items() if item.path.is_relative_to(folder)}
        if _BUILT_SITES & set(getattr(item, "fixturenames", ())) and not marks & {"browser", "build"}:
            wanted.add("build")
        if wanted - marks:
            unmarked.append(f"  {item.nodeid}: needs @pytest.mark.{' and '.join(sorted(wanted - marks))}")
    if unmarked:
        raise pytest.UsageError("tests without the marker make test-fast leaves out:\n" + "\n".join(unmarked))


#: Hypothesis checks properties, not speed: no deadline for any example (a busy machine, such
#: as `make test` on every core, made a 1 ms example take 900 ms and fail a calendar property).
#: The tests that still say ``deadline=None`` themselves only repeat this.
settings.register_profile("openceu", deadline=None)
settings.load_profile("openceu")


# --------------------------------------------------------------------------- issue 31: make test's time
#: A full run (no paths, -k, -m, -x, --lf or --collect-only: `make test`) records its wall time, test count and
#: slowest tests (benchmarks/test_run.py), which `make bench` reports beside the 10-minute goal.
_RUN: dict[str, Any] = {"started": 0.0, "durations": {}}


def _full_run(config: pytest.Config) -> bool:
    option = config.option
    return (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not option.keyword
        and not option.markexpr
        and not option.maxfail
        and not option.collectonly
        and not getattr(option, "lf", False)
        and not getattr(option, "deselect", None)
        and not hasattr(config, "workerinput")  # xdist's workers: the controller records the run
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    _RUN["started"] = time.monotonic()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    durations: dict[str, float] = _RUN["durations"]
    durations[report.nodeid] = durations.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _full_run(session.config) or exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return
    durations: dict[str, float] = _RUN["durations"]
    outcome = "passed" if exitstatus == pytest.ExitCode.OK else "failed"
    write_test_run(
        REPO_ROOT, time.monotonic() - _RUN["started"], len(durations), outcome, list(durations.items())
    )
