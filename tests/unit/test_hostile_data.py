"""A hostile pull request against the validator: every vector of tests/hostile_corpus.py has its outcome.

Each vector is applied to a copy of the real directory_data. A refused vector must
produce its own ``file:line: field:`` error; a passing one no error at all, and then
its value must come out inert in the CSV, JSON and SVG exports (the browser test
renders the pages). Whatever the input, the validator never raises, and each problem
it reports is one line without the characters it refuses. A hostile schema.json is
a SchemaError naming the file, never a KeyError.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import importlib.util
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from directory.data_files import DataFileError
from directory.records import Problem, refused_character
from directory.schema import SCHEMA_FILE, SchemaError, load_schema
from directory.status import provider_statuses
from directory.validate import validate_directory
from tests.conftest import REPO_ROOT
from tests.hostile_corpus import (
    PASSING,
    PUBLISHED,
    REFUSED,
    VECTORS,
    Refused,
    RefusedWhole,
    Vector,
    write_vector,
)

SCHEMA = load_schema(PUBLISHED)
#: The published rows are verified up to today, so the copies are checked as of today.
TODAY = dt.date.today()
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def validated(vector: Vector, tmp_path: Path) -> tuple[list[Problem], int]:
    """The problems of the vector's data (its own schema.json read first), and the changed row's line.

    A file refused whole (DataFileError, SchemaError) propagates.
    """
    data = tmp_path / "data"
    try:
        line = write_vector(vector, data)
    except PermissionError:  # a device node needs root
        pytest.skip(f"{vector.name}: this system does not let the test make it")
    schema = load_schema(data) if vector.file == SCHEMA_FILE or vector.make else SCHEMA
    return list(validate_directory(data, schema, TODAY).problems), line


def test_the_corpus_covers_the_issue_and_forty_more():
    names = [vector.name for vector in VECTORS]
    assert len(names) == len(set(names)), "vector names are unique"
    assert len(VECTORS) >= 140
    assert len(PASSING) >= 40 and len(REFUSED) >= 100


def test_each_class_of_issue_34_has_its_vectors():
    """Exhaustion, files that are not what they seem, and schema.json: at least 60 new vectors."""
    by_class = Counter(vector.cls for vector in VECTORS)
    assert set(by_class) == {"data", "2-exhaustion", "3-not-a-file", "4-schema"}
    assert by_class["2-exhaustion"] >= 20 and by_class["3-not-a-file"] >= 20 and by_class["4-schema"] >= 30
    assert sum(by_class.values()) - by_class["data"] >= 60


@pytest.mark.parametrize("vector", VECTORS, ids=lambda vector: vector.name)
def test_each_vector_has_its_outcome(tmp_path: Path, vector: Vector) -> None:
    if isinstance(vector.expect, RefusedWhole):
        _refused_whole(tmp_path, vector, vector.expect)
        return
    if vector.file == SCHEMA_FILE and vector.expect is not None:
        _refused_schema(tmp_path, vector, vector.expect)
        return
    problems, line = validated(vector, tmp_path)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        shown = str(problem)
        assert "\n" not in shown and refused_character(shown) is None, f"unsafe message: {shown!r}"
        assert len(shown) < 1000, "a message quotes a hostile value short"
    assert len(problems) < 200, "a repeated mistake is counted, not printed again and again"
    if vector.expect is None:
        assert errors == [], [str(p) for p in errors]
        return
    expect = vector.expect
    assert expect.line or line, "a raw vector names its line"
    where = (expect.file or vector.file, expect.line or line, expect.field)
    found = [p for p in errors if (p.file, p.line, p.field) == where and expect.phrase in p.message]
    assert found, f"expected {where} ...{expect.phrase}...; got {[str(p) for p in errors]}"


def _refused_whole(tmp_path: Path, vector: Vector, expect: RefusedWhole) -> None:
    """The file (or the folder) is refused in one line that names it, and nothing is read."""
    with pytest.raises((DataFileError, SchemaError)) as raised:
        validated(vector, tmp_path)
    message = str(raised.value)
    named = tmp_path / "data"
    if expect.file != "":
        named = named / (expect.file or vector.file)
    assert message.startswith(f"{named.as_posix()}: "), message
    assert expect.phrase in message, message
    assert "\n" not in message and refused_character(message) is None and len(message) < 500, message


def _refused_schema(tmp_path: Path, vector: Vector, expect: Refused | RefusedWhole) -> None:
    """A schema.json that cannot be used is refused at schema.json:LINE: FIELD:, like a table's problem."""
    assert isinstance(expect, Refused)
    with pytest.raises(SchemaError) as raised:
        validated(vector, tmp_path)
    error = raised.value
    message = str(error)
    where = f"{(tmp_path / 'data' / SCHEMA_FILE).as_posix()}:{expect.line}: {expect.field}: "
    assert message.startswith(where), f"expected {where}...{expect.phrase}...; got {message}"
    assert (error.line, error.field) == (expect.line, expect.field)
    assert expect.phrase in error.why, message
    assert "\n" not in message and refused_character(message) is None and len(message) < 1000, message


