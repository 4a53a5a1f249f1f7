"""The recertification tracker's page model and worker session in CPython (the same modules run
in the browser's worker): credentials and activities added from the forms, today's ACE-only
state migrated with the same figures, imports refused unchanged, files named by SHA-256."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.recert import parse_tracker_json, track
from calc.requirement_table import read_tables
from calculator_pages import tracker_page
from calculator_pages.tracker_session import TrackerSession
from tests.browser.browser_support import DATA_DIR

TODAY = dt.date(2026, 12, 4)
TABLES = read_tables(
    *(
        (DATA_DIR / name).read_text(encoding="utf-8")
        for name in ("credit_systems.csv", "vocabularies.csv", "requirements.csv")
    )
)
SHA = "ab" * 32
#: Today's ACE-only tracker (what the earlier page stored under openceu.recert).
ACE_ONLY = {
    "certifications": [
        {"name": "Personal Trainer", "period_start": "2025-01-01"},
        {"name": "Group Fitness", "period_start": "2025-06-01"},
    ],
    "records": [
        {"kind": "course", "course_number": "CEP123456", "completed_on": "2025-03-15", "cecs": "1.2"},
        {"kind": "cpr", "completed_on": "2025-04-01"},
        {"kind": "cpr", "completed_on": "2025-08-01"},
        {"kind": "semester-hours", "completed_on": "2025-09-01", "cecs": "1", "grade": "D"},
        {"kind": "course", "course_number": "CEP123456", "completed_on": "2025-10-15", "cecs": "1.2"},
        {"kind": "quarter-hours", "completed_on": "2025-11-01", "cecs": "0.5"},
    ],
}


def session(stored: str | None = None) -> TrackerSession:
    s = TrackerSession(TABLES, lambda: TODAY)
    s.handle({"type": "load", "stored": stored})
    return s


def state_of(answer: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(answer["stored"])
    return data


def figure(outcome: dict[str, Any], key: str) -> Decimal:
    """A figure the page shows, by its key (exact: 1.8 and 1.80 are the same figure)."""
    found = re.search(f'data-key="{key}" data-value="([^"]*)"', outcome["figures"])
    assert found, key
    return Decimal(found.group(1))


def add_two(s: TrackerSession) -> None:
    for name, start in (("Personal Trainer", "2025-01-01"), ("Group Fitness", "2025-06-01")):
        answer = s.handle(
            {
                "type": "add-credential",
                "values": {
                    "requirement": "ace-certifications",
                    "credential_name": name,
                    "cycle_start": start,
                },
            }
        )
        assert answer["said"] == f"Added {name}.", answer


def test_credentials_and_activities_are_added_and_counted_for_each_credential() -> None:
    s = session()
    add_two(s)
    course = {"title": "Kettlebells", "completed_on": "2025-07-01", "credit": "0.5", "credit_unit": "ace-cec"}
    files = [{"name": "c.pdf", "type": "application/pdf", "size": 9, "sha256": SHA}]
    answer = s.handle(
        {
            "type": "add-activity",
            "values": course,
            "kinds": ["live"],
            "credentials": ["Personal Trainer", "Group Fitness"],
            "files": files,
        }
    )
    assert answer["said"] == "Activity added." and answer["files"] == [SHA]
    # Ticking every credential keeps none named: the activity counts for one added later too.
    assert "credentials" not in state_of(answer)["activities"][0]
    hours = {"title": "Workshop", "completed_on": "2025-02-01", "length": "3", "length_unit": "hours"}
    only = s.handle({"type": "add-activity", "values": hours, "credentials": ["Personal Trainer"]})
    assert state_of(only)["activities"][1] == {
        "title": "Workshop",
        "completed_on": "2025-02-01",
        "minutes": "180",
        "credentials": ["Personal Trainer"],
    }
    outcome = s.handle({"type": "compute", "values": {"as_of": "2026-01-01"}})
    assert 'data-key="earned-1" data-value="0.8"' in outcome["figures"]  # 0.5 + 3 hours at 0.1 CEC
    assert 'data-key="earned-2" data-value="0.5"' in outcome["figures"]
    assert "claimed for Personal Trainer only" in outcome["tables"]
    assert outcome["summary"].startswith("Personal Trainer: 0.8 of 2.0 CEC, 1.2 CEC to earn by 2026-12-31")


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"requirement": "", "cycle_start": "2025-01-01"}, "requirement", "choose the credential"),
        ({"requirement": "nobody", "cycle_start": "2025-01-01"}, "requirement", "choose the credential"),
        ({"requirement": "ace-certifications", "cycle_start": ""}, "cycle_start", "first day"),
        ({"requirement": "ace-certifications", "cycle_start": "2025-02-30"}, "cycle_start", "not a date"),
        (
            {
                "requirement": "ace-certifications",
                "credential_name": "Personal Trainer",
                "cycle_start": "2025-01-01",
            },
            "credential_name",
            "already tracked",
        ),
    ],
)
def test_a_wrong_credential_names_its_field_and_changes_nothing(
    values: dict[str, str], field: str, words: str
) -> None:
    s = session()
    add_two(s)
    before = s.state
    answer = s.handle({"type": "add-credential", "values": values})
    assert answer["field"] == field and words in answer["error"] and "stored" not in answer
    assert s.state == before


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"title": "x"}, "completed_on", "the day the activity was completed"),
        ({"completed_on": "2025-13-01", "length": "60"}, "completed_on", "not a date"),
        ({"completed_on": "2025-03-01"}, "length", "enter the length"),
        ({"completed_on": "2025-03-01", "length": "abc"}, "length", "not a number"),
        ({"completed_on": "2025-03-01", "length": "-5"}, "length", "more than 0"),
        ({"completed_on": "2025-03-01", "credit": "1"}, "credit_unit", "choose the unit"),
        (
            {"completed_on": "2025-03-01", "started_on": "2025-04-01", "length": "60"},
            "started_on",
            "after the day",
        ),
        (
            {"completed_on": "2025-03-01", "semester_credits": "1", "grade": "Z"},
            "grade",
            "not a letter grade",
        ),
    ],
)
def test_a_wrong_activity_names_its_field_and_changes_nothing(
    values: dict[str, str], field: str, words: str
) -> None:
    s = session()
    add_two(s)
    before = s.state
    answer = s.handle({"type": "add-activity", "values": values, "credentials": ["Personal Trainer"]})
    assert answer["field"] == field and words in answer["error"], answer
    assert "stored" not in answer and s.state == before


def test_an_activity_for_no_credential_is_refused() -> None:
    s = session()
    add_two(s)
    answer = s.handle(
        {"type": "add-activity", "values": {"completed_on": "2025-03-01", "length": "60"}, "credentials": []}
    )
    assert answer["field"] == "credentials_for"


def test_todays_ace_only_state_is_migrated_on_load_with_the_same_figures() -> None:
    s = TrackerSession(TABLES, lambda: TODAY)
    old = json.dumps(ACE_ONLY)
    answer = s.handle({"type": "load", "stored": old})
    assert answer["migrated"] is True and state_of(answer)["format"] == "openceu-tracker"
    assert [e["text"].split(" (")[0] for e in answer["lists"]["credentials"]] == [
        "Personal Trainer",
        "Group Fitness",
    ]
    outcome = s.handle({"type": "compute", "values": {"as_of": "2026-01-01"}})
    certs, records = parse_tracker_json(old)
    before = track(certs, records, dt.date(2026, 1, 1))
    for number, cert in enumerate(before.certifications, start=1):
        assert figure(outcome, f"earned-{number}") == cert.earned
        assert figure(outcome, f"remaining-{number}") == cert.remaining
    # The migrated text loads as it is: no second migration.
    again = session(answer["stored"])
    assert again.state == s.state
    assert "migrated" not in again.handle({"type": "load", "stored": answer["stored"]})


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        (
            "invoice.json",
            '{"id": 3}',
            'not a tracker file (what Export saves: "format": "openceu-tracker"); this one holds "id"',
        ),
        ("cut.json", '{"format": "openceu-tracker", "ver', "not a tracker file: not valid JSON"),
        (
            "future.json",
            '{"format": "openceu-tracker", "version": 9}',
            "version 9 of the tracker file is not known",
        ),
        ("empty.json", "   ", "the file is empty"),
        ("binary.json", "\x00\x01", "it is not text"),
        ("other.csv", "a,b\n1,2\n", "not a records file"),
        (
            "unknown.json",
            '{"format": "openceu-tracker", "version": 2, "credentials": [{"name": "A", "requirement": "nobody", "cycle_start": "2025-01-01"}], "activities": []}',
            "'nobody' is not a known requirement",
        ),
    ],
)
def test_a_foreign_or_broken_file_is_refused_and_changes_nothing(name: str, text: str, words: str) -> None:
    s = session()
    add_two(s)
    before = s.state
    for kind in ("check-import", "import"):
        answer = s.handle({"type": kind, "name": name, "text": text, "size": len(text)})
        assert words in answer["error"] and answer["error"].endswith("Nothing was changed."), answer["error"]
        assert "stored" not in answer and s.state == before
    too_big = s.handle({"type": "import", "name": "big.json", "size": tracker_page.MAX_FILE_BYTES + 1})
    assert "a tracker file is at most 2,000 KB" in too_big["error"] and s.state == before


def test_an_export_imports_back_the_same_and_asks_before_replacing() -> None:
    s = session()
    add_two(s)
    s.handle(
        {
            "type": "add-activity",
            "values": {"completed_on": "2025-07-01", "length": "90", "length_unit": "minutes"},
            "credentials": ["Group Fitness", "Personal Trainer"],
        }
    )
    exported = s.handle({"type": "export"})["file"]
    assert exported["name"] == "openceu-tracker.json"
    fresh = session()
    assert (
        fresh.handle({"type": "check-import", "name": "t.json", "text": exported["text"], "size": 9})[
            "question"
        ]
        == ""
    )
    fresh.handle({"type": "import", "name": "t.json", "text": exported["text"], "size": 9})
    assert fresh.state == s.state
    other = session()
    add_two(other)
    asked = other.handle({"type": "check-import", "name": "t.json", "text": json.dumps(ACE_ONLY), "size": 9})
    assert asked["question"] == (
        "Replace the 2 credentials kept in this browser with what t.json holds: 2 credentials and 6 activities?"
    )


def test_a_records_csv_replaces_the_activities_and_keeps_the_credentials() -> None:
    s = session()
    add_two(s)
    text = "kind,course_number,completed_on,cecs,grade\ncourse,CEP123456,2025-03-15,1.2,\ncpr,,2025-04-01,,\n"
    answer = s.handle({"type": "import", "name": "r.csv", "text": text, "size": len(text)})
    assert answer["said"] == "Imported r.csv: 2 activities."
    assert [c["name"] for c in s.state["credentials"]] == ["Personal Trainer", "Group Fitness"]
    assert s.state["activities"][0] == {
        "completed_on": "2025-03-15",
        "course_number": "CEP123456",
        "title": "CEP123456",
        "credit": "1.2",
        "credit_unit": "ace-cec",
    }


def test_removing_an_activity_lets_the_page_drop_files_no_other_activity_names() -> None:
    s = session()
    add_two(s)
    files = [{"name": "c.pdf", "type": "application/pdf", "size": 9, "sha256": SHA}]
    for title in ("one", "two"):
        s.handle(
            {
                "type": "add-activity",
                "values": {"title": title, "completed_on": "2025-07-01", "length": "60"},
                "credentials": ["Group Fitness"],
                "files": files,
            }
        )
    first = s.handle({"type": "remove", "list": "activities", "index": 0})
    assert first["files"] == [SHA] and first["said"].startswith("Removed the activity 2025-07-01: one")
    second = s.handle({"type": "remove", "list": "activities", "index": 0})
    assert second["files"] == []
    cleared = s.handle({"type": "clear"})
    assert state_of(cleared) == tracker_page.empty()


def test_each_credential_says_its_requirement_its_source_and_what_its_source_does_not_state() -> None:
    s = session()
    add_two(s)
    tables = s.handle({"type": "compute", "values": {"as_of": "2026-01-01"}})["tables"]
    assert "the most one activity can count: not stated" in tables
    assert 'href="https://www.acefitness.org/' in tables and 'rel="nofollow noopener noreferrer"' in tables
    assert "Still missing: 2 CEC in all by 2026-12-31." in tables or "Still missing: 2.0 CEC" in tables


def test_stored_text_that_cannot_be_read_is_said_and_left_alone() -> None:
    s = TrackerSession(TABLES, lambda: TODAY)
    answer = s.handle({"type": "load", "stored": "{not json"})
    assert answer["error"].startswith("The records kept in this browser could not be read")
    assert "stored" not in answer and s.state == tracker_page.empty()


FIELD_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e9",
            "NaN",
            "2025-02-29",
            "2025-03-01",
            "03/01/2025",
            "CEP123456",
            "ace-cec",
            "hours",
        ]
    ),
)
ACTIVITY = st.dictionaries(
    st.sampled_from([*tracker_page.TEXT_FIELDS, "length", "length_unit"]), FIELD_TEXT, max_size=8
)


@given(
    st.lists(st.tuples(FIELD_TEXT, FIELD_TEXT), max_size=3),
    st.lists(st.tuples(ACTIVITY, st.lists(st.sampled_from(["cpr", "live", "nope"]), max_size=2)), max_size=5),
    FIELD_TEXT,
)
def test_the_tracker_answers_any_sequence_of_entries(
    credentials: list[tuple[str, str]], activities: list[tuple[dict[str, str], list[str]]], as_of: str
) -> None:
    state = tracker_page.empty()
    for name, start in credentials:
        values = {"requirement": "ace-certifications", "credential_name": name, "cycle_start": start}
        state = tracker_page.add_credential(state, values, TABLES).state
    names = [c["name"] for c in state["credentials"]]
    for values, kinds in activities:
        state = tracker_page.add_activity(state, values, kinds, names, [], TABLES).state
    outcome = tracker_page.compute(state, as_of, TODAY, TABLES)
    assert outcome.ok or outcome.errors[0].field in {"requirement", "as_of"}
    # What the tracker keeps is always a file the tracker (and ceu tracker) reads back the same.
    assert tracker_page.load_text(tracker_page.state_text(state), TABLES) == tracker_page.Loaded(state)


# ---- what the learner takes away: a calendar per credential, the audit bundle


def test_each_credential_has_its_calendar_with_two_reminders() -> None:
    s = session()
    add_two(s)
    s.handle({"type": "compute", "values": {"as_of": "2026-01-01"}})
    answer = s.handle({"type": "calendar-credential", "index": 1})
    ics = answer["file"]["text"]
    assert answer["file"]["name"].endswith(".ics") and answer["file"]["type"] == "text/calendar"
    assert "DTSTART;VALUE=DATE:20270531" in ics and "TRIGGER:-P90D" in ics and "TRIGGER:-P30D" in ics
    assert "Group Fitness" in ics
    assert (
        s.handle({"type": "calendar-credential", "index": 5})["error"]
        == "that credential is no longer tracked"
    )


def test_the_audit_bundle_holds_the_files_and_imports_back_with_them() -> None:
    s = session()
    add_two(s)
    data = b"%PDF certificate bytes"
    digest = hashlib.sha256(data).hexdigest()
    files = [{"name": "c.pdf", "type": "application/pdf", "size": len(data), "sha256": digest}]
    s.handle(
        {
            "type": "add-activity",
            "values": {"completed_on": "2025-07-01", "length": "60"},
            "credentials": ["Group Fitness"],
            "files": files,
        }
    )
    made = s.handle({"type": "bundle", "files": {digest: base64.b64encode(data).decode()}})
    blob = base64.b64decode(made["bundle"]["data"])
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        sums = dict(
            reversed(line.split("  ", 1)) for line in archive.read("SHA256SUMS").decode().splitlines()
        )
        for member, expected in sums.items():
            assert hashlib.sha256(archive.read(member)).hexdigest() == expected
    assert any(name.startswith("files/") and sums[name] == digest for name in sums)
    fresh = session()
    encoded = made["bundle"]["data"]
    check = fresh.handle({"type": "check-import", "name": "b.zip", "size": len(blob), "data": encoded})
    assert check["error"] == "" and check["question"] == ""
    imported = fresh.handle({"type": "import", "name": "b.zip", "size": len(blob), "data": encoded})
    assert imported["restore"] == {
        digest: {
            "name": "c.pdf",
            "type": "application/pdf",
            "size": len(data),
            "data": base64.b64encode(data).decode(),
        }
    }
    assert fresh.state == s.state and imported["said"].startswith(
        "Imported b.zip: 1 activity and 1 certificate file"
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (base64.b64encode(b"not a zip").decode(), "not an audit bundle: the file is not a zip archive"),
        ("***", "Nothing was changed"),
    ],
)
def test_a_bundle_that_is_not_one_is_refused_and_changes_nothing(data: str, words: str) -> None:
    s = session()
    add_two(s)
    before = s.state
    answer = s.handle({"type": "import", "name": "x.zip", "size": 9, "data": data})
    assert words in answer["error"] and answer["error"].endswith("Nothing was changed.")
    assert "stored" not in answer and "restore" not in answer and s.state == before
