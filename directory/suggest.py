"""One suggested directory row, checked the way ``ceu directory validate`` checks a file.

The page /directory/suggest/ runs this module in the visitor's browser (PyScript on
the site's own Pyodide), so it keeps to the standard library. It holds no rules of
its own: every cell goes through ``records.check_value`` and the row through the
rules of ``validate.py`` that one row can break on its own (vocabulary terms exist,
a lapse is dated, no synthetic rows, no link to an example, test or local host), with the validator's own messages. What needs
the whole directory (a used id or name, the order of rows, ids in other tables) or a
build-time package (whether ISO 3166 has a country or region code: pycountry) is left to
the validator that runs on the pull request.

The rest turns a row into the CSV line a contributor pastes, and into links to the
repository's issue form and file editor. Nothing here sends anything anywhere.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from urllib.parse import quote, urlencode

from directory.records import Entry, Problem, check_value, read_table
from directory.schema import Schema, Table
from directory.validate import (
    references,
    reserved_addresses,
    synthetic_rows,
    undated_lapses,
    unsourced_keys,
)

#: A suggestion is not in a file yet, so its problems are reported on line 0.
LINE = 0
#: The repository's issue form for suggestions (.github/ISSUE_TEMPLATE/).
ISSUE_TEMPLATE = "suggest-entry.yml"
ISSUE_TITLE = "Suggest: "
#: Columns that have a field of their own in the issue form: column -> field id.
ISSUE_FIELDS = {
    "name": "name",
    "website": "website",
    "source_url": "source_url",
    "source_quote": "quote",
    "source_date": "source_date",
}
#: The issue form's dropdown that takes the table's singular (provider, organization).
ISSUE_KIND_FIELD = "kind"
#: The issue form's free-text field; it carries the finished CSV row.
ISSUE_ROW_FIELD = "notes"
DATA_PATH = "directory_data"
BRANCH = "main"


def read_vocabularies(data_dir: Path, schema: Schema, today: dt.date) -> dict[str, dict[str, str]]:
    """vocabulary -> {term: label}, in the order of vocabularies.csv."""
    table = schema.table("vocabularies")
    entries, problems = read_table(data_dir / table.file, table, today)
    if errors := [p for p in problems if p.severity == "error"]:
        raise ValueError(f"{data_dir / table.file}: {errors[0]}")
    vocabularies: dict[str, dict[str, str]] = {}
    for entry in entries:
        vocabularies.setdefault(entry.values["vocabulary"], {})[entry.id] = entry.values["label"]
    return vocabularies


def row_values(table: Table, values: Mapping[str, str]) -> dict[str, str]:
    """Every column of the table, in schema order; a missing value is blank."""
    return {name: values.get(name, "") for name in table.column_names}


def check_suggestion(
    table: Table,
    values: Mapping[str, str],
    vocabularies: Mapping[str, Collection[str]],
    today: dt.date,
) -> list[Problem]:
    """The validator's problems with one row, in column order; ``field`` names the column.

    ``vocabularies`` maps a vocabulary to its terms (read_vocabularies gives them).
    """
    row = row_values(table, values)
    problems = [
        Problem(table.file, LINE, column.name, message)
        for column in table.columns
        if (message := check_value(column, row[column.name], today))
    ]
    entry = Entry(table.key, LINE, row)
    # Whether a referenced id exists needs the other tables; the pull request checks it.
    own = dataclasses.replace(table, columns=tuple(c for c in table.columns if c.type != "ref"))
    terms = [
        Entry("vocabularies", LINE, {"vocabulary": vocabulary, "id": term})
        for vocabulary, known in vocabularies.items()
        for term in known
    ]
    problems += references(own, [entry], Schema((own,)), {"vocabularies": terms})
    problems += undated_lapses(table, [entry])
    problems += unsourced_keys(table, [entry])
    problems += synthetic_rows(table, [entry])
    problems += reserved_addresses(table, [entry])
    order = {name: index for index, name in enumerate(table.column_names)}
    problems.sort(key=lambda p: order.get(p.field, len(order)))  # stable: each cell's own check first
    return problems


def csv_row(table: Table, values: Mapping[str, str]) -> str:
    """The row as one CSV record in schema order, quoted as Python's csv module quotes."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row_values(table, values).values())
    return buffer.getvalue().removesuffix("\n")


def csv_header(table: Table) -> str:
    return ",".join(table.column_names)


def issue_url(repository: str, table: Table, values: Mapping[str, str]) -> str:
    """The repository's suggestion issue form, prefilled with the row (GitHub reads field ids)."""
    row = row_values(table, values)
    params = {
        "template": ISSUE_TEMPLATE,
        "title": ISSUE_TITLE + row.get("name", "").strip(),
        ISSUE_KIND_FIELD: table.singular,
    }
    for column, field_id in ISSUE_FIELDS.items():
        if row.get(column):
            params[field_id] = row[column]
    record = csv_row(table, row)
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", record)), default=0))
    params[ISSUE_ROW_FIELD] = (
        f"The row for {DATA_PATH}/{table.file}, made on the site's Suggest an entry page:\n\n"
        f"{fence}csv\n{csv_header(table)}\n{record}\n{fence}\n"
    )
    return f"{repository.rstrip('/')}/issues/new?{urlencode(params, quote_via=quote)}"


def edit_url(repository: str, table: Table, data_path: str = DATA_PATH) -> str:
    """GitHub's editor for the table's file; saving there proposes a pull request."""
    path = "/".join(quote(part) for part in (*data_path.strip("/").split("/"), table.file))
    return f"{repository.rstrip('/')}/edit/{BRANCH}/{path}"
