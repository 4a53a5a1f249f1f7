"""How fresh the published data is, for the footer of every page.

The repository's history dates the data's last change (the newest commit that touched
``directory_data/``); a build without that history (a download, a shallow clone) can only
say when a row was last verified, and says that instead rather than guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from directory.history import Change
from directory.records import Entry


@dataclass(frozen=True)
class Freshness:
    built_on: dt.date
    #: The day the data last changed, or was last verified when there is no history.
    data_date: dt.date | None
    #: "changed" (from the history) or "verified" (the newest verified_on of any row).
    data_kind: str


def freshness(
    built_on: dt.date,
    histories: Mapping[tuple[str, tuple[str, ...]], Sequence[Change]] | None,
    entries: Iterable[Entry],
) -> Freshness:
    if histories is not None:
        dates = [dt.datetime.fromisoformat(c.date).date() for changes in histories.values() for c in changes]
        if dates:
            return Freshness(built_on, max(dates), "changed")
    verified = [e.values["verified_on"] for e in entries if e.values.get("verified_on")]
    latest = max((dt.date.fromisoformat(day) for day in verified), default=None)
    return Freshness(built_on, latest, "verified")
