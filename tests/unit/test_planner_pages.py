"""The planners' page models: the engine's dates, a message beside the field at fault, the CLI's calendar."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from calc.accreditation import accreditation_cycle, cycle_events
from calc.ics import event_uid
from calculator_pages import accreditation_page, cec_page, deadline_page
from tests.conftest import REPO_ROOT
from tests.engine.page_cases import CEC_CASES, CecCase


def test_the_deadline_page_gives_every_date_and_a_calendar_scoped_like_the_cli() -> None:
    outcome = deadline_page.compute(
        {"first_offering": "2026-09-14", "applied_on": "2026-09-18", "sessions": "2026-09-01; 2026-10-01"}
    )
    assert (
        outcome.ok and outcome.summary == "Approval request due 2026-08-31; participants apply by 2026-10-14."
    )
    assert outcome.figure("credit-expected-by") == "2026-10-02"
    assert outcome.calendar is not None and outcome.calendar.scope == "program:2026-09-14"
    (batch,) = [event for event in outcome.calendar.events if event.key.startswith("batch")]
    assert batch.day == dt.date(2026, 12, 31) and "2026-09-01, 2026-10-01" in batch.description


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({}, "first_offering", "enter the first day the program is offered"),
        ({"first_offering": "2026-02-30"}, "first_offering", "'2026-02-30' is not a date that exists"),
        ({"first_offering": "2026-09-14", "last_day": "2026-09-01"}, "last_day", "before the first offering"),
        ({"first_offering": "2026-09-14", "holidays": "2026-09-07 soon"}, "holidays", "'soon' is not a date"),
        (
            {"first_offering": "2026-09-14", "sessions": " ".join(["2026-09-01"] * 367)},
            "sessions",
            "at most 366",
        ),
    ],
)
def test_a_deadline_input_that_cannot_be_used_is_named_beside_its_field(
    values: dict[str, str], field: str, message: str
) -> None:
    outcome = deadline_page.compute(values)
    assert not outcome.ok and outcome.calendar is None
    assert outcome.errors[0].field == field and message in outcome.errors[0].message


def test_the_accreditation_page_gives_the_cycle_and_the_clis_calendar() -> None:
    outcome = accreditation_page.compute({"accredited_on": "2022-03-01", "as_of": "2026-11-01"})
    assert outcome.ok
    assert outcome.figure("year-of-cycle") == "year 5 of 5"
    assert outcome.figure("expires-on") == "2027-03-01"
    assert outcome.figure("next-due") == "2026-12-01"
    cycle = accreditation_cycle(dt.date(2022, 3, 1), dt.date(2026, 11, 1))
    assert outcome.calendar is not None and outcome.calendar.events == cycle_events(cycle)
    assert event_uid(outcome.calendar.scope, "expiry") == event_uid(
        "iacet-accreditation:2022-03-01", "expiry"
    )
    (table, _) = outcome.tables
    assert [row[2] for row in table.rows].count("ahead") == len(cycle.upcoming)


def test_an_empty_as_of_is_the_visitors_today() -> None:
    outcome = accreditation_page.compute({"accredited_on": "2022-03-01"}, today=dt.date(2023, 3, 1))
    assert outcome.figure("year-of-cycle") == "year 2 of 5"
    assert ("As of", "today (2023-03-01)") in outcome.inputs


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "accredited_on"),
        ({"accredited_on": "2022-02-29"}, "accredited_on"),
        ({"accredited_on": "2022-03-01", "as_of": "yesterday"}, "as_of"),
        ({"accredited_on": "2022-03-01", "anniversary": "13-01"}, "anniversary"),
        ({"accredited_on": "2022-03-01", "anniversary": "3/1"}, "anniversary"),
    ],
)
def test_an_accreditation_input_that_cannot_be_used_is_named_beside_its_field(
    values: dict[str, str], field: str
) -> None:
    outcome = accreditation_page.compute(values, today=dt.date(2026, 12, 3))
    assert not outcome.ok and outcome.errors[0].field == field


# ---- ACE CECs: the page model and `ceu cec` agree on the seed's rules


@pytest.mark.parametrize("case", CEC_CASES, ids=lambda case: case.id)
def test_the_cec_page_gives_the_clis_cecs_and_names_the_field_at_fault(case: CecCase) -> None:
    outcome = cec_page.compute(case.values)
    command = [sys.executable, "-m", "ceu_cli", *case.cli_args()]
    cli = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    if case.error:
        assert not outcome.ok and outcome.errors[0].field == case.error
        if case.error != "course_number":  # the page's own check: the CLI has no such option
            assert cli.returncode == 2, cli.stdout
        return
    assert cli.returncode == 0, cli.stderr
    assert outcome.figure("cecs") == json.loads(cli.stdout)["cecs"] == case.cecs
    assert [row[3] for row in outcome.tables[0].rows] == [
        part["cecs"] for part in json.loads(cli.stdout)["parts"]
    ]


def test_a_course_number_is_shown_in_aces_form_and_the_empty_form_asks_for_something() -> None:
    assert cec_page.compute({"hours": "1", "course_number": " ca23456 "}).figure("course-number") == "CA23456"
    empty = cec_page.compute({})
    assert not empty.ok and empty.errors[0].field == "hours" and "CPR" in empty.errors[0].message
    no_grade = cec_page.compute({"semester_hours": "2"})
    assert no_grade.ok and "no grade given" in no_grade.tables[1].rows[0][0]
