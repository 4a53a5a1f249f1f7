"""Engine II commands run as subprocesses: the interfaces as written in the issue, and bad input."""

from __future__ import annotations

import json

import pytest

from calc.eligibility import CRITERIA
from tests.unit.test_cli_commands import ceu


def as_json(*args: str, stdin: str | None = None, status: int = 0):
    done = ceu(*args, "--json", stdin=stdin)
    assert done.returncode == status, done.stderr
    return json.loads(done.stdout)


def test_cec():
    data = as_json(
        "cec",
        "--hours",
        "12",
        "--semester-hours",
        "3",
        "--quarter-hours",
        "2",
        "--cpr",
        "--aed",
        "--first-aid",
        "--grade",
        "B",
    )
    assert data["cecs"] == "6.4"


def test_course_number_exit_codes():
    """A valid question: 0 for yes, 1 for no (with the reason); 2 is kept for bad usage."""
    assert ceu("course-number", "CEP123456").returncode == 0
    bad = ceu("course-number", "CEP12")
    assert bad.returncode == 1
    assert "followed by 5 or 6 digits, e.g. CEP123456" in bad.stdout
    assert bad.stderr == ""
    data = json.loads(ceu("course-number", "cep12", "--json").stdout)
    assert data == {"course_number": "cep12", "valid": False, "reason": data["reason"]}
    assert ceu("course-number").returncode == 2


TRACKER = json.dumps(
    {
        "certifications": [{"name": "Personal Trainer", "period_start": "2025-01-01"}],
        "records": [
            {"kind": "course", "course_number": "CEP123456", "completed_on": "03/15/2025", "cecs": "1.2"},
            {"kind": "cpr", "completed_on": "2025-06-01"},
            {"kind": "course", "course_number": "CEP123456", "completed_on": "2025-09-01", "cecs": "1.2"},
        ],
    }
)


def test_recert_json_and_csv(tmp_path):
    data = as_json("recert", "-", "--as-of", "2026-11-01", stdin=TRACKER)
    assert data["certifications"][0]["earned"] == "1.4"
    assert data["certifications"][0]["remaining"] == "0.6"
    assert data["records"][0]["keep_until"] == "2029-03-15"
    assert any("already counted" in w for w in data["warnings"])
    records = tmp_path / "records.csv"
    records.write_text(
        "kind,course_number,completed_on,cecs,grade\ncourse,CA23456,2025-02-01,2.0,\n", encoding="utf-8"
    )
    data = as_json(
        "recert", str(records), "--certification", "Group Fitness=2025-01-01", "--as-of", "2025-12-01"
    )
    assert data["certifications"][0]["status"] == "requirement met"


def test_eligibility(tmp_path):
    path = tmp_path / "program.json"
    path.write_text(
        json.dumps({"program_type": "committee-meeting", "criteria": {"organized-setting": True}}),
        encoding="utf-8",
    )
    assert as_json("eligibility", str(path), status=1)["status"] == "not eligible"
    path.write_text(json.dumps({"program_type": "workshop"}), encoding="utf-8")
    assert as_json("eligibility", str(path), status=1)["status"] == "missing information"
    answers = {"program_type": "workshop", "criteria": dict.fromkeys(CRITERIA, True)}
    assert as_json("eligibility", "-", stdin=json.dumps(answers))["status"] == "eligible"


def test_deadlines():
    data = as_json("deadlines", "--first-offering", "2026-09-14", "--last-day", "2026-09-16")
    dates = {d["name"]: d["date"] for d in data["plan"]["deadlines"]}
    assert dates == {"approval request due": "2026-08-31", "participants apply by": "2026-10-16"}


def test_accreditation():
    data = as_json("accreditation", "--accredited-on", "2022-03-01", "--as-of", "2026-11-01")
    assert (data["year_of_cycle"], data["expires_on"], data["next_due"]["date"]) == (
        5,
        "2027-03-01",
        "2026-12-01",
    )


def test_annual_report(tmp_path):
    path = tmp_path / "attendance.csv"
    path.write_text(
        "learner_id,event_id,date,ceus_awarded\na,e1,2026-01-10,0.5\nb,e1,2026-01-10,0.5\na,e2,2025-01-10,1\n",
        encoding="utf-8",
    )
    data = as_json("annual-report", str(path), "--as-of", "2026-06-30")
    assert (data["events"], data["participants"], data["learners_awarded"], data["total_ceus"]) == (
        1,
        2,
        2,
        "1.0",
    )


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["deadlines", "--first-offering", "2026-02-30"],
            None,
            "--first-offering: '2026-02-30' is not a date that exists",
        ),
        (
            ["accreditation", "--accredited-on", "2022-03-01", "--as-of", "01.11.2026"],
            None,
            "--as-of: '01.11.2026' is not a date in the form YYYY-MM-DD",
        ),
        (
            ["annual-report", "-", "--as-of", "2026-06-30"],
            "learner_id,event_id,date,ceus_awarded\na,e,2026-01-01,x\nb,e,2026-13-01,1\n",
            "2 bad line(s): 2, 3",
        ),
        (
            ["annual-report", "-", "--as-of", "2026-06-30"],
            "who,what\n",
            "expected the header learner_id,event_id,date,ceus_awarded",
        ),
        (
            ["recert", "-", "--as-of", "2026-11-01"],
            '{"certifications": [{"name": "A", "period_start": "2025-01-01"}], "records": [{"kind": "course", "course_number": "XX1", "completed_on": "2025-02-01", "cecs": "1"}]}',
            "line 1: course_number",
        ),
        (["cec", "--hours", "-2"], None, "hours: cannot be negative"),
        (["cec", "--semester-hours", "3", "--grade", "Q"], None, "'Q' is not a letter grade"),
        (["eligibility", "-"], '{"program_type": "party"}', "'party' is not a known program type"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args, stdin, message):
    done = ceu(*args, stdin=stdin)
    assert done.returncode == 2, done.stdout
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
