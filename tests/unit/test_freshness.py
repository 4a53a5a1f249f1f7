"""The footer's dates: the data's last change from the history, or its newest verification."""

from __future__ import annotations

import datetime as dt

from directory.freshness import freshness
from directory.history import Change
from directory.records import Entry

BUILT = dt.date(2026, 12, 4)
ROWS = [
    Entry("providers", 2, {"id": "a", "verified_on": "2026-10-01"}),
    Entry("organizations", 2, {"id": "b", "verified_on": "2026-11-20"}),
]


def change(date: str) -> Change:
    return Change("providers", ("a",), "0" * 40, date, "Edit", "changed")


def test_the_newest_commit_to_the_data_is_its_last_change():
    histories = {
        ("providers", ("a",)): [change("2026-09-01T10:00:00+02:00"), change("2026-11-28T23:30:00-05:00")],
        ("organizations", ("b",)): [change("2026-10-02T08:00:00+00:00")],
    }
    fresh = freshness(BUILT, histories, ROWS)
    # The commit's own calendar day, as its date says (not moved to UTC).
    assert (fresh.built_on, fresh.data_date, fresh.data_kind) == (BUILT, dt.date(2026, 11, 28), "changed")


def test_without_history_the_newest_verification_is_said_instead():
    fresh = freshness(BUILT, None, ROWS)
    assert (fresh.data_date, fresh.data_kind) == (dt.date(2026, 11, 20), "verified")


def test_no_data_at_all_says_only_the_build():
    assert freshness(BUILT, {}, []).data_date is None
