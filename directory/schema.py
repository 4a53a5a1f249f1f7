"""The directory's data shapes, read from ``directory_data/schema.json``.

That JSON file is the single declaration of tables and columns; this module only
turns it into typed objects for the validator, the page builder and the docs.
A schema.json that is not what this module expects raises ``SchemaError`` (a
ValueError), never a KeyError halfway through a build: like a table's problems it reads
``schema.json:LINE: FIELD: why``, FIELD being the path of the key at fault
(``tables.providers.columns[3].max_length``), found by reading the text once more
(JsonPlaces). The file is bounded in size and nesting before it is parsed, a key given
twice or unknown is refused, and so is a number no limit can be (NaN, 1e400).
The browser runs this module too (the Suggest page), so it keeps to the standard library.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeGuard

from directory.data_files import (
    MAX_ROW_BYTES,
    MAX_SCHEMA_BYTES,
    MAX_SCHEMA_DEPTH,
    DataFileError,
    check_folder,
    open_data_file,
    read_limited,
)

SCHEMA_FILE = "schema.json"
#: Every column type the validator knows (records.py has one check per type).
COLUMN_TYPES = (
    "slug",
    "text",
    "list",
    "country",
    "region",
    "url",
    "enum",
    "vocab",
    "ref",
    "date",
    "partial_date",
    "decimal",
    "fraction",
    "integer",
    "did",
)
#: Table keys and file names become paths (``/directory/<table>/``, ``data_dir / file``).
_TABLE_KEY = re.compile(r"[a-z][a-z0-9_]*")
_TABLE_FILE = re.compile(r"[a-z][a-z0-9_]*\.csv")
_COLUMN_NAME = re.compile(r"[a-z][a-z0-9_]*")


#: Where a value sits in schema.json: keys and array indexes from the top.
JsonPath = tuple[str | int, ...]


class SchemaError(ValueError):
    """schema.json is missing, is not JSON, or does not declare the tables as expected.

    Shown like a table's problems, ``schema.json:LINE: FIELD: why``, where FIELD is the path
    of the value at fault (``tables.providers.columns[3].max_length``) or ``-`` for the file
    as a whole; ``path: why`` when the file is refused before it is read.
    """

    def __init__(self, why: str, path: JsonPath = (), *, file: str = "", line: int | None = None) -> None:
        self.why, self.path, self.file, self.line = why, path, file, line
        super().__init__(str(self))

    @property
    def field(self) -> str:
        return dotted(self.path)

    def __str__(self) -> str:
        if not self.file:
            return f"{self.field}: {self.why}"
        if self.line is None:
            return f"{self.file}: {self.why}"
        return f"{self.file}:{self.line}: {self.field}: {self.why}"


#: A key written as ``.key`` in a path; any other is shown quoted, as ``['../x']``.
_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]{0,60}")


def dotted(path: JsonPath) -> str:
    """``tables.providers.columns[3].max_length``: a path as a message names it (``-`` for the top)."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _PLAIN_KEY.fullmatch(step):
            parts.append(f".{step}" if parts else step)
        else:
            shown = repr(step) if len(step) <= 40 else repr(step[:40]) + "..."
            parts.append(f"[{shown}]")
    return "".join(parts) or "-"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    label: str
    description: str
    values: tuple[str, ...] = ()
    #: For ``vocab`` columns: which vocabulary of vocabularies.csv the terms come from.
    vocabulary: str = ""
    #: For ``vocab`` columns: several terms separated by ';'.
    multiple: bool = False
    #: For ``ref`` columns: the table whose ids it names.
    table: str = ""
    #: The most characters a value may have (0: no limit; schema.json always sets one).
    max_length: int = 0
    #: For ``decimal`` and ``integer`` columns: the smallest and largest value allowed.
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    #: For ``decimal`` columns: the most digits allowed after the decimal point.
    max_places: int | None = None
    #: For ``id`` columns: values refused because the site uses them as paths (schema's reserved_ids).
    reserved: frozenset[str] = frozenset()
    #: False for text written for maintainers or rewritten often (notes, sourcing): a change to it
    #: is named in the history, feeds and changes.json without quoting the old and new words
    #: (the commit has them), so wording a later edit replaced is not published again.
    history_text: bool = True


