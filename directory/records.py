"""Reading the directory CSVs into checked records.

Every problem is reported as ``file:line: field: what is wrong`` so a contributor
can go straight to the cell. Reading never stops at the first problem: a pull
request gets the whole list at once, and no file, however broken (a byte-order
mark, bytes that are not UTF-8, a quote never closed, a 100 KB value), ends in a
traceback. Nor can a file exhaust the reader: it is opened as data_files.py says
(a regular file in the folder, within its size), read a line at a time with every row
bounded, and a mistake repeated on 100,000 rows is shown SHOWN_ALIKE times and counted.
The browser runs this module too (the Suggest page), so it keeps to the standard library.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from directory.data_files import (
    MAX_ROW_BYTES,
    MAX_TABLE_BYTES,
    MAX_TABLE_ROWS,
    SHOWN_ALIKE,
    DataFileError,
    grew,
    open_data_file,
)
from directory.schema import Column, Table

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COUNTRY = re.compile(r"[A-Z]{2}")
REGION = re.compile(r"[A-Z0-9]{1,3}")
PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
#: Spelled without flags so the same pattern works in JSON Schema (ECMA-262 regex). Besides
#: spaces, it refuses the characters a URL must percent-encode that could end an HTML
#: attribute or a Markdown link (" < > `), and the backslash browsers read as '/'.
URL = re.compile(r'[Hh][Tt][Tt][Pp][Ss]?://[^\s/$.?#"<>`\\][^\s"<>`\\]*')
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Plain digits with at most one point: no sign, no exponent (1e-28), no leading zeros.
#: Digits are [0-9], not \d: Python's \d also matches fullwidth and other scripts' digits (U+FF16).
DECIMAL = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
INTEGER = re.compile(r"[1-9][0-9]*")
#: A decimal, or a simple fraction such as 1/3 for a step no decimal writes exactly (three digits a side).
FRACTION = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|[1-9][0-9]{0,2}/[1-9][0-9]{0,2}")
#: The shape of an Ed25519 did:key (``did:key:z6Mk`` and 44 more base58btc characters): what the
#: exports' JSON Schema states. What the key decodes to is certificates.did_key's check (_did).
DID = re.compile(r"did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}")

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
    "fraction": FRACTION,
    "integer": INTEGER,
    "did": DID,
}

#: Characters that reorder text on screen, so a value can read differently from what it is.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Characters with no width that serve no purpose in the directory but to hide or imitate:
#: zero-width space, word joiner and invisible operators, zero-width no-break space, the
#: Mongolian vowel separator, the soft hyphen. (Zero-width joiners stay: scripts need them.)
INVISIBLE = frozenset("\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad")
#: Letters that render as blank space (Hangul fillers, the blank Braille pattern).
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
#: Everything check_value refuses in any column, in one character class so a cell is one search.
_REFUSED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\U000e0000-\U000e007f"
    + "".join(sorted(BIDI_CONTROLS | INVISIBLE))
    + _NONCHARACTERS
    + "]"
)
_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION"}
_CONTROL_NAMES |= {0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE"}
_CONTROL_NAMES |= {0x85: "NEXT LINE", 0x9B: "CONTROL SEQUENCE INTRODUCER"}
_ASCII_VISIBLE = re.compile(r"[!-~]")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    #: "error" stops the build and fails validation; "warning" is shown and lets it pass.
    severity: str = "error"
    #: How many problems this line stands for: 1, or for a summary ("... and 99,812 more like
    #: this"), the problems of one kind it counts instead of showing (ProblemList).
    count: int = 1

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


#: The table of further sources for rows of other tables (sources.csv), keyed by the row's table and id.
ADDITIONAL_SOURCES = "sources"


@dataclass(frozen=True)
class Directory:
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]

    def of(self, table: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.table == table]

    def additional_sources(self) -> dict[tuple[str, str], list[Entry]]:
        """(table, id) -> the sources.csv rows that support that row, in file order."""
        found: dict[tuple[str, str], list[Entry]] = {}
        for entry in self.of(ADDITIONAL_SOURCES):
            found.setdefault((entry.values["table"], entry.values["id"]), []).append(entry)
        return found


# --------------------------------------------------------------------------- problems, counted

#: How much of the first hidden problem's message the summary line repeats.
_SUMMARY_SHOWN = 100
#: The values and figures a message quotes: two messages that differ only there are one kind.
_QUOTED_PARTS = re.compile(
    r"'(?:[^'\\]|\\.)*'(?:\.\.\.)?"  # a value as repr() or quoted() shows it
    r'|"(?:[^"\\]|\\.)*"(?:\.\.\.)?'
    r"|0x[0-9a-f]+|[0-9][0-9,.]*"
)


def message_kind(message: str) -> str:
    """``message`` with its quoted values and its figures taken out: what it says, not about what."""
    return _QUOTED_PARTS.sub("_", message)


def count_problems(problems: Iterable[Problem]) -> int:
    """How many problems ``problems`` stands for (a summary line counts the ones it hides)."""
    return sum(problem.count for problem in problems)


@dataclass
class _Hidden:
    first: Problem
    last_line: int
    count: int


class ProblemList:
    """Problems as they are found, each kind shown SHOWN_ALIKE times per file and column.

    A kind is a message with its quoted values and figures taken out (message_kind). The
    problems beyond those shown are only counted, so memory and output stay small however
    many rows repeat one mistake; ``problems()`` ends each such kind with one summary line.
    """

    def __init__(self) -> None:
        self._shown: list[Problem] = []
        self._seen: dict[tuple[str, str, str, str], int] = {}
        self._hidden: dict[tuple[str, str, str, str], _Hidden] = {}
        self._error_lines: dict[str, set[int]] = defaultdict(set)

    def add(self, problem: Problem) -> None:
        if problem.severity == "error":
            self._error_lines[problem.file].add(problem.line)
        key = (problem.file, problem.field, problem.severity, message_kind(problem.message))
        seen = self._seen.get(key, 0)
        self._seen[key] = seen + 1
        if seen < SHOWN_ALIKE:
            self._shown.append(problem)
        elif (hidden := self._hidden.get(key)) is None:
            self._hidden[key] = _Hidden(problem, problem.line, problem.count)
        else:
            hidden.last_line = max(hidden.last_line, problem.line)
            hidden.count += problem.count

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def error_lines(self, file: str) -> set[int]:
        """The lines of ``file`` with an error, shown or not."""
        return self._error_lines.get(file, set())

    def problems(self) -> list[Problem]:
        """The problems shown, then one line for each kind with more than SHOWN_ALIKE."""
        summaries = []
        for hidden in self._hidden.values():
            first = hidden.first
            lines = (
                f"on line {first.line:,}"
                if hidden.last_line == first.line
                else f"on lines {first.line:,} to {hidden.last_line:,}"
            )
            message = (
                f"... and {hidden.count:,} more like this {lines} "
                f"(the first: {_shortened(first.message, _SUMMARY_SHOWN)})"
            )
            summaries.append(
                Problem(first.file, first.line, first.field, message, first.severity, hidden.count)
            )
        return self._shown + summaries


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "..."


# --------------------------------------------------------------------------- a file


def read_table(path: Path, table: Table, today: dt.date) -> tuple[list[Entry], list[Problem]]:
    """The rows of one table file and its problems; DataFileError if it is not a file to read at all."""
    found = ProblemList()
    try:
        handle = open_data_file(path, MAX_TABLE_BYTES)
    except FileNotFoundError:
        return [], [Problem(path.name, 0, "-", "file is missing")]
    with handle:
        entries = read_rows(handle, path, table, today, found)
    return entries, found.problems()


def read_rows(handle: BinaryIO, path: Path, table: Table, today: dt.date, found: ProblemList) -> list[Entry]:
    """The rows of the table file open in ``handle`` (from open_data_file), its problems added to ``found``.

    The file is read a line at a time and each row is checked as it comes, so memory grows
    with the rows kept, never with a line: a row over MAX_ROW_BYTES, a value whose quote is
    never closed, or a row past MAX_TABLE_ROWS stops the reading there, in one problem. A
    file that is not UTF-8 text is read on only to report each line that is not.
    """
    name = path.name
    lines = _Lines(handle, path, found)
    reader = csv.reader(lines, strict=True)
    expected = list(table.column_names)
    header: list[str] | None = None
    entries: list[Entry] = []
    seen: dict[tuple[str, ...], int] = {}
    previous: tuple[str, ...] = ()
    key_field = table.row_key[-1]
    complete = True
    with _csv_field_limit(MAX_ROW_BYTES):
        while True:
            start = lines.next_row()
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                complete = False
                if not lines.unreadable:  # else the line that is not text is the problem, reported
                    found.add(_csv_problem(name, "".join(lines.row), start, lines.number, str(error), header))
                break
            except _RowTooLong as long:
                complete = False
                found.add(_long_row_problem(name, "".join(lines.row) + long.cut, start, table, header))
                break
            if header is None:
                header = row
                if header != expected:
                    found.add(Problem(name, start, "header", header_problem(header, expected)))
                    complete = False
                    break
                continue
            if lines.rows_read > MAX_TABLE_ROWS:
                too_many = (
                    f"is row {lines.rows_read:,} of the file: a table may have at most {MAX_TABLE_ROWS:,} rows, "
                    "so the rest is not read; is it the right file?"
                )
                found.add(Problem(name, start, "-", too_many))
                complete = False
                break
            if message := row_shape_problem(row, len(expected)):
                found.add(Problem(name, start, "-", message))
                continue
            values = dict(zip(expected, row, strict=True))
            for column in table.columns:
                if message := check_value(column, values[column.name], today):
                    found.add(Problem(name, start, column.name, message))
            key = tuple(values[column] for column in table.row_key)
            shown = quoted("/".join(key))
            if key in seen:
                found.add(Problem(name, start, key_field, f"{shown} is already used on line {seen[key]}"))
            else:
                seen[key] = start
            if previous and key < previous:
                order = ", ".join(table.row_key)
                message = (
                    f"rows must be sorted by {order}: {shown} belongs before {quoted('/'.join(previous))}"
                )
                found.add(Problem(name, start, key_field, message))
            previous = key
            entries.append(Entry(table.key, start, values))
    if lines.unreadable:
        lines.read_on()
    elif header is None and complete and not lines.stopped:
        found.add(Problem(name, 1, "header", "the file is empty: it needs the header row"))
    return entries


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """The csv module's field limit (a setting of the whole process) set to ``limit`` while a table is read."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


