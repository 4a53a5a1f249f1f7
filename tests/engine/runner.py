"""Runs one engine case and returns plain JSON-ready data.

Standard library and ``calc`` only: the same file runs in CPython (unit tests)
and, unchanged, in the browser's Pyodide (the parity test), so both answer the
same question in the same words.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from calc.accreditation import accreditation_cycle, cycle_calendar
from calc.activities import activity_ceus, parse_activities
from calc.agenda import agenda_ceus, parse_agenda
from calc.annual_report import annual_statistics
from calc.cec import ace_cecs, check_course_number
from calc.ceu import iacet_ceus
from calc.conversions import parse_credit_systems
from calc.dates import parse_date
from calc.deadlines import program_calendar, program_deadlines, year_long_batch
from calc.eligibility import parse_eligibility_json
from calc.errors import CreditInputError
from calc.ics import event_uid
from calc.plan import parse_plan_csv, parse_plan_json, plan_totals
from calc.policy import academic_under, convert_all, figure_under
from calc.recert import parse_tracker_json, track
from calc.serialize import plain


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    given = case["input"]
    try:
        kind = case["kind"]
        if kind == "minutes":
            result: Any = iacet_ceus(given["minutes"], given.get("excluded", "0"))
        elif kind == "agenda":
            result = agenda_ceus(parse_agenda(given["agenda"]))
        elif kind == "activities":
            result = activity_ceus(parse_activities(given["csv"]))
        elif kind == "plan":
            rows = parse_plan_csv(given["csv"]) if "csv" in given else parse_plan_json(given["json"])
            result = plan_totals(rows, threshold=Decimal(given.get("threshold", "0.51")))
        elif kind == "convert":
            systems = parse_credit_systems(given["systems_csv"])
            result = {"conversions": convert_all(Decimal(given["minutes"]), systems)}
        elif kind == "policy":
            systems = {system.id: system for system in parse_credit_systems(given["systems_csv"])}
            policy = systems[given["policy"]]
            if "minutes" in given:
                result = figure_under(
                    policy,
                    Decimal(given["minutes"]),
                    days=given.get("days"),
                    condition_met=given.get("condition_met", False),
                )
            else:
                result = academic_under(
                    policy, Decimal(given.get("semester", "0")), Decimal(given.get("quarter", "0"))
                )
        elif kind == "cec":
            result = ace_cecs(**given)
        elif kind == "course-number":
            result = {"course_number": check_course_number(given["number"])}
        elif kind == "recert":
            certs, records = parse_tracker_json(given["json"])
            result = track(certs, records, parse_date(given["as_of"], "as_of"))
        elif kind == "eligibility":
            result = parse_eligibility_json(given["json"])
        elif kind == "deadlines":
            dates = {key: parse_date(value, key) for key, value in given.items() if key != "holidays"}
            holidays = [parse_date(day, "holidays") for day in given.get("holidays", [])]
            result = program_deadlines(holidays=holidays, **dates)
        elif kind == "batch":
            result = year_long_batch(parse_date(given["session"], "session"))
        elif kind == "accreditation":
            result = accreditation_cycle(
                parse_date(given["accredited_on"], "accredited_on"), parse_date(given["as_of"], "as_of")
            )
        elif kind == "calendar":
            result = {"events": _calendar(given)}
        elif kind == "annual-report":
            result = annual_statistics(io.StringIO(given["csv"]), parse_date(given["as_of"], "as_of"))
        else:
            raise ValueError(f"unknown case kind {kind!r}")
    except CreditInputError as error:
        return {"error": {"field": error.field, "message": error.message, "line": error.line}}
    data: dict[str, Any] = plain(result)
    return data


def _calendar(given: dict[str, Any]) -> list[dict[str, str]]:
    """The events a page's or the CLI's .ics holds: each date and its UID."""
    if given["of"] == "deadlines":
        first = parse_date(given["first_offering"], "first_offering")
        optional = {k: parse_date(given[k], k) for k in ("submitted_on", "applied_on") if k in given}
        plan = program_deadlines(first, **optional)
        batches = [year_long_batch(parse_date(day, "sessions")) for day in given.get("sessions", [])]
        calendar = program_calendar(plan, batches, first)
    else:
        accredited_on = parse_date(given["accredited_on"], "accredited_on")
        cycle = accreditation_cycle(accredited_on, parse_date(given["as_of"], "as_of"))
        calendar = cycle_calendar(cycle)
    return [{"day": e.day.isoformat(), "uid": event_uid(calendar.scope, e.key)} for e in calendar.events]


def run_cases(cases: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {case["id"]: run_case(case) for case in cases}
