"""Machine-readable copies of the directory: CSV, JSON and a JSON Schema that describes the JSON.

Anyone may reuse the data without scraping pages: each table as CSV (made safe to
open in a spreadsheet), the whole directory as one JSON document, one JSON
document beside each profile page, and a JSON Schema generated from
``directory_data/schema.json`` so the columns are declared in one place only.

Everything here is a pure function of the validated data, the build date and the
site URL; output is sorted by (table, id), so two builds of the same data are
byte-identical. Every pass is linear, for directories of 100,000 entries.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from directory.badges import PROVIDERS
from directory.records import ADDITIONAL_SOURCES, SLUG, TYPE_PATTERNS, Directory, Entry
from directory.schema import Column, Schema, Table
from directory.site_files import EXPORT_ROOT, GeneratedPage, absolute_url, badge_url, json_uri, profile_url
from directory.status import LABELS, Status

DIRECTORY_JSON = f"{EXPORT_ROOT}/directory.json"
SCHEMA_JSON = f"{EXPORT_ROOT}/schema.json"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: The extra CSV columns of providers, after the schema's own.
STATUS_COLUMNS = ("status", "status_rule", "status_as_of")
#: The JSON property holding a record's additional sources (the sources.csv rows that support it).
ADDITIONAL_PROPERTY = "additional_sources"
#: A spreadsheet treats a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: JSON Schema ``pattern`` of each column type with a fixed shape: the validator's own patterns.
_PATTERNS = {kind: f"^(?:{pattern.pattern})$" for kind, pattern in {**TYPE_PATTERNS, "vocab": SLUG}.items()}
_FORMATS = {"url": "uri", "date": "date"}
_KNOWN_TYPES = {*_PATTERNS, "text", "list", "enum"}

Record = dict[str, Any]


def safe_cell(value: str) -> str:
    """``value`` made safe to open in a spreadsheet.

    A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    can run as a formula (``=HYPERLINK(...)``) when the CSV is opened in Excel,
    LibreOffice or Google Sheets. Following OWASP's advice, such a cell gets a
    leading apostrophe, which spreadsheets show as text. Every other value is
    returned unchanged; to recover the original, drop a leading ``'`` that is
    followed by one of those characters.
    """
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def exported_tables(schema: Schema) -> tuple[Table, ...]:
    """Listed tables, the tables whose rows belong to a listed entry (acceptances), and the
    additional sources of those rows (sources.csv)."""
    listed = {table.key for table in schema.listed}
    return tuple(
        table
        for table in schema.tables
        if table.listed or _parent_column(table, listed) or table.key == ADDITIONAL_SOURCES
    )


def supported_tables(schema: Schema) -> frozenset[str]:
    """The tables whose rows may have additional sources: the values of sources.csv's ``table``."""
    if ADDITIONAL_SOURCES not in {table.key for table in schema.tables}:
        return frozenset()
    columns = {column.name: column for column in schema.table(ADDITIONAL_SOURCES).columns}
    return frozenset(columns["table"].values)


def row_order(table: Table) -> Callable[[Entry], tuple[str, ...]]:
    """How a table's rows are sorted in the exports: by its key, as the CSV files are."""
    return lambda entry: tuple(entry.values.get(name, "") for name in table.row_key)


@dataclass(frozen=True)
class ExportFile:
    """One download, as the export index lists it."""

    #: Path in the built site (``directory/export/providers.csv``).
    path: str
    #: What it holds, in one sentence.
    description: str
    #: How much: rows, entries or record types, in words.
    size: str
    #: A CSV is offered as a download; JSON opens in the browser.
    download: bool


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


