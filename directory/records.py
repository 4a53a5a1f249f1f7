"""Reading the directory CSVs into checked records.

Every problem is reported as ``file:line: field: what is wrong`` so a contributor
can go straight to the cell. Reading never stops at the first problem: a pull
request gets the whole list at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from directory.schema import Column, Table

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COUNTRY = re.compile(r"[A-Z]{2}")
REGION = re.compile(r"[A-Z0-9]{1,3}")
PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
#: Spelled without flags so the same pattern works in JSON Schema (ECMA-262 regex).
URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[^\s/$.?#][^\s]*")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DECIMAL = re.compile(r"\d+(?:\.\d+)?")
INTEGER = re.compile(r"[1-9]\d*")

#: The shape each column type's values must have (full match). The JSON Schema of the
#: exports is generated from these, so the validator and the schema cannot drift apart.
TYPE_PATTERNS: dict[str, re.Pattern[str]] = {
    "slug": SLUG,
    "ref": SLUG,
    "country": COUNTRY,
    "region": REGION,
    "url": URL,
    "date": DATE,
    "partial_date": PARTIAL_DATE,
    "decimal": DECIMAL,
    "integer": INTEGER,
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    #: "error" stops the build and fails validation; "warning" is shown and lets it pass.
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}: {self.field}: {prefix}{self.message}"


@dataclass(frozen=True)
class Entry:
    """One published row: a provider or an organization."""

    table: str
    line: int
    values: dict[str, str] = field(hash=False)

    @property
    def id(self) -> str:
        return self.values["id"]

    @property
    def name(self) -> str:
        return self.values.get("name") or self.values.get("body") or self.values.get("label") or self.id

    def terms(self, column: str) -> list[str]:
        """The ';'-separated values of a list or multi-valued vocab column."""
        return [term.strip() for term in self.values.get(column, "").split(";") if term.strip()]


@dataclass(frozen=True)
class Directory:
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]

    def of(self, table: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.table == table]


def read_table(path: Path, table: Table, today: dt.date) -> tuple[list[Entry], list[Problem]]:
    name = path.name
    if not path.is_file():
        return [], [Problem(name, 0, "-", "file is missing")]
    records: list[tuple[int, list[str]]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        start = 1  # a quoted field may span lines: remember where each record starts
        try:
            for row in reader:
                records.append((start, row))
                start = reader.line_num + 1
        except csv.Error as error:
            return [], [Problem(name, reader.line_num, "-", f"not valid CSV: {error}")]
        except UnicodeDecodeError as error:
            return [], [Problem(name, start, "-", f"not UTF-8 text: {error.reason}")]
    if not records:
        return [], [Problem(name, 1, "-", "the header row is missing")]
    (_, header), body = records[0], records[1:]
    expected = list(table.column_names)
    if header != expected:
        return [], [Problem(name, 1, "header", f"expected {','.join(expected)}, got {','.join(header)}")]

    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], int] = {}
    previous: tuple[str, ...] = ()
    key_field = table.row_key[-1]
    for line, row in body:
        if len(row) != len(expected):
            problems.append(
                Problem(name, line, "-", f"has {len(row)} fields, the header has {len(expected)}")
            )
            continue
        values = dict(zip(expected, row, strict=True))
        for column in table.columns:
            message = check_value(column, values[column.name], today)
            if message:
                problems.append(Problem(name, line, column.name, message))
        key = tuple(values[column] for column in table.row_key)
        shown = "/".join(key)
        if key in seen:
            problems.append(Problem(name, line, key_field, f"{shown!r} is already used on line {seen[key]}"))
        else:
            seen[key] = line
        if previous and key < previous:
            order = ", ".join(table.row_key)
            message = f"rows must be sorted by {order}: {shown!r} belongs before {'/'.join(previous)!r}"
            problems.append(Problem(name, line, key_field, message))
        previous = key
        entries.append(Entry(table.key, line, values))
    return entries, problems


def check_value(column: Column, value: str, today: dt.date) -> str | None:
    """Why ``value`` is not acceptable in ``column``, or None when it is."""
    if value != value.strip():
        return "has leading or trailing spaces"
    if not value:
        return "is required" if column.required else None
    check = _CHECKS.get(column.type)
    if check is None:
        return f"the schema names an unknown type {column.type!r}"
    return check(column, value, today)


def _text(column: Column, value: str, today: dt.date) -> str | None:
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        return "contains control characters"
    return None


def _slug(column: Column, value: str, today: dt.date) -> str | None:
    if SLUG.fullmatch(value):
        return None
    return f"{value!r} is not a slug: use lowercase letters, digits and single hyphens, e.g. 'college-board'"


def _country(column: Column, value: str, today: dt.date) -> str | None:
    return None if COUNTRY.fullmatch(value) else f"{value!r} is not an ISO 3166-1 alpha-2 code such as 'US'"


def _region(column: Column, value: str, today: dt.date) -> str | None:
    return (
        None if REGION.fullmatch(value) else f"{value!r} is not an ISO 3166-2 subdivision code such as 'TX'"
    )


def _url(column: Column, value: str, today: dt.date) -> str | None:
    if URL.fullmatch(value):
        return None
    return f"{value[:60]!r} is not an http(s) URL: links must start with http:// or https://"


def _decimal(column: Column, value: str, today: dt.date) -> str | None:
    if DECIMAL.fullmatch(value) and float(value) > 0:
        return None
    return f"{value!r} is not a positive number such as 60 or 0.25"


def _integer(column: Column, value: str, today: dt.date) -> str | None:
    return None if INTEGER.fullmatch(value) else f"{value!r} is not a whole number such as 3"


def _terms(column: Column, value: str, today: dt.date) -> str | None:
    terms = [term.strip() for term in value.split(";")]
    if not column.multiple and len(terms) > 1:
        return "takes one term, not a ';'-separated list"
    bad = [term for term in terms if not SLUG.fullmatch(term)]
    if bad:
        return f"{bad[0]!r} is not a term: use lowercase words joined by hyphens, several separated by ';'"
    return None


def _list(column: Column, value: str, today: dt.date) -> str | None:
    if any(not term.strip() for term in value.split(";")):
        return "has an empty item: separate items with a single ';'"
    return _text(column, value, today)


def _enum(column: Column, value: str, today: dt.date) -> str | None:
    if value in column.values:
        return None
    return f"{value!r} is not one of: {', '.join(column.values)}"


def _date(column: Column, value: str, today: dt.date) -> str | None:
    if not DATE.fullmatch(value):
        return f"{value!r} is not a date in the form YYYY-MM-DD"
    return _real_past_date(value, today)


def _partial_date(column: Column, value: str, today: dt.date) -> str | None:
    if not PARTIAL_DATE.fullmatch(value):
        return f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    return _real_past_date(value, today)


def _real_past_date(value: str, today: dt.date) -> str | None:
    match = PARTIAL_DATE.fullmatch(value)
    assert match is not None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return f"{value!r} is not a date that exists"
    if date > today:
        return f"{value!r} is in the future (today is {today.isoformat()})"
    return None


_CHECKS: dict[str, Callable[[Column, str, dt.date], str | None]] = {
    "text": _text,
    "slug": _slug,
    "country": _country,
    "region": _region,
    "url": _url,
    "enum": _enum,
    "vocab": _terms,
    "ref": _slug,
    "list": _list,
    "decimal": _decimal,
    "integer": _integer,
    "date": _date,
    "partial_date": _partial_date,
}
