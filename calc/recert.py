"""ACE recertification tracker: 2.0 CECs per two-year certification period.

Source: ACE FAQ "Continuing Education Credits (CECs)" (seed ace-cec-faq.txt):

* "You must complete a total of 2.0 (20 hours) CECs every two years to recertify."
* No carry-over: "credits apply only to your current certification period", so a
  record counts only in the period in which it was earned.
* "you may only earn CECs one time for completing the same course": a course
  number counts once ever, across periods and certifications' histories.
* CPR, AED and First Aid earn 0.2 CEC each; counted once per period (a renewal of
  the same card in the same period adds nothing).
* "If you take your 2.0 CECs within the time frame that all three certifications
  are current, you may apply the same set of CECs toward all three": a record
  applies to every certification whose period contains its completion date.
* "Keep all your certificates of completion ... for at least four years": each
  record gets a keep-until date four years after completion.

A period runs from its start date up to the day before the same date two years
later (a start on 29 February ends on 27 February two years later).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from calc.cec import (
    CEC_PER_QUARTER_HOUR,
    CEC_PER_SAFETY_COURSE,
    CEC_PER_SEMESTER_HOUR,
    FAILING_GRADES,
    SAFETY_COURSES,
    check_course_number,
    check_grade,
)
from calc.dates import add_years, parse_date
from calc.errors import CreditInputError, quoted
from calc.json_input import load_json
from calc.numbers import parse_quantity

REQUIRED_CECS = Decimal("2.0")
PERIOD_YEARS = 2
KEEP_YEARS = 4
KINDS = ("course", "semester-hours", "quarter-hours", *SAFETY_COURSES)


@dataclass(frozen=True)
class Certification:
    name: str
    period_start: dt.date

    @property
    def period_end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        return add_years(self.period_start, PERIOD_YEARS) - dt.timedelta(days=1)

    def current_on(self, day: dt.date) -> bool:
        return self.period_start <= day <= self.period_end


@dataclass(frozen=True)
class Record:
    kind: str
    completed_on: dt.date
    #: CECs of a course as ACE assigned them, or hours for university credit.
    amount: Decimal
    course_number: str = ""
    grade: str | None = None
    line: int = 0

    @property
    def cecs(self) -> Decimal:
        if self.kind in SAFETY_COURSES:
            return CEC_PER_SAFETY_COURSE
        if self.kind in ("semester-hours", "quarter-hours"):
            if self.grade in FAILING_GRADES:
                return Decimal(0)
            rate = CEC_PER_SEMESTER_HOUR if self.kind == "semester-hours" else CEC_PER_QUARTER_HOUR
            return self.amount * rate
        return self.amount

    @property
    def keep_until(self) -> dt.date:
        return add_years(self.completed_on, KEEP_YEARS)


@dataclass(frozen=True)
class CountedRecord:
    record: Record
    cecs: Decimal
    certifications: tuple[str, ...]
    keep_until: dt.date


@dataclass(frozen=True)
class CertificationStatus:
    name: str
    period_start: dt.date
    period_end: dt.date
    earned: Decimal
    required: Decimal
    remaining: Decimal
    status: str


@dataclass(frozen=True)
class RecertReport:
    as_of: dt.date
    certifications: tuple[CertificationStatus, ...]
    records: tuple[CountedRecord, ...]
    warnings: tuple[str, ...]


def record(
    kind: str,
    completed_on: str | dt.date,
    amount: Any = "",
    course_number: str = "",
    grade: str | None = None,
    line: int = 0,
) -> Record:
    """A checked record; errors name the line."""
    where = f"line {line}: " if line else ""
    try:
        kind = str(kind).strip().lower()
        if kind not in KINDS:
            raise CreditInputError("kind", f"{quoted(kind)} is not one of {', '.join(KINDS)}")
        day = parse_date(completed_on, "completed_on", us_form=True)
        number = check_course_number(course_number) if kind == "course" or str(course_number).strip() else ""
        value = (
            Decimal(0)
            if kind in SAFETY_COURSES
            else parse_quantity(str(amount), "cecs" if kind == "course" else "hours")
        )
        letter = check_grade(grade)
    except CreditInputError as error:
        raise CreditInputError("records", f"{where}{error.field}: {error.message}", line=line) from None
    return Record(kind, day, value, number, letter, line)


def track(certifications: Iterable[Certification], records: Iterable[Record], as_of: dt.date) -> RecertReport:
    """Earned and remaining CECs per certification, each record's use, and warnings."""
    certs = tuple(certifications)
    if not certs:
        raise CreditInputError("certifications", "give at least one certification with its period start")
    check_names(certs)
    warnings: list[str] = []
    seen_courses: dict[str, Record] = {}
    safety_seen: set[tuple[str, str, dt.date]] = set()
    earned = {cert.name: Decimal(0) for cert in certs}
    counted: list[CountedRecord] = []
    for item in sorted(records, key=lambda r: (r.completed_on, r.line)):
        where = f"line {item.line}: " if item.line else ""
        label = item.course_number or SAFETY_COURSES.get(item.kind, item.kind)
        in_period = tuple(cert for cert in certs if cert.current_on(item.completed_on))
        current = in_period
        if item.course_number and item.course_number in seen_courses:
            first = seen_courses[item.course_number]
            warnings.append(
                f"{where}{label} was already counted (completed {first.completed_on}); a course counts once"
            )
            counted.append(CountedRecord(item, Decimal(0), (), item.keep_until))
            continue
        if item.kind in SAFETY_COURSES:
            repeats = [c.name for c in current if (c.name, item.kind, c.period_start) in safety_seen]
            if repeats:
                warnings.append(f"{where}{label} already counted in this period; it counts once per period")
                current = tuple(c for c in current if c.name not in repeats)
        if item.kind in ("semester-hours", "quarter-hours") and item.grade is None:
            warnings.append(f"{where}{label}: no grade; keep a transcript showing C or better")
        if not in_period:
            warnings.append(
                f"{where}{label} completed {item.completed_on} is outside every certification period; "
                "credit does not carry over"
            )
        if item.course_number:
            seen_courses[item.course_number] = item
        for cert in current:
            earned[cert.name] += item.cecs
            if item.kind in SAFETY_COURSES:
                safety_seen.add((cert.name, item.kind, cert.period_start))
        counted.append(
            CountedRecord(
                item, item.cecs if current else Decimal(0), tuple(c.name for c in current), item.keep_until
            )
        )
    statuses = tuple(_status(cert, earned[cert.name], as_of) for cert in certs)
    return RecertReport(as_of, statuses, tuple(counted), tuple(warnings))