class _RowTooLong(Exception):
    """A row grew past MAX_ROW_BYTES; ``cut`` is its last line as far as it was read."""

    def __init__(self, cut: str) -> None:
        super().__init__()
        self.cut = cut


class _Lines:
    """The lines of an open table file for csv.reader: UTF-8 text with LF ends, each row bounded.

    Bytes are decoded line by line, so a byte that is not UTF-8 is reported on its own
    line. CRLF line ends are accepted (a maintainer on Windows saves them) and turned into
    LF; a carriage return anywhere else is refused, because it would make the line numbers
    of the csv module and of an editor disagree. A line that is not text ends the rows (the
    csv module sees the file end there); ``read_on`` then reports every other such line.
    """

    def __init__(self, handle: BinaryIO, path: Path, found: ProblemList) -> None:
        self.handle, self.path, self.found = handle, path, found
        #: The physical lines read so far (the number of the last one).
        self.number = 0
        #: The lines of the row being read, and their bytes.
        self.row: list[str] = []
        self.row_bytes = 0
        #: Rows started after the header.
        self.rows_read = -1
        self.total = 0
        #: A line was not UTF-8 text (or had a lone CR): no more rows are read.
        self.unreadable = False
        #: The file is refused whole (UTF-16): nothing more is read or reported.
        self.stopped = False

    def __iter__(self) -> _Lines:
        return self

    def next_row(self) -> int:
        """Begin a row; the number of the line it starts on."""
        self.row.clear()
        self.row_bytes = 0
        self.rows_read += 1
        return self.number + 1

    def __next__(self) -> str:
        if self.unreadable or self.stopped:
            raise StopIteration
        room = MAX_ROW_BYTES - self.row_bytes
        raw = self._read(room + 1)
        if not raw:
            raise StopIteration
        if len(raw) > room:
            raise _RowTooLong(raw.decode("utf-8", errors="replace"))
        self.number += 1
        self.row_bytes += len(raw)
        if self.number == 1:
            raw = self._first(raw)
            if self.stopped or not raw:
                raise StopIteration
        text = self._decoded(raw)
        if text is None:
            self.unreadable = True
            raise StopIteration
        self.row.append(text)
        return text

    def read_on(self) -> None:
        """After a line that is not text: report each other such line to the end (rows are not read).

        A line over MAX_ROW_BYTES is passed over unread, a piece at a time.
        """
        while raw := self._read(MAX_ROW_BYTES + 1):
            self.number += 1
            if len(raw) <= MAX_ROW_BYTES or raw.endswith(b"\n"):
                self._decoded(raw)
                continue
            while raw and not raw.endswith(b"\n"):
                raw = self._read(MAX_ROW_BYTES + 1)

    def _read(self, size: int) -> bytes:
        raw = self.handle.readline(size)
        self.total += len(raw)
        if self.total > MAX_TABLE_BYTES:  # it grew after it was measured
            raise DataFileError(self.path, grew(MAX_TABLE_BYTES))
        return raw

    def _first(self, raw: bytes) -> bytes:
        """The first line, its byte-order mark reported and taken off; UTF-16 stops the reading."""
        name = self.path.name
        if raw.startswith(_UTF16_BOMS):
            self.found.add(Problem(name, 1, "header", "is UTF-16 text; save the file as UTF-8 (without BOM)"))
            self.stopped = True
            return b""
        if raw.startswith(_UTF8_BOM):
            message = "starts with a byte-order mark (U+FEFF); save the file as UTF-8 without BOM"
            self.found.add(Problem(name, 1, "header", message))
            return raw[len(_UTF8_BOM) :]
        return raw

    def _decoded(self, raw: bytes) -> str | None:
        """One line as text ending in LF (or nothing, the file's last), or None when it is not text."""
        name = self.path.name
        ending = "\n" if raw.endswith(b"\n") else ""
        line = raw.removesuffix(b"\n").removesuffix(b"\r")
        text = None
        if b"\r" in line:
            message = (
                "has a carriage return (CR) that does not end a line; save the file with LF or CRLF line ends"
            )
            self.found.add(Problem(name, self.number, "-", message))
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            message = (
                f"is not UTF-8 text: byte 0x{line[error.start]:02x} at byte {error.start + 1} of the line "
                f"({error.reason}); save the file as UTF-8"
            )
            self.found.add(Problem(name, self.number, "-", message))
        return None if text is None or b"\r" in line else text + ending


