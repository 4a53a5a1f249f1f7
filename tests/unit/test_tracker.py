"""One record counted toward every credential (calc.tracker, calc.requirements, `ceu tracker`).

The per-body cases are the requirements table's own worked examples (each from the body's
published example or wording, see the row's notes): the engine and the CLI, run as a user runs
it, must give the row's figures. The rule cases below use a small table written here.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.errors import CreditInputError
from calc.recert import parse_tracker_json, track
from calc.requirement_table import Tables, read_tables, requirement_problems
from calc.requirements import parse_example
from calc.tracker import (
    CAPPED,
    COUNTED,
    FORMAT,
    NOT_COUNTED,
    VERSION,
    count,
    example_standing,
    migrated,
    parse_tracker,
    tracker_text,
)
from tests.unit.test_cli import ceu

DATA = Path(__file__).resolve().parents[2] / "directory_data"


def tables(extra_rows: str = "") -> Tables:
    requirements = (DATA / "requirements.csv").read_text(encoding="utf-8") + extra_rows
    return read_tables(
        (DATA / "credit_systems.csv").read_text(encoding="utf-8"),
        (DATA / "vocabularies.csv").read_text(encoding="utf-8"),
        requirements,
    )


TABLES = tables()
ROWS = list(csv.DictReader((DATA / "requirements.csv").open(encoding="utf-8")))
EXAMPLES = [row for row in ROWS if row["example_activities"]]


def tracker(credentials: list[dict[str, str]], activities: list[dict[str, object]]) -> str:
    return tracker_text(
        {"format": FORMAT, "version": VERSION, "credentials": credentials, "activities": activities}
    )


def example_tracker(row: dict[str, str]) -> str:
    """The row's worked example as a tracker file: one credential, the activities on its first day."""
    requirement = TABLES.requirements[row["id"]]
    activities = [
        {
            "title": f"example {number}",
            "completed_on": "2026-01-05",
            "credit": str(item.units),
            "credit_unit": requirement.system.id,
            "kinds": list(item.kinds),
        }
        for number, item in enumerate(parse_example(row["example_activities"], TABLES.kinds), start=1)
    ]
    return tracker([{"name": row["id"], "requirement": row["id"], "cycle_start": "2026-01-05"}], activities)


# --------------------------------------------------------------------------- every body's own case


def test_every_requirement_has_a_worked_example() -> None:
    assert ROWS and [row["id"] for row in ROWS if not row["example_activities"]] == []


@pytest.mark.parametrize("row", EXAMPLES, ids=lambda row: row["id"])
def test_the_engine_gives_each_bodys_worked_example(row: dict[str, str]) -> None:
    requirement = TABLES.requirements[row["id"]]
    standing = example_standing(requirement, parse_example(row["example_activities"], TABLES.kinds))
    assert standing.earned == Fraction(row["example_earned"])
    assert standing.remaining == Fraction(row["example_remaining"])
    assert list(requirement_problems(requirement, TABLES.kinds)) == []


