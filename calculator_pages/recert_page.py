"""The ACE recertification tracker: the visitor's certifications and course records in; CECs
earned and still to earn per two-year period, how each record counted and why, and the
record-keeping dates out.

The tracker's state *is* the JSON file ``ceu recert`` reads::

    {"certifications": [{"name": ..., "period_start": "YYYY-MM-DD"}],
     "records": [{"kind": ..., "course_number": ..., "completed_on": ..., "cecs": ..., "grade": ...}]}

so the page keeps it (in the browser's storage), exports it and imports it in exactly that
format, or the records alone as the CSV ``ceu recert FILE.csv`` reads. Every figure is the
engine's (:func:`calc.recert.track`) over the state parsed as the CLI parses it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from calc.cec import SAFETY_COURSES, SOURCE
from calc.dates import parse_date
from calc.errors import ECHO_CHARS, CreditInputError
from calc.json_input import load_json as parse_json
from calc.recert import (
    KEEP_YEARS,
    CountedRecord,
    RecertReport,
    Record,
    certification,
    check_names,
    parse_records_csv,
    parse_tracker_json,
    record,
    track,
)
from calculator_pages.outcome import Figure, Outcome, Step, Table, failed

TITLE = "ACE recertification packet"
NAME = "recert"
#: A record's fields in the CLI's CSV column order.
RECORD_FIELDS = ("kind", "course_number", "completed_on", "cecs", "grade")
KIND_LABELS = {
    "course": "ACE-approved course",
    "semester-hours": "University semester hours",
    "quarter-hours": "University quarter hours",
    **SAFETY_COURSES,
}
_RECORD_LINE = re.compile(r"^line (\d+):")
#: More than this is not a person's record of courses but the wrong file.
MAX_RECORDS = 2000
MAX_CERTIFICATIONS = 20
#: The largest file the page imports. A tracker at its limits (MAX_CERTIFICATIONS and
#: MAX_RECORDS) is about 300 KB as Export (JSON) writes it; the page refuses a bigger file
#: before reading it.
MAX_FILE_BYTES = 1_000_000
#: A tracker file is a JSON object with these keys and no others, each holding a list.
TRACKER_KEYS = ("certifications", "records")
NOT_A_TRACKER = 'not a tracker file (what Export (JSON) saves: "certifications" and "records")'

State = dict[str, list[dict[str, str]]]


def empty() -> State:
    return {"certifications": [], "records": []}


# ---- reading and writing the state


@dataclass(frozen=True)
class Loaded:
    """A state read from a file or the browser's storage, or why it could not be."""

    state: State
    error: str = ""


def state_text(state: State) -> str:
    """The tracker as ``ceu recert`` reads it (what "Export JSON" saves)."""
    return json.dumps(state, indent=2, ensure_ascii=False) + "\n"