def export_catalogue(directory: Directory, schema: Schema) -> list[ExportFile]:
    """Every file export_files writes under directory/export/, in the order it writes them."""
    tables = exported_tables(schema)
    counts = {table.key: 0 for table in tables}
    for entry in directory.entries:
        if entry.table in counts:
            counts[entry.table] += 1
    catalogue = []
    for table in tables:
        extra = f", then {', '.join(STATUS_COLUMNS)}" if table.key == PROVIDERS else ""
        catalogue.append(
            ExportFile(
                f"{EXPORT_ROOT}/{table.file}",
                f"{table.title}: one row per {table.singular}, with the columns of the directory's "
                f"{table.file}{extra}.",
                _count(counts[table.key], "row"),
                download=True,
            )
        )
    listed = [table for table in tables if table.listed]
    catalogue.append(
        ExportFile(
            SCHEMA_JSON,
            f"A JSON Schema (draft 2020-12) of {DIRECTORY_JSON.rsplit('/', 1)[-1]} and of each "
            "entry's own JSON document: every column with its description, type and pattern.",
            _count(len(tables), "record type"),
            download=False,
        )
    )
    catalogue.append(
        ExportFile(
            DIRECTORY_JSON,
            "Everything in one JSON document: the "
            + " and ".join(table.key.replace("_", " ") for table in listed)
            + ", each with its rows from the other tables, its additional sources, its links and "
            "(providers) its status.",
            _count(sum(counts[table.key] for table in listed), "entry", "entries"),
            download=False,
        )
    )
    return catalogue


def export_files(
    directory: Directory,
    schema: Schema,
    today: dt.date,
    site_url: str,
    statuses: Mapping[str, Status],
) -> Iterator[GeneratedPage]:
    """Every export: a CSV per table, schema.json, one JSON per listed entry, then directory.json.

    ``statuses``: every provider's, as its profile shows it (DirectoryView.statuses): the build
    computes them once, so an export never shows another status than the page.
    """
    tables = exported_tables(schema)
    listed = {table.key for table in schema.listed}
    rows: dict[str, list[Entry]] = {table.key: [] for table in tables}
    for entry in directory.entries:
        if entry.table in rows:
            rows[entry.table].append(entry)
    for table in tables:
        rows[table.key].sort(key=row_order(table))
    as_of = today.isoformat()

    for table in tables:
        yield GeneratedPage(f"{EXPORT_ROOT}/{table.file}", table_csv(table, rows[table.key], statuses))
    yield GeneratedPage(SCHEMA_JSON, _dumps(json_schema(schema, site_url, _vocabularies(directory))))

    # Additional sources grouped under the row they support, once.
    additional: dict[tuple[str, str], list[Record]] = {}
    if ADDITIONAL_SOURCES in rows:
        sources_table = schema.table(ADDITIONAL_SOURCES)
        for entry in rows[ADDITIONAL_SOURCES]:
            key = (entry.values["table"], entry.values["id"])
            additional.setdefault(key, []).append(entry_record(entry, sources_table, site_url))
    supported = supported_tables(schema)

    def more(table: Table, entry: Entry) -> list[Record] | None:
        return additional.get((table.key, entry.id), []) if table.key in supported else None

    # Child rows (acceptances) grouped under their parent once, so nesting stays linear.
    children: dict[tuple[str, str], list[tuple[str, Record]]] = {}
    for table in tables:
        parent = _parent_column(table, listed)
        if parent is None:
            continue
        for entry in rows[table.key]:
            record = entry_record(entry, table, site_url, additional=more(table, entry))
            key = (parent.table, entry.values[parent.name])
            children.setdefault(key, []).append((table.key, record))

    documents: dict[str, list[Record]] = {}
    for table in tables:
        if not table.listed:
            continue
        child_keys = [child.key for child in tables if _parent_column(child, {table.key})]
        records = documents[table.key] = []
        for entry in rows[table.key]:
            found = children.get((table.key, entry.id), [])
            nested = {
                key: [child for child_table, child in found if child_table == key] for key in child_keys
            }
            status = statuses[entry.id] if table.key == PROVIDERS else None
            record = entry_record(entry, table, site_url, status, nested, more(table, entry))
            records.append(record)
            yield GeneratedPage(json_uri(entry), _dumps({"status_as_of": as_of, **record}))
    whole = {"status_as_of": as_of, **documents}
    yield GeneratedPage(DIRECTORY_JSON, json.dumps(whole, ensure_ascii=False, separators=(",", ":")) + "\n")


