"""ACE CECs and the recertification tracker (seed ace-cec-faq.txt)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.cec import ace_cecs, check_course_number
from calc.dates import parse_date
from calc.errors import CreditInputError
from calc.recert import Certification, record, track


@pytest.mark.parametrize(
    ("kwargs", "cecs"),
    [
        ({"hours": 1}, D("0.1")),  # seed: "For each hour of structured learning, ACE assigns 0.1 CEC"
        ({"hours": 20}, D("2.0")),  # seed: "2.0 (20 hours) CECs"
        ({"semester_hours": 3, "grade": "B"}, D("3.0")),  # seed: one semester hour = 1.0 CEC
        ({"quarter_hours": 2, "grade": "C"}, D("1.6")),  # seed: a quarter hour = 0.8 CEC
        ({"semester_hours": 3, "grade": "D"}, D("0")),  # seed: at least a "C" grade
        ({"semester_hours": 3, "grade": "C-"}, D("0")),
        ({"cpr": True, "aed": True, "first_aid": True}, D("0.6")),  # seed: 0.2 CEC each
        ({"workout_hours": 10}, D("0")),  # seed: workout or activity sessions earn nothing
        ({"hours": "2.5"}, D("0.25")),  # exact, never rounded
    ],
)
def test_ace_cecs(kwargs, cecs):
    assert ace_cecs(**kwargs).cecs == cecs


def test_university_hours_without_a_grade_count_with_a_warning():
    result = ace_cecs(semester_hours=3)
    assert result.cecs == D("3.0")
    assert "no grade given" in result.warnings[0]


@pytest.mark.parametrize("number", ["CEP123456", "CA23456", "CP12345", "CS123456", "CL00001", " cep123456 "])
def test_valid_course_numbers(number):
    assert check_course_number(number) == number.strip().upper()


@pytest.mark.parametrize(
    "number", ["CE123456", "CEP1234", "CEP1234567", "CEP12345A", "XX23456", "", "CEP 123456"]
)
def test_invalid_course_numbers_show_the_expected_form(number):
    with pytest.raises(CreditInputError) as raised:
        check_course_number(number)
    assert "expected CEP, CP, CA, CS or CL followed by 5 or 6 digits" in raised.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/15/2026", dt.date(2026, 3, 15)),
        ("2026-03-15", dt.date(2026, 3, 15)),
        ("2/29/2024", dt.date(2024, 2, 29)),
    ],
)
def test_completion_dates_in_ace_and_iso_form(text, expected):
    assert parse_date(text, "completed_on", us_form=True) == expected


@pytest.mark.parametrize("text", ["02/30/2026", "2026-02-30", "13/01/2026", "15.03.2026", "02/29/2025"])
def test_impossible_or_unknown_dates_are_refused(text):
    with pytest.raises(CreditInputError):
        parse_date(text, "completed_on", us_form=True)


PT = Certification("Personal Trainer", dt.date(2025, 1, 1))
GF = Certification("Group Fitness", dt.date(2025, 6, 1))


def test_two_cecs_per_two_year_period_and_remaining():
    report = track([PT], [record("course", "2025-03-01", "1.5", "CEP123456")], dt.date(2025, 12, 1))
    (status,) = report.certifications
    assert (status.earned, status.remaining, status.period_end) == (D("1.5"), D("0.5"), dt.date(2026, 12, 31))


def test_no_carry_over_credit_outside_the_period():
    report = track([PT], [record("course", "2024-12-31", "2.0", "CEP123456")], dt.date(2025, 6, 1))
    assert report.certifications[0].earned == 0
    assert "outside every certification period; credit does not carry over" in report.warnings[0]


def test_a_course_counts_once_ever():
    records = [
        record("course", "2025-02-01", "0.5", "CA23456"),
        record("course", "2025-09-01", "0.5", "CA23456"),
    ]
    report = track([PT], records, dt.date(2025, 12, 1))
    assert report.certifications[0].earned == D("0.5")
    assert "CA23456 was already counted" in report.warnings[0]


def test_cpr_counts_once_per_period():
    records = [record("cpr", "2025-02-01"), record("cpr", "2025-09-01"), record("aed", "2025-09-01")]
    report = track([PT], records, dt.date(2025, 12, 1))
    assert report.certifications[0].earned == D("0.4")
    assert any("CPR already counted in this period" in w for w in report.warnings)


def test_one_course_applies_to_every_certification_current_when_earned():
    records = [
        record("course", "2025-07-01", "1.0", "CEP111111"),
        record("course", "2025-03-01", "0.5", "CEP222222"),
    ]
    report = track([PT, GF], records, dt.date(2025, 12, 1))
    earned = {s.name: s.earned for s in report.certifications}
    assert earned == {"Personal Trainer": D("1.5"), "Group Fitness": D("1.0")}


def test_keep_until_is_four_years_after_completion_even_from_a_leap_day():
    report = track(
        [Certification("X", dt.date(2024, 1, 1))], [record("cpr", "02/29/2024")], dt.date(2024, 3, 1)
    )
    assert report.records[0].keep_until == dt.date(2028, 2, 29)
    assert record("aed", "2024-02-29").keep_until == dt.date(2028, 2, 29)
    assert record("aed", "2023-08-31").keep_until == dt.date(2027, 8, 31)


def test_period_from_a_leap_day():
    assert Certification("X", dt.date(2024, 2, 29)).period_end == dt.date(2026, 2, 27)


def test_missing_grade_warning_in_the_tracker():
    report = track([PT], [record("semester-hours", "2025-05-01", "2")], dt.date(2025, 6, 1))
    assert report.certifications[0].earned == D("2.0")
    assert "no grade" in report.warnings[0]


def test_bad_records_name_the_line():
    with pytest.raises(CreditInputError) as raised:
        record("course", "2025-01-01", "0.5", "CEP12", line=4)
    assert raised.value.message.startswith("line 4: course_number:")


courses = st.lists(
    st.tuples(
        st.sampled_from(["CEP100001", "CEP100002", "CA20003", "CS300004"]),
        st.dates(dt.date(2023, 1, 1), dt.date(2028, 12, 31)),
        st.sampled_from(["0.1", "0.5", "1.0"]),
    ),
    max_size=12,
)


@given(courses)
def test_a_course_number_is_never_counted_twice_and_nothing_crosses_periods(items):
    records = [record("course", day.isoformat(), amount, number) for number, day, amount in items]
    report = track([PT], records, dt.date(2029, 1, 1))
    counted = [r for r in report.records if r.cecs > 0]
    numbers = [r.record.course_number for r in counted]
    assert len(numbers) == len(set(numbers))
    assert all(PT.current_on(r.record.completed_on) for r in counted)
    assert report.certifications[0].earned == sum((r.cecs for r in counted), D(0))