def records_csv(state: State) -> str:
    """The records as ``ceu recert FILE.csv`` reads them (what "Export CSV" saves)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECORD_FIELDS)
    for row in state["records"]:
        writer.writerow([row.get(key, "") for key in RECORD_FIELDS])
    return out.getvalue()


def load_json(text: str) -> Loaded:
    """A tracker file (or the stored state): checked as ``ceu recert`` checks it, kept as written."""
    try:
        certs, records = parse_tracker_json(text)
        _check_sizes(len(certs), len(records))
        check_names(certs)
    except CreditInputError as error:
        return Loaded(empty(), error.message)
    raw = json.loads(text, parse_float=str, parse_int=str).get("records", [])
    state: State = {
        "certifications": [{"name": c.name, "period_start": c.period_start.isoformat()} for c in certs],
        "records": [
            _normal(_row({**row, "cecs": row.get("cecs", row.get("hours"))}), checked)
            for row, checked in zip(raw, records, strict=True)
        ],
    }
    return Loaded(state)


def load_csv(text: str, state: State) -> Loaded:
    """Records from a CSV replace the current ones; the certifications stay (a CSV has none)."""
    try:
        rows = parse_records_csv(text)
        _check_sizes(len(state["certifications"]), len(rows))
    except CreditInputError as error:
        return Loaded(state, error.message)
    reader = csv.DictReader(io.StringIO(text))
    records = [
        _normal(_row({**raw, "cecs": raw.get("cecs") or raw.get("hours") or ""}), checked)
        for raw, checked in zip(reader, rows, strict=True)
    ]
    return Loaded({"certifications": list(state["certifications"]), "records": records})


def read_import(name: str, text: str, size: int, state: State) -> Loaded:
    """A file the visitor picked to import (``size`` bytes; ``text`` unread when over the limit):
    the state it gives, or why it is refused, with ``state`` unchanged.

    Only a tracker file (JSON) or a records CSV is read, then checked as ``ceu recert`` checks
    it: a file of another tool, a truncated or empty one, a binary one, one too big or nested
    too deeply never replaces what the visitor keeps.
    """
    if size > MAX_FILE_BYTES:
        return Loaded(
            state, f"the file is {_kilobytes(size)}; a tracker file is at most {_kilobytes(MAX_FILE_BYTES)}"
        )
    if not text.strip():
        return Loaded(state, "the file is empty")
    if "\x00" in text or "\ufffd" in text:  # the browser reads a file that is not UTF-8 text with U+FFFD
        return Loaded(state, "not a tracker file: it is not text")
    if name.lower().endswith(".csv"):
        loaded = load_csv(text, state)
        if loaded.error.startswith("line 1: expected a header"):
            return Loaded(state, f"not a records file: {loaded.error}")
        return loaded
    wrong = _not_a_tracker(text)
    if wrong:
        return Loaded(state, wrong)
    loaded = load_json(text)
    return Loaded(state, loaded.error) if loaded.error else loaded


def _kilobytes(size: int) -> str:
    return f"{-(-size // 1000):,} KB"


def import_limit() -> str:
    """The largest file an import takes, as the page states it."""
    return _kilobytes(MAX_FILE_BYTES)


def _not_a_tracker(text: str) -> str:
    """Why the JSON text is not a tracker file, or "" when it has a tracker's shape."""
    try:
        data = parse_json(text, "file")
    except CreditInputError as error:
        return f"not a tracker file: {error.message}"
    if not isinstance(data, dict):
        return NOT_A_TRACKER
    others = sorted(key for key in data if key not in TRACKER_KEYS)
    if others:
        named = ", ".join(json.dumps(key[:ECHO_CHARS]) for key in others[:3]) + (
            ", …" if len(others) > 3 else ""
        )
        return f"{NOT_A_TRACKER}; this one holds {named}"
    if not data:
        return f"{NOT_A_TRACKER}; this one is empty"
    for key, value in data.items():
        if not isinstance(value, list):
            return f'not a tracker file: its "{key}" is not a list'
    return ""


def replacing(name: str, incoming: State, state: State, records_only: bool) -> str:
    """The question to ask before ``incoming`` (read from file ``name``) replaces what is kept,
    or "" when nothing kept would be lost. A CSV (``records_only``) keeps the certifications."""
    lists = ("records",) if records_only else TRACKER_KEYS
    kept = [_count(len(state[key]), key) for key in lists if state[key]]
    if not kept or all(incoming[key] == state[key] for key in lists):
        return ""
    new = " and ".join(_count(len(incoming[key]), key) for key in lists)
    question = f"Replace the {' and '.join(kept)} kept in this browser with what {name} holds: {new}?"
    return question + (" Your certifications stay." if records_only else "")


def _count(number: int, plural: str) -> str:
    if number == 0:
        return f"no {plural}"
    return f"{number} {plural if number > 1 else plural.removesuffix('s')}"


def _row(raw: Mapping[str, Any]) -> dict[str, str]:
    """A record as the files hold it: its fields as text, empty ones left out."""
    values = {key: "" if raw.get(key) is None else str(raw.get(key)).strip() for key in RECORD_FIELDS}
    values["kind"] = values["kind"].lower() or "course"
    return {key: value for key, value in values.items() if value}