@dataclass(frozen=True)
class Table:
    key: str
    file: str
    title: str
    singular: str
    columns: tuple[Column, ...]
    #: Listed tables get directory pages; the others are reference data (credit systems).
    listed: bool = False
    #: The columns that identify a row (unique, and the sort order of the file).
    row_key: tuple[str, ...] = ("id",)
    #: Fact-bearing tables carry source_url, source_kind, source_date, source_quote, verified_on.
    sources: bool = True
    #: An optional table's file may be absent: it then has no rows (a report not yet written).
    optional: bool = False
    #: What the table is for, when its title does not say enough (the column reference prints it).
    description: str = ""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def longest_row(self) -> int:
        """The most bytes a row takes when every value keeps to its column's max_length."""
        return sum(_row_bytes(column) for column in self.columns)


@dataclass(frozen=True)
class Schema:
    tables: tuple[Table, ...]

    @property
    def listed(self) -> tuple[Table, ...]:
        return tuple(table for table in self.tables if table.listed)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def load_schema(data_dir: Path) -> Schema:
    """The schema of ``data_dir``; raises SchemaError naming the file, the line and the key at fault.

    The file is opened as data_files.py opens every data file (a regular file in the
    folder, at most MAX_SCHEMA_BYTES), and its nesting is measured before it is parsed.
    """
    path = data_dir / SCHEMA_FILE
    shown = path.as_posix()
    try:
        check_folder(data_dir)
        with open_data_file(path, MAX_SCHEMA_BYTES) as handle:
            data = read_limited(handle, path, MAX_SCHEMA_BYTES)
    except FileNotFoundError:
        raise SchemaError("the schema file is missing", file=shown) from None
    except DataFileError as error:
        raise SchemaError(error.why, file=error.path.as_posix()) from None
    try:
        text = schema_text(data)
        raw = json.loads(text, parse_int=_json_int, parse_float=_json_float, parse_constant=_JsonNumber)
    except SchemaError as error:
        raise SchemaError(error.why, file=shown, line=error.line or 1) from None
    except json.JSONDecodeError as error:
        raise SchemaError(
            f"is not valid JSON: {error.msg.removesuffix(' at')} (column {error.colno})",
            file=shown,
            line=error.lineno,
        ) from None
    places = JsonPlaces(text)
    if places.repeated:
        key_path, first, again = places.repeated[0]
        why = (
            f"is given twice, on line {first} and on line {again}; JSON keeps only the last, so give it once"
        )
        raise SchemaError(why, key_path, file=shown, line=again)
    try:
        return parse_schema(raw)
    except SchemaError as error:
        raise SchemaError(error.why, error.path, file=shown, line=places.line_of(error.path)) from None


def schema_text(data: bytes) -> str:
    """schema.json's bytes as text, no deeper than MAX_SCHEMA_DEPTH; SchemaError (with ``line``) if not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SchemaError("is UTF-16 text; save the file as UTF-8 (without BOM)", line=1)
    if data.startswith(b"\xef\xbb\xbf"):
        raise SchemaError(
            "starts with a byte-order mark (U+FEFF); save the file as UTF-8 without BOM", line=1
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        why = (
            f"is not UTF-8 text: byte 0x{data[error.start]:02x} at byte {error.start - line_start + 1} of the "
            f"line ({error.reason}); save the file as UTF-8"
        )
        raise SchemaError(why, line=data.count(b"\n", 0, error.start) + 1) from None
    if not text.strip():
        raise SchemaError("is empty; it declares the tables, as a JSON object", line=1)
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_SCHEMA_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                why = f"nests deeper than {MAX_SCHEMA_DEPTH} levels here; it is not read further"
                raise SchemaError(why, line=line)
        elif bracket in "]}":
            depth -= 1
    return text


#: What the nesting count looks at: a string (skipped whole, so a bracket in it is text) or a bracket.
_JSON_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{}]')
#: The most digits a whole number in the schema may have (a limit is a few digits; 10**5000 is not one).
_MAX_DIGITS = 18


class _JsonNumber:
    """A number JSON can write that the schema cannot use (NaN, Infinity, 1e400, 10**5000): it
    stays in the parsed value as itself, so the key that holds it is refused by its path."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text if len(self.text) <= 20 else self.text[:20] + "..."


def _json_int(text: str) -> int | _JsonNumber:
    return int(text) if len(text.lstrip("-")) <= _MAX_DIGITS else _JsonNumber(text)


def _json_float(text: str) -> float | _JsonNumber:
    number = float(text)
    return number if math.isfinite(number) else _JsonNumber(text)


