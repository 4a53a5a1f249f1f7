"""The recertification tracker's page model: its state is the JSON ``ceu recert`` reads, its CSV
the CSV it reads, and its figures the CLI's for the same file; adding a record or a certification
that cannot be used names the form field at fault and changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from calculator_pages import recert_page
from calculator_pages.recert_page import State
from tests.conftest import REPO_ROOT

TODAY = dt.date(2026, 11, 1)
#: Two certifications whose periods overlap, and records that exercise every rule of the seed:
#: a course counted for both, a repeated course number, CPR twice in one period, university
#: credit with and without a grade, a grade below C, a record before every period.
STATE: State = {
    "certifications": [
        {"name": "Personal Trainer", "period_start": "2025-01-01"},
        {"name": "Group Fitness Instructor", "period_start": "2025-07-01"},
    ],
    "records": [
        {"kind": "course", "course_number": "CEP123456", "completed_on": "2025-03-15", "cecs": "0.8"},
        {"kind": "course", "course_number": "CEP123456", "completed_on": "2025-09-01", "cecs": "0.8"},
        {"kind": "course", "course_number": "CA23456", "completed_on": "2025-08-20", "cecs": "0.5"},
        {"kind": "cpr", "completed_on": "2025-08-01"},
        {"kind": "cpr", "completed_on": "2026-02-01"},
        {"kind": "aed", "completed_on": "2026-02-01"},
        {"kind": "semester-hours", "completed_on": "2025-12-15", "cecs": "1", "grade": "B"},
        {"kind": "quarter-hours", "completed_on": "2026-03-20", "cecs": "1"},
        {"kind": "semester-hours", "completed_on": "2026-05-10", "cecs": "2", "grade": "D"},
        {"kind": "course", "course_number": "CS12345", "completed_on": "2024-10-01", "cecs": "0.3"},
        {"kind": "first-aid", "completed_on": "2026-06-01"},
        {"kind": "course", "course_number": "CL654321", "completed_on": "2026-09-30", "cecs": "0.25"},
    ],
}


def run_cli(path: Path, *flags: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "ceu_cli", "recert", str(path), "--as-of", str(TODAY), "--json", *flags]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def page_figures(state: State) -> list[tuple[str, str]]:
    outcome = recert_page.compute(state, str(TODAY), TODAY)
    assert outcome.ok, outcome.errors
    count = len(state["certifications"])
    return [(outcome.figure(f"earned-{n}"), outcome.figure(f"remaining-{n}")) for n in range(1, count + 1)]


def test_the_exported_json_is_read_by_the_cli_with_the_same_figures(tmp_path: Path) -> None:
    path = tmp_path / "tracker.json"
    path.write_text(recert_page.state_text(STATE), encoding="utf-8")
    cli = run_cli(path)
    assert page_figures(STATE) == [(c["earned"], c["remaining"]) for c in cli["certifications"]]
    outcome = recert_page.compute(STATE, str(TODAY), TODAY)
    records = next(t for t in outcome.tables if t.key == "records")
    assert [row[2] for row in records.rows] == [item["cecs"] for item in cli["records"]]
    warnings = next(t for t in outcome.tables if t.key == "warnings")
    assert [row[0] for row in warnings.rows] == [w.replace("line ", "record ", 1) for w in cli["warnings"]]
    assert len(outcome.steps) == len(STATE["records"])


def test_the_exported_csv_with_the_certifications_as_flags_gives_the_same_figures(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(recert_page.records_csv(STATE), encoding="utf-8")
    flags = [f"--certification={c['name']}={c['period_start']}" for c in STATE["certifications"]]
    cli = run_cli(path, *flags)
    assert page_figures(STATE) == [(c["earned"], c["remaining"]) for c in cli["certifications"]]


def test_export_then_import_gives_the_same_state() -> None:
    assert recert_page.load_json(recert_page.state_text(STATE)) == recert_page.Loaded(STATE)
    only_certs: State = {"certifications": STATE["certifications"], "records": []}
    assert recert_page.load_csv(recert_page.records_csv(STATE), only_certs) == recert_page.Loaded(STATE)


def test_a_file_written_for_the_cli_is_read_as_the_cli_reads_it() -> None:
    text = json.dumps(
        {
            "certifications": [{"name": "Health Coach", "period_start": "01/01/2025"}],
            "records": [
                {"course_number": "cep123456", "completed_on": "03/15/2025", "cecs": 1.2},
                {"kind": "Semester-Hours", "completed_on": "2025-04-01", "hours": 2, "grade": "b"},
            ],
        }
    )
    loaded = recert_page.load_json(text)
    assert not loaded.error
    assert loaded.state["certifications"] == [{"name": "Health Coach", "period_start": "2025-01-01"}]
    assert loaded.state["records"] == [
        {"kind": "course", "course_number": "CEP123456", "completed_on": "2025-03-15", "cecs": "1.2"},
        {"kind": "semester-hours", "completed_on": "2025-04-01", "cecs": "2", "grade": "B"},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"certifications": [{"name": "A", "period_start": "2025-02-30"}]}', "2025-02-30"),
        (
            '{"certifications": [], "records": [{"kind": "course", "course_number": "X1", "completed_on": "2025-01-01", "cecs": "1"}]}',
            "not an ACE course number",
        ),
        (
            '{"certifications": [{"name": "A", "period_start": "2025-01-01"}, {"name": "A", "period_start": "2025-06-01"}]}',
            "given twice",
        ),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_and_the_state_kept(text: str, message: str) -> None:
    loaded = recert_page.load_json(text)
    assert message in loaded.error and loaded.state == recert_page.empty()
    kept = recert_page.load_csv(
        "kind,course_number,completed_on,cecs,grade\ncourse,CEP1,2025-01-01,1,\n", STATE
    )
    assert "line 2" in kept.error and kept.state is STATE


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"kind": "course", "completed_on": "2025-01-01", "amount": "1"},
            "course_number",
            "enter the ACE course number",
        ),
        (
            {"kind": "course", "course_number": "CEP12", "completed_on": "2025-01-01", "amount": "1"},
            "course_number",
            "5 or 6 digits",
        ),
        ({"kind": "course", "course_number": "CEP12345", "amount": "1"}, "completed_on", "enter the day"),
        (
            {"kind": "course", "course_number": "CEP12345", "completed_on": "2025-01-01", "amount": "-1"},
            "amount",
            "negative",
        ),
        (
            {"kind": "semester-hours", "completed_on": "2025-01-01", "amount": "3", "grade": "E"},
            "grade",
            "not a letter grade",
        ),
        ({"kind": "quarter-hours", "completed_on": "2025-01-01"}, "amount", "enter the hours"),
    ],
)
def test_a_record_that_cannot_be_used_names_its_field_and_changes_nothing(
    values: dict[str, str], field: str, message: str
) -> None:
    changed = recert_page.add_record(STATE, values)
    assert changed.state is STATE and changed.field == field and message in changed.error


def test_a_record_is_added_as_the_engine_reads_it_and_a_safety_course_drops_its_amount() -> None:
    changed = recert_page.add_record(
        recert_page.empty(),
        {"kind": "course", "course_number": " cl12345 ", "completed_on": "2026-01-02", "amount": "0.4"},
    )
    assert changed.state["records"] == [
        {"kind": "course", "course_number": "CL12345", "completed_on": "2026-01-02", "cecs": "0.4"}
    ]
    cpr = recert_page.add_record(
        recert_page.empty(), {"kind": "cpr", "completed_on": "2026-01-02", "amount": "9"}
    )
    assert cpr.state["records"] == [{"kind": "cpr", "completed_on": "2026-01-02"}]


def test_certifications_are_named_once_and_start_on_a_real_day() -> None:
    assert recert_page.add_certification(STATE, "Personal Trainer", "2025-01-01").field == "cert_name"
    assert recert_page.add_certification(STATE, " ", "2025-01-01").field == "cert_name"
    assert recert_page.add_certification(STATE, "Health Coach", "2025-02-29").field == "cert_start"
    added = recert_page.add_certification(STATE, "Health Coach", "2025-02-28")
    assert added.state["certifications"][-1] == {"name": "Health Coach", "period_start": "2025-02-28"}
    assert STATE["certifications"][-1]["name"] == "Group Fitness Instructor"  # unchanged


def test_an_empty_tracker_asks_for_a_certification_and_a_bad_as_of_is_named() -> None:
    assert recert_page.compute(recert_page.empty(), "", TODAY).errors[0].field == "cert_name"
    assert recert_page.compute(STATE, "2026-02-30", TODAY).errors[0].field == "as_of"


# ---- an import that cannot lose data (issue 30): only a tracker file (or a records CSV) is
# read, anything else is refused whole with the kept state untouched, and the page asks before
# a file replaces what is kept.

REFUSED_IMPORTS = [
    (
        "invoice.json",
        '{"id": 3, "total": "40.00"}',
        'not a tracker file (what Export (JSON) saves: "certifications" and "records")',
    ),
    ("x.json", "{}", "this one is empty"),
    ("x.json", "[1, 2]", "not a tracker file"),
    (
        "package.json",
        '{"name": "a", "version": "1", "scripts": {}, "main": "x"}',
        'holds "main", "name", "scripts", …',
    ),
    ("cut.json", recert_page.state_text(STATE)[:300], "not a tracker file: not valid JSON"),
    ("x.json", '{"certifications": [], "records": 5}', 'its "records" is not a list'),
    ("contacts.csv", "name,email\nAda,ada@example.org\n", "not a records file: line 1: expected a header"),
    ("empty.json", "", "the file is empty"),
    ("blank.csv", " \n\n", "the file is empty"),
    ("nul.json", '{"records": []}\x00', "it is not text"),
    ("photo.json", "\ufffdPNG\r\n", "it is not text"),
    ("deep.json", "[" * 200 + "]" * 200, "nested far too deeply"),
]


@pytest.mark.parametrize(
    ("name", "text", "message"), REFUSED_IMPORTS, ids=[case[0] for case in REFUSED_IMPORTS]
)
def test_a_file_that_is_not_a_tracker_file_is_refused_and_the_state_kept(
    name: str, text: str, message: str
) -> None:
    loaded = recert_page.read_import(name, text, len(text.encode("utf-8")), STATE)
    assert message in loaded.error and loaded.state is STATE


def test_a_file_over_the_limit_is_refused_by_its_size_alone() -> None:
    loaded = recert_page.read_import("big.json", "", recert_page.MAX_FILE_BYTES + 1, STATE)
    assert (
        loaded.error == "the file is 1,001 KB; a tracker file is at most 1,000 KB" and loaded.state is STATE
    )


def test_a_tracker_at_its_limits_is_an_export_the_limit_takes() -> None:
    full: State = {
        "certifications": [
            {"name": f"{number:03d} " + "C" * 96, "period_start": "2025-01-01"}
            for number in range(recert_page.MAX_CERTIFICATIONS)
        ],
        "records": [
            {
                "kind": "semester-hours",
                "course_number": "CEP123456",
                "completed_on": "2025-01-01",
                "cecs": "10.25",
                "grade": "A-",
            }
        ]
        * recert_page.MAX_RECORDS,
    }
    text = recert_page.state_text(full)
    assert len(text.encode("utf-8")) < recert_page.MAX_FILE_BYTES
    assert (
        recert_page.read_import("full.json", text, len(text.encode("utf-8")), recert_page.empty()).state
        == full
    )


def test_a_tracker_file_or_records_csv_is_read_as_before() -> None:
    text = recert_page.state_text(STATE)
    assert recert_page.read_import("mine.JSON", text, len(text), recert_page.empty()) == recert_page.Loaded(
        STATE
    )
    only_certs: State = {"certifications": STATE["certifications"], "records": []}
    csv_text = recert_page.records_csv(STATE)
    assert recert_page.read_import("r.csv", csv_text, len(csv_text), only_certs) == recert_page.Loaded(STATE)


NOTHING: State = {"certifications": [], "records": []}
ONE_CERT: State = {"certifications": [{"name": "Health Coach", "period_start": "2025-07-01"}], "records": []}


@pytest.mark.parametrize(
    ("incoming", "kept", "records_only", "question"),
    [
        (STATE, NOTHING, False, ""),  # nothing kept: nothing to lose
        (STATE, STATE, False, ""),  # the same again
        (
            ONE_CERT,
            STATE,
            False,
            "Replace the 2 certifications and 12 records kept in this browser with what f holds: "
            "1 certification and no records?",
        ),
        (STATE, ONE_CERT, True, ""),  # a CSV keeps the certifications, and there are no records
        (
            {"certifications": STATE["certifications"], "records": STATE["records"][:1]},
            STATE,
            True,
            "Replace the 12 records kept in this browser with what f holds: 1 record? Your certifications stay.",
        ),
        (
            NOTHING,
            {"certifications": [], "records": STATE["records"][:1]},
            False,
            "Replace the 1 record kept in this browser with what f holds: no certifications and no records?",
        ),
    ],
)
def test_the_page_asks_before_an_import_replaces_what_is_kept(
    incoming: State, kept: State, records_only: bool, question: str
) -> None:
    assert recert_page.replacing("f", incoming, kept, records_only) == question