@pytest.mark.parametrize("row", EXAMPLES, ids=lambda row: row["id"])
def test_ceu_tracker_gives_each_bodys_worked_example(row: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "tracker.json"
    path.write_text(example_tracker(row), encoding="utf-8")
    done = ceu("tracker", str(path), "--as-of", "2026-01-05", "--json")
    assert done.returncode == 0, done.stderr
    [credential] = json.loads(done.stdout)["credentials"]
    assert Fraction(credential["earned"]) == Fraction(row["example_earned"])
    assert Fraction(credential["remaining"]) == Fraction(row["example_remaining"])
    text = ceu("tracker", str(path), "--as-of", "2026-01-05")
    assert f"{credential['earned']} of {credential['required']} {credential['unit']}" in text.stdout


def test_a_worked_example_that_the_rule_does_not_give_is_refused() -> None:
    row = dict(ROWS[0], example_earned=str(Decimal(ROWS[0]["example_earned"]) + 1))
    requirement = TABLES.requirements[row["id"]]
    wrong = type(requirement)(**{**requirement.__dict__, "example_earned": Decimal(row["example_earned"])})
    [(column, message)] = requirement_problems(wrong, TABLES.kinds)
    assert column == "example_earned" and "this row's rule counts" in message


# --------------------------------------------------------------------------- the rule, case by case

# A small table for the rule's parts; not published (the real rows are tested above).
RULES = (
    "\nzz-caps,pmi-pmp-pdu,Capped credential,36,certification-date,60,"
    '"ethics>=8; self-study<=25",once-per-cycle,12,,18,cycle-end,,,,'
    "https://example.org/caps,official,,quote,2026-12-07,,\n"
    "zz-carry,nc-engineering-pdh,Carry credential,12,set-by-body,15,,once-ever,,15,36,completion,,,,"
    "https://example.org/carry,official,,quote,2026-12-07,,\n"
)
RULE_TABLES = tables(RULES)


def standings(
    credentials: list[dict[str, str]], activities: list[dict[str, object]], as_of: str = "2026-12-01"
):
    parsed = parse_tracker(tracker(credentials, activities), RULE_TABLES.requirements)
    return count(parsed, dt.date.fromisoformat(as_of), RULE_TABLES.kinds, RULE_TABLES.units)


CAPS = {"name": "Caps", "requirement": "zz-caps", "cycle_start": "2026-01-01"}


def pdus(amount: str, day: str = "2026-02-01", **more: object) -> dict[str, object]:
    return {
        "title": f"{amount} PDU",
        "completed_on": day,
        "credit": amount,
        "credit_unit": "pmi-pmp-pdu",
        **more,
    }


def test_a_cap_counts_only_what_is_left_under_it_and_says_so() -> None:
    [standing] = standings(
        [CAPS],
        [
            pdus("12", kinds=["self-study"]),
            pdus("12", "2026-03-01", kinds=["self-study"]),
            pdus("12", "2026-04-01", kinds=["self-study"]),
        ],
    )
    outcomes = [(use.outcome, use.counted) for use in standing.uses]
    assert outcomes == [(COUNTED, 12), (COUNTED, 12), (CAPPED, 1)]
    assert standing.uses[2].reason.startswith(
        "1 of the 12 PDU count: the cap of 25 PDU of Self-study is reached"
    )
    assert standing.earned == 25


def test_a_minimum_not_met_is_still_to_earn_even_when_the_total_is_reached() -> None:
    [standing] = standings(
        [CAPS], [pdus("12"), pdus("12"), pdus("12"), pdus("12"), pdus("12"), pdus("6", kinds=["ethics"])]
    )
    assert standing.earned == 66 and standing.remaining == 2 and not standing.met
    assert standing.missing() == ("at least 2 PDU of Ethics (6 of 8 so far)",)
    [ethics] = [c for c in standing.categories if c.kind == "ethics"]
    assert (ethics.counted, ethics.to_earn) == (6, 2)


def test_the_activity_that_meets_a_minimum_says_so() -> None:
    [standing] = standings([CAPS], [pdus("5", kinds=["ethics"]), pdus("4", "2026-03-01", kinds=["ethics"])])
    assert "the Ethics minimum of 8 is met" in standing.uses[1].reason


def test_one_activity_counts_at_most_the_per_activity_limit() -> None:
    [standing] = standings([CAPS], [pdus("20")])
    assert (standing.uses[0].outcome, standing.uses[0].counted) == (CAPPED, 12)
    assert "at most 12 PDU count for one activity" in standing.uses[0].reason


def test_an_activity_counts_only_inside_the_cycle() -> None:
    [standing] = standings(
        [CAPS], [pdus("5", "2025-12-31"), pdus("5", "2028-12-31"), pdus("5", "2029-01-01")]
    )
    assert [use.outcome for use in standing.uses] == [NOT_COUNTED, COUNTED, NOT_COUNTED]
    assert "before this cycle began on 2026-01-01" in standing.uses[0].reason
    assert "after this cycle ended on 2028-12-31" in standing.uses[2].reason


def test_the_same_course_again_in_the_cycle_does_not_count() -> None:
    [standing] = standings(
        [CAPS], [pdus("3", course_number="X1"), pdus("3", "2026-05-01", course_number="x1")]
    )
    assert [use.outcome for use in standing.uses] == [COUNTED, NOT_COUNTED]
    assert "the same course counts once in a cycle" in standing.uses[1].reason


def test_one_record_counts_toward_every_credential_under_each_rule() -> None:
    carry = {"name": "PE", "requirement": "zz-carry", "cycle_start": "2026-01-01"}
    caps, pe = standings([CAPS, carry], [{"title": "Seminar", "completed_on": "2026-02-01", "minutes": "90"}])
    assert caps.uses[0].counted == Fraction(3, 2)  # PMI: one PDU an hour, in quarter steps
    assert pe.uses[0].counted == Fraction(5, 3)  # NC: one PDH an hour, to the nearest third (halves up)
    assert caps.requirement.unit == "PDU" and pe.requirement.unit == "PDH"


def test_an_activity_claimed_for_one_credential_does_not_count_for_another() -> None:
    carry = {"name": "PE", "requirement": "zz-carry", "cycle_start": "2026-01-01"}
    caps, pe = standings([CAPS, carry], [pdus("3", credentials=["PE"])])
    assert caps.uses[0].outcome == NOT_COUNTED and "claimed for PE only" in caps.uses[0].reason
    assert pe.uses[0].outcome == NOT_COUNTED and "add the activity's length" in pe.uses[0].reason


def test_what_the_previous_cycle_earned_beyond_the_requirement_carries_over_up_to_the_limit() -> None:
    carry = {"name": "PE", "requirement": "zz-carry", "cycle_start": "2026-01-01"}
    hours = [{"title": f"day {n}", "completed_on": f"2025-0{n}-01", "minutes": "600"} for n in range(1, 5)]
    [pe] = standings([carry], hours)  # 40 PDH in 2025: 25 beyond 15, at most 15 carried
    assert (pe.carried, pe.earned, pe.remaining, pe.status) == (15, 15, 0, "requirement met")


def test_record_keeping_dates_follow_the_source() -> None:
    carry = {"name": "PE", "requirement": "zz-carry", "cycle_start": "2026-01-01"}
    caps, pe = standings([CAPS, carry], [{"title": "Seminar", "completed_on": "2026-02-01", "minutes": "60"}])
    assert caps.uses[0].keep_until == dt.date(2030, 6, 30)  # 18 months after the cycle ends
    assert pe.uses[0].keep_until == dt.date(2029, 2, 1)  # 36 months after completion


def test_no_length_or_credit_is_not_counted_and_says_what_is_missing() -> None:
    [standing] = standings([CAPS], [{"title": "Reading", "completed_on": "2026-02-01"}])
    assert standing.uses[0].reason == "no length, certificate credit or university credit given"


def test_status_words_name_the_cycle_end() -> None:
    [standing] = standings([CAPS], [pdus("10")], as_of="2030-01-01")
    assert standing.status == "cycle ended 2028-12-31, 50 PDU short"


# --------------------------------------------------------------------------- today's ACE tracker


ACE_RECORD = st.one_of(
    st.fixed_dictionaries(
        {
            "kind": st.just("course"),
            "course_number": st.sampled_from(["CEP123456", "CA23456", "CP12345"]),
            "cecs": st.sampled_from(["0.1", "0.5", "1.2", "2.0"]),
        }
    ),
    st.fixed_dictionaries({"kind": st.sampled_from(["cpr", "aed", "first-aid"])}),
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["semester-hours", "quarter-hours"]),
            "cecs": st.sampled_from(["1", "2.5"]),
            "grade": st.sampled_from(["A", "C", "D", "F"]),
        }
    ),
).flatmap(
    lambda row: st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)).map(
        lambda day: {**row, "completed_on": day.isoformat()}
    )
)