# --------------------------------------------------------------------------- passing vectors come out inert


def _exports(tmp_path: Path, vector: Vector) -> tuple[dict[str, str], list[str]]:
    """The export files (path -> text) and the badges (SVG text) built from the vector's data."""
    from directory.badges import badge_files
    from directory.exports import export_files

    write_vector(vector, tmp_path / "data")
    directory = validate_directory(tmp_path / "data", SCHEMA, TODAY)
    files = {
        page.src_uri: page.content
        for page in export_files(
            directory, SCHEMA, TODAY, "https://x.example/", provider_statuses(directory, TODAY)
        )
    }
    return files, [page.content for page in badge_files(directory, provider_statuses(directory, TODAY))]


LISTED = [
    v
    for v in PASSING
    if v.table in ("providers", "organizations", "acceptances") and not v.raw and not v.make
]


@pytest.mark.parametrize("vector", LISTED, ids=lambda vector: vector.name)
def test_passing_values_are_inert_in_the_csv_json_and_svg_exports(tmp_path: Path, vector: Vector) -> None:
    files, badges = _exports(tmp_path, vector)
    table_csv = files[f"directory/export/{vector.file}"]
    for row in csv.reader(io.StringIO(table_csv, newline="")):
        assert not any(cell.startswith(FORMULA_TRIGGERS) for cell in row), row
    assert vector.value.strip() and _contains(
        json.loads(files["directory/export/directory.json"]), vector.value
    )
    for svg in badges:
        root = ElementTree.fromstring(svg)  # well-formed: nothing broke out of the text
        for element in root.iter():
            assert not element.tag.endswith(("script", "foreignObject")), element.tag
            assert not any(name.lower().startswith("on") for name in element.attrib), element.attrib


def _contains(document: Any, value: str) -> bool:
    """Whether the JSON ``document`` holds ``value`` exactly, as a string or one list item of it."""
    if isinstance(document, dict):
        return any(_contains(item, value) for item in document.values())
    if isinstance(document, list):
        whole = ";".join(item for item in document if isinstance(item, str))
        return whole == value or any(_contains(item, value) for item in document)
    return document == value


# --------------------------------------------------------------------------- the command a maintainer runs


def _ceu() -> list[str]:
    """``ceu`` as the installed console script runs it (its package moves: take the one there is)."""
    module = "ceu_cli" if importlib.util.find_spec("ceu_cli") else "calc.cli"
    return [sys.executable, "-m", module]


