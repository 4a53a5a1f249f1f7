"""The accreditation planner: an IACET accreditation date in; the five-year cycle out (annual
windows and anniversaries, IACET's notices, the reaccreditation deadline, expiry), where the
provider stands on a given day, and the cycle as a calendar file.

Every date is the engine's (:func:`calc.accreditation.accreditation_cycle`); the calendar's
events and UIDs are those ``ceu accreditation --ics`` writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from calc.accreditation import (
    CYCLE_YEARS,
    AccreditationCycle,
    accreditation_cycle,
    cycle_calendar,
    parse_anniversary,
)
from calc.dates import parse_date
from calc.errors import CreditInputError
from calculator_pages.outcome import Figure, Outcome, Step, Table, failed

TITLE = "IACET accreditation planner"
NAME = "accreditation"
FIELDS = {
    "accredited_on": "Accredited on",
    "anniversary": "Dues anniversary (MM-DD), if it differs",
    "as_of": "As of",
}


def inputs_of(values: Mapping[str, str], today: dt.date) -> tuple[tuple[str, str], ...]:
    shown = {key: values.get(key, "").strip() for key in FIELDS}
    shown["anniversary"] = shown["anniversary"] or "the accreditation date's"
    shown["as_of"] = shown["as_of"] or f"today ({today})"
    return tuple((label, shown[key] or "not given") for key, label in FIELDS.items())


def compute(values: Mapping[str, str], today: dt.date | None = None) -> Outcome:
    """The page's result for the form's values; an empty "as of" is ``today`` (the visitor's day)."""
    today = today or dt.date.today()
    inputs = inputs_of(values, today)
    accredited = values.get("accredited_on", "").strip()
    if not accredited:
        return failed(TITLE, inputs, "accredited_on", "enter the date the provider was accredited")
    try:
        accredited_on = parse_date(accredited, "accredited_on")
        as_of_text = values.get("as_of", "").strip()
        as_of = parse_date(as_of_text, "as_of") if as_of_text else today
        anniversary_text = values.get("anniversary", "").strip()
        anniversary = parse_anniversary(anniversary_text) if anniversary_text else None
        cycle = accreditation_cycle(accredited_on, as_of, anniversary)
    except CreditInputError as error:
        return failed(TITLE, inputs, error.field, error.message)
    return outcome_of(cycle, inputs)


def _stage(year: int) -> str:
    if year == 0:
        return "not yet accredited"
    if year > CYCLE_YEARS:
        return "cycle ended"
    return f"year {year} of {CYCLE_YEARS}"


def outcome_of(cycle: AccreditationCycle, inputs: tuple[tuple[str, str], ...] = ()) -> Outcome:
    upcoming = set(cycle.upcoming)
    figures = [
        Figure("year-of-cycle", f"As of {cycle.as_of}", _stage(cycle.year_of_cycle)),
        Figure("expires-on", "Accreditation expires", cycle.expires_on.isoformat()),
    ]
    if cycle.next_due:
        figures.append(
            Figure("next-due", f"Next due: {cycle.next_due.what}", cycle.next_due.date.isoformat())
        )
    events = Table(
        "cycle",
        "Every date of the five-year cycle",
        ("Date", "What", "When", "Source"),
        tuple(
            (event.date.isoformat(), event.what, "ahead" if event in upcoming else "past", event.source)
            for event in cycle.events
        ),
    )
    notes = Table("notes", "Notes", ("Note",), tuple((note,) for note in cycle.notes))
    steps = tuple(
        Step(f"{event.date}: {event.what}.", _rule(event.key), event.source) for event in cycle.events
    )
    due = f"; next due {cycle.next_due.date}: {cycle.next_due.what}" if cycle.next_due else ""
    return Outcome(
        title=TITLE,
        inputs=inputs,
        figures=tuple(figures),
        tables=(events, notes),
        steps=steps,
        summary=f"As of {cycle.as_of}: {_stage(cycle.year_of_cycle)}, expires {cycle.expires_on}{due}.",
        calendar=cycle_calendar(cycle),
    )


def _rule(key: str) -> str:
    if key.endswith("window-opens"):
        return "Dues and the annual report may be submitted in the 90 days before each anniversary."
    if key.endswith("anniversary"):
        return "Each anniversary in years 1 to 4: dues and the annual report (dues alone do not renew)."
    if key.startswith("notice"):
        return "IACET sends reaccreditation notices about 18, 12, 6 and 3 months before expiry."
    if key == "reaccreditation-application-due":
        return "The reaccreditation application is due at least 90 days before expiry; no annual report that year."
    return "Accreditation lasts five years."
