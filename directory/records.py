"""Reading the directory CSVs into checked records.

Every problem is reported as ``file:line: field: what is wrong`` so a contributor
can go straight to the cell. Reading never stops at the first problem: a pull
request gets the whole list at once, and no file, however broken (a byte-order
mark, bytes that are not UTF-8, a quote never closed, a 100 KB value), ends in a
traceback. The browser runs this module too (the Suggest page), so it keeps to
the standard library.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from urllib.parse import urlsplit

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


# --------------------------------------------------------------------------- a file


def read_table(path: Path, table: Table, today: dt.date) -> tuple[list[Entry], list[Problem]]:
    name = path.name
    text, problems = read_text(path)
    if text is None:
        return [], problems
    records, broken = parse_csv(name, text)
    if not records:
        empty = Problem(name, 1, "header", "the file is empty: it needs the header row")
        return [], [*problems, *(broken or [empty])]
    (_, header), body = records[0], records[1:]
    expected = list(table.column_names)
    if header != expected:
        return [], [*problems, Problem(name, 1, "header", header_problem(header, expected)), *broken]

    entries: list[Entry] = []
    seen: dict[tuple[str, ...], int] = {}
    previous: tuple[str, ...] = ()
    key_field = table.row_key[-1]
    for line, row in body:
        if message := row_shape_problem(row, len(expected)):
            problems.append(Problem(name, line, "-", message))
            continue
        values = dict(zip(expected, row, strict=True))
        for column in table.columns:
            if message := check_value(column, values[column.name], today):
                problems.append(Problem(name, line, column.name, message))
        key = tuple(values[column] for column in table.row_key)
        shown = quoted("/".join(key))
        if key in seen:
            problems.append(Problem(name, line, key_field, f"{shown} is already used on line {seen[key]}"))
        else:
            seen[key] = line
        if previous and key < previous:
            order = ", ".join(table.row_key)
            message = f"rows must be sorted by {order}: {shown} belongs before {quoted('/'.join(previous))}"
            problems.append(Problem(name, line, key_field, message))
        previous = key
        entries.append(Entry(table.key, line, values))
    return entries, problems + broken


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file as text with LF line ends, or None and why not.

    Bytes are decoded line by line, so a byte that is not UTF-8 is reported on its
    own line. CRLF line ends are accepted (a maintainer on Windows saves them) and
    turned into LF; a carriage return anywhere else is refused, because it would
    make the line numbers of the csv module and of an editor disagree.
    """
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, 0, "-", "file is missing")]
    except IsADirectoryError:
        return None, [Problem(name, 0, "-", "is a folder, not a CSV file")]
    except OSError as error:
        return None, [Problem(name, 0, "-", f"cannot be read: {error.strerror or error}")]
    if data.startswith(_UTF16_BOMS):
        return None, [Problem(name, 1, "header", "is UTF-16 text; save the file as UTF-8 (without BOM)")]
    bom: list[Problem] = []
    if data.startswith(_UTF8_BOM):
        message = "starts with a byte-order mark (U+FEFF); save the file as UTF-8 without BOM"
        bom.append(Problem(name, 1, "header", message))
        data = data[len(_UTF8_BOM) :]
    try:  # the usual case, in one call; the loop below finds the line of a problem
        text = data.decode("utf-8").replace("\r\n", "\n")
        if "\r" not in text:
            return text, bom
    except UnicodeDecodeError:
        pass
    unreadable: list[Problem] = []
    decoded: list[str] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        line = raw.removesuffix(b"\r")
        if b"\r" in line:
            message = (
                "has a carriage return (CR) that does not end a line; save the file with LF or CRLF line ends"
            )
            unreadable.append(Problem(name, number, "-", message))
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError as error:
            message = (
                f"is not UTF-8 text: byte 0x{line[error.start]:02x} at byte {error.start + 1} of the line "
                f"({error.reason}); save the file as UTF-8"
            )
            unreadable.append(Problem(name, number, "-", message))
    if unreadable:
        return None, bom + unreadable
    return "\n".join(decoded), bom


def parse_csv(name: str, text: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """(first line, fields) of each record, and the problem that stopped the reading, if any."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1  # a quoted field may span lines: remember where each record starts
    try:
        for row in reader:
            records.append((start, row))
            start = reader.line_num + 1
    except csv.Error as error:
        header = records[0][1] if records else []
        return records, [_csv_problem(name, text, start, reader.line_num, str(error), header)]
    return records, []


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


def _csv_problem(name: str, text: str, start: int, line: int, error: str, header: list[str]) -> Problem:
    limit = csv.field_size_limit()
    found = find_break(text, start, limit)
    if found is None:  # the csv module refused something this reading does not (never seen)
        message = (
            f'is not valid CSV ({error}); a value with a quote in it is quoted whole, the quote doubled ("")'
        )
        return Problem(name, line, "-", message)
    # The header row itself, a column of the header, or none (a record longer than the header).
    names = header or ["header"] * (found.column + 1)
    column = names[found.column] if found.column < len(names) else "-"
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
            f"a quoted value starts on this line and is never closed: it runs on to line {found.at}, "
            'where a quote is followed by more text; add the closing quote (") where the value ends'
        )
    return Problem(name, found.line, column, message)


def header_problem(header: list[str], expected: list[str]) -> str:
    """What is wrong with a header row: missing, unknown, repeated or reordered columns."""
    missing = [name for name in expected if name not in header]
    unknown = [quoted(name) for name in header if name not in expected]
    repeated = sorted({name for name in header if header.count(name) > 1})
    found = []
    if missing:
        found.append(f"lacks the column(s) {', '.join(missing)}")
    if unknown:
        found.append(f"has unknown column(s) {', '.join(unknown[:5])}")
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


def _number(column: Column, value: str, number: Decimal, example: str) -> str | None:
    """The bounds schema.json sets for a decimal or integer column."""
    if column.minimum is not None and number < column.minimum:
        return f"{quoted(value)} is too small: {column.name} must be at least {column.minimum}"
    if column.maximum is not None and number > column.maximum:
        return f"{quoted(value)} is too large: {column.name} must be at most {column.maximum}"
    if number <= 0:
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
}