@settings(max_examples=60, deadline=None)
@given(
    starts=st.lists(st.dates(dt.date(2024, 1, 1), dt.date(2026, 6, 30)), min_size=1, max_size=3),
    records=st.lists(ACE_RECORD, max_size=12),
)
def test_todays_ace_tracker_migrates_with_the_same_figures(
    starts: list[dt.date], records: list[dict[str, str]]
) -> None:
    old = {
        "certifications": [
            {"name": f"Cert {n}", "period_start": day.isoformat()} for n, day in enumerate(starts)
        ],
        "records": records,
    }
    certs, rows = parse_tracker_json(json.dumps(old))
    before = track(certs, rows, dt.date(2026, 12, 1))
    after = count(
        parse_tracker(json.dumps(old), TABLES.requirements), dt.date(2026, 12, 1), TABLES.kinds, TABLES.units
    )
    assert [(c.name, Fraction(c.earned), Fraction(c.remaining)) for c in before.certifications] == [
        (s.credential.name, s.earned, s.remaining) for s in after
    ]


def test_migration_keeps_every_record() -> None:
    old = {
        "certifications": [{"name": "Personal Trainer", "period_start": "2025-01-01"}],
        "records": [
            {"kind": "course", "course_number": "CEP123456", "completed_on": "2025-03-15", "cecs": "1.2"},
            {"kind": "semester-hours", "completed_on": "2025-05-01", "hours": "3", "grade": "B"},
            {"kind": "aed", "completed_on": "2025-06-01"},
        ],
    }
    new = migrated(old)
    assert new["credentials"] == [
        {"name": "Personal Trainer", "requirement": "ace-certifications", "cycle_start": "2025-01-01"}
    ]
    assert new["activities"] == [
        {
            "completed_on": "2025-03-15",
            "course_number": "CEP123456",
            "title": "CEP123456",
            "credit": "1.2",
            "credit_unit": "ace-cec",
        },
        {
            "completed_on": "2025-05-01",
            "title": "University semester hours",
            "semester_credits": "3",
            "grade": "B",
        },
        {"completed_on": "2025-06-01", "title": "AED", "kinds": ["aed"]},
    ]