def _long_row_problem(name: str, text: str, start: int, table: Table, header: list[str] | None) -> Problem:
    """What a row over MAX_ROW_BYTES is: a quote never closed, a flood of values, or a value far too long.

    ``text`` is the row as far as it was read; ``header`` None when the row is the header.
    """
    line, column, quoted_value = value_at_end(text)
    columns = len(table.columns)
    field = "header" if header is None else header[column] if column < len(header) else "-"
    if column >= columns:
        what = "column names" if header is None else "values"
        but = "and the table has" if header is None else "but the header has"
        message = (
            f"has over {column + 1:,} {what} in its first {MAX_ROW_BYTES:,} bytes {but} {columns} columns, "
            'so the row is not read; a value that contains a comma goes in double quotes ("a, b")'
        )
        return Problem(name, start, "-" if header is not None else "header", message)
    if quoted_value:
        message = (
            f"a quoted value starts on this line and runs on past {MAX_ROW_BYTES:,} bytes (a row's limit) "
            'without a closing quote; is one missing? Add it (")'
        )
        return Problem(name, start + line, field, message)
    message = (
        f"the {'header ' if header is None else ''}row is over {MAX_ROW_BYTES:,} bytes long, so it is not "
        f"read (every value within its column's limit makes at most {table.longest_row:,}); is this the "
        "right file, or a closing quote missing?"
    )
    return Problem(name, start + line, field, message)


