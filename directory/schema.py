"""The directory's data shapes, read from ``directory_data/schema.json``.

That JSON file is the single declaration of tables and columns; this module only
turns it into typed objects for the validator, the page builder and the docs.
A schema.json that is not what this module expects raises ``SchemaError`` (a
ValueError) naming the file and the key, never a KeyError halfway through a build.
The browser runs this module too (the Suggest page), so it keeps to the standard library.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeGuard

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
)
#: Table keys and file names become paths (``/directory/<table>/``, ``data_dir / file``).
_TABLE_KEY = re.compile(r"[a-z][a-z0-9_]*")
_TABLE_FILE = re.compile(r"[a-z][a-z0-9_]*\.csv")
_COLUMN_NAME = re.compile(r"[a-z][a-z0-9_]*")


class SchemaError(ValueError):
    """schema.json is missing, is not JSON, or does not declare the tables as expected."""


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
    """The schema of ``data_dir``; raises SchemaError naming the file and what is wrong."""
    path = data_dir / SCHEMA_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError(f"{path}: the schema file is missing") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SchemaError(f"{path}: cannot be read: {error}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise SchemaError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
    except RecursionError:
        raise SchemaError(f"{path}: not valid JSON: nested too deeply") from None
    try:
        return parse_schema(raw)
    except SchemaError as error:
        raise SchemaError(f"{path}: {error}") from None


def parse_schema(raw: object) -> Schema:
    """The Schema that the parsed JSON ``raw`` declares; SchemaError names the key at fault."""
    top = _object(raw, "the top level")
    tables_raw = _object(top.get("tables"), "tables")
    if not tables_raw:
        raise SchemaError("tables: declares no table; expected an object of tables by key")
    reserved = _reserved_ids(top.get("reserved_ids", {"ids": []}))
    tables = tuple(_table(key, spec, reserved) for key, spec in tables_raw.items())
    _check_across_tables(tables)
    return Schema(tables=tables)


def _reserved_ids(raw: object) -> frozenset[str]:
    spec = _object(raw, "reserved_ids")
    ids = _list(spec.get("ids"), "reserved_ids.ids")
    return frozenset(_string(value, f"reserved_ids.ids[{n}]") for n, value in enumerate(ids))


def _table(key: str, raw: object, reserved: frozenset[str]) -> Table:
    where = f"tables.{key}"
    if not _TABLE_KEY.fullmatch(key):
        raise SchemaError(f"{where}: a table key is lowercase letters, digits and '_' (it is a URL path)")
    spec = _object(raw, where)
    file = _string(spec.get("file"), f"{where}.file")
    if not _TABLE_FILE.fullmatch(file):
        raise SchemaError(f"{where}.file: {file!r} is not a plain file name such as 'providers.csv'")
    columns_raw = _list(spec.get("columns"), f"{where}.columns")
    if not columns_raw:
        raise SchemaError(f"{where}.columns: declares no column")
    columns = tuple(
        _column(column, f"{where}.columns[{n}]", reserved) for n, column in enumerate(columns_raw)
    )
    names = [column.name for column in columns]
    if repeated := sorted({name for name in names if names.count(name) > 1}):
        raise SchemaError(f"{where}.columns: {', '.join(repeated)} declared more than once")
    row_key = tuple(
        _string(name, f"{where}.key[{n}]")
        for n, name in enumerate(_list(spec.get("key", ["id"]), f"{where}.key"))
    )
    if missing := [name for name in row_key if name not in names]:
        raise SchemaError(f"{where}.key: {', '.join(missing)} is not a column of the table")
    if not row_key:
        raise SchemaError(f"{where}.key: names no column")
    listed = _bool(spec.get("listed", False), f"{where}.listed")
    if listed and row_key != ("id",):
        raise SchemaError(
            f"{where}: a listed table is keyed by its 'id' column alone (pages are named by id)"
        )
    return Table(
        key=key,
        file=file,
        title=_string(spec.get("title"), f"{where}.title"),
        singular=_string(spec.get("singular"), f"{where}.singular"),
        columns=columns,
        listed=listed,
        row_key=row_key,
        sources=_bool(spec.get("sources", True), f"{where}.sources"),
        optional=_bool(spec.get("optional", False), f"{where}.optional"),
        description=_string(spec.get("description", ""), f"{where}.description", empty=True),
    )


def _column(raw: object, where: str, reserved: frozenset[str]) -> Column:
    spec = _object(raw, where)
    name = _string(spec.get("name"), f"{where}.name")
    if not _COLUMN_NAME.fullmatch(name):
        raise SchemaError(f"{where}.name: {name!r} is not lowercase letters, digits and '_'")
    where = f"{where} ({name})"
    kind = _string(spec.get("type"), f"{where}.type")
    if kind not in COLUMN_TYPES:
        raise SchemaError(f"{where}.type: {kind!r} is not one of: {', '.join(COLUMN_TYPES)}")
    values = tuple(_string(v, f"{where}.values") for v in _list(spec.get("values", []), f"{where}.values"))
    if kind == "enum" and not values:
        raise SchemaError(f"{where}.values: an enum column lists its allowed values")
    vocabulary = _string(spec.get("vocabulary", ""), f"{where}.vocabulary", empty=kind != "vocab")
    table = _string(spec.get("table", ""), f"{where}.table", empty=kind != "ref")
    max_length = spec.get("max_length")
    if not _whole(max_length) or max_length < 1:
        raise SchemaError(
            f"{where}.max_length: give the most characters a value may have, a whole number above 0"
        )
    minimum, maximum, max_places = _bounds(spec, kind, where)
    return Column(
        name=name,
        type=kind,
        required=_bool(spec.get("required", False), f"{where}.required"),
        label=_string(spec.get("label", name), f"{where}.label"),
        description=_string(spec.get("description", ""), f"{where}.description", empty=True),
        values=values,
        vocabulary=vocabulary,
        multiple=_bool(spec.get("multiple", False), f"{where}.multiple"),
        table=table,
        max_length=max_length,
        minimum=minimum,
        maximum=maximum,
        max_places=max_places,
        reserved=reserved if name == "id" else frozenset(),
        history_text=_bool(spec.get("history_text", True), f"{where}.history_text"),
    )


def _bounds(spec: dict[str, Any], kind: str, where: str) -> tuple[Decimal | None, Decimal | None, int | None]:
    """minimum, maximum (number columns) and max_places (decimal and fraction columns)."""
    numeric = kind in ("decimal", "fraction", "integer")
    found: list[Decimal | None] = []
    for bound in ("minimum", "maximum"):
        value = spec.get(bound)
        if value is not None and (
            not numeric or isinstance(value, bool) or not isinstance(value, int | float)
        ):
            raise SchemaError(f"{where}.{bound}: only a number, and only for decimal and integer columns")
        found.append(None if value is None else Decimal(str(value)))
    minimum, maximum = found
    if minimum is not None and maximum is not None and minimum > maximum:
        raise SchemaError(f"{where}: minimum {minimum} is above maximum {maximum}")
    places = spec.get("max_places")
    if places is not None and (kind not in ("decimal", "fraction") or not _whole(places) or places < 0):
        raise SchemaError(
            f"{where}.max_places: only a whole number, and only for decimal or fraction columns"
        )
    return minimum, maximum, places


def _check_across_tables(tables: tuple[Table, ...]) -> None:
    keys = {table.key for table in tables}
    files = [table.file for table in tables]
    if repeated := sorted({file for file in files if files.count(file) > 1}):
        raise SchemaError(f"tables: {', '.join(repeated)} is the file of more than one table")
    for table in tables:
        for column in table.columns:
            if column.type == "ref" and column.table not in keys:
                raise SchemaError(
                    f"tables.{table.key}.columns ({column.name}).table: no table {column.table!r}"
                )


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SchemaError(f"{where}: expected a JSON object, got {_kind(value)}")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise SchemaError(f"{where}: expected a JSON array, got {_kind(value)}")
    return value


def _string(value: object, where: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or not (value or empty):
        raise SchemaError(f"{where}: expected {'a' if empty else 'a non-empty'} string, got {_kind(value)}")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise SchemaError(f"{where}: expected true or false, got {_kind(value)}")
    return value


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: object) -> str:
    """How a JSON value is named in a message: its JSON type and a short repr."""
    if value is None:
        return "nothing (the key is missing or null)"
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number"}
    name = names.get(type(value), "a number" if isinstance(value, float) else type(value).__name__)
    shown = repr(value)
    return f"{name} ({shown[:40]}{'...' if len(shown) > 40 else ''})" if name != "an object" else name
