"""MkDocs hook: the page /directory/suggest/ and the validator the browser runs on it.

The form is generated from ``directory_data/schema.json`` (one field per column of
each listed table) and vocabularies.csv; its checks are ``directory.suggest``, run
in the browser from assets/py/directory.zip. Nothing is written into ``docs_dir``.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from directory.build_date import build_date
from directory.pages import template_environment
from directory.schema import Column, Table, load_schema
from directory.suggest import DATA_PATH, csv_row, edit_url, issue_url, read_vocabularies
from site_build.runtime import RuntimeMissing, install_directory_runtime

SUGGEST_URI = "directory/suggest.md"
TITLE = "Suggest an entry"
#: Text columns that usually hold a sentence or more get a multi-line box.
LONG_TEXT = frozenset({"source_quote", "notes", "conditions", "requirement_note"})
#: The form a date column expects, shown beside the field (the validator's own wording).
DATE_FORMS = {"date": "YYYY-MM-DD", "partial_date": "YYYY, YYYY-MM or YYYY-MM-DD"}
INPUT_MODES = {"url": "url", "decimal": "decimal", "integer": "numeric"}


@dataclass(frozen=True)
class Field:
    column: Column
    id: str
    widget: str
    choices: tuple[tuple[str, str], ...] = ()
    form: str = ""
    inputmode: str = ""


def _paths(config: MkDocsConfig) -> tuple[Path, Path, str]:
    """The data folder, the theme folder and the data folder's path inside the repository."""
    root = Path(config.config_file_path).parent
    configured = Path(config.extra["openceu"]["data_dir"])
    data_dir = root / configured
    try:
        data_path = data_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:  # a test build over a data folder outside the repository
        data_path = DATA_PATH
    return data_dir, Path(config.theme.custom_dir or ""), data_path


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
            form = DATE_FORMS.get(column.type, "")
            fields.append(
                Field(column, field_id, "input", form=form, inputmode=INPUT_MODES.get(column.type, ""))
            )
    return fields


def suggest_page(config: MkDocsConfig) -> str:
    data_dir, theme_dir, data_path = _paths(config)
    repository: str = config.extra["openceu"]["repository"]
    schema = load_schema(data_dir)
    vocabularies = read_vocabularies(data_dir, schema, build_date())
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
    template = template_environment(theme_dir / "directory").get_template("suggest.html")
    body = template.render(
        tables=tables,
        repository=repository,
        data_path=data_path,
        issue_url=issue_url(repository, schema.listed[0], {}),
    )
    front = {
        "title": html.escape(TITLE, quote=False),  # Material prints titles unescaped
        "template": "suggest.html",
        "csp": "python",
        "search_index": False,
    }
    lines = [f"{key}: {json.dumps(value)}" for key, value in front.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body.strip() + "\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    try:
        content = suggest_page(config)
    except (OSError, ValueError, KeyError, IndexError) as error:
        raise PluginError(f"the Suggest an entry page: {error}") from error
    files.append(File.generated(config, SUGGEST_URI, content=content))
    return files


def on_post_build(config: MkDocsConfig) -> None:
    data_dir, theme_dir, _ = _paths(config)
    try:
        install_directory_runtime(
            site_dir=Path(config.site_dir),
            package_dir=Path(config.config_file_path).parent / "directory",
            data_dir=data_dir,
            glue_dir=theme_dir / "assets" / "directory",
        )
    except (RuntimeMissing, OSError) as error:
        raise PluginError(str(error)) from error


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when the validator changes: the browser runs it from the zip."""
    server.watch(str(Path(config.config_file_path).parent / "directory"))
    return server