def table_csv(table: Table, entries: Iterable[Entry], statuses: Mapping[str, Status]) -> str:
    """One table as CSV: the schema's columns in order, plus the status of providers."""
    extra = STATUS_COLUMNS if table.key == PROVIDERS else ()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # Python 3.11's writer leaves a field holding a bare carriage return unquoted, which
    # splits the record; such a row (never valid data, which refuses control characters)
    # is written with every field quoted instead.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow([safe_cell(name) for name in (*table.column_names, *extra)])
    for entry in entries:
        cells = [entry.values.get(name, "") for name in table.column_names]
        if extra:
            status = statuses[entry.id]
            cells += [status.code, status.rule, status.as_of.isoformat()]
        row = [safe_cell(cell) for cell in cells]
        (quoted if any("\r" in cell for cell in row) else writer).writerow(row)
    return out.getvalue()


def entry_record(
    entry: Entry,
    table: Table,
    site_url: str,
    status: Status | None = None,
    nested: Mapping[str, list[Record]] | None = None,
    additional: list[Record] | None = None,
) -> Record:
    """The JSON record of one row: every column, nested rows, its links and (providers) its status.

    Blank optional values are null; list and multi-term columns are arrays of strings;
    everything else is the string the CSV holds. ``nested`` maps a child table
    (acceptances) to the records of its rows that name this entry; ``additional`` holds the
    records of its additional sources (sources.csv), given for the tables that may have them.
    """
    record: Record = {column.name: _json_value(entry, column) for column in table.columns}
    if additional is not None:
        record[ADDITIONAL_PROPERTY] = additional
    record.update(nested or {})
    if status is not None:
        record["status"] = {
            "code": status.code,
            "label": status.label,
            "rule": status.rule,
            "as_of": status.as_of.isoformat(),
            "stale_warning": status.stale_warning or None,
        }
    if table.listed:
        record["profile_url"] = profile_url(entry, site_url)
        record["json_url"] = absolute_url(site_url, json_uri(entry))
    if table.key == PROVIDERS:
        record["badge_url"] = badge_url(entry, site_url)
    return record


