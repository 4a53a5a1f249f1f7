"""A provider's status as of the build date, from what its source says and when.

The directory never claims more than its evidence shows. In order:

* **lapsed** only when a *dated* source says the accreditation ended;
* **in good standing** when IACET's own directory listed the provider (its record
  for the provider number names it) on a check within the last 12 months: IACET
  removes lapsed providers, so this is the strongest evidence there is;
* **needs review** when IACET's record, checked within 12 months, no longer names
  the provider, or when the last check found the row's source changed or gone.
  Never "lapsed" from a check: a page that moved or a failed fetch proves nothing;
* **in good standing** when an *official* source (the provider's or IACET's own
  page) says the provider is accredited and is dated within the last 12 months,
  or, undated, was checked within the last 12 months and still says so. IACET
  accreditation is kept by an annual report every year of the five-year cycle
  (see ``calc.accreditation``), so older evidence cannot speak for the current year;
* **unverified** otherwise: undated and unchecked, older or third-party sources.

A check counts as evidence of standing only where the source is the body's own page
(an official source): a third party still quoting the provider shows nothing new.

Separately, a row whose ``verified_on`` is more than 12 months old carries a
warning: nobody has re-read its source for a year.

A partial source date counts from its earliest day (``2025-06`` is 1 June 2025),
so a page is never treated as newer than it can be.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calc.dates import add_months
from directory.check_report import RowChecks, row_checks
from directory.records import PARTIAL_DATE, Directory, Entry

#: How recent an official source must be, and how recently a row must have been re-read.
WINDOW_MONTHS = 12

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


def provider_statuses(directory: Directory, today: dt.date, iacet_template: str = "") -> dict[str, Status]:
    """Every provider's status, with the checks in the directory's report that still speak for it.

    ``iacet_template`` is the ``iacet_provider_url`` setting: an IACET record check counts only
    for the record of the provider's current number.
    """
    providers = directory.of("providers")
    checks = row_checks(providers, directory.of("checks"), iacet_template)
    return {
        entry.id: provider_status(entry, today, checks.get(("providers", entry.id))) for entry in providers
    }


def provider_status(entry: Entry, today: dt.date, checks: RowChecks | None = None) -> Status:
    """The status of one provider row as of ``today`` (the build date)."""
    values = entry.values
    kind = values["source_kind"]
    dated = earliest_day(values.get("source_date", ""))
    oldest = window_start(today)
    stale = stale_warning(values["verified_on"], today)
    if values.get("standing") == "lapsed":
        if dated is not None:
            rule = f"The source, dated {values['source_date']}, says the accreditation has lapsed."
            return Status(LAPSED, rule, today, stale)
        rule = "The source says the accreditation has lapsed but bears no date, so the directory cannot say when."
        return Status(UNVERIFIED, rule, today, stale)
    iacet = checks.iacet if checks and checks.iacet and checks.iacet.checked_on >= oldest else None
    if iacet is not None and iacet.outcome == "name-listed":
        day = iacet.checked_on.isoformat()
        rule = (
            f"In good standing as of {day} (IACET's directory, checked {day}): IACET's record for provider "
            f"number {values['iacet_provider_number']} named the provider, and IACET removes providers "
            "whose accreditation lapses."
        )
        return Status(GOOD_STANDING, rule, today, stale)
    if iacet is not None and iacet.outcome == "name-missing":
        day = iacet.checked_on.isoformat()
        rule = (
            f"Not found in IACET's directory on {day}: needs review. IACET's record for provider number "
            f"{values['iacet_provider_number']} did not name the provider; the name may have changed, or "
            "the accreditation may have ended. The directory does not say lapsed until a dated source does."
        )
        return Status(NEEDS_REVIEW, rule, today, stale)
    source = checks.source if checks and checks.source and checks.source.checked_on >= oldest else None
    if source is not None and source.changed_or_gone:
        rule = (
            f"The source changed or was gone when checked on {source.checked_on.isoformat()}: needs review. "
            "The row's quote can no longer be confirmed there."
        )
        return Status(NEEDS_REVIEW, rule, today, stale)
    if kind != "official":
        rule = (
            f"The source is {_kind_phrase(kind)}; only the provider's or IACET's own page, "
            f"dated within {WINDOW_MONTHS} months, can show good standing."
        )
        return Status(UNVERIFIED, rule, today, stale)
    if (dated is None or dated < oldest) and source is not None and source.found:
        day = source.checked_on.isoformat()
        rule = (
            f"The provider's own page still said it is accredited when checked on {day}, within "
            f"{WINDOW_MONTHS} months of {today.isoformat()} (the quoted words were found on the page)."
        )
        return Status(GOOD_STANDING, rule, today, stale)
    if dated is None:
        rule = (
            "The provider's own page says it is accredited but bears no date, so it cannot show "
            f"that the accreditation is current (a page dated within {WINDOW_MONTHS} months, or a "
            "check of the page within that time, is needed)."
        )
        return Status(UNVERIFIED, rule, today, stale)
    if dated < oldest:
        rule = (
            f"The official source is dated {values['source_date']}, more than {WINDOW_MONTHS} months "
            f"before {today.isoformat()}; accreditation is renewed every year, so an older page cannot "
            "show that it is current."
        )
        return Status(UNVERIFIED, rule, today, stale)
    rule = (
        f"An official source dated {values['source_date']}, within {WINDOW_MONTHS} months of "
        f"{today.isoformat()}, says the provider is accredited."
    )
    return Status(GOOD_STANDING, rule, today, stale)


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