def check_names(certs: Iterable[Certification]) -> None:
    """Each certification once: its CECs are summed by name."""
    names = [cert.name for cert in certs]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise CreditInputError(
            "certifications", f"{quoted(twice[0])} is given twice; each certification once"
        )


def _status(cert: Certification, earned: Decimal, as_of: dt.date) -> CertificationStatus:
    remaining = max(REQUIRED_CECS - earned, Decimal(0))
    if earned >= REQUIRED_CECS:
        status = "requirement met"
    elif as_of > cert.period_end:
        status = f"period ended {cert.period_end} short of {REQUIRED_CECS} CECs"
    elif as_of < cert.period_start:
        status = "period not started"
    else:
        status = f"{remaining} CECs to earn by {cert.period_end}"
    return CertificationStatus(
        cert.name, cert.period_start, cert.period_end, earned, REQUIRED_CECS, remaining, status
    )


def parse_tracker_json(text: str) -> tuple[tuple[Certification, ...], tuple[Record, ...]]:
    """``{"certifications": [{"name", "period_start"}], "records": [{"kind", "completed_on", ...}]}``."""
    data = load_json(text, "records")
    if not isinstance(data, Mapping):
        raise CreditInputError("records", 'expected an object with "certifications" and "records"')
    certs = tuple(certification(c) for c in data.get("certifications", []))
    rows = tuple(_record_from(r, n) for n, r in enumerate(data.get("records", []), start=1))
    return certs, rows


def certification(spec: Any) -> Certification:
    if isinstance(spec, str):
        name, _, start = spec.rpartition("=")
        spec = {"name": name, "period_start": start}
    if not isinstance(spec, Mapping) or not str(spec.get("name", "")).strip():
        raise CreditInputError("certifications", 'each certification needs a "name" and a "period_start"')
    return Certification(
        str(spec["name"]).strip(), parse_date(str(spec.get("period_start", "")), "period_start", us_form=True)
    )


def _record_from(row: Any, number: int) -> Record:
    if not isinstance(row, Mapping):
        raise CreditInputError("records", f"record {number}: expected an object", line=number)
    amount = row.get("cecs", row.get("hours", ""))
    return record(
        row.get("kind", "course"),
        str(row.get("completed_on", "")),
        amount,
        row.get("course_number", ""),
        row.get("grade"),
        number,
    )


def parse_records_csv(text: str) -> tuple[Record, ...]:
    """Columns ``kind,course_number,completed_on,cecs,grade`` (``hours`` instead of ``cecs`` for university credit)."""
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    try:
        if not reader.fieldnames or "completed_on" not in reader.fieldnames:
            raise CreditInputError(
                "records", "line 1: expected a header with kind,course_number,completed_on,cecs,grade", line=1
            )
        for row in reader:
            amount = row.get("cecs") or row.get("hours") or ""
            rows.append(
                record(
                    row.get("kind") or "course",
                    row.get("completed_on") or "",
                    amount,
                    row.get("course_number") or "",
                    row.get("grade"),
                    reader.line_num,
                )
            )
    except csv.Error as error:
        line = reader.reader.line_num  # the DictReader's own count stops at the last good row
        raise CreditInputError("records", f"line {line}: not valid CSV: {error}", line=line) from None
    return tuple(rows)