def _normal(row: dict[str, str], checked: Record) -> dict[str, str]:
    """The record with its date as YYYY-MM-DD, its course number and grade as the engine reads them."""
    row["completed_on"] = checked.completed_on.isoformat()
    if checked.course_number:
        row["course_number"] = checked.course_number
    if checked.grade:
        row["grade"] = checked.grade
    return row


def _check_sizes(certifications: int, records: int) -> None:
    if certifications > MAX_CERTIFICATIONS:
        raise CreditInputError(
            "certifications", f"{certifications} certifications; at most {MAX_CERTIFICATIONS}"
        )
    if records > MAX_RECORDS:
        raise CreditInputError("records", f"{records} records; at most {MAX_RECORDS}")


# ---- changing the state (each returns the new state, or the field at fault and why)


@dataclass(frozen=True)
class Changed:
    state: State
    field: str = ""
    error: str = ""


def add_certification(state: State, name: str, period_start: str) -> Changed:
    name = name.strip()
    if not name:
        return Changed(state, "cert_name", "enter the certification's name, e.g. Personal Trainer")
    if len(name) > 100:
        return Changed(state, "cert_name", "at most 100 characters")
    if any(cert["name"] == name for cert in state["certifications"]):
        return Changed(state, "cert_name", f"{name!r} is already tracked")
    if len(state["certifications"]) >= MAX_CERTIFICATIONS:
        return Changed(state, "cert_name", f"at most {MAX_CERTIFICATIONS} certifications")
    if not period_start.strip():
        return Changed(state, "cert_start", "enter the first day of the current two-year period")
    try:
        cert = certification({"name": name, "period_start": period_start})
    except CreditInputError as error:
        return Changed(state, "cert_start", error.message)
    added = {"name": cert.name, "period_start": cert.period_start.isoformat()}
    return Changed({**state, "certifications": [*state["certifications"], added]})


def add_record(state: State, values: Mapping[str, str]) -> Changed:
    """A record from the form (``kind``, ``course_number``, ``completed_on``, ``amount``, ``grade``)."""
    kind = values.get("kind", "course")
    row = _row(
        {
            "kind": kind,
            "course_number": values.get("course_number", ""),
            "completed_on": values.get("completed_on", ""),
            "cecs": "" if kind in SAFETY_COURSES else values.get("amount", ""),
            "grade": values.get("grade", "") if kind in ("semester-hours", "quarter-hours") else "",
        }
    )
    if not row.get("completed_on"):
        return Changed(state, "completed_on", "enter the day the course was completed")
    if kind == "course" and not row.get("course_number"):
        return Changed(state, "course_number", "enter the ACE course number, e.g. CEP123456")
    if kind not in SAFETY_COURSES and not row.get("cecs"):
        wanted = "the CECs ACE assigned to the course" if kind == "course" else "the hours"
        return Changed(state, "amount", f"enter {wanted}")
    if len(state["records"]) >= MAX_RECORDS:
        return Changed(state, "kind", f"at most {MAX_RECORDS} records")
    try:
        checked = record(
            row["kind"],
            row["completed_on"],
            row.get("cecs", ""),
            row.get("course_number", ""),
            row.get("grade"),
        )
    except CreditInputError as error:
        field, _, message = error.message.partition(": ")
        return Changed(state, _FORM_FIELD.get(field, "kind"), message or error.message)
    return Changed({**state, "records": [*state["records"], _normal(row, checked)]})


#: The engine's field names -> the add-record form's.
_FORM_FIELD = {
    "kind": "kind",
    "course_number": "course_number",
    "completed_on": "completed_on",
    "cecs": "amount",
    "hours": "amount",
    "grade": "grade",
}


def removed(state: State, key: str, index: int) -> State:
    items = list(state[key])
    if 0 <= index < len(items):
        del items[index]
    return {**state, key: items}


# ---- the result


