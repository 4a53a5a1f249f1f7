"""A schema.json that cannot be used is refused like a table's problem: ``schema.json:LINE: FIELD: why``.

FIELD is the path of the value at fault (``tables.providers.columns[3].max_length``), LINE the
line of its key, found by JsonPlaces reading the text once more; the file's size and nesting
are bounded before it is parsed. tests/hostile_corpus.py holds the schema vectors ("4-schema")
that test_hostile_data.py runs; these are the rules they rest on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.data_files import MAX_SCHEMA_BYTES, MAX_SCHEMA_DEPTH
from directory.schema import (
    SCHEMA_FILE,
    JsonPlaces,
    SchemaError,
    dotted,
    load_schema,
    parse_schema,
    schema_text,
)
from tests.conftest import REPO_ROOT

PUBLISHED = REPO_ROOT / "directory_data"


def write_schema(folder: Path, text: str | bytes) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / SCHEMA_FILE
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return folder


def refusal(folder: Path) -> SchemaError:
    with pytest.raises(SchemaError) as raised:
        load_schema(folder)
    return raised.value


def published() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PUBLISHED / SCHEMA_FILE).read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ((), "-"),
        (("tables",), "tables"),
        (("tables", "providers", "columns", 3, "max_length"), "tables.providers.columns[3].max_length"),
        (("reserved_ids", "ids", 0), "reserved_ids.ids[0]"),
        (("tables", "../x"), "tables['../x']"),
        (("tables", "a\nb"), "tables['a\\nb']"),  # one line, whatever the key holds
        (("tables", "\u202eevil"), "tables['\\u202eevil']"),
        (("tables", "x" * 100), "tables['" + "x" * 40 + "'...]"),
        (("$comment",), "$comment"),
    ],
)
def test_a_path_is_named_as_a_message_shows_it(path, shown):
    assert dotted(path) == shown


def test_a_schema_error_reads_like_a_table_problem():
    error = SchemaError("why", ("tables", "providers"), file="data/schema.json", line=12)
    assert str(error) == "data/schema.json:12: tables.providers: why"
    assert (error.line, error.field, error.why) == (12, "tables.providers", "why")
    assert str(SchemaError("the schema file is missing", file="data/schema.json")) == (
        "data/schema.json: the schema file is missing"
    )
    assert str(SchemaError("declares no table", ("tables",))) == "tables: declares no table"


# --------------------------------------------------------------------------- where each key is


PLACED = """{
  "a": 1,
  "b": {
    "c": [
      10,
      {"d": "x"},
      [2,
       3]
    ],
    "e": "a string with { and [ and \\" in it"
  }
}
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ((), 1),
        (("a",), 2),
        (("b",), 3),
        (("b", "c"), 4),
        (("b", "c", 0), 5),
        (("b", "c", 1), 6),
        (("b", "c", 1, "d"), 6),
        (("b", "c", 2), 7),
        (("b", "c", 2, 1), 8),
        (("b", "e"), 10),
        # A key that is not there: the line of the object that lacks it.
        (("b", "missing"), 3),
        (("b", "c", 1, "missing", "deeper"), 6),
    ],
)
def test_each_key_and_item_has_its_line(path, line):
    assert JsonPlaces(PLACED).line_of(path) == line


def test_a_key_given_twice_is_noted_with_both_lines():
    places = JsonPlaces('{\n  "a": {\n    "k": 1,\n    "j": 2,\n    "k": 3\n  }\n}')
    assert places.repeated == [(("a", "k"), 3, 5)]
    assert places.line_of(("a", "k")) == 5  # the one json.loads keeps


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(json_values, st.sampled_from([None, 1, 2, "\t"]))
def test_every_path_of_any_json_has_the_line_its_key_is_written_on(value, indent):
    text = json.dumps(value, indent=indent)
    places = JsonPlaces(text)
    lines = text.split("\n")
    expected: list[tuple[str | int, ...]] = []

    def walk(node: object, path: tuple[str | int, ...]) -> None:
        expected.append(path)
        if isinstance(node, dict):
            for key, item in node.items():
                walk(item, (*path, key))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, (*path, index))

    walk(value, ())
    assert set(places.lines) == set(expected)
    for path in expected:
        line = places.line_of(path)
        assert 1 <= line <= len(lines)
        if path and isinstance(path[-1], str):
            assert json.dumps(path[-1]) + ":" in lines[line - 1], (text, path, line)
    assert places.repeated == []


# --------------------------------------------------------------------------- bounded before it is parsed


def test_nesting_is_measured_outside_strings():
    deep = "[" * (MAX_SCHEMA_DEPTH + 10)
    assert schema_text(json.dumps({"note": deep}).encode()) == json.dumps({"note": deep})
    assert schema_text(json.dumps({"note": '\\"' + deep}).encode())  # an escaped quote does not end it
    with pytest.raises(SchemaError) as raised:
        schema_text(("{\n" * MAX_SCHEMA_DEPTH + "[\n").encode())
    assert raised.value.line == MAX_SCHEMA_DEPTH + 1
    assert f"nests deeper than {MAX_SCHEMA_DEPTH} levels" in raised.value.why