def value_at_end(text: str) -> tuple[int, int, bool]:
    """For a row cut short: the line (from 0) and column where its last value starts, and whether it is quoted.

    It reads as find_break reads: a quoted value ends at a lone quote, "" inside it is a
    quote, and a comma outside quotes ends a value.
    """
    line = column = position = 0
    end = len(text)
    while True:
        value_line = line
        if position < end and text[position] == '"':
            cursor = position + 1
            while True:
                closing = text.find('"', cursor)
                if closing < 0:
                    return value_line, column, True
                if text.startswith('"', closing + 1):
                    cursor = closing + 2
                    continue
                break
            line += text.count("\n", position, closing)
            position = closing + 1
        comma, newline = text.find(",", position), text.find("\n", position)
        stops = [found for found in (comma, newline) if found >= 0]
        if not stops:
            return value_line, column, False
        stop = min(stops)
        if text[stop] == ",":
            column += 1
        else:
            line, column = line + 1, 0
        position = stop + 1


@dataclass(frozen=True)
class CsvBreak:
    """Where a file stops being CSV: the value that breaks it, and the line where reading failed."""

    #: The line on which the breaking value starts (its opening quote, for a quoted value).
    line: int
    #: The value's position in its record (0 for the first column).
    column: int
    #: ``unclosed`` (the file ends inside a quoted value), ``text-after-quote`` (a quote that
    #: would close the value is followed by more text) or ``too-long`` (over the field limit).
    kind: str
    #: The line on which the csv module gave up (later than ``line`` when a quote ran on).
    at: int


