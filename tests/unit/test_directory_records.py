"""Reading directory CSVs: every problem is reported as file:line: field: why."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from directory.records import read_table
from directory.schema import load_schema
from tests.conftest import REPO_ROOT

TODAY = dt.date(2026, 11, 23)
SCHEMA = load_schema(REPO_ROOT / "directory_data")
PROVIDERS = SCHEMA.table("providers")

GOOD = {
    "id": "example-provider",
    "name": "Example Provider",
    "country": "US",
    "region": "TX",
    "city": "",
    "website": "https://example.org",
    "iacet_provider_number": "",
    "accredited_since": "2015-02",
    "delivery_modes": "in-person;live-online",
    "topics": "safety;engineering",
    "standing": "accredited",
    "source_url": "https://example.org/iacet",
    "source_kind": "official",
    "source_date": "2020",
    "source_quote": "Example Provider is an IACET Accredited Provider.",
    "verified_on": "2026-11-01",
    "notes": "",
}


def write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "providers.csv"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PROVIDERS.column_names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def problems_for(tmp_path: Path, rows: list[dict[str, str]]) -> list[str]:
    _, problems = read_table(write(tmp_path, rows), PROVIDERS, TODAY)
    return [str(p) for p in problems]


def test_a_good_row_has_no_problems(tmp_path):
    entries, problems = read_table(write(tmp_path, [GOOD]), PROVIDERS, TODAY)
    assert problems == []
    assert entries[0].id == "example-provider"
    assert entries[0].line == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", "Example Provider", "is not a slug"),
        ("id", "", "is required"),
        ("name", "", "is required"),
        ("country", "USA", "ISO 3166-1 alpha-2"),
        ("website", "javascript:alert(1)", "is not an http(s) URL"),
        ("source_url", "ftp://example.org/x", "is not an http(s) URL"),
        ("source_url", "", "is required"),
        ("source_kind", "blog", "is not one of: official, third-party, archived-copy"),
        ("verified_on", "2026-02-30", "is not a date that exists"),
        ("verified_on", "2027-01-01", "is in the future"),
        ("verified_on", "23/11/2026", "is not a date in the form YYYY-MM-DD"),
        ("verified_on", "", "is required"),
        ("accredited_since", "2015-13", "is not a date that exists"),
        ("accredited_since", "Feb 2015", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("source_date", "2031", "is in the future"),
        ("name", " Padded", "leading or trailing spaces"),
        ("name", "Bell\x07", "control characters"),
    ],
)
def test_each_bad_value_is_named_with_file_line_and_field(tmp_path, field, value, message):
    problems = problems_for(tmp_path, [{**GOOD, field: value}])
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"providers.csv:2: {field}: ")
    assert message in problems[0]


def test_duplicate_ids_and_unsorted_rows(tmp_path):
    rows = [GOOD, {**GOOD, "name": "Twin"}, {**GOOD, "id": "a-first"}]
    problems = problems_for(tmp_path, rows)
    assert "providers.csv:3: id: 'example-provider' is already used on line 2" in problems
    assert any(p.startswith("providers.csv:4: id: rows must be sorted by id") for p in problems)


def test_line_numbers_follow_quoted_newlines(tmp_path):
    rows = [{**GOOD, "id": "a", "notes": "two\nlines"}, {**GOOD, "id": "b", "country": "usa"}]
    problems = problems_for(tmp_path, rows)
    assert problems == ["providers.csv:4: country: 'usa' is not an ISO 3166-1 alpha-2 code such as 'US'"]


def test_wrong_header_is_reported_once(tmp_path):
    path = tmp_path / "providers.csv"
    path.write_text("id,name\nx,y\n", encoding="utf-8")
    _, problems = read_table(path, PROVIDERS, TODAY)
    assert [p.field for p in problems] == ["header"]
    assert problems[0].line == 1


def test_short_row_is_reported(tmp_path):
    path = write(tmp_path, [GOOD])
    path.write_text(path.read_text(encoding="utf-8") + "oops,too,short\n", encoding="utf-8")
    _, problems = read_table(path, PROVIDERS, TODAY)
    assert str(problems[0]) == "providers.csv:3: -: has 3 fields, the header has 17"


def test_broken_quoting_and_encoding_are_reported(tmp_path):
    path = tmp_path / "providers.csv"
    path.write_bytes(b'id,name\n"unclosed,x\n')
    _, problems = read_table(path, PROVIDERS, TODAY)
    assert "not valid CSV" in str(problems[0])
    path.write_bytes(b"id,name\n\xff\xfe,x\n")
    _, problems = read_table(path, PROVIDERS, TODAY)
    assert "not UTF-8" in str(problems[0])


def test_missing_file_is_a_problem(tmp_path):
    _, problems = read_table(tmp_path / "providers.csv", PROVIDERS, TODAY)
    assert str(problems[0]) == "providers.csv:0: -: file is missing"


def test_published_data_is_clean():
    """The bundled CSVs pass every check (the build would stop otherwise)."""
    for table in SCHEMA.tables:
        entries, problems = read_table(REPO_ROOT / "directory_data" / table.file, table, dt.date.today())
        assert problems == []
        assert entries, f"{table.file} has no rows"
