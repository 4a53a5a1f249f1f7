"""A provider's status as of the build date, from what checked evidence shows.

The directory never claims more than its evidence shows, and a row's own claims (its
quote, its ``source_date``) are evidence only once a check has found them on the page.
In order:

* **lapsed** only when a *dated* source says the accreditation ended;
* **in good standing** when IACET's own directory listed the provider (its record
  for the provider number names it) on a check within the last 12 months: IACET
  removes lapsed providers, so this is the strongest evidence there is;
* **needs review** when IACET's record, checked within 12 months, no longer names
  the provider, or when the last check found the row's source changed or gone.
  Never "lapsed" from a check: a page that moved or a failed fetch proves nothing;
* **in good standing** when an *official* source (the provider's or IACET's own
  page) dated within the last 12 months says the provider is accredited, and a check
  within the last 12 months found the quoted words on that page. The weekly check
  (``ceu directory check-sources``) or the deploy's own run of it makes that check;
  the date alone, which the row's contributor typed, never does;
* **unverified** otherwise: a page not yet checked, an undated or older page (even one
  still online), third-party and archived sources.

Why 12 months: IACET accreditation lasts five years and is kept by an annual report
and dues each year in between (:data:`CYCLE`, from the sources of
:mod:`calc.accreditation`), so older evidence cannot speak for the current year.

A check counts as evidence of standing only where the source is the body's own page
(an official source): a third party still quoting the provider shows nothing new.

A row may cite more than one page: its own source and its additional sources
(``sources.csv``). Each is checked; any one found changed or gone puts the row under review,
and among the official ones the newest that shows good standing counts (else the newest,
to say why not), so a newer page confirmed by a check can speak for a provider whose own
source is old.

Separately, a row whose ``verified_on`` is more than 12 months old carries a
warning: nobody has re-read its source for a year.

A partial source date counts from its earliest day (``2025-06`` is 1 June 2025),
so a page is never treated as newer than it can be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from calc.accreditation import CYCLE_YEARS, MAINTENANCE_SOURCE, REACCREDITATION_SOURCE
from calc.dates import add_months
from directory.check_report import Check, RowChecks, row_checks
from directory.records import PARTIAL_DATE, Directory, Entry

#: How recent an official source must be, and how recently a row must have been re-read.
WINDOW_MONTHS = 12
#: Why evidence must be that recent, in IACET's terms, with the sources calc.accreditation cites.
CYCLE = (
    f"IACET accreditation lasts {CYCLE_YEARS} years and is kept each year by an annual report "
    f"and dues (sources: {REACCREDITATION_SOURCE}; {MAINTENANCE_SOURCE})"
)

GOOD_STANDING = "good-standing"
LAPSED = "lapsed"
NEEDS_REVIEW = "needs-review"
UNVERIFIED = "unverified"

#: How each status is shown, in the order filters list them.
LABELS = {
    GOOD_STANDING: "In good standing",
    LAPSED: "Lapsed",
    NEEDS_REVIEW: "Needs review",
    UNVERIFIED: "Unverified",
}


@dataclass(frozen=True)
class Status:
    code: str
    #: The rule that produced the status, in words a learner can check against the source.
    rule: str
    as_of: dt.date
    #: Set when ``verified_on`` is older than the window: the row needs re-reading.
    stale_warning: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.code]


def earliest_day(partial: str) -> dt.date | None:
    """The first day a YYYY, YYYY-MM or YYYY-MM-DD date can mean; None when blank."""
    match = PARTIAL_DATE.fullmatch(partial)
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    return dt.date(int(year), int(month), int(day))


def window_start(today: dt.date) -> dt.date:
    """The oldest date still 'within 12 months' of ``today`` (month ends clamp)."""
    return add_months(today, -WINDOW_MONTHS)


@dataclass(frozen=True)
class Cited:
    """One page a row cites, as the status rule weighs it: its own source or an additional one."""

    url: str
    kind: str
    date: str
    #: How the rule names the page: "The provider's own page", with its address when the row cites more.
    name: str
    check: Check | None


def provider_statuses(directory: Directory, today: dt.date, iacet_template: str = "") -> dict[str, Status]:
    """Every provider's status, with the checks in the directory's report that still speak for it.

    ``iacet_template`` is the ``iacet_provider_url`` setting: an IACET record check counts only
    for the record of the provider's current number.
    """
    providers = directory.of("providers")
    additional = directory.additional_sources()
    checks = row_checks(providers, directory.of("checks"), iacet_template, additional)
    return statuses_from(providers, today, checks, additional)


def statuses_from(
    providers: Iterable[Entry],
    today: dt.date,
    checks: Mapping[tuple[str, str], RowChecks],
    additional: Mapping[tuple[str, str], Sequence[Entry]],
) -> dict[str, Status]:
    """Every provider's status from checks and additional sources already gathered (row_checks,
    Directory.additional_sources), so a build that shows the checks computes them once."""
    return {
        entry.id: provider_status(
            entry, today, checks.get(("providers", entry.id)), additional.get(("providers", entry.id), ())
        )
        for entry in providers
    }


def provider_status(
    entry: Entry, today: dt.date, checks: RowChecks | None = None, additional: Sequence[Entry] = ()
) -> Status:
    """The status of one provider row as of ``today`` (the build date).

    ``additional``: the row's additional sources (sources.csv rows), checked in ``checks.also``.
    """
    values = entry.values
    stale = stale_warning(values["verified_on"], today)
    found = checks or RowChecks()
    cited = _cited(values, additional, found)
    code, rule = _status(values, today, found, cited)
    return Status(code, rule, today, stale)


def _cited(values: dict[str, str], additional: Sequence[Entry], checks: RowChecks) -> list[Cited]:
    """Every page the row cites, its own source first, each with its check (if any)."""
    pages = [(values, checks.source)] + [
        (more.values, checks.also.get(more.values["source_url"])) for more in additional
    ]
    several = len(pages) > 1
    return [
        Cited(
            url=page.get("source_url", ""),
            kind=page["source_kind"],
            date=page.get("source_date", ""),
            name=f"The provider's own page at {page.get('source_url', '')}"
            if several
            else "The provider's own page",
            check=check,
        )
        for page, check in pages
    ]


def _recent(check: Check | None, today: dt.date) -> Check | None:
    """The check, if it was made within the window."""
    return check if check is not None and check.checked_on >= window_start(today) else None


def _status(values: dict[str, str], today: dt.date, checks: RowChecks, cited: list[Cited]) -> tuple[str, str]:
    """(status code, the rule that gave it, in words), the rules tried in the module's order."""
    if values.get("standing") == "lapsed":
        if earliest_day(values.get("source_date", "")) is not None:
            return LAPSED, f"The source, dated {values['source_date']}, says the accreditation has lapsed."
        return UNVERIFIED, (
            "The source says the accreditation has lapsed but bears no date, so the directory cannot say when."
        )
    iacet = _recent(checks.iacet, today)
    if iacet is not None and iacet.outcome == "name-listed":
        day = iacet.checked_on.isoformat()
        return GOOD_STANDING, (
            f"In good standing as of {day} (IACET's directory, checked {day}): IACET's record for provider "
            f"number {values['iacet_provider_number']} named the provider, and IACET removes providers "
            "whose accreditation lapses."
        )
    if iacet is not None and iacet.outcome == "name-missing":
        day = iacet.checked_on.isoformat()
        return NEEDS_REVIEW, (
            f"Not found in IACET's directory on {day}: needs review. IACET's record for provider number "
            f"{values['iacet_provider_number']} did not name the provider; the name may have changed, or "
            "the accreditation may have ended. The directory does not say lapsed until a dated source does."
        )
    for page in cited:
        check = _recent(page.check, today)
        if check is not None and check.changed_or_gone:
            which = "The source" if page is cited[0] else f"The additional source {page.url}"
            return NEEDS_REVIEW, (
                f"{which} changed or was gone when checked on {check.checked_on.isoformat()}: needs review. "
                "The row's quote can no longer be confirmed there."
            )
    official = [page for page in cited if page.kind == "official"]
    if not official:
        sources = (
            f"The source is {_kind_phrase(values['source_kind'])}"
            if len(cited) == 1
            else "None of the row's sources is the provider's or IACET's own page"
        )
        return UNVERIFIED, (
            f"{sources}; only the provider's or IACET's own page, dated within {WINDOW_MONTHS} months "
            "and checked, can show good standing."
        )
    # Newest first; an undated page last. sorted() is stable, so on a tie the row's own source leads.
    newest = sorted(official, key=lambda page: earliest_day(page.date) or dt.date.min, reverse=True)
    weighed = [_official_page(page, today) for page in newest]
    return next((found for found in weighed if found[0] == GOOD_STANDING), weighed[0])