def find_break(text: str, start: int, limit: int) -> CsvBreak | None:
    """The first value from line ``start`` on that the csv module cannot read, or None.

    Python's csv module says *that* a record is broken and the line it had reached, never
    where the guilty quote opened nor in which column; a quote left open runs on over the
    following lines until the next quote, so that line is the wrong one to send a contributor
    to. This reads the record again by the same rules (the default dialect, strict: a quoted
    value ends at a lone quote, which must be followed by a comma, a line end or the end of
    the file; "" inside it is a quote; a quote inside an unquoted value is a character) and
    remembers where each value began.
    """
    position = 0
    for _ in range(start - 1):
        position = text.find("\n", position) + 1
        if position == 0:
            return None
    line, column, end = start, 0, len(text)
    while position < end:
        first_line = line
        if text[position] == '"':
            cursor, length = position + 1, 0
            while True:
                closing = text.find('"', cursor)
                if closing < 0:
                    return CsvBreak(first_line, column, "unclosed", line + text.count("\n", cursor, end))
                line += text.count("\n", cursor, closing)
                length += closing - cursor
                after = text[closing + 1 : closing + 2]
                if after == '"':  # a doubled quote is one quote of the value
                    cursor, length = closing + 2, length + 1
                    continue
                if after not in ("", ",", "\n"):
                    return CsvBreak(first_line, column, "text-after-quote", line)
                position = closing + 1
                break
        else:
            comma, newline = text.find(",", position), text.find("\n", position)
            stop = min(found for found in (comma, newline, end) if found >= 0)
            length = stop - position
            position = stop
        if length > limit:
            return CsvBreak(first_line, column, "too-long", line)
        if position >= end:
            break
        if text[position] == ",":
            column += 1
        else:  # a line end finishes the record
            line, column = line + 1, 0
        position += 1
    return None