def test_ceu_tracker_reads_todays_ace_file(tmp_path: Path) -> None:
    path = tmp_path / "recertification.json"
    old = {
        "certifications": [{"name": "Personal Trainer", "period_start": "2025-01-01"}],
        "records": [
            {"kind": "course", "course_number": "CEP123456", "completed_on": "2025-03-15", "cecs": "1.2"}
        ],
    }
    path.write_text(json.dumps(old), encoding="utf-8")
    done = ceu("tracker", str(path), "--as-of", "2026-01-01")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "Personal Trainer (American Council on Exercise: ACE certifications), cycle 2025-01-01 to 2026-12-31: 1.2 of 2.0 CEC"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1}', 'not a tracker file: expected "format": "openceu-tracker"'),
        ("[1, 2]", "expected an object"),
        ('{"format": "openceu-tracker", "version": 9}', "version 9 of the tracker file is not known here"),
        (
            '{"format": "openceu-tracker", "version": 2, "credentials": [{"name": "X", "requirement": "nope", "cycle_start": "2026-01-01"}]}',
            "credential 1: 'nope' is not a known requirement",
        ),
        (
            '{"format": "openceu-tracker", "version": 2, "credentials": [{"name": "X", "requirement": "ace-certifications", "cycle_start": "2026-02-30"}]}',
            "'2026-02-30' is not a date that exists",
        ),
        (
            '{"format": "openceu-tracker", "version": 2, "activities": [{"completed_on": "2026-01-01", "minutes": "-5"}]}',
            "activity 1: minutes:",
        ),
        (
            '{"format": "openceu-tracker", "version": 2, "activities": [{"completed_on": "2026-01-01", "files": [{"name": "a", "size": 1, "sha256": "xyz"}]}]}',
            "sha256 must be 64 hexadecimal digits",
        ),
    ],
)
def test_a_file_that_is_not_a_tracker_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(CreditInputError) as raised:
        parse_tracker(text, TABLES.requirements)
    assert message in str(raised.value)


def test_ceu_tracker_refuses_a_foreign_file_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    done = ceu("tracker", str(path), "--as-of", "2026-01-01")
    assert done.returncode == 2 and f"{path}: tracker: not a tracker file" in done.stderr and not done.stdout


# --------------------------------------------------------------------------- invariants

ACTIVITY = st.fixed_dictionaries(
    {
        "title": st.text(max_size=20),
        "completed_on": st.dates(dt.date(2025, 6, 1), dt.date(2029, 6, 1)).map(dt.date.isoformat),
        "credit": st.sampled_from(["0.25", "1", "5", "12", "30"]),
        "credit_unit": st.just("pmi-pmp-pdu"),
        "kinds": st.lists(st.sampled_from(["ethics", "self-study", "live", "cpr"]), max_size=3, unique=True),
    }
)


@settings(max_examples=80, deadline=None)
@given(activities=st.lists(ACTIVITY, max_size=15))
def test_the_figures_hold_their_rule_whatever_the_records(activities: list[dict[str, object]]) -> None:
    [standing] = standings([CAPS], activities)
    caps = {cap.kind: cap.amount for cap in standing.requirement.caps()}
    for category in standing.categories:
        if category.kind in caps:
            assert category.counted <= caps[category.kind]
    assert standing.earned == sum((use.counted for use in standing.uses), Fraction(0))
    assert all(0 <= use.counted <= (use.figure or 0) for use in standing.uses)
    assert standing.remaining >= max(Fraction(60) - standing.earned, Fraction(0))
    assert standing.met == (standing.remaining == 0)


@settings(max_examples=50, deadline=None)
@given(activities=st.lists(ACTIVITY, max_size=10), extra=ACTIVITY)
def test_another_record_never_lowers_what_is_earned(
    activities: list[dict[str, object]], extra: dict[str, object]
) -> None:
    [before] = standings([CAPS], activities)
    [after] = standings([CAPS], [*activities, extra])
    assert after.earned >= before.earned


def test_a_course_claimed_for_another_credential_does_not_block_a_retake() -> None:
    carry = {"name": "PE", "requirement": "zz-carry", "cycle_start": "2026-01-01"}
    first = {
        "title": "Course",
        "completed_on": "2026-02-01",
        "minutes": "60",
        "course_number": "K9",
        "credentials": ["Caps"],
    }
    again = {"title": "Course", "completed_on": "2026-03-01", "minutes": "60", "course_number": "K9"}
    _, pe = standings([CAPS, carry], [first, again])
    assert [use.outcome for use in pe.uses] == [NOT_COUNTED, COUNTED]
    assert pe.uses[0].keep_until is None and pe.uses[1].keep_until == dt.date(2029, 3, 1)
