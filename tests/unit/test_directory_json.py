"""Every `ceu directory` task answers with --json the way the engine's commands do: run as a
maintainer (or a script) runs it, a subprocess; the JSON parses, holds the same facts as the
lines printed without it, and the exit status is the same either way."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest

from ceu_cli import main as ceu_main
from directory.schema import load_schema
from tests.conftest import REPO_ROOT
from tests.unit.test_cli_help import help_text
from tests.unit.test_directory_commands import break_a_row, ceu

TASKS = ["validate", "stale", "check-sources", "synthesize", "schema-doc"]


@pytest.fixture
def broken_data(tmp_path):
    """The bundled data with two errors on one provider and a stale organization."""
    target = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "directory_data", target)
    break_a_row(target, verified_on="2026-02-30", website="ftp://example.org")
    break_a_row(target, table="organizations.csv", verified_on="2023-06-30")
    return target


def both(*args: str) -> tuple[int, str, int, dict]:
    """The task's status and lines, and its status and object with --json."""
    text = ceu("directory", *args)
    data = ceu("directory", *args, "--json")
    assert data.stderr == "" and text.stderr == ""
    return text.returncode, text.stdout, data.returncode, json.loads(data.stdout)


@pytest.mark.parametrize("task", TASKS)
def test_every_directory_task_takes_json_and_documents_its_shape(capsys, task):
    needed = ["--out", "x"] if task == "synthesize" else []
    assert ceu_main.build_parser().parse_args(["directory", task, *needed, "--json"]).json
    assert re.search(r"With --json[:,] ", help_text(capsys, f"directory {task}"))


def test_validate_json_carries_each_problem_as_the_lines_do(broken_data):
    status, text, json_status, found = both("validate", str(broken_data))
    assert status == json_status == 2
    assert found["folder"] == broken_data.as_posix()
    assert found["errors"] == sum(p["count"] for p in found["problems"] if p["severity"] == "error") > 0
    lines = text.splitlines()
    assert (
        lines[-1]
        == f"{found['rows']} rows checked: {found['errors']} error(s), {found['warnings']} warning(s)"
    )
    shown = [
        f"{p['file']}:{p['line']}: {p['column']}: {'warning: ' if p['severity'] == 'warning' else ''}{p['message']}"
        for p in found["problems"]
    ]
    assert shown == lines[:-1]
    assert {
        "file": f"{broken_data.as_posix()}/providers.csv",
        "line": 2,
        "column": "website",
        "message": "'ftp://example.org' is not an http(s) URL: links must start with http:// or https://",
        "severity": "error",
        "count": 1,
    } in found["problems"]


def test_validate_json_of_the_published_data_has_no_problem():
    status, text, json_status, found = both("validate")
    assert status == json_status == 0
    assert (found["errors"], found["warnings"], found["problems"]) == (0, 0, [])
    assert re.fullmatch(rf"{found['rows']} rows checked: 0 error\(s\), 0 warning\(s\)\n", text)


def test_json_has_no_github_annotations(broken_data):
    done = ceu("directory", "validate", str(broken_data), "--json", GITHUB_ACTIONS="true")
    assert done.returncode == 2
    assert "::error" not in done.stdout and json.loads(done.stdout)["errors"] > 0


def test_stale_json_lists_the_rows_the_lines_list(broken_data):
    status, text, json_status, found = both("stale", str(broken_data), "--days", "365")
    assert status == json_status == 0
    assert [
        f"{broken_data.as_posix()}/{row['file']}:{row['line']}: {row['id']}: verified on {row['verified_on']} "
        f"({row['days']} days ago)"
        for row in found["stale"]
    ] == text.splitlines()[:-1]
    assert text.splitlines()[-1].startswith(
        f"{len(found['stale'])} row(s) verified more than 365 days before"
    )


def test_check_sources_json_refuses_data_with_errors_before_fetching(broken_data):
    before = (broken_data / "checks.csv").read_bytes()
    status, text, json_status, found = both("check-sources", str(broken_data), "--pause", "0")
    assert status == json_status == 2
    assert text.splitlines()[-1] == found["refused"]
    assert found["refused"].endswith("fix the data (ceu directory validate) before checking its sources")
    assert [f"{p['file']}:{p['line']}: {p['column']}: {p['message']}" for p in found["problems"]] == (
        text.splitlines()[:-1]
    )
    assert (broken_data / "checks.csv").read_bytes() == before


def test_check_sources_json_names_a_row_that_is_not_there(broken_data):
    (broken_data / "providers.csv").write_bytes((REPO_ROOT / "directory_data" / "providers.csv").read_bytes())
    (broken_data / "organizations.csv").write_bytes(
        (REPO_ROOT / "directory_data" / "organizations.csv").read_bytes()
    )
    status, text, json_status, found = both(
        "check-sources", str(broken_data), "--only", "providers/no-such-row"
    )
    assert status == json_status == 2
    assert found["refused"] == text.rstrip("\n")
    assert found["refused"].startswith("providers/no-such-row: no row with a source to check")


def test_synthesize_json_says_what_it_wrote(tmp_path):
    done = ceu(
        "directory",
        "synthesize",
        "--out",
        str(tmp_path / "syn"),
        "--providers",
        "7",
        "--organizations",
        "3",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found == {
        "out": (tmp_path / "syn").as_posix(),
        "providers": 7,
        "organizations": 3,
        "seed": 0,
        "synthetic": True,
    }
    with (tmp_path / "syn" / "providers.csv").open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 7


def test_schema_doc_json_holds_every_table_and_column_the_reference_shows():
    status, text, json_status, found = both("schema-doc")
    assert status == json_status == 0
    schema = load_schema(REPO_ROOT / "directory_data")
    assert [table["file"] for table in found["tables"]] == [table.file for table in schema.tables]
    for table, shown in zip(schema.tables, found["tables"], strict=True):
        assert [c["name"] for c in shown["columns"]] == list(table.column_names)
        for column in shown["columns"]:
            required = "yes" if column["required"] else "no"
            assert f"| `{column['name']}` | {required} | " in text
    assert found["limits"] in text
