"""IACET accreditation: the annual cycle and the five-year reaccreditation.

Sources:

* IACET, "Maintaining your accreditation" (2019-10-11; seed
  iacet-accreditation-maintenance.txt): dues and the annual report may be
  submitted in the 90 days before each anniversary; "An annual report is not due
  in years a re-accreditation application is submitted"; "Only paying the dues
  without also completing the Annual Report prior will not renew your
  accreditation."
* IACET, Reaccreditation (iacet.org/ce-t-accreditation/reaccreditation/):
  accreditation lasts five years; the reaccreditation application is due at least
  90 days before expiry (a provider that misses it is removed from IACET's
  directory); IACET sends notices about 18, 12, 6 and 3 months before expiry.

Reading used here: anniversaries 1 to 4 each carry dues and an annual report; the
fifth anniversary is the expiry, whose year is the reaccreditation year (no annual
report). A 29 February date falls on 28 February in other years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calc.dates import add_months, add_years
from calc.errors import CreditInputError, quoted
from calc.ics import Calendar, CalendarEvent

CYCLE_YEARS = 5
WINDOW_DAYS = 90
APPLICATION_LEAD_DAYS = 90
NOTICE_MONTHS = (18, 12, 6, 3)
MAINTENANCE_SOURCE = 'IACET, "Maintaining your accreditation" (2019)'
REACCREDITATION_SOURCE = "IACET, Reaccreditation (iacet.org/ce-t-accreditation/reaccreditation/)"


@dataclass(frozen=True)
class CycleEvent:
    date: dt.date
    what: str
    source: str
    #: Stable name of the event within the cycle (``year-2-anniversary``, ``expiry``): calendars' UIDs.
    key: str
    #: Something must be done by this date (a notice or a window opening is not).
    due: bool = False


@dataclass(frozen=True)
class AccreditationCycle:
    accredited_on: dt.date
    expires_on: dt.date
    as_of: dt.date
    #: 1 to 5; 0 before accreditation; 6 once the cycle has ended.
    year_of_cycle: int
    events: tuple[CycleEvent, ...]
    upcoming: tuple[CycleEvent, ...]
    next_due: CycleEvent | None
    notes: tuple[str, ...]


def accreditation_cycle(
    accredited_on: dt.date, as_of: dt.date, anniversary: tuple[int, int] | None = None
) -> AccreditationCycle:
    """Every date of the five-year cycle, what is due next, and the year of the cycle."""
    expires = add_years(accredited_on, CYCLE_YEARS)
    month, day = anniversary or (accredited_on.month, accredited_on.day)
    events: list[CycleEvent] = []
    for year in range(1, CYCLE_YEARS):
        date = _anniversary(accredited_on.year + year, month, day)
        events.append(
            CycleEvent(
                date - dt.timedelta(days=WINDOW_DAYS),
                f"year {year}: window opens for dues and the annual report",
                MAINTENANCE_SOURCE,
                f"year-{year}-window-opens",
            )
        )
        events.append(
            CycleEvent(
                date,
                f"year {year}: anniversary, annual dues and annual report due",
                MAINTENANCE_SOURCE,
                f"year-{year}-anniversary",
                due=True,
            )
        )
    for months in NOTICE_MONTHS:
        events.append(
            CycleEvent(
                add_months(expires, -months),
                f"IACET's reaccreditation notice (about {months} months before expiry)",
                REACCREDITATION_SOURCE,
                f"notice-{months}-months",
            )
        )
    events.append(
        CycleEvent(
            expires - dt.timedelta(days=APPLICATION_LEAD_DAYS),
            "reaccreditation application due (at least 90 days before expiry; no annual report this year)",
            REACCREDITATION_SOURCE,
            "reaccreditation-application-due",
            due=True,
        )
    )
    events.append(
        CycleEvent(
            expires, "accreditation expires unless reaccredited", REACCREDITATION_SOURCE, "expiry", due=True
        )
    )
    events.sort(key=lambda e: (e.date, e.what))
    if as_of < accredited_on:
        year = 0
    elif as_of >= expires:
        year = CYCLE_YEARS + 1
    else:
        year = next(y for y in range(1, CYCLE_YEARS + 1) if as_of < add_years(accredited_on, y))
    upcoming = tuple(e for e in events if e.date >= as_of)
    due = tuple(e for e in upcoming if e.due)
    notes = [
        "Paying dues alone does not renew accreditation: the annual report must be filed first.",
        "A provider that misses the reaccreditation application is removed from IACET's directory.",
    ]
    if year > CYCLE_YEARS:
        notes.insert(0, f"This cycle ended on {expires}; it continues only if the provider was reaccredited.")
    return AccreditationCycle(
        accredited_on, expires, as_of, year, tuple(events), upcoming, due[0] if due else None, tuple(notes)
    )


def cycle_calendar(cycle: AccreditationCycle) -> Calendar:
    """The cycle as a calendar, scoped by the accreditation date: one accreditation, one set of UIDs."""
    return Calendar(
        f"iacet-accreditation:{cycle.accredited_on}",
        f"IACET accreditation {cycle.accredited_on} to {cycle.expires_on}",
        f"accreditation-{cycle.accredited_on}.ics",
        cycle_events(cycle),
    )


def cycle_events(cycle: AccreditationCycle) -> tuple[CalendarEvent, ...]:
    """The whole cycle as calendar events, past ones included (a calendar keeps history)."""
    return tuple(
        CalendarEvent(
            event.date,
            event.key,
            f"IACET: {event.what}",
            f"Accredited {cycle.accredited_on}, expires {cycle.expires_on}. Source: {event.source}.",
        )
        for event in cycle.events
    )


def _anniversary(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        if (month, day) == (2, 29):
            return dt.date(year, 2, 28)
        raise CreditInputError("anniversary", f"{month:02d}-{day:02d} is not a day of the year") from None


def parse_anniversary(text: str) -> tuple[int, int]:
    """``MM-DD``, e.g. 03-01."""
    parts = text.strip().split("-")
    # ASCII digits, at most two: "²" and a 5,000-digit run are digits to str.isdigit, not to int().
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 2 for p in parts):
        raise CreditInputError("anniversary", f"{quoted(text)} is not in the form MM-DD, e.g. 03-01")
    month, day = int(parts[0]), int(parts[1])
    try:
        dt.date(2024, month, day)  # a leap year, so 02-29 is a valid anniversary
    except ValueError:
        raise CreditInputError("anniversary", f"{quoted(text)} is not a day of the year") from None
    return month, day
