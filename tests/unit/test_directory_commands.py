"""`ceu directory ...` run as a maintainer runs it: a subprocess in the repository."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess

import pytest

from directory.commands import schema_doc
from directory.schema import load_schema
from tests.conftest import REPO_ROOT, latest_verification
from tests.unit.test_cli import CEU


def ceu(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    assert CEU
    environment = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    environment.update(OPENCEU_TODAY=latest_verification(), **env)
    return subprocess.run(
        [CEU, *args], capture_output=True, text=True, check=False, cwd=REPO_ROOT, env=environment
    )


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "directory_data", target)
    return target


def break_a_row(path, table="providers.csv", **changes):
    with (path / table).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        header = list(rows[0])
    rows[0].update(changes)
    with (path / table).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_published_data_validates():
    done = ceu("directory", "validate")
    assert done.returncode == 0, done.stdout
    assert re.search(r"\d+ rows checked: 0 error\(s\)", done.stdout)


def test_errors_exit_2_with_file_line_field(data_copy):
    break_a_row(data_copy, verified_on="2026-02-30", website="ftp://example.org")
    done = ceu("directory", "validate", str(data_copy))
    assert done.returncode == 2
    assert (
        f"{data_copy.as_posix()}/providers.csv:2: verified_on: '2026-02-30' is not a date that exists"
        in done.stdout
    )
    assert (
        f"{data_copy.as_posix()}/providers.csv:2: website: 'ftp://example.org' is not an http(s) URL"
        in done.stdout
    )
    assert "::error" not in done.stdout


def test_github_actions_get_annotations(data_copy):
    break_a_row(data_copy, verified_on="2026-02-30")
    done = ceu("directory", "validate", str(data_copy), GITHUB_ACTIONS="true")
    assert done.returncode == 2
    assert (
        f"::error file={data_copy.as_posix()}/providers.csv,line=2,title=verified_on::'2026-02-30' is not a date "
        "that exists" in done.stdout
    )


def test_stale_lists_oldest_first(data_copy):
    break_a_row(data_copy, verified_on="2024-01-01")
    break_a_row(data_copy, table="organizations.csv", verified_on="2023-06-30")
    done = ceu("directory", "stale", str(data_copy), "--days", "365", "--json")
    assert done.returncode == 0
    stale = json.loads(done.stdout)["stale"]
    assert [(row["file"], row["verified_on"]) for row in stale] == [
        ("organizations.csv", "2023-06-30"),
        ("providers.csv", "2024-01-01"),
    ]
    assert stale[0]["days"] == (dt.date.fromisoformat(latest_verification()) - dt.date(2023, 6, 30)).days
    text = ceu("directory", "stale", str(data_copy)).stdout
    assert text.index("2023-06-30") < text.index("2024-01-01")


def test_synthesize_writes_elsewhere_and_refuses_the_published_folder(tmp_path):
    done = ceu(
        "directory", "synthesize", "--out", str(tmp_path / "syn"), "--providers", "20", "--organizations", "4"
    )
    assert done.returncode == 0, done.stderr
    assert ceu("directory", "validate", str(tmp_path / "syn")).returncode == 2
    assert ceu("directory", "validate", str(tmp_path / "syn"), "--allow-synthetic").returncode == 0
    refused = ceu("directory", "synthesize", "--out", "directory_data")
    assert refused.returncode == 2
    assert "published data folder" in refused.stderr


def test_bad_paths_and_days_are_clear():
    assert "no schema.json here" in ceu("directory", "validate", "/nonexistent").stderr
    assert "--days must be between 0 and 36600" in ceu("directory", "stale", "--days", "-1").stderr


def test_contributing_embeds_the_column_reference_generated_from_the_schema():
    """The schema is the one list of columns: CONTRIBUTING.md must show exactly what it says."""
    generated = ceu("directory", "schema-doc").stdout
    text = (REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    start = text.index("<!-- schema-doc:start -->\n") + len("<!-- schema-doc:start -->\n")
    end = text.index("<!-- schema-doc:end -->")
    assert text[start:end] == generated, (
        "regenerate with: ceu directory schema-doc > section of CONTRIBUTING.md"
    )


@pytest.mark.parametrize(
    ("table", "column", "stated", "not_stated"),
    [
        ("credit_systems", "increment", "From 0.001 to 100. At most 3 decimal places.", "characters"),
        ("providers", "name", "At most 200 characters.", "One of"),
        ("providers", "id", "Not one of the reserved ids", "decimal"),
        ("providers", "standing", "One of: accredited, lapsed.", "characters"),
        ("providers", "country", "ISO 3166-1", "characters"),  # its pattern already fixes the length
    ],
)
def test_the_column_reference_states_what_the_validator_enforces(table, column, stated, not_stated):
    doc = schema_doc(load_schema(REPO_ROOT / "directory_data"))
    section = doc.split(f"### `{table}.csv`")[1].split("###")[0]
    row = next(line for line in section.splitlines() if line.startswith(f"| `{column}` |"))
    assert stated in row
    assert not_stated not in row