def _csv_problem(
    name: str, text: str, start: int, line: int, error: str, header: list[str] | None
) -> Problem:
    """Where the row that begins on line ``start`` (``text``, as far as the csv module read it) breaks."""
    limit = csv.field_size_limit()
    found = find_break(text, 1, limit)
    if found is None:  # the csv module refused something this reading does not (never seen)
        message = (
            f'is not valid CSV ({error}); a value with a quote in it is quoted whole, the quote doubled ("")'
        )
        return Problem(name, line, "-", message)
    # The header row itself, a column of the header, or none (a record longer than the header).
    names = header or ["header"] * (found.column + 1)
    column = names[found.column] if found.column < len(names) else "-"
    shift = start - 1
    if found.kind == "unclosed":
        message = 'a quoted value starts on this line and is never closed; add the closing quote (")'
    elif found.kind == "too-long":
        message = f"has a value over {limit:,} characters long; is a closing quote missing?"
    elif found.at == found.line:
        message = (
            "has a quoted value with text after a quote that would close it; end the value with "
            'a quote just before its comma (") and write a quote inside it twice ("")'
        )
    else:
        message = (
            f"a quoted value starts on this line and is never closed: it runs on to line {found.at + shift}, "
            'where a quote is followed by more text; add the closing quote (") where the value ends'
        )
    return Problem(name, found.line + shift, column, message)


def header_problem(header: list[str], expected: list[str]) -> str:
    """What is wrong with a header row: missing, unknown, repeated or reordered columns."""
    missing = [name for name in expected if name not in header]
    known = set(expected)
    unknown = [quoted(name) for name in header if name not in known]
    repeated = sorted(name for name, times in Counter(header).items() if times > 1 and name in known)
    found = []
    if missing:
        found.append(f"lacks the column(s) {', '.join(missing)}")
    if unknown:
        more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
        found.append(f"has unknown column(s) {', '.join(unknown[:5])}{more}")
    if repeated:
        found.append(f"repeats {', '.join(repeated)}")
    what = "; ".join(found) or "has the right columns in the wrong order"
    return f"{what}; the first line must be exactly: {','.join(expected)}"


def row_shape_problem(row: list[str], columns: int) -> str | None:
    if not row:
        return "is blank; remove the empty line"
    counted = f"has {len(row)} value{'' if len(row) == 1 else 's'} but the header has {columns} columns"
    if len(row) < columns:
        return f"{counted}: a value or a comma is missing"
    if len(row) > columns:
        return f'{counted}: put a value that contains a comma in double quotes ("a, b")'
    return None


# --------------------------------------------------------------------------- a value


def check_value(column: Column, value: str, today: dt.date) -> str | None:
    """Why ``value`` is not acceptable in ``column``, or None when it is."""
    if message := refused_character(value):
        return message
    if value != value.strip():
        return "has leading or trailing spaces"
    if not value:
        return "is required" if column.required else None
    check = _CHECKS.get(column.type)
    if check is None:
        return f"the schema names an unknown type {column.type!r}"
    if message := check(column, value, today):
        return message
    if column.max_length and len(value) > column.max_length:
        return f"is {len(value)} characters long; the limit for {column.name} is {column.max_length}"
    return None