class JsonPlaces:
    """The line on which each key and array item of a (valid) JSON text starts, by its path.

    json.loads says where a syntax error is but not where a value came from; this reads the
    text once more, by the same grammar, to name the line of the key a message is about.
    Keys given twice in one object are noted in ``repeated`` (json.loads keeps the last).
    """

    _SPACE = re.compile(r"[ \t\n\r]*")
    _STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
    _SCALAR = re.compile(
        r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null|NaN|-?Infinity"
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines = [found.start() for found in re.finditer("\n", text)]
        self.lines: dict[JsonPath, int] = {}
        self.repeated: list[tuple[JsonPath, int, int]] = []
        start = self._skip(0)
        self.lines[()] = self._line(start)
        self._value(start, ())

    def line_of(self, path: JsonPath) -> int:
        """The line of ``path``, or of its nearest enclosing value present (a missing key: its object)."""
        while path not in self.lines:
            path = path[:-1]
        return self.lines[path]

    def _line(self, index: int) -> int:
        return bisect.bisect_left(self._newlines, index) + 1

    def _skip(self, index: int) -> int:
        found = self._SPACE.match(self.text, index)
        return found.end() if found else index

    def _string(self, index: int) -> tuple[str, int]:
        """The string whose opening quote is at ``index``, and the index after its closing quote."""
        found = self._STRING.match(self.text, index)
        if found is None:  # json.loads read this text: never
            raise SchemaError("is not valid JSON", line=self._line(index))
        text: str = json.loads(found.group())
        return text, found.end()

    def _value(self, index: int, path: JsonPath) -> int:
        """Read the value at ``index`` (no space before it); the index after it."""
        text = self.text
        if text[index] == "{":
            return self._object(index, path)
        if text[index] == "[":
            index, number = self._skip(index + 1), 0
            while text[index] != "]":
                self.lines[(*path, number)] = self._line(index)
                index = self._skip(self._value(index, (*path, number)))
                if text[index] == ",":
                    index = self._skip(index + 1)
                number += 1
            return index + 1
        if text[index] == '"':
            return self._string(index)[1]
        scalar = self._SCALAR.match(text, index)
        if scalar is None:  # json.loads read this text: never
            raise SchemaError("is not valid JSON", line=self._line(index))
        return scalar.end()

    def _object(self, index: int, path: JsonPath) -> int:
        text = self.text
        index = self._skip(index + 1)
        keys: dict[str, int] = {}
        while text[index] != "}":
            key, after = self._string(index)
            line = self._line(index)
            if key in keys:
                self.repeated.append(((*path, key), keys[key], line))
            keys[key] = line
            self.lines[(*path, key)] = line
            index = self._skip(self._skip(after) + 1)  # past the colon
            index = self._skip(self._value(index, (*path, key)))
            if text[index] == ",":
                index = self._skip(index + 1)
        return index + 1


#: The keys each object of the schema may have, besides "$comment" and other keys starting
#: with "$" (notes for people). Any other key is refused: a misspelt one ("max_lenght") would
#: otherwise be ignored without a word.
TOP_KEYS = ("tables", "reserved_ids")
RESERVED_IDS_KEYS = ("ids", "description")
TABLE_KEYS = ("file", "title", "singular", "description", "columns", "listed", "key", "sources", "optional")
COLUMN_KEYS = (
    "name",
    "type",
    "required",
    "label",
    "description",
    "values",
    "vocabulary",
    "multiple",
    "table",
    "max_length",
    "minimum",
    "maximum",
    "max_places",
    "history_text",
)


def _known_keys(spec: dict[str, Any], known: tuple[str, ...], path: JsonPath) -> None:
    for key in spec:
        if key not in known and not key.startswith("$"):
            raise SchemaError(
                f"is not a key the schema knows here (it knows {', '.join(known)}, and notes in keys "
                "starting with '$'); a misspelt key would be ignored without a word",
                (*path, key),
            )


def parse_schema(raw: object) -> Schema:
    """The Schema that the parsed JSON ``raw`` declares; SchemaError names the path at fault."""
    top = _object(raw, ())
    _known_keys(top, TOP_KEYS, ())
    tables_raw = _object(top.get("tables"), ("tables",))
    if not tables_raw:
        raise SchemaError("declares no table; expected an object of tables by key", ("tables",))
    reserved = _reserved_ids(top.get("reserved_ids", {"ids": []}))
    tables = tuple(_table(key, spec, reserved) for key, spec in tables_raw.items())
    _check_across_tables(tables)
    return Schema(tables=tables)


def _reserved_ids(raw: object) -> frozenset[str]:
    where: JsonPath = ("reserved_ids",)
    spec = _object(raw, where)
    _known_keys(spec, RESERVED_IDS_KEYS, where)
    ids = _list(spec.get("ids"), (*where, "ids"))
    return frozenset(_string(value, (*where, "ids", n)) for n, value in enumerate(ids))


def _table(key: str, raw: object, reserved: frozenset[str]) -> Table:
    where: JsonPath = ("tables", key)
    if not _TABLE_KEY.fullmatch(key):
        raise SchemaError("a table key is lowercase letters, digits and '_' (it is a URL path)", where)
    spec = _object(raw, where)
    _known_keys(spec, TABLE_KEYS, where)
    file = _string(spec.get("file"), (*where, "file"))
    if not _TABLE_FILE.fullmatch(file):
        raise SchemaError(f"{file!r} is not a plain file name such as 'providers.csv'", (*where, "file"))
    columns_raw = _list(spec.get("columns"), (*where, "columns"))
    if not columns_raw:
        raise SchemaError("declares no column", (*where, "columns"))
    columns = tuple(_column(column, (*where, "columns", n), reserved) for n, column in enumerate(columns_raw))
    names = [column.name for column in columns]
    if repeated := sorted(name for name, times in Counter(names).items() if times > 1):
        again = names.index(repeated[0], names.index(repeated[0]) + 1)
        why = f"{', '.join(repeated)} declared more than once"
        raise SchemaError(why, (*where, "columns", again, "name"))
    longest = sum(_row_bytes(column) for column in columns)
    if longest > MAX_ROW_BYTES:
        raise SchemaError(
            f"the columns' max_length allow a row of {longest:,} bytes, and a row may have at most "
            f"{MAX_ROW_BYTES:,} (four bytes a character, a comma a column); lower the longest limits",
            (*where, "columns"),
        )
    key_raw = _list(spec.get("key", ["id"]), (*where, "key"))
    row_key = tuple(_string(name, (*where, "key", n)) for n, name in enumerate(key_raw))
    if missing := [name for name in row_key if name not in names]:
        raise SchemaError(f"{', '.join(map(repr, missing))} is not a column of the table", (*where, "key"))
    if not row_key:
        raise SchemaError("names no column", (*where, "key"))
    listed = _bool(spec.get("listed", False), (*where, "listed"))
    if listed and row_key != ("id",):
        raise SchemaError("a listed table is keyed by its 'id' column alone (pages are named by id)", where)
    return Table(
        key=key,
        file=file,
        title=_string(spec.get("title"), (*where, "title")),
        singular=_string(spec.get("singular"), (*where, "singular")),
        columns=columns,
        listed=listed,
        row_key=row_key,
        sources=_bool(spec.get("sources", True), (*where, "sources")),
        optional=_bool(spec.get("optional", False), (*where, "optional")),
        description=_string(spec.get("description", ""), (*where, "description"), empty=True),
    )


def _row_bytes(column: Column) -> int:
    """The most bytes a value within ``column``'s max_length takes in a row: four a character
    (UTF-8), quotes around it and doubled inside it (at most two bytes a character), a comma."""
    return 4 * column.max_length + 3


def _column(raw: object, where: JsonPath, reserved: frozenset[str]) -> Column:
    spec = _object(raw, where)
    _known_keys(spec, COLUMN_KEYS, where)
    name = _string(spec.get("name"), (*where, "name"))
    if not _COLUMN_NAME.fullmatch(name):
        raise SchemaError(f"{name!r} is not lowercase letters, digits and '_'", (*where, "name"))
    try:
        return _column_of(name, spec, where, reserved)
    except SchemaError as error:  # the message names the column, whose index alone says little
        raise SchemaError(f"(column {name!r}) {error.why}", error.path) from None


def _column_of(name: str, spec: dict[str, Any], where: JsonPath, reserved: frozenset[str]) -> Column:
    kind = _string(spec.get("type"), (*where, "type"))
    if kind not in COLUMN_TYPES:
        raise SchemaError(f"{kind!r} is not one of: {', '.join(COLUMN_TYPES)}", (*where, "type"))
    values_raw = _list(spec.get("values", []), (*where, "values"))
    values = tuple(_string(value, (*where, "values", n)) for n, value in enumerate(values_raw))
    if kind == "enum" and not values:
        raise SchemaError("an enum column lists its allowed values", (*where, "values"))
    vocabulary = _string(spec.get("vocabulary", ""), (*where, "vocabulary"), empty=kind != "vocab")
    table = _string(spec.get("table", ""), (*where, "table"), empty=kind != "ref")
    max_length = spec.get("max_length")
    if not _whole(max_length) or not 1 <= max_length <= MAX_ROW_BYTES:
        raise SchemaError(
            f"give the most characters a value may have, a whole number from 1 to {MAX_ROW_BYTES:,}; "
            f"got {_kind(max_length)}",
            (*where, "max_length"),
        )
    minimum, maximum, max_places = _bounds(spec, kind, where)
    return Column(
        name=name,
        type=kind,
        required=_bool(spec.get("required", False), (*where, "required")),
        label=_string(spec.get("label", name), (*where, "label")),
        description=_string(spec.get("description", ""), (*where, "description"), empty=True),
        values=values,
        vocabulary=vocabulary,
        multiple=_bool(spec.get("multiple", False), (*where, "multiple")),
        table=table,
        max_length=max_length,
        minimum=minimum,
        maximum=maximum,
        max_places=max_places,
        reserved=reserved if name == "id" else frozenset(),
        history_text=_bool(spec.get("history_text", True), (*where, "history_text")),
    )


def _bounds(
    spec: dict[str, Any], kind: str, where: JsonPath
) -> tuple[Decimal | None, Decimal | None, int | None]:
    """minimum, maximum (number columns) and max_places (decimal and fraction columns)."""
    numeric = kind in ("decimal", "fraction", "integer")
    found: list[Decimal | None] = []
    for bound in ("minimum", "maximum"):
        value = spec.get(bound)
        if value is not None and (
            not numeric or isinstance(value, bool) or not isinstance(value, int | float)
        ):
            raise SchemaError(
                f"only a number, and only for decimal and integer columns; got {_kind(value)}",
                (*where, bound),
            )
        found.append(None if value is None else Decimal(str(value)))
    minimum, maximum = found
    if minimum is not None and maximum is not None and minimum > maximum:
        raise SchemaError(f"minimum {minimum} is above maximum {maximum}", (*where, "minimum"))
    places = spec.get("max_places")
    if places is not None and (
        kind not in ("decimal", "fraction") or not _whole(places) or not 0 <= places <= _MAX_DIGITS
    ):
        raise SchemaError(
            f"only a whole number from 0 to {_MAX_DIGITS}, and only for decimal or fraction columns; "
            f"got {_kind(places)}",
            (*where, "max_places"),
        )
    return minimum, maximum, places


def _check_across_tables(tables: tuple[Table, ...]) -> None:
    files: dict[str, str] = {}
    for table in tables:
        if (other := files.setdefault(table.file, table.key)) != table.key:
            raise SchemaError(
                f"{table.file} is already the file of the table {other!r}; each table has a file of its own",
                ("tables", table.key, "file"),
            )
    keys = {table.key for table in tables}
    for table in tables:
        for n, column in enumerate(table.columns):
            if column.type == "ref" and column.table not in keys:
                raise SchemaError(
                    f"(column {column.name!r}) no table {column.table!r}",
                    ("tables", table.key, "columns", n, "table"),
                )


def _object(value: object, where: JsonPath) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SchemaError(f"expected a JSON object, got {_kind(value)}", where)
    return value


def _list(value: object, where: JsonPath) -> list[Any]:
    if not isinstance(value, list):
        raise SchemaError(f"expected a JSON array, got {_kind(value)}", where)
    return value


def _string(value: object, where: JsonPath, *, empty: bool = False) -> str:
    if not isinstance(value, str) or not (value or empty):
        raise SchemaError(f"expected {'a' if empty else 'a non-empty'} string, got {_kind(value)}", where)
    return value


def _bool(value: object, where: JsonPath) -> bool:
    if not isinstance(value, bool):
        raise SchemaError(f"expected true or false, got {_kind(value)}", where)
    return value


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: object) -> str:
    """How a JSON value is named in a message: its JSON type and a short repr."""
    if value is None:
        return "nothing (the key is missing or null)"
    if isinstance(value, _JsonNumber):
        return f"the number {value!r}, which no limit can be (not finite, or too many digits)"
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number"}
    name = names.get(type(value), "a number" if isinstance(value, float) else type(value).__name__)
    shown = repr(value)
    return f"{name} ({shown[:40]}{'...' if len(shown) > 40 else ''})" if name != "an object" else name