def json_schema(
    schema: Schema, site_url: str = "", vocabularies: Mapping[str, Sequence[str]] | None = None
) -> Record:
    """A JSON Schema (draft 2020-12) of directory.json and of the per-entry documents.

    Generated from ``schema``: one ``$defs`` entry per exported table, one property
    per column with its description, and the type, pattern, enum and format its
    column type implies. ``vocabularies`` (vocabulary -> terms), when given, turns
    vocabulary columns into enums.
    """
    tables = exported_tables(schema)
    names = {table.key: table.singular.replace(" ", "_") for table in tables}
    supported = supported_tables(schema)
    defs: Record = {"status": _status_def()}
    for table in tables:
        properties: Record = {
            column.name: _column_def(column, vocabularies or {}) for column in table.columns
        }
        if table.key in supported and ADDITIONAL_SOURCES in names:
            properties[ADDITIONAL_PROPERTY] = {
                "description": f"Other pages that state what this {table.singular} states: the rows of "
                f"{schema.table(ADDITIONAL_SOURCES).file} for it (an empty array when there are none).",
                "type": "array",
                "items": {"$ref": f"#/$defs/{names[ADDITIONAL_SOURCES]}"},
            }
        for child in tables:
            if table.listed and _parent_column(child, {table.key}):
                properties[child.key] = {
                    "description": f"{child.title}: the rows of {child.file} that name this {table.singular}.",
                    "type": "array",
                    "items": {"$ref": f"#/$defs/{names[child.key]}"},
                }
        if table.key == PROVIDERS:
            properties["status"] = {"$ref": "#/$defs/status"}
        if table.listed:
            properties["profile_url"] = _url_def(f"The {table.singular}'s profile page.")
            properties["json_url"] = _url_def("This record as a JSON document of its own.")
        if table.key == PROVIDERS:
            properties["badge_url"] = _url_def("The provider's OpenCEU badge (SVG).")
        required = list(properties)
        if table.listed:
            properties["status_as_of"] = {
                "description": "The build date (YYYY-MM-DD); present in the per-entry documents only.",
                "type": "string",
                "format": "date",
                "pattern": _PATTERNS["date"],
            }
        defs[names[table.key]] = {
            "title": table.singular.capitalize(),
            "description": f"One row of {table.file} ({table.title}). Every column is present; "
            "blank optional values are null.",
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
    top_properties: Record = {
        "status_as_of": {
            "description": "The build date (YYYY-MM-DD): statuses are as of this day.",
            "type": "string",
            "format": "date",
            "pattern": _PATTERNS["date"],
        }
    }
    for table in tables:
        if table.listed:
            top_properties[table.key] = {
                "description": f"{table.title}, sorted by id.",
                "type": "array",
                "items": {"$ref": f"#/$defs/{names[table.key]}"},
            }
    refs = ", ".join(f"#/$defs/{names[t.key]}" for t in tables if t.listed)
    result: Record = {"$schema": JSON_SCHEMA_DIALECT}
    if site_url:
        result["$id"] = absolute_url(site_url, SCHEMA_JSON)
    result.update(
        {
            "title": "OpenCEU directory export",
            "description": (
                f"Describes {DIRECTORY_JSON}. Each per-entry document, directory/<table>/<id>.json, "
                f"is one record plus status_as_of; validate it against {refs}, e.g. with the schema "
                '{"$ref": "<this schema\'s URL>#/$defs/provider"}. Records state what the cited '
                "source showed on the day it was verified, not an accreditation."
            ),
            "type": "object",
            "properties": top_properties,
            "required": list(top_properties),
            "additionalProperties": False,
            "$defs": defs,
        }
    )
    return result


def _parent_column(table: Table, listed: set[str]) -> Column | None:
    """For a non-listed table, the ref column naming a listed table (acceptances -> organizations)."""
    if table.listed:
        return None
    for column in table.columns:
        if column.type == "ref" and column.table in listed:
            return column
    return None


def _json_value(entry: Entry, column: Column) -> str | list[str] | None:
    value = entry.values.get(column.name, "")
    if not value and not column.required:
        return None
    if _is_array(column):
        return entry.terms(column.name)
    return value


def _is_array(column: Column) -> bool:
    return column.type == "list" or (column.type == "vocab" and column.multiple)


def _column_def(column: Column, vocabularies: Mapping[str, Sequence[str]]) -> Record:
    if column.type not in _KNOWN_TYPES:
        raise ValueError(f"column {column.name!r} has a type the export does not know: {column.type!r}")
    # The whole cell's limit also bounds each item of a ';'-separated list.
    item: Record = {"type": "string", "minLength": 1, "maxLength": column.max_length}
    if column.type in _PATTERNS:
        item["pattern"] = _PATTERNS[column.type]
    if column.type in _FORMATS:
        item["format"] = _FORMATS[column.type]
    terms = list(vocabularies.get(column.vocabulary, ())) if column.type == "vocab" else []
    if column.type == "enum":
        terms = list(column.values)
    if terms:
        item["enum"] = terms
    described: Record = {"title": column.label, "description": column.description}
    if _is_array(column):
        shape: Record = {"type": "array", "items": item, "minItems": 1}
    else:
        shape = item
    if column.required:
        return {**described, **shape}
    return {**described, "anyOf": [shape, {"type": "null"}]}


def _url_def(description: str) -> Record:
    return {"description": description, "type": "string", "format": "uri"}


def _status_def() -> Record:
    return {
        "title": "Status",
        "description": "A provider's status as of the build date, from what its source says and when.",
        "type": "object",
        "properties": {
            "code": {"type": "string", "enum": list(LABELS)},
            "label": {"type": "string", "enum": list(LABELS.values())},
            "rule": {
                "type": "string",
                "minLength": 1,
                "description": "The rule that produced the status, in words.",
            },
            "as_of": {"type": "string", "format": "date", "pattern": _PATTERNS["date"]},
            "stale_warning": {
                "description": "Set when nobody has re-read the source within 12 months.",
                "type": ["string", "null"],
            },
        },
        "required": ["code", "label", "rule", "as_of", "stale_warning"],
        "additionalProperties": False,
    }


def _vocabularies(directory: Directory) -> dict[str, list[str]]:
    terms: dict[str, list[str]] = {}
    for row in directory.of("vocabularies"):
        terms.setdefault(row.values["vocabulary"], []).append(row.values["id"])
    return {vocabulary: sorted(ids) for vocabulary, ids in sorted(terms.items())}


def _dumps(document: Record) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
