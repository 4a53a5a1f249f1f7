"""The Suggest an entry form, generated from the schema: one labelled field per column.

The widget follows the column type (choices from the schema's values or from
vocabularies.csv, a box for long text, the expected form beside dates), so the
form cannot ask for anything the validator does not know. The checks themselves
are ``directory.suggest``, which the page runs in the browser.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

import jinja2

from directory.schema import Column, Schema, Table
from directory.suggest import csv_row, edit_url, issue_url

TITLE = "Suggest an entry"
#: Text columns that usually hold a sentence or more get a multi-line box.
LONG_TEXT = frozenset({"source_quote", "notes", "sourcing", "conditions", "requirement_note"})
#: The form a date or key column expects, shown beside the field (the validator's own wording).
EXPECTED_FORMS = {
    "date": "YYYY-MM-DD",
    "partial_date": "YYYY, YYYY-MM or YYYY-MM-DD",
    "did": "did:key:z6Mk…, 56 characters",
}
INPUT_MODES = {"url": "url", "decimal": "decimal", "fraction": "decimal", "integer": "numeric"}


@dataclass(frozen=True)
class Field:
    column: Column
    id: str
    widget: str
    choices: tuple[tuple[str, str], ...] = ()
    form: str = ""
    inputmode: str = ""


def form_fields(table: Table, vocabularies: dict[str, dict[str, str]]) -> list[Field]:
    fields = []
    for column in table.columns:
        field_id = f"{table.key}-{column.name}"
        if column.type == "enum":
            fields.append(Field(column, field_id, "select", tuple((v, v) for v in column.values)))
        elif column.type == "vocab":
            terms = tuple(vocabularies.get(column.vocabulary, {}).items())
            fields.append(Field(column, field_id, "checkboxes" if column.multiple else "select", terms))
        elif column.type == "text" and column.name in LONG_TEXT:
            fields.append(Field(column, field_id, "textarea"))
        else:
            form = EXPECTED_FORMS.get(column.type, "")
            fields.append(
                Field(column, field_id, "input", form=form, inputmode=INPUT_MODES.get(column.type, ""))
            )
    return fields


def suggest_document(
    schema: Schema,
    vocabularies: dict[str, dict[str, str]],
    repository: str,
    data_path: str,
    env: jinja2.Environment,
) -> str:
    """The page as a Markdown document: front matter and the rendered form."""
    tables: list[dict[str, Any]] = [
        {
            "table": table,
            "choice": f"{'An' if table.singular[:1] in 'aeiou' else 'A'} {table.singular}: {table.title}",
            "fields": form_fields(table, vocabularies),
            "edit_url": edit_url(repository, table, data_path),
            "row": csv_row(table, {}),
        }
        for table in schema.listed
    ]
    body = env.get_template("suggest.html").render(
        tables=tables,
        repository=repository,
        data_path=data_path,
        issue_url=issue_url(repository, schema.listed[0], {}),
    )
    front = {
        "title": html.escape(TITLE, quote=False),  # Material prints titles unescaped
        "template": "python_page.html",
        "csp": "python",
        "python": {"script": "assets/directory/suggest.py", "config": "assets/directory/pyscript.json"},
        "stylesheet": "assets/stylesheets/suggest.css",
        "search_index": False,
    }
    lines = [f"{key}: {json.dumps(value)}" for key, value in front.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body.strip() + "\n"