def _run_validate(data: Path) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    environment["OPENCEU_TODAY"] = TODAY.isoformat()
    return subprocess.run(
        [*_ceu(), "directory", "validate", str(data)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
        env=environment,
    )


CLI_VECTORS = [
    v
    for v in VECTORS
    if v.name
    in {
        "byte-order-mark",
        "invalid-utf8-line-3",
        "truncated-inside-quotes",
        "increment-exponent",
        "id-of-a-provider-on-an-organization",
        "name-100-kb",
        "right-to-left-override",
    }
]


@pytest.mark.parametrize("vector", CLI_VECTORS, ids=lambda vector: vector.name)
def test_ceu_directory_validate_reports_the_vector_and_exits_2(tmp_path: Path, vector: Vector) -> None:
    line = write_vector(vector, tmp_path / "data")
    done = _run_validate(tmp_path / "data")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert vector.expect is not None
    where = f"{(tmp_path / 'data').as_posix()}/{vector.file}:{vector.expect.line or line}: {vector.expect.field}: "
    assert any(
        printed.startswith(where) and vector.expect.phrase in printed for printed in done.stdout.splitlines()
    ), done.stdout


#: Issue 34's classes through the command: one of each way a file is refused.
CLI_FILE_VECTORS = [
    v
    for v in VECTORS
    if v.name
    in {
        "table-of-a-gigabyte",
        "schema-of-a-gigabyte",
        "link-to-dev-zero",
        "link-to-a-true-copy-outside",
        "named-pipe-for-a-table",
        "socket-for-a-table",
        "data-folder-is-a-link",
        "schema-max-length-given-twice",
        "schema-not-utf8-on-a-line",
        "schema-ten-thousand-brackets",
        "a-million-extra-columns",
        "quote-never-closed-over-many-lines",
        "thousands-of-rows-with-one-mistake",
    }
]


@pytest.mark.parametrize("vector", CLI_FILE_VECTORS, ids=lambda vector: vector.name)
def test_ceu_directory_validate_refuses_each_class_in_a_line(tmp_path: Path, vector: Vector) -> None:
    """A file refused whole, or a schema.json: one line on stderr. A row: its line, then the count."""
    line = write_vector(vector, tmp_path / "data")
    data = (tmp_path / "data").as_posix()
    done = _run_validate(tmp_path / "data")
    assert done.returncode == 2, done.stdout[-500:] + done.stderr[-500:]
    assert "Traceback" not in done.stdout + done.stderr and "internal error" not in done.stderr
    expect = vector.expect
    if isinstance(expect, RefusedWhole) or vector.file == SCHEMA_FILE:
        assert done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
        assert expect is not None and expect.phrase in done.stderr
        if isinstance(expect, Refused):
            assert done.stderr.startswith(
                f"ceu directory validate: error: {data}/{SCHEMA_FILE}:{expect.line}: "
            )
        return
    assert isinstance(expect, Refused) and done.stderr == ""
    printed = done.stdout.splitlines()
    assert len(printed) < 100 and len(done.stdout) < 30_000, len(done.stdout)
    where = f"{data}/{vector.file}:{expect.line or line}: {expect.field}: "
    assert any(shown.startswith(where) and expect.phrase in shown for shown in printed), printed[:30]


def test_ceu_directory_validate_passes_crlf_files(tmp_path: Path) -> None:
    (vector,) = [v for v in VECTORS if v.name == "crlf-line-ends"]
    write_vector(vector, tmp_path / "data")
    done = _run_validate(tmp_path / "data")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("text", ["{}", '{"tables": []}', "not json"])
def test_ceu_directory_validate_on_a_broken_schema_is_one_line(tmp_path: Path, text: str) -> None:
    write_vector(VECTORS[0], tmp_path / "data")
    (tmp_path / "data" / SCHEMA_FILE).write_text(text, encoding="utf-8")
    done = _run_validate(tmp_path / "data")
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.startswith("ceu directory validate: error: ") and SCHEMA_FILE in done.stderr
    assert done.stderr.count("\n") == 1


# --------------------------------------------------------------------------- a hostile schema.json


def _published_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PUBLISHED / SCHEMA_FILE).read_text(encoding="utf-8"))
    return loaded


def _changed(change: Callable[[dict[str, Any]], object]) -> str:
    schema = copy.deepcopy(_published_schema())
    change(schema)
    return json.dumps(schema)


def _column(schema: dict[str, Any], table: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in schema["tables"][table]["columns"] if c["name"] == name)
    return found


