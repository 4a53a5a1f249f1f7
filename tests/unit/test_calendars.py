"""Calendar files: RFC 5545 text the engine writes, read back with the `icalendar` package.

The CLI runs as a subprocess; its `.ics` must hold one all-day event per date its
`--json` answer gives, with UIDs that stay put when a recomputed file is imported again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar.parser.property import unescape_backslash

from calc.accreditation import accreditation_cycle
from calc.ics import LINE_OCTETS, CalendarEvent, calendar_text, event_uid, fold
from tests.unit.test_cli import CEU

STAMP = dt.datetime(2026, 12, 3, 23, 37, tzinfo=dt.UTC)
PROGRAM = [
    "--first-offering", "2026-09-14", "--last-day", "2026-09-16", "--submitted", "2026-09-04",
    "--applied", "2026-09-18", "--holiday", "2026-09-07",
    "--session", "2026-09-01", "--session", "2026-10-01", "--session", "2027-02-01",
]  # fmt: skip


def run(*args: str, epoch: str = "1796428800") -> subprocess.CompletedProcess[str]:
    assert CEU, "the `ceu` console script is not installed in this environment"
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    return subprocess.run([CEU, *args], capture_output=True, text=True, check=False, env=env)


def events_in(path: Path) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] == "-//OpenCEU//ceu//EN"
    return list(calendar.walk("VEVENT"))


def calendar_name(calendar: Any) -> str:
    """X-WR-CALNAME is TEXT by convention; icalendar leaves unknown properties escaped."""
    return str(unescape_backslash(str(calendar["X-WR-CALNAME"])))


def all_day(event: Any) -> dt.date:
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert type(start) is dt.date and end == start + dt.timedelta(days=1), "one whole day"
    return start


# --------------------------------------------------------------------------- the text itself


def test_a_calendar_is_crlf_text_with_the_required_properties() -> None:
    text = calendar_text(
        [CalendarEvent(dt.date(2026, 2, 28), "k", "Due", "Rule: x.")], scope="s", name="n", stamp=STAMP
    )
    assert text.endswith("END:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    assert "DTSTAMP:20261203T233700Z\r\n" in text
    assert "DTSTART;VALUE=DATE:20260228\r\nDTEND;VALUE=DATE:20260301\r\n" in text
    assert f"UID:{event_uid('s', 'k')}\r\n" in text


def test_a_stamp_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        calendar_text([], scope="s", name="n", stamp=dt.datetime(2026, 1, 1))


@given(st.text(max_size=400))
def test_folded_lines_fit_in_75_octets_and_unfold_to_the_original(line: str) -> None:
    folded = fold(line)
    pieces = folded.split("\r\n ")
    assert all(len(piece.encode()) <= LINE_OCTETS - (index > 0) for index, piece in enumerate(pieces))
    assert "".join(pieces) == line, "no character split or lost"


@given(st.text(max_size=200), st.text(max_size=200))
def test_any_title_and_text_read_back_as_written(summary: str, description: str) -> None:
    event = CalendarEvent(dt.date(2026, 1, 1), "key", summary, description)
    parsed = icalendar.Calendar.from_ical(calendar_text([event], scope="s", name=summary, stamp=STAMP))
    (read,) = parsed.walk("VEVENT")

    def kept(text: str) -> str:  # new lines are kept, other control characters dropped, tabs become spaces
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        return "".join(c for c in text if c == "\n" or not (ord(c) < 32 or ord(c) == 127))

    assert str(read["SUMMARY"]) == kept(summary)
    assert str(read["DESCRIPTION"]) == kept(description)
    assert calendar_name(parsed) == kept(summary)


def test_hostile_text_cannot_add_properties_or_events() -> None:
    hostile = "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil;\\,\x00\x1b"
    text = calendar_text(
        [CalendarEvent(dt.date(2026, 1, 1), "k", hostile, hostile)], scope="s", name=hostile, stamp=STAMP
    )
    assert text.count("\r\nBEGIN:VEVENT\r\n") == 1 and "\x00" not in text and "\x1b" not in text
    (read,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(read["SUMMARY"]) == "x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil;\\,"


# --------------------------------------------------------------------------- ceu deadlines --ics


def test_the_deadline_calendar_has_one_event_per_date_the_cli_computes(tmp_path: Path) -> None:
    answer = json.loads(run("deadlines", *PROGRAM, "--json").stdout)
    done = run("deadlines", *PROGRAM, "--ics", str(tmp_path / "p.ics"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(f"calendar: 7 events written to {tmp_path / 'p.ics'}\n")
    events = events_in(tmp_path / "p.ics")
    plan = answer["plan"]
    expected = {d["name"].capitalize(): d["date"] for d in plan["deadlines"]} | {
        "Credit expected from": plan["credit_expected_from"],
        "Credit expected by": plan["credit_expected_by"],
        "Year-long program: August-December 2026 batch due": "2026-12-31",
        "Year-long program: January-June 2027 batch due": "2027-06-30",
    }
    got = {str(e["SUMMARY"]): all_day(e).isoformat() for e in events}
    assert got == expected
    assert [all_day(e) for e in events] == sorted(all_day(e) for e in events)
    rules = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in events}
    assert rules["Approval request due"] == "Rule: at least 14 calendar days before the first offering."
    assert "2026-09-01, 2026-10-01" in rules["Year-long program: August-December 2026 batch due"]
    assert {str(e["UID"]) for e in events} == {
        event_uid("program:2026-09-14", key)
        for key in (
            "approval-request-due", "review-done-by", "participants-apply-by", "credit-expected-from",
            "credit-expected-by", "batch-august-december-2026", "batch-january-june-2027",
        )
    }  # fmt: skip


def test_a_recomputed_calendar_moves_the_same_events(tmp_path: Path) -> None:
    """Same program, a later submission: re-importing updates events, never duplicates them."""
    run("deadlines", *PROGRAM, "--ics", str(tmp_path / "a.ics"))
    later = [*PROGRAM, "--submitted", "2026-09-08"]  # argparse keeps the last
    run("deadlines", *later, "--ics", str(tmp_path / "b.ics"))
    before = {str(e["UID"]): all_day(e) for e in events_in(tmp_path / "a.ics")}
    after = {str(e["UID"]): all_day(e) for e in events_in(tmp_path / "b.ics")}
    assert before.keys() == after.keys()
    review = event_uid("program:2026-09-14", "review-done-by")
    assert (before[review], after[review]) == (dt.date(2026, 9, 10), dt.date(2026, 9, 11))


def test_a_titled_program_keeps_its_events_when_it_is_rescheduled(tmp_path: Path) -> None:
    title = ["--title", "Forklift safety, spring; group A"]
    run("deadlines", "--first-offering", "2027-03-01", *title, "--ics", str(tmp_path / "a.ics"))
    run("deadlines", "--first-offering", "2027-03-15", *title, "--ics", str(tmp_path / "b.ics"))
    first, second = events_in(tmp_path / "a.ics"), events_in(tmp_path / "b.ics")
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in second]
    assert [all_day(e) for e in second] == [dt.date(2027, 3, 1), dt.date(2027, 4, 14)]
    calendar = icalendar.Calendar.from_ical((tmp_path / "a.ics").read_bytes())
    assert calendar_name(calendar) == "Forklift safety, spring; group A: CEU deadlines"


def test_the_same_input_and_source_date_epoch_give_the_same_bytes(tmp_path: Path) -> None:
    run("deadlines", *PROGRAM, "--ics", str(tmp_path / "a.ics"))
    run("deadlines", *PROGRAM, "--ics", str(tmp_path / "b.ics"))
    assert (tmp_path / "a.ics").read_bytes() == (tmp_path / "b.ics").read_bytes()
    assert b"DTSTAMP:20261205T000000Z\r\n" in (tmp_path / "a.ics").read_bytes()


def test_ics_dash_prints_the_calendar_alone() -> None:
    assert CEU
    args = [CEU, "deadlines", "--first-offering", "2027-03-01", "--ics", "-"]
    done = subprocess.run(args, capture_output=True, check=False)  # bytes: the CRLFs as written
    assert done.returncode == 0 and done.stdout.startswith(b"BEGIN:VCALENDAR\r\n")
    assert done.stdout.endswith(b"END:VCALENDAR\r\n") and b"\r\r" not in done.stdout
    assert len(icalendar.Calendar.from_ical(done.stdout).walk("VEVENT")) == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--ics", "-", "--json"], "--ics - prints the calendar; it cannot be combined with --json"),
        (["--ics", "/nonexistent-folder/p.ics"], "/nonexistent-folder/p.ics: the folder"),
    ],
)
def test_calendar_requests_that_cannot_be_met_are_refused(extra: list[str], message: str) -> None:
    done = run("deadlines", "--first-offering", "2027-03-01", *extra)
    assert done.returncode == 2 and message in done.stderr and done.stdout == ""


def test_a_failed_computation_leaves_an_existing_calendar_alone(tmp_path: Path) -> None:
    kept = tmp_path / "p.ics"
    kept.write_bytes(b"the previous calendar")
    done = run("deadlines", "--first-offering", "2027-03-01", "--last-day", "2027-02-01", "--ics", str(kept))
    assert done.returncode == 2 and kept.read_bytes() == b"the previous calendar"
    assert [p.name for p in tmp_path.iterdir()] == ["p.ics"], "no temporary file left"


def test_a_bad_source_date_epoch_is_named() -> None:
    done = run("deadlines", "--first-offering", "2027-03-01", "--ics", "-", epoch="soon")
    assert done.returncode == 2 and "SOURCE_DATE_EPOCH='soon'" in done.stderr


# --------------------------------------------------------------------------- ceu accreditation --ics


def test_the_accreditation_calendar_holds_the_whole_cycle(tmp_path: Path) -> None:
    args = ["accreditation", "--accredited-on", "2022-03-01", "--as-of", "2026-11-01"]
    done = run(*args, "--ics", str(tmp_path / "a.ics"))
    assert done.returncode == 0, done.stderr
    events = events_in(tmp_path / "a.ics")
    cycle = accreditation_cycle(dt.date(2022, 3, 1), dt.date(2026, 11, 1))
    assert [(all_day(e), str(e["SUMMARY"])) for e in events] == [
        (event.date, f"IACET: {event.what}") for event in cycle.events
    ]
    assert len(events) == 4 * 2 + 4 + 2, "four windows and anniversaries, four notices, application, expiry"
    assert [str(e["UID"]) for e in events] == [
        event_uid("iacet-accreditation:2022-03-01", event.key) for event in cycle.events
    ]
    assert len({str(e["UID"]) for e in events}) == len(events)
    expiry = next(e for e in events if all_day(e) == dt.date(2027, 3, 1))
    assert "IACET, Reaccreditation" in str(expiry["DESCRIPTION"])
    listed = json.loads(run(*args, "--json").stdout)
    assert [e["date"] for e in listed["events"]] == [all_day(e).isoformat() for e in events]


def test_next_due_is_a_deadline_not_a_window_opening() -> None:
    """'window opens for dues' names dues but asks nothing by that day: the anniversary is what is due."""
    cycle = accreditation_cycle(dt.date(2022, 3, 1), dt.date(2022, 3, 1))
    assert cycle.next_due is not None
    assert (cycle.next_due.date, cycle.next_due.key) == (dt.date(2023, 3, 1), "year-1-anniversary")
