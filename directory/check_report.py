"""What the last source checks found, row by row, as the build reads ``checks.csv``.

``ceu directory check-sources`` (:mod:`directory.source_check`) writes the report; nothing
is fetched during a build. A check counts only for the address it fetched: once a row's
``source_url`` (or its IACET provider number) changes, its old check says nothing about the
new source and is ignored until the next run. A row's additional sources (sources.csv) are
checked as its own source is, one line each, told apart by the address fetched.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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


#: A line of checks.csv is one address checked for one row: (table, id, check, url).
CheckKey = tuple[str, str, str, str]


def check_key(check: Check) -> CheckKey:
    return (check.table, check.id, check.check, check.url)


@dataclass(frozen=True)
class RowChecks:
    """The checks that still speak for a row: of its current source, of its current IACET record,
    and of each of its additional sources (by address)."""

    source: Check | None = None
    iacet: Check | None = None
    also: Mapping[str, Check] = field(default_factory=dict)

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
    entries: Iterable[Entry],
    checks: Iterable[Entry],
    iacet_template: str,
    additional: Mapping[tuple[str, str], list[Entry]] | None = None,
) -> dict[tuple[str, str], RowChecks]:
    """(table, id) -> the checks of that row that fetched its current addresses.

    ``additional``: (table, id) -> the row's additional sources (Directory.additional_sources).
    """
    by_key = {check_key(found): found for found in map(Check.of, checks)}
    found: dict[tuple[str, str], RowChecks] = {}
    for entry in entries:
        source = by_key.get((entry.table, entry.id, SOURCE, entry.values.get("source_url", "")))
        record = iacet_record_url(entry, iacet_template)
        iacet = by_key.get((entry.table, entry.id, IACET_RECORD, record)) if record else None
        urls = [more.values["source_url"] for more in (additional or {}).get((entry.table, entry.id), [])]
        also = {url: check for url in urls if (check := by_key.get((entry.table, entry.id, SOURCE, url)))}
        if source or iacet or also:
            found[(entry.table, entry.id)] = RowChecks(source, iacet, also)
    return found
