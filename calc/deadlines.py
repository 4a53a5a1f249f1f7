"""Approval and credit deadlines for a CEU program.

Source: "Steps to take before/after the training" and "Other Important
Questions" (seed ceu-eligibility-and-approval.txt):

* "All CEU approval requests must be submitted at least 14 days prior to the
  initial offering date": request due = first offering - 14 calendar days.
* "reviewed for approval within three business days": review done by =
  submission + 3 business days, the submission day not counted.
* "course approvals are good for only the approved dates".
* "a maximum of one (1) month to apply ... from the last day of the session or
  from the participant's Certificate of Completion date", and elsewhere "30 days
  after the training": apply by = the later of the two dates + 30 calendar days,
  that day included.
* "processed ... within 7-10 business day[s]": credit expected between application
  + 7 and + 10 business days.
* Year-long programs (effective July 1, 2016) submit per semester: August-December
  sessions by the end of December, January-June sessions by the end of June. The
  seed names no batch for July, so a July session gets a warning instead of a date.

Business days skip Saturdays, Sundays and any holidays given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from calc.dates import add_business_days
from calc.errors import CreditInputError
from calc.ics import Calendar, CalendarEvent

REQUEST_LEAD_DAYS = 14
REVIEW_BUSINESS_DAYS = 3
APPLY_WITHIN_DAYS = 30
CREDIT_BUSINESS_DAYS = (7, 10)


@dataclass(frozen=True)
class Deadline:
    name: str
    date: dt.date
    rule: str


@dataclass(frozen=True)
class DeadlinePlan:
    deadlines: tuple[Deadline, ...]
    credit_expected_from: dt.date | None
    credit_expected_by: dt.date | None
    warnings: tuple[str, ...]


def program_deadlines(
    first_offering: dt.date,
    last_day: dt.date | None = None,
    submitted_on: dt.date | None = None,
    certificate_date: dt.date | None = None,
    applied_on: dt.date | None = None,
    holidays: Iterable[dt.date] = (),
) -> DeadlinePlan:
    """Every deadline that follows from the dates known so far."""
    closed = tuple(holidays)
    last = last_day or first_offering
    if last < first_offering:
        raise CreditInputError("last_day", f"{last} is before the first offering {first_offering}")
    warnings: list[str] = []
    request_due = first_offering - dt.timedelta(days=REQUEST_LEAD_DAYS)
    deadlines = [
        Deadline("approval request due", request_due, "at least 14 calendar days before the first offering"),
    ]
    if submitted_on is not None:
        if submitted_on > request_due:
            warnings.append(
                f"the request was submitted {submitted_on}, after {request_due}: the 14-day rule is waived only "
                "on request for extenuating circumstances"
            )
        deadlines.append(
            Deadline(
                "review done by",
                add_business_days(submitted_on, REVIEW_BUSINESS_DAYS, closed),
                "3 business days after submission, the submission day not counted",
            )
        )
    completion = max(last, certificate_date) if certificate_date else last
    apply_by = completion + dt.timedelta(days=APPLY_WITHIN_DAYS)
    deadlines.append(
        Deadline(
            "participants apply by",
            apply_by,
            "30 calendar days after the later of the last session day and the certificate date (that day included)",
        )
    )
    expected_from = expected_by = None
    if applied_on is not None:
        if applied_on > apply_by:
            warnings.append(f"the application on {applied_on} is after the last day to apply, {apply_by}")
        expected_from = add_business_days(applied_on, CREDIT_BUSINESS_DAYS[0], closed)
        expected_by = add_business_days(applied_on, CREDIT_BUSINESS_DAYS[1], closed)
    warnings.append("approval covers only the approved dates: list every date the program will run")
    return DeadlinePlan(tuple(deadlines), expected_from, expected_by, tuple(warnings))


@dataclass(frozen=True)
class Batch:
    session: dt.date
    submit_by: dt.date | None
    semester: str
    warning: str


def year_long_batch(session: dt.date) -> Batch:
    """Which semester packet a year-long program's session goes in, and its due date."""
    if 8 <= session.month <= 12:
        return Batch(session, dt.date(session.year, 12, 31), f"August-December {session.year}", "")
    if 1 <= session.month <= 6:
        return Batch(session, dt.date(session.year, 6, 30), f"January-June {session.year}", "")
    return Batch(
        session,
        None,
        "no batch",
        f"{session}: July is in neither semester batch (August-December, January-June); ask the approving office",
    )


def program_calendar(
    plan: DeadlinePlan, batches: Iterable[Batch], first_offering: dt.date, title: str = ""
) -> Calendar:
    """A program's dates as a calendar, scoped by its title when given, else by its first offering.

    The scope makes the events' UIDs: a titled program keeps its events when it is rescheduled.
    """
    name = title.strip()
    scope, shown = (
        (f"program:{name}", f"{name}: CEU deadlines")
        if name
        else (f"program:{first_offering}", f"CEU deadlines, first offering {first_offering}")
    )
    return Calendar(scope, shown, f"deadlines-{first_offering}.ics", deadline_events(plan, batches))


def deadline_events(plan: DeadlinePlan, batches: Iterable[Batch] = ()) -> tuple[CalendarEvent, ...]:
    """One calendar event per date of the plan: each deadline, the credit window's two ends, each batch due.

    Sessions in the same semester batch share one event (one date, one packet).
    """
    events = [
        CalendarEvent(d.date, d.name.replace(" ", "-"), d.name.capitalize(), f"Rule: {d.rule}.")
        for d in plan.deadlines
    ]
    if plan.credit_expected_from and plan.credit_expected_by:
        window = f"Rule: credit follows {CREDIT_BUSINESS_DAYS[0]} to {CREDIT_BUSINESS_DAYS[1]} business days after the application."
        events.append(
            CalendarEvent(plan.credit_expected_from, "credit-expected-from", "Credit expected from", window)
        )
        events.append(
            CalendarEvent(plan.credit_expected_by, "credit-expected-by", "Credit expected by", window)
        )
    sessions: dict[tuple[dt.date, str], list[dt.date]] = {}
    for batch in batches:
        if batch.submit_by is not None:
            sessions.setdefault((batch.submit_by, batch.semester), []).append(batch.session)
    for (due, semester), days in sorted(sessions.items()):
        listed = ", ".join(str(day) for day in sorted(set(days)))
        events.append(
            CalendarEvent(
                due,
                f"batch-{semester.replace(' ', '-').lower()}",
                f"Year-long program: {semester} batch due",
                f"Sessions: {listed}. Rule: a year-long program submits its August-December sessions by "
                "31 December and its January-June sessions by 30 June.",
            )
        )
    return tuple(sorted(events, key=lambda event: (event.day, event.key)))