BROKEN_SCHEMAS = [
    pytest.param("{}", "tables: expected a JSON object, got nothing", id="empty-object"),
    pytest.param('{"tables": []}', "tables: expected a JSON object, got an array", id="tables-a-list"),
    pytest.param('{"tables": {}}', "tables: declares no table", id="no-table"),
    pytest.param("[]", ":1: -: expected a JSON object, got an array", id="top-level-list"),
    pytest.param("not json", ":1: -: is not valid JSON: Expecting value", id="garbage"),
    pytest.param("", ":1: -: is empty", id="empty-file"),
    pytest.param("[" * 100_000, ":1: -: nests deeper than 16 levels", id="nested-too-deeply"),
    pytest.param(
        '{"tables": {"providers": 5}}',
        "tables.providers: expected a JSON object, got a number",
        id="table-a-number",
    ),
    pytest.param(
        _changed(lambda s: s["tables"]["providers"].update(file="../../etc/passwd")),
        "tables.providers.file: '../../etc/passwd' is not a plain file name",
        id="file-outside-the-folder",
    ),
    pytest.param(
        _changed(lambda s: s["tables"].update({"../x": s["tables"]["providers"]})),
        "tables['../x']: a table key is lowercase letters",
        id="table-key-a-path",
    ),
    pytest.param(
        _changed(lambda s: s["tables"]["providers"].pop("columns")),
        "tables.providers.columns: expected a JSON array, got nothing",
        id="no-columns",
    ),
    pytest.param(
        _changed(lambda s: s["tables"]["providers"].update(columns=[])),
        "tables.providers.columns: declares no column",
        id="empty-columns",
    ),
    pytest.param(
        _changed(lambda s: _column(s, "providers", "name").pop("max_length")),
        "tables.providers.columns[1].max_length: (column 'name') give the most characters a value may have",
        id="no-max-length",
    ),
    pytest.param(
        _changed(lambda s: _column(s, "providers", "name").update(max_length="200")),
        "columns[1].max_length: (column 'name') give the most characters",
        id="max-length-a-string",
    ),
    pytest.param(
        _changed(lambda s: _column(s, "providers", "name").update(max_length=True)),
        "columns[1].max_length: (column 'name') give the most characters",
        id="max-length-a-boolean",
    ),
    pytest.param(
        _changed(lambda s: _column(s, "providers", "name").update(type="html")),
        "columns[1].type: (column 'name') 'html' is not one of: slug, text",
        id="unknown-type",
    ),
    pytest.param(
        _changed(lambda s: _column(s, "providers", "standing").update(values=[])),
        ".values: (column 'standing') an enum column lists its allowed values",
        id="enum-without-values",
    ),
    pytest.param(
        _changed(lambda s: _column(s, "acceptances", "organization_id").update(table="nowhere")),
        ".table: (column 'organization_id') no table 'nowhere'",
        id="ref-to-nowhere",
    ),
    pytest.param(
        _changed(lambda s: _column(s, "providers", "name").update(minimum=1)),
        "columns[1].minimum: (column 'name') only a number, and only for decimal and integer columns",
        id="bound-on-text",
    ),
    pytest.param(
        _changed(lambda s: _column(s, "credit_systems", "increment").update(minimum=5, maximum=1)),
        ".minimum: (column 'increment') minimum 5 is above maximum 1",
        id="bounds-crossed",
    ),
    pytest.param(
        _changed(lambda s: _column(s, "requirements", "cycle_months").update(max_places=2)),
        ".max_places: (column 'cycle_months') only a whole number from 0 to 18, and only for decimal or fraction columns",
        id="places-on-an-integer",
    ),
    pytest.param(
        _changed(lambda s: s["tables"]["providers"]["columns"].append(_column(s, "providers", "name"))),
        "tables.providers.columns[20].name: name declared more than once",
        id="repeated-column",
    ),
    pytest.param(
        _changed(lambda s: s["tables"]["providers"].update(key=["name", "id"])),
        "tables.providers: a listed table is keyed by its 'id' column alone",
        id="listed-table-keyed-by-name",
    ),
    pytest.param(
        _changed(lambda s: s["tables"]["organizations"].update(file="providers.csv")),
        "tables.organizations.file: providers.csv is already the file of the table 'providers'",
        id="one-file-two-tables",
    ),
    pytest.param(
        _changed(lambda s: s.update(reserved_ids={"ids": "index"})),
        "reserved_ids.ids: expected a JSON array, got a string",
        id="reserved-ids-a-string",
    ),
]


@pytest.mark.parametrize(("text", "phrase"), BROKEN_SCHEMAS)
def test_a_broken_schema_is_a_schema_error_naming_the_file(tmp_path: Path, text: str, phrase: str) -> None:
    (tmp_path / SCHEMA_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as raised:
        load_schema(tmp_path)
    message = str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert message.startswith(str(tmp_path / SCHEMA_FILE)), message
    assert phrase in message, message
    assert "\n" not in message and len(message) < 400


def test_a_missing_unreadable_or_folder_schema_is_a_schema_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="the schema file is missing"):
        load_schema(tmp_path)
    (tmp_path / SCHEMA_FILE).write_bytes(b'{"tables": "\xff"}')
    with pytest.raises(SchemaError, match=r"schema.json:1: -: is not UTF-8 text: byte 0xff at byte 13"):
        load_schema(tmp_path)
    (tmp_path / SCHEMA_FILE).unlink()
    (tmp_path / SCHEMA_FILE).mkdir()
    with pytest.raises(SchemaError, match=r"schema\.json: is a folder, not a regular file"):
        load_schema(tmp_path)


def test_every_published_column_declares_its_limits():
    for table in SCHEMA.tables:
        for column in table.columns:
            assert column.max_length > 0, (table.key, column.name)
            if column.type in ("decimal", "integer"):
                assert column.minimum is not None and column.maximum is not None, (table.key, column.name)
