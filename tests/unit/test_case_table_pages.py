"""The engine's case table through the pages: every ACE CEC, recertification, deadline,
accreditation, calendar and annual-report case, put into its page's model as the page puts a
visitor's input (the same modules run in the browser), gives the table's expected figures,
as the CLI and the engine in Pyodide do (tests/unit/test_engine_cases.py, tests/browser/test_engine_parity.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from calc.ics import event_uid
from calculator_pages import accreditation_page, annual_report_page, cec_page, deadline_page, tracker_page
from calculator_pages.outcome import Outcome
from tests.engine.cases import CASES
from tests.unit.test_tracker_page import TABLES as TRACKER_TABLES

TODAY = dt.date(2026, 12, 4)
PAGE_KINDS = ("cec", "recert", "deadlines", "accreditation", "calendar", "annual-report")


def form_values(given: dict[str, Any]) -> dict[str, str]:
    """The case's input as a form holds it: text, "yes" for a ticked box, one date per line."""
    values = {}
    for key, value in given.items():
        if value is True:
            values[key] = "yes"
        elif isinstance(value, list):
            values[key] = "\n".join(value)
        else:
            values[key] = str(value)
    return values


def page_outcome(kind: str, given: dict[str, Any]) -> Outcome:
    if kind == "cec":
        return cec_page.compute(form_values(given))
    if kind == "recert":
        # Today's ACE-only tracker file, migrated as the tracker page migrates it.
        loaded = tracker_page.load_text(given["json"], TRACKER_TABLES)
        assert not loaded.error, loaded.error
        return tracker_page.compute(loaded.state, given["as_of"], TODAY, TRACKER_TABLES)
    if kind == "annual-report":
        data = given["csv"].encode("utf-8")
        return annual_report_page.report(iter([data]), "cases.csv", len(data), given["as_of"], TODAY)
    values = {key: value for key, value in form_values(given).items() if key != "of"}
    if kind == "deadlines" or given.get("of") == "deadlines":
        return deadline_page.compute(values)
    return accreditation_page.compute(values, today=TODAY)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["kind"] in PAGE_KINDS], ids=lambda c: f"{c['kind']}:{c['id']}"
)
def test_the_page_gives_the_case_tables_figures(case: dict[str, Any]) -> None:
    outcome = page_outcome(case["kind"], case["input"])
    expected = case["expected"]
    if "error" in expected:
        assert not outcome.ok and outcome.errors[0].field == expected["error"]["field"]
        return
    assert outcome.ok, outcome.errors
    kind = case["kind"]
    if kind == "cec":
        assert outcome.figure("cecs") == expected["cecs"]
    elif kind == "recert":
        for number, cert in enumerate(expected["certifications"], start=1):
            assert outcome.figure(f"earned-{number}") == cert["earned"]
            assert outcome.figure(f"remaining-{number}") == cert["remaining"]
    elif kind == "annual-report":
        for key in ("events", "participants", "learners_awarded", "total_ceus"):
            assert outcome.figure(key) == str(expected[key]), key
    elif kind == "deadlines":
        for key in ("credit_expected_from", "credit_expected_by"):
            assert outcome.figure(key.replace("_", "-")) == expected[key]
        dates = next(table for table in outcome.tables if table.key == "dates")
        shown = {row[0] for row in dates.rows}
        assert {item["date"] for item in expected["deadlines"]} <= shown
    elif kind == "accreditation":
        assert outcome.figure("year-of-cycle") == f"year {expected['year_of_cycle']} of 5"
        assert outcome.figure("expires-on") == expected["expires_on"]
    else:  # a calendar: the page's file holds the table's events, with the CLI's UIDs
        assert outcome.calendar is not None
        events = [
            {"day": event.day.isoformat(), "uid": event_uid(outcome.calendar.scope, event.key)}
            for event in outcome.calendar.events
        ]
        assert events == expected["events"]
