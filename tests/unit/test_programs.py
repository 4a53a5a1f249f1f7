"""Eligibility, approval deadlines and year-long batches (seed ceu-eligibility-and-approval.txt)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.dates import add_business_days, add_months
from calc.deadlines import program_deadlines, year_long_batch
from calc.eligibility import CRITERIA, check_eligibility
from calc.errors import CreditInputError

ALL_MET = dict.fromkeys(CRITERIA, True)


@pytest.mark.parametrize(
    ("program_type", "answers", "status"),
    [
        ("workshop", ALL_MET, "eligible"),
        ("directed-reading", ALL_MET, "eligible"),
        ("license-renewal", ALL_MET, "eligible"),
        ("committee-meeting", ALL_MET, "not eligible"),  # seed: committee meetings are ineligible
        ("on-the-job-training", ALL_MET, "not eligible"),
        ("social-event", ALL_MET, "not eligible"),
        ("workshop", {**ALL_MET, "participant-evaluation": False}, "not eligible"),
        ("workshop", {**ALL_MET, "qualified-instructors": None}, "missing information"),
        (None, ALL_MET, "missing information"),
        ("entertainment", {**ALL_MET, "clear-objective": None}, "not eligible"),
    ],
)
def test_eligibility_checklist(program_type, answers, status):
    result = check_eligibility(program_type, answers)
    assert result.status == status
    assert len(result.items) == len(CRITERIA) + 1
    assert all(item.reason for item in result.items)


def test_unknown_type_or_criterion_is_an_error():
    with pytest.raises(CreditInputError):
        check_eligibility("party", ALL_MET)
    with pytest.raises(CreditInputError):
        check_eligibility("workshop", {"fun": True})


def deadline(plan, name):
    return next(d.date for d in plan.deadlines if d.name == name)


@pytest.mark.parametrize(
    ("submitted", "review_done", "why"),
    [
        (dt.date(2026, 9, 1), dt.date(2026, 9, 4), "Tuesday + 3 business days = Friday"),
        (dt.date(2026, 9, 3), dt.date(2026, 9, 8), "Thursday + 3 skips the weekend"),
        (dt.date(2026, 9, 5), dt.date(2026, 9, 9), "submitted on a Saturday"),
    ],
)
def test_review_takes_three_business_days_not_counting_the_submission_day(submitted, review_done, why):
    plan = program_deadlines(dt.date(2026, 9, 28), submitted_on=submitted)
    assert deadline(plan, "review done by") == review_done, why


def test_holidays_are_skipped():
    plan = program_deadlines(
        dt.date(2026, 9, 28), submitted_on=dt.date(2026, 9, 3), holidays=[dt.date(2026, 9, 7)]
    )
    assert deadline(plan, "review done by") == dt.date(2026, 9, 9)  # Labor Day closed


def test_request_due_fourteen_days_before_and_late_warning():
    plan = program_deadlines(dt.date(2026, 3, 1), submitted_on=dt.date(2026, 2, 20))
    assert deadline(plan, "approval request due") == dt.date(2026, 2, 15)
    assert any("after 2026-02-15" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("last_day", "certificate", "apply_by"),
    [
        (dt.date(2026, 9, 16), None, dt.date(2026, 10, 16)),
        (dt.date(2026, 9, 16), dt.date(2026, 9, 20), dt.date(2026, 10, 20)),  # the later date
        (dt.date(2026, 9, 16), dt.date(2026, 9, 1), dt.date(2026, 10, 16)),
        (dt.date(2028, 1, 30), None, dt.date(2028, 2, 29)),  # leap year
    ],
)
def test_apply_within_thirty_days_of_the_later_date(last_day, certificate, apply_by):
    plan = program_deadlines(last_day, last_day=last_day, certificate_date=certificate)
    assert deadline(plan, "participants apply by") == apply_by


def test_credit_expected_seven_to_ten_business_days_after_applying():
    plan = program_deadlines(dt.date(2026, 9, 14), applied_on=dt.date(2026, 9, 18))
    assert (plan.credit_expected_from, plan.credit_expected_by) == (
        dt.date(2026, 9, 29),
        dt.date(2026, 10, 2),
    )


def test_last_day_before_first_offering_is_an_error():
    with pytest.raises(CreditInputError):
        program_deadlines(dt.date(2026, 9, 14), last_day=dt.date(2026, 9, 1))


@pytest.mark.parametrize(
    ("session", "submit_by", "warned"),
    [
        (dt.date(2026, 8, 1), dt.date(2026, 12, 31), False),
        (dt.date(2026, 12, 31), dt.date(2026, 12, 31), False),
        (dt.date(2027, 1, 1), dt.date(2027, 6, 30), False),
        (dt.date(2027, 6, 30), dt.date(2027, 6, 30), False),
        (dt.date(2027, 7, 15), None, True),  # the July gap
    ],
)
def test_year_long_programs_submit_per_semester(session, submit_by, warned):
    batch = year_long_batch(session)
    assert batch.submit_by == submit_by
    assert bool(batch.warning) == warned


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
    ],
)
def test_month_arithmetic_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
    st.integers(0, 40),
    st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)), max_size=5),
)
def test_business_day_arithmetic_never_lands_on_a_weekend_or_holiday(start, days, holidays):
    end = add_business_days(start, days, holidays)
    if days:
        assert end.weekday() < 5 and end not in holidays
        assert end > start
    else:
        assert end == start


def test_applying_after_the_last_day_is_warned():
    plan = program_deadlines(dt.date(2026, 9, 14), applied_on=dt.date(2026, 10, 15))
    assert any("after the last day to apply, 2026-10-14" in w for w in plan.warnings)
