"""The deadline planner: a program's dates in; every approval and credit deadline out,
each with its rule, and the same dates as a calendar file.

The dates are the engine's (:func:`calc.deadlines.program_deadlines`,
:func:`calc.deadlines.year_long_batch`), the calendar events too
(:func:`calc.deadlines.program_calendar`, as ``ceu deadlines --ics`` has them),
so the page's ``.ics`` and the command's hold the same events with the same UIDs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from calc.dates import parse_date
from calc.deadlines import (
    Batch,
    DeadlinePlan,
    program_calendar,
    program_deadlines,
    year_long_batch,
)
from calc.errors import CreditInputError
from calc.numbers import grouped
from calculator_pages.outcome import Figure, Outcome, Step, Table, failed

TITLE = "CEU deadline planner"
NAME = "deadlines"
SEED = '"CEU Credit Eligibilities": steps to take before and after the training (seed)'
#: Form field -> label, in the form's order; the names are the engine's parameter names.
DATE_FIELDS = {
    "first_offering": "First offering",
    "last_day": "Last session day",
    "submitted_on": "Approval request submitted",
    "certificate_date": "Participant's certificate date",
    "applied_on": "Participant applied for CEUs",
}
LIST_FIELDS = {"holidays": "Days the office is closed", "sessions": "Year-long program's session dates"}
TITLE_FIELD = "title"
#: Dates in a list may be separated by commas, semicolons, spaces or new lines.
_SEPARATORS = re.compile(r"[\s,;]+")
MAX_LISTED = 366


def inputs_of(values: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    shown = [("Program", values.get(TITLE_FIELD, "").strip() or "not named")]
    shown += [(label, values.get(key, "").strip() or "not given") for key, label in DATE_FIELDS.items()]
    shown += [
        (label, ", ".join(_listed(values.get(key, ""))) or "none") for key, label in LIST_FIELDS.items()
    ]
    return tuple(shown)


def _listed(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text.strip()) if part]


def compute(values: Mapping[str, str]) -> Outcome:
    """The page's result for the form's values (the engine's parameter names)."""
    inputs = inputs_of(values)
    if not values.get("first_offering", "").strip():
        return failed(TITLE, inputs, "first_offering", "enter the first day the program is offered")
    dates: dict[str, dt.date] = {}
    try:
        for key in DATE_FIELDS:
            if text := values.get(key, "").strip():
                dates[key] = parse_date(text, key)
        lists: dict[str, list[dt.date]] = {}
        for key in LIST_FIELDS:
            parts = _listed(values.get(key, ""))
            if len(parts) > MAX_LISTED:
                raise CreditInputError(key, f"at most {MAX_LISTED} dates (got {grouped(len(parts))})")
            lists[key] = [parse_date(part, key) for part in parts]
        plan = program_deadlines(holidays=lists["holidays"], **dates)
    except CreditInputError as error:
        return failed(TITLE, inputs, error.field, error.message)
    batches = tuple(year_long_batch(day) for day in sorted(set(lists["sessions"])))
    return outcome_of(plan, batches, dates["first_offering"], values.get(TITLE_FIELD, ""), inputs)


def outcome_of(
    plan: DeadlinePlan,
    batches: tuple[Batch, ...],
    first_offering: dt.date,
    title: str = "",
    inputs: tuple[tuple[str, str], ...] = (),
) -> Outcome:
    calendar = program_calendar(plan, batches, first_offering, title)
    events = calendar.events
    warnings = (*plan.warnings, *(batch.warning for batch in batches if batch.warning))
    tables = [
        Table(
            "dates",
            "Every date, what falls due and the rule behind it",
            ("Date", "What", "Rule"),
            tuple((event.day.isoformat(), event.summary, event.description) for event in events),
        )
    ]
    if batches:
        tables.append(
            Table(
                "sessions",
                "Year-long program: the batch each session goes in",
                ("Session", "Batch", "Submit by"),
                tuple((str(b.session), b.semester, str(b.submit_by or "ask the office")) for b in batches),
            )
        )
    tables.append(Table("warnings", "Warnings", ("Warning",), tuple((w,) for w in warnings)))
    figures = tuple(Figure(event.key, event.summary, event.day.isoformat()) for event in events)
    steps = tuple(
        Step(f"{event.summary}: {event.day.isoformat()}.", event.description.removeprefix("Rule: "), SEED)
        for event in events
    )
    apply_by = next(d.date for d in plan.deadlines if d.name == "participants apply by")
    return Outcome(
        title=TITLE,
        inputs=inputs,
        figures=figures,
        tables=tuple(tables),
        steps=steps,
        summary=f"Approval request due {plan.deadlines[0].date}; participants apply by {apply_by}.",
        calendar=calendar,
    )