def refused_character(value: str) -> str | None:
    """Why a character of ``value`` is refused in any column (control, bidi, invisible), or None."""
    if value.isprintable():
        return None  # every refused character is unprintable: one C call clears most values
    found = _REFUSED.search(value)
    if found is None:
        return None
    ch, position = found.group(), found.start() + 1
    code = ord(ch)
    if ch in BIDI_CONTROLS:
        return (
            f"contains {describe(ch)} at position {position}, a bidirectional control that makes text "
            "display in another order than it is written; remove it"
        )
    if ch in INVISIBLE or 0xE0000 <= code <= 0xE007F:
        return (
            f"contains {describe(ch)} at position {position}, an invisible character that can hide text "
            "or make a name imitate another; remove it"
        )
    if 0xD800 <= code <= 0xDFFF:
        return f"contains {describe(ch)} at position {position}, half of a surrogate pair and not a character"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return f"contains {describe(ch)} at position {position}, a noncharacter that text must not contain"
    return f"contains the control character {describe(ch)} at position {position}; remove it"


def describe(ch: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: how a message names a character it cannot show."""
    code = ord(ch)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(ch, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def has_visible_character(value: str) -> bool:
    """Whether anything of ``value`` shows: not only spaces, marks, format characters or blanks."""
    if _ASCII_VISIBLE.search(value):
        return True
    return any(
        unicodedata.category(ch) not in {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"} and ch not in BLANK_LETTERS
        for ch in value
    )


def quoted(value: str, limit: int = 60) -> str:
    """``value`` quoted for a message and cut short: a hostile value must not flood the output."""
    return repr(value) if len(value) <= limit else repr(value[:limit]) + "..."


def _text(column: Column, value: str, today: dt.date) -> str | None:
    if not has_visible_character(value):
        return "has no visible character: it is only spaces or invisible characters"
    return None


def _slug(column: Column, value: str, today: dt.date) -> str | None:
    if not SLUG.fullmatch(value):
        return (
            f"{quoted(value)} is not a slug: use lowercase letters, digits and single hyphens, "
            "e.g. 'college-board'"
        )
    if value in column.reserved:
        return (
            f"{value!r} is reserved: the site uses it as a page or folder name, or Windows as a "
            "device name (schema.json lists them under reserved_ids); choose another id"
        )
    return None


def _country(column: Column, value: str, today: dt.date) -> str | None:
    return (
        None
        if COUNTRY.fullmatch(value)
        else f"{quoted(value)} is not an ISO 3166-1 alpha-2 code such as 'US'"
    )


def _region(column: Column, value: str, today: dt.date) -> str | None:
    if REGION.fullmatch(value):
        return None
    return f"{quoted(value)} is not an ISO 3166-2 subdivision code such as 'TX'"


def _url(column: Column, value: str, today: dt.date) -> str | None:
    return url_problem(value)


def url_problem(value: str) -> str | None:
    """Why ``value`` is not a plain http(s) link, or None when it is one."""
    if not URL.fullmatch(value):
        if value.lower().startswith(("http://", "https://")):
            return (
                f"{quoted(value)} has a space or a character a URL must percent-encode "
                '(" < > ` \\); encode it, e.g. a space as %20'
            )
        return f"{quoted(value)} is not an http(s) URL: links must start with http:// or https://"
    authority = re.split(r"[/?#]", value.split("://", 1)[1], maxsplit=1)[0]
    if "@" in authority:
        return "has a user name or password before '@'; link to the page without them"
    if not authority.isascii():
        return (
            f"the host {quoted(authority)} has non-ASCII letters, which can imitate another site's "
            "name; write it in its ASCII form (xn--...)"
        )
    try:
        _ = urlsplit(value).port  # parses the host part: brackets and port number
    except ValueError:
        return (
            f"{quoted(value)} has a host part that does not parse (an unclosed '[' or a port "
            "outside 0-65535); link to the page as the browser's address bar shows it"
        )
    return None


def _did(column: Column, value: str, today: dt.date) -> str | None:
    """An Ed25519 did:key, checked by the certificates' own reading of one (certificates.did_key),
    so the directory accepts exactly the keys a certificate's signature can be checked against."""
    from certificates.did_key import did_problem  # stdlib; imported when a row names a key

    problem = did_problem(value)
    return None if problem is None else f"{quoted(value)}: {problem}"


def _number(column: Column, value: str, number: Decimal, example: str) -> str | None:
    """The bounds schema.json sets for a decimal or integer column."""
    if column.minimum is not None and number < column.minimum:
        return f"{quoted(value)} is too small: {column.name} must be at least {column.minimum}"
    if column.maximum is not None and number > column.maximum:
        return f"{quoted(value)} is too large: {column.name} must be at most {column.maximum}"
    if number <= 0 and not (number == 0 and column.minimum == 0):  # zero only where the schema allows it
        return f"{quoted(value)} is not a positive number such as {example}"
    return None


def _decimal(column: Column, value: str, today: dt.date) -> str | None:
    if not DECIMAL.fullmatch(value):
        return (
            f"{quoted(value)} is not a number written like 60 or 0.25 "
            "(digits and at most one point: no sign, exponent or leading zero)"
        )
    number = Decimal(value)
    if message := _number(column, value, number, "60 or 0.25"):
        return message
    places = -int(number.as_tuple().exponent)
    if column.max_places is not None and places > column.max_places:
        return (
            f"{value!r} has {places} digits after the point; {column.name} takes at most {column.max_places}"
        )
    return None


def _fraction(column: Column, value: str, today: dt.date) -> str | None:
    """A decimal (checked as one) or a fraction n/d, bounded like a decimal."""
    if "/" not in value:
        return _decimal(column, value, today)
    if not FRACTION.fullmatch(value):
        return f"{quoted(value)} is not a number written like 0.25 or a fraction written like 1/3"
    numerator, denominator = (int(part) for part in value.split("/"))
    number = Fraction(numerator, denominator)
    if column.minimum is not None and number < column.minimum:
        return f"{quoted(value)} is too small: {column.name} must be at least {column.minimum}"
    if column.maximum is not None and number > column.maximum:
        return f"{quoted(value)} is too large: {column.name} must be at most {column.maximum}"
    return None


def _integer(column: Column, value: str, today: dt.date) -> str | None:
    if not INTEGER.fullmatch(value):
        return f"{quoted(value)} is not a whole number such as 3"
    return _number(column, value, Decimal(value), "3")


def _terms(column: Column, value: str, today: dt.date) -> str | None:
    terms = [term.strip() for term in value.split(";")]
    if not column.multiple and len(terms) > 1:
        return "takes one term, not a ';'-separated list"
    bad = [term for term in terms if not SLUG.fullmatch(term)]
    if bad:
        return (
            f"{quoted(bad[0])} is not a term: use lowercase words joined by hyphens, several separated by ';'"
        )
    return None


def _list(column: Column, value: str, today: dt.date) -> str | None:
    if any(not term.strip() for term in value.split(";")):
        return "has an empty item: separate items with a single ';'"
    return _text(column, value, today)


def _enum(column: Column, value: str, today: dt.date) -> str | None:
    if value in column.values:
        return None
    return f"{quoted(value)} is not one of: {', '.join(column.values)}"


def _date(column: Column, value: str, today: dt.date) -> str | None:
    if not DATE.fullmatch(value):
        return f"{quoted(value)} is not a date in the form YYYY-MM-DD"
    return _real_past_date(value, today)


def _partial_date(column: Column, value: str, today: dt.date) -> str | None:
    if not PARTIAL_DATE.fullmatch(value):
        return f"{quoted(value)} is not YYYY, YYYY-MM or YYYY-MM-DD"
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
    "fraction": _fraction,
    "integer": _integer,
    "date": _date,
    "partial_date": _partial_date,
    "did": _did,
}
