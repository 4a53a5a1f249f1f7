"""Which test process runs which file under ``make test`` (pytest-xdist ``--dist loadfile``).

Each file is one unit of work, so a file's module fixtures start once. Files named together
in SHARED_PROCESS are one unit: they share session fixtures whose pages start Python in the
browser (seconds each), and in two processes every one of those pages would start twice.
A plugin module, not a test file (its name does not start with test_): pytest collects nothing here.

pytest-xdist's own ``--dist loadgroup`` would do this from marks, but it renames tests in a way
pytest 9 no longer sees, so every test became its own unit; its scheduler hook is the public way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from xdist.remote import Producer
    from xdist.scheduler import Scheduling

#: Files (from the repository's root) -> the unit they share.
SHARED_PROCESS = {
    # calculator_showcase, calculator and suggest_showcase (tests/browser/conftest.py):
    # axe-core and the screenshots look at the same started calculator pages, at both widths.
    "tests/browser/test_accessibility.py": "started-showcase",
    "tests/browser/test_screenshots.py": "started-showcase",
    "tests/browser/test_calculator.py": "started-showcase",
}


def unit_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its file, or the unit its file shares."""
    file = nodeid.split("::", 1)[0]
    return SHARED_PROCESS.get(file, file)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's: without it, nothing to schedule
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> Scheduling | None:
    """``--dist loadfile`` with SHARED_PROCESS's files as one file; any other --dist as xdist has it."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedFileScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    return SharedFileScheduling(config, log)
