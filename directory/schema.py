"""The directory's data shapes, read from ``directory_data/schema.json``.

That JSON file is the single declaration of tables and columns; this module only
turns it into typed objects for the validator, the page builder and the docs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SCHEMA_FILE = "schema.json"


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
    raw = json.loads((data_dir / SCHEMA_FILE).read_text(encoding="utf-8"))
    tables = []
    for key, spec in raw["tables"].items():
        columns = tuple(
            Column(
                name=c["name"],
                type=c["type"],
                required=bool(c.get("required", False)),
                label=c.get("label", c["name"]),
                description=c.get("description", ""),
                values=tuple(c.get("values", ())),
                vocabulary=c.get("vocabulary", ""),
                multiple=bool(c.get("multiple", False)),
                table=c.get("table", ""),
            )
            for c in spec["columns"]
        )
        tables.append(
            Table(
                key=key,
                file=spec["file"],
                title=spec["title"],
                singular=spec["singular"],
                columns=columns,
                listed=bool(spec.get("listed", False)),
                row_key=tuple(spec.get("key", ("id",))),
                sources=bool(spec.get("sources", True)),
            )
        )
    return Schema(tables=tuple(tables))