def compute(state: State, as_of_text: str, today: dt.date) -> Outcome:
    """Where each certification stands on ``as_of`` (empty: today), every record's use, the packet."""
    as_of_shown = as_of_text.strip() or f"today ({today})"
    inputs = tuple(
        (f"Certification: {c['name']}", f"period from {c['period_start']}") for c in state["certifications"]
    )
    inputs += (("Records", str(len(state["records"]))), ("As of", as_of_shown))
    if not state["certifications"]:
        return failed(
            TITLE, inputs, "cert_name", "add a certification and the first day of its current period"
        )
    try:
        as_of = parse_date(as_of_text.strip(), "as_of") if as_of_text.strip() else today
        certs, records = parse_tracker_json(json.dumps(state))
        report = track(certs, records, as_of)
    except CreditInputError as error:
        field = "as_of" if error.field == "as_of" else "import"
        return failed(TITLE, inputs, field, error.message)
    return outcome_of(report, inputs)


def outcome_of(report: RecertReport, inputs: Sequence[tuple[str, str]] = ()) -> Outcome:
    figures: list[Figure] = []
    for number, cert in enumerate(report.certifications, start=1):
        figures.append(Figure(f"earned-{number}", f"{cert.name}: earned", format(cert.earned, "f"), "CEC"))
        figures.append(
            Figure(f"remaining-{number}", f"{cert.name}: still to earn", format(cert.remaining, "f"), "CEC")
        )
    periods = Table(
        "certifications",
        "Certifications",
        ("Certification", "Period", "Earned", "Status"),
        tuple(
            (c.name, f"{c.period_start} to {c.period_end}", f"{c.earned} of {c.required}", c.status)
            for c in report.certifications
        ),
    )
    firsts: dict[str, CountedRecord] = {}
    rows = []
    steps = []
    for item in report.records:
        r = item.record
        label = r.course_number or KIND_LABELS[r.kind]
        applied = ", ".join(item.certifications) or "nothing"
        repeat = bool(r.course_number) and r.course_number in firsts
        rows.append((str(r.completed_on), label, format(item.cecs, "f"), applied, str(item.keep_until)))
        steps.append(
            Step(
                f"{r.completed_on} {label}: {format(item.cecs, 'f')} CEC counted for {applied}; "
                f"keep the certificate until {item.keep_until}.",
                _rule(item, repeat),
                SOURCE,
            )
        )
        if r.course_number and not repeat:
            firsts[r.course_number] = item
    records = Table(
        "records",
        "Every record and what it counted for",
        ("Completed", "Course", "CECs counted", "Counted for", "Keep until"),
        tuple(rows),
    )
    # The engine numbers a tracker's records from 1 ("line 3: ..."): on the page they are records.
    warnings = Table(
        "warnings",
        "Warnings",
        ("Warning",),
        tuple((_RECORD_LINE.sub(r"record \1:", w, count=1),) for w in report.warnings),
    )
    summary = "; ".join(
        f"{c.name}: {c.earned} of {c.required} CECs, {c.status}" for c in report.certifications
    )
    return Outcome(
        title=TITLE,
        inputs=tuple(inputs),
        figures=tuple(figures),
        tables=(periods, records, warnings),
        steps=tuple(steps),
        summary=summary + ".",
    )


def _rule(item: CountedRecord, repeat: bool) -> str:
    r = item.record
    keep = f" Keep the certificate of completion for at least {KEEP_YEARS} years."
    if repeat:
        return "CECs are earned once for the same course: a course number counts once ever." + keep
    if not item.certifications:
        return "Credit counts only in the certification period in which it was earned: no carry-over." + keep
    if r.kind in SAFETY_COURSES:
        return "CPR, AED and First Aid earn 0.2 CEC each, counted once per period." + keep
    if r.kind in ("semester-hours", "quarter-hours"):
        rate = "1.0 CEC per semester hour" if r.kind == "semester-hours" else "0.8 CEC per quarter hour"
        return f"University credit: {rate} with a grade of C or better; below C earns nothing." + keep
    return (
        "A course earns the CECs ACE assigned to it (0.1 CEC per hour of structured learning), "
        "for every certification current when it was completed." + keep
    )
