"""What the last source checks found, row by row, as the build reads ``checks.csv``.

``ceu directory check-sources`` (:mod:`directory.source_check`) writes the report; nothing
is fetched during a build. A check counts only for the address it fetched: once a row's
``source_url`` (or its IACET provider number) changes, its old check says nothing about the
new source and is ignored until the next run.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

from directory.records import Entry

SOURCE = "source"
IACET_RECORD = "iacet-record"
#: Outcomes that show the source still says what the row quotes (or IACET still lists the name).
FOUND = frozenset({"quote-present", "name-listed"})
#: The address of IACET's record for one provider number: the form IACET's own site uses (seen
#: on providers' pages that link to their record). The site links to it and the checker fetches
#: it, so both read this one setting.
IACET_PROVIDER_URL = "https://www.iacet.org/affiliates/accredited-providers-list/accredited-provider-overview/?providerID={number}"
#: Statuses by which a page is gone for good, not merely down for a moment.
GONE_STATUSES = frozenset({"404", "410"})

#: The directory filter's value for each kind of finding (profiles feed it; the search counts it).
FILTER_FOUND = "Source still says so"
FILTER_CHANGED = "Source changed or gone"
FILTER_OTHER = "Source not read on the last check"
FILTER_UNCHECKED = "Not checked yet"


@dataclass(frozen=True)
class Check:
    """One line of checks.csv."""

    table: str
    id: str
    check: str
    checked_on: dt.date
    url: str
    outcome: str
    http_status: str = ""
    final_url: str = ""
    detail: str = ""

    @classmethod
    def of(cls, entry: Entry) -> Check:
        values = entry.values
        return cls(
            table=values["table"],
            id=values["id"],
            check=values["check"],
            checked_on=dt.date.fromisoformat(values["checked_on"]),
            url=values["url"],
            outcome=values["outcome"],
            http_status=values.get("http_status", ""),
            final_url=values.get("final_url", ""),
            detail=values.get("detail", ""),
        )

    @property
    def found(self) -> bool:
        return self.outcome in FOUND

    @property
    def changed_or_gone(self) -> bool:
        """The source no longer says what the row quotes, or the page is gone (404, 410)."""
        return self.outcome in {"quote-missing", "name-missing"} or (
            self.outcome == "unreachable" and self.http_status in GONE_STATUSES
        )

    @property
    def read(self) -> bool:
        """The check says something about the source: found, changed or gone (else it could not tell)."""
        return self.found or self.changed_or_gone

    @property
    def filter_value(self) -> str:
        if self.found:
            return FILTER_FOUND
        return FILTER_CHANGED if self.changed_or_gone else FILTER_OTHER

    def words(self) -> str:
        """The finding in a sentence, for the profile."""
        day = self.checked_on.isoformat()
        reason = f" ({self.detail})" if self.detail else ""
        if self.check == IACET_RECORD:
            if self.outcome == "name-listed":
                return f"Listed in IACET's directory on {day}: IACET's record for this provider number shows its name."
            if self.outcome == "name-missing":
                return f"Not found in IACET's directory on {day}: needs review."
            return f"IACET's record could not be read on {day}{reason}; it is checked again on the next run."
        if self.outcome == "quote-present":
            return f"Source last checked {day}: quote still present."
        if self.changed_or_gone:
            return f"Source changed or gone on {day}{reason}: needs review."
        if self.outcome == "robots-disallowed":
            return f"Source not fetched on {day}: the site's robots.txt asks robots not to fetch it."
        return f"Source could not be read on {day}{reason}; it is checked again on the next run."


@dataclass(frozen=True)
class RowChecks:
    """The checks that still speak for a row: of its current source, of its current IACET record."""

    source: Check | None = None
    iacet: Check | None = None

    @property
    def filter_value(self) -> str:
        return self.source.filter_value if self.source else FILTER_UNCHECKED


def iacet_record_url(entry: Entry, template: str) -> str:
    """IACET's record for the provider's number (the ``iacet_provider_url`` setting), or ''."""
    number = entry.values.get("iacet_provider_number", "")
    if not number or "{number}" not in template:
        return ""
    return template.replace("{number}", urllib.parse.quote(number, safe=""))


def row_checks(
    entries: Iterable[Entry], checks: Iterable[Entry], iacet_template: str
) -> dict[tuple[str, str], RowChecks]:
    """(table, id) -> the checks of that row that fetched its current addresses."""
    by_key = {(c.values["table"], c.values["id"], c.values["check"]): Check.of(c) for c in checks}
    found: dict[tuple[str, str], RowChecks] = {}
    for entry in entries:
        source = by_key.get((entry.table, entry.id, SOURCE))
        if source is not None and source.url != entry.values.get("source_url"):
            source = None
        iacet = by_key.get((entry.table, entry.id, IACET_RECORD))
        if iacet is not None and iacet.url != iacet_record_url(entry, iacet_template):
            iacet = None
        if source or iacet:
            found[(entry.table, entry.id)] = RowChecks(source, iacet)
    return found