def test_the_published_schema_keeps_well_inside_its_limits():
    data = (PUBLISHED / SCHEMA_FILE).read_bytes()
    assert len(data) * 10 < MAX_SCHEMA_BYTES

    def depth(node: object) -> int:
        if isinstance(node, dict):
            return 1 + max(map(depth, node.values()), default=0)
        if isinstance(node, list):
            return 1 + max(map(depth, node), default=0)
        return 0

    assert depth(json.loads(data)) * 2 <= MAX_SCHEMA_DEPTH


def test_a_schema_over_its_size_is_refused_before_it_is_read(tmp_path):
    folder = write_schema(tmp_path / "data", "")
    os.truncate(folder / SCHEMA_FILE, 1024 * 1024 * 1024)
    error = refusal(folder)
    assert str(error) == (
        f"{(folder / SCHEMA_FILE).as_posix()}: is 1,024 MB (1,073,741,824 bytes); schema.json may be at most "
        "1 MB, so it is not read: is it the right file?"
    )
    assert error.line is None


# --------------------------------------------------------------------------- each error at its key


def _with(change) -> str:
    schema = published()
    change(schema)
    return json.dumps(schema, indent=2)


def _name_column(schema: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = schema["tables"]["providers"]["columns"][1]
    assert found["name"] == "name"
    return found


@pytest.mark.parametrize(
    ("change", "field", "phrase"),
    [
        (
            lambda s: _name_column(s).update(max_length="200"),
            "tables.providers.columns[1].max_length",
            "got a string",
        ),
        (
            lambda s: _name_column(s).update(required="yes"),
            "tables.providers.columns[1].required",
            "true or false",
        ),
        (
            lambda s: _name_column(s).update(max_lenght=200),
            "tables.providers.columns[1].max_lenght",
            "not a key",
        ),
        (lambda s: _name_column(s).pop("type"), "tables.providers.columns[1].type", "got nothing"),
        (lambda s: s["tables"]["providers"].update(file=5), "tables.providers.file", "got a number (5)"),
        (lambda s: s["reserved_ids"]["ids"].append(None), "reserved_ids.ids[38]", "got nothing"),
    ],
)
def test_a_structural_error_names_the_line_of_its_key(tmp_path, change, field, phrase):
    text = _with(change)
    error = refusal(write_schema(tmp_path / "data", text))
    assert error.field == field and phrase in error.why
    key = field.rsplit(".", 1)[-1].split("[")[0]
    lines = text.split("\n")
    if key in ("type",):  # a missing key: the line of the object that lacks it
        assert lines[error.line - 1].strip() == "{"
    elif field.endswith("]"):
        assert lines[error.line - 1].strip() in ("null", "null,")
    else:
        assert f'"{key}":' in lines[error.line - 1], (error, lines[error.line - 1])


def test_a_number_no_limit_can_be_is_refused_at_its_key_not_raised(tmp_path):
    for literal in ("NaN", "Infinity", "-Infinity", "1e400", "9" * 5000):
        text = _with(lambda s: None).replace('"max_length": 200', f'"max_length": {literal}', 1)
        error = refusal(write_schema(tmp_path / "data", text))
        assert error.field == "tables.providers.columns[1].max_length", error
        assert "which no limit can be" in error.why and len(str(error)) < 600


def test_parse_schema_takes_what_json_loads_gives():
    """The parser alone names paths; load_schema adds the file and the line."""
    with pytest.raises(SchemaError) as raised:
        parse_schema({"tables": {"providers": []}})
    assert str(raised.value) == "tables.providers: expected a JSON object, got an array ([])"


# --------------------------------------------------------------------------- the command and the build


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (b'{\n  "tables": {\n    "p": \xff\n  }\n}\n', ":3: -: is not UTF-8 text: byte 0xff at byte 10"),
        (b'{\n  "tables": {\n    "p": 1,\n  }\n}\n', ":4: -: is not valid JSON: Expecting property name"),
        (b"[\n" * 40, f":{MAX_SCHEMA_DEPTH + 1}: -: nests deeper than {MAX_SCHEMA_DEPTH} levels"),
        (b'{\n  "tables": {},\n  "tables": {}\n}', ":3: tables: is given twice, on line 2 and on line 3"),
        (b'{\n  "tables": {\n    "p": {"fiel": 1}\n  }\n}', ":3: tables.p.fiel: is not a key"),
        (b"", ":1: -: is empty"),
    ],
)
def test_ceu_directory_validate_names_the_line_and_field_in_one_line(tmp_path, text, where):
    folder = Path(shutil.copytree(PUBLISHED, tmp_path / "data"))
    (folder / SCHEMA_FILE).write_bytes(text)
    done = subprocess.run(
        [sys.executable, "-m", "ceu_cli", "directory", "validate", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    assert done.returncode == 2 and done.stdout == "", done
    assert done.stderr.startswith(
        f"ceu directory validate: error: {(folder / SCHEMA_FILE).as_posix()}{where}"
    )
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