def _official_page(page: Cited, today: dt.date) -> tuple[str, str]:
    """The status an official page gives: good standing only when recent *and* found by a check."""
    check = _recent(page.check, today)
    found = check if check is not None and check.found else None
    dated = earliest_day(page.date)
    seen = (
        f" (the quoted words were still on it when checked on {found.checked_on.isoformat()})"
        if found
        else ""
    )
    if dated is None:
        return UNVERIFIED, (
            f"{page.name} says it is accredited but bears no date{seen}, so it cannot show "
            f"that the accreditation is current: {CYCLE}."
        )
    if dated < window_start(today):
        return UNVERIFIED, (
            f"{page.name} is dated {page.date}, more than {WINDOW_MONTHS} months "
            f"before {today.isoformat()}{seen}, so it cannot show that the accreditation is current: {CYCLE}."
        )
    if found is None:
        return UNVERIFIED, (
            f"{page.name}, dated {page.date}, says it is accredited, but no check "
            f"within {WINDOW_MONTHS} months has found the quoted words on it yet; the directory shows good "
            "standing only once a check confirms them (or IACET's own record names the provider)."
        )
    return GOOD_STANDING, (
        f"{page.name}, dated {page.date} (within {WINDOW_MONTHS} months of "
        f"{today.isoformat()}), says it is accredited, and the quoted words were found on it when checked "
        f"on {found.checked_on.isoformat()}."
    )


def stale_warning(verified_on: str, today: dt.date) -> str:
    """A warning when nobody has re-read the source within the window; '' otherwise."""
    verified = dt.date.fromisoformat(verified_on)
    if verified >= window_start(today):
        return ""
    return (
        f"This entry was last verified on {verified_on}, more than {WINDOW_MONTHS} months ago; "
        "its source may have changed since."
    )


def _kind_phrase(kind: str) -> str:
    return {
        "third-party": "a third party's page",
        "archived-copy": "an archived copy of a page",
        "synthetic": "generated test data",
    }.get(kind, kind)
