"""How long `make test` took: a full test run records itself (tests/conftest.py, at the end of
the session) and `make bench` reports that record beside the goal, with its date.

A full run is expensive (minutes on this machine), so the bench does not run the tests
itself: it reads the last record and says when it was made, or that there is none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: Where a full test run writes its record (test-artifacts/ is ignored by git).
TEST_RUN_FILE = "test-artifacts/make-test-time.json"
#: The slowest tests named in the record (what to look at when the goal is not met).
SLOWEST = 5


@dataclass(frozen=True)
class TestRun:
    # Not a test class, despite its name.
    __test__ = False

    finished: dt.datetime
    count: int
    seconds: float
    outcome: str
    #: The slowest tests of the run (node id, seconds), slowest first.
    slowest: tuple[tuple[str, float], ...] = ()


def write_test_run(
    root: Path, seconds: float, count: int, outcome: str, durations: Sequence[tuple[str, float]]
) -> Path:
    """Record one full run's wall time (``root`` is the repository)."""
    path = root / TEST_RUN_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    slowest = sorted(durations, key=lambda item: -item[1])[:SLOWEST]
    record = {
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "count": count,
        "seconds": round(seconds, 1),
        "outcome": outcome,
        "slowest": [[name, round(time, 1)] for name, time in slowest],
    }
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return path


def read_test_run(root: Path) -> TestRun | None:
    """The last full run's record, or None when there is none (or it cannot be read)."""
    try:
        record = json.loads((root / TEST_RUN_FILE).read_text(encoding="utf-8"))
        return TestRun(
            finished=dt.datetime.fromisoformat(record["finished"]),
            count=int(record["count"]),
            seconds=float(record["seconds"]),
            outcome=str(record["outcome"]),
            slowest=tuple((str(name), float(time)) for name, time in record.get("slowest", [])),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
