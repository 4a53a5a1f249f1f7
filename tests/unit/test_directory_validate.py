"""One small bad dataset per validator rule, each with its exact file:line: field message."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from directory.schema import load_schema
from directory.synthetic import RefusedTarget, synthetic_rows, write_synthetic_dataset
from directory.validate import normalise_name, normalise_website, validate_directory
from tests.conftest import REPO_ROOT

PUBLISHED = REPO_ROOT / "directory_data"
SCHEMA = load_schema(PUBLISHED)
TODAY = dt.date(2026, 11, 23)


def provider(n: int, **values: str) -> dict[str, str]:
    """A generated row made to look published (the synthetic marker removed)."""
    rows = list(synthetic_rows("providers", n + 1, seed=1))
    return {**rows[n], "source_kind": "official", "id": f"p-{n:03d}", **values}


def organization(n: int, **values: str) -> dict[str, str]:
    rows = list(synthetic_rows("organizations", n + 1, seed=1))
    return {**rows[n], "source_kind": "official", "id": f"o-{n:03d}", **values}


def dataset(tmp_path: Path, providers=(), organizations=(), acceptances=()) -> Path:
    for name in ("schema.json", "vocabularies.csv", "credit_systems.csv"):
        shutil.copyfile(PUBLISHED / name, tmp_path / name)
    for key, rows in (
        ("providers", providers),
        ("organizations", organizations),
        ("acceptances", acceptances),
    ):
        table = SCHEMA.table(key)
        with (tmp_path / table.file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=table.column_names, lineterminator="\n", restval="")
            writer.writeheader()
            writer.writerows(rows)
    return tmp_path


def problems(path: Path, **options) -> list[str]:
    return [str(p) for p in validate_directory(path, SCHEMA, TODAY, **options).problems]


def acceptance(org_id: str, **values: str) -> dict[str, str]:
    row = {
        "id": f"{org_id}-iacet-ceu",
        "organization_id": org_id,
        "credit_type": "iacet-ceu",
        "conditions": "Accepted.",
        "source_url": "https://example.org/rule",
        "source_kind": "official",
        "source_quote": "IACET CEUs are accepted.",
        "verified_on": "2026-01-01",
    }
    return {**row, **values}


def test_the_published_data_passes():
    assert [str(p) for p in validate_directory(PUBLISHED, SCHEMA, dt.date.today()).problems] == []


def test_a_clean_generated_dataset_passes(tmp_path):
    path = dataset(tmp_path, [provider(0), provider(1)], [organization(0)], [acceptance("o-000")])
    assert problems(path) == []


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            {"organizations": [organization(0, kind="club")]},
            "organizations.csv:2: kind: 'club' is not in the organization-kind vocabulary (association, "
            "certification-body, employer, government-agency, licensing-board, university); add it to "
            "vocabularies.csv or use one of these",
        ),
        (
            {"providers": [provider(0, delivery_modes="in-person;carrier-pigeon")]},
            "providers.csv:2: delivery_modes: 'carrier-pigeon' is not in the delivery-mode vocabulary "
            "(blended, in-person, live-online, self-paced-online); add it to vocabularies.csv or use one of these",
        ),
        (
            {"acceptances": [acceptance("nobody")]},
            "acceptances.csv:2: organization_id: 'nobody' is not an id in organizations.csv",
        ),
        (
            {"acceptances": [acceptance("o-000", credit_type="pdh")], "organizations": [organization(0)]},
            "acceptances.csv:2: credit_type: 'pdh' is not in the credit-type vocabulary (iacet-ceu); add it to "
            "vocabularies.csv or use one of these",
        ),
        (
            {"providers": [provider(0, name="Café Training, Inc."), provider(1, name="cafe training inc")]},
            "providers.csv:3: name: 'cafe training inc' is the same name as line 2 ('Café Training, Inc.', "
            "id 'p-000'); merge the rows or tell them apart",
        ),
        (
            {
                "providers": [
                    provider(0, website="https://www.example.com/"),
                    provider(1, website="http://EXAMPLE.com"),
                ]
            },
            "providers.csv:3: website: 'http://EXAMPLE.com' is the same website as line 2 "
            "('https://www.example.com/', id 'p-000'); merge the rows or tell them apart",
        ),
        (
            {
                "providers": [
                    provider(0, name="Harbor Safety Institute"),
                    provider(1, name="Harbour Safety Institute"),
                ]
            },
            "providers.csv:3: name: warning: 'Harbour Safety Institute' is close to 'Harbor Safety Institute' on "
            "line 2; if they are the same organization, merge the rows",
        ),
        (
            {"providers": [provider(0, source_kind="synthetic")]},
            "providers.csv:2: source_kind: this row is synthetic (generated for tests); published data must cite "
            "a real source",
        ),
        (
            {"providers": [provider(0, website="javascript:alert(1)")]},
            "providers.csv:2: website: 'javascript:alert(1)' is not an http(s) URL: links must start with http:// "
            "or https://",
        ),
        (
            {"providers": [provider(0, accredited_since="2027-01")]},
            "providers.csv:2: accredited_since: '2027-01' is in the future (today is 2026-11-23)",
        ),
        (
            {"providers": [provider(0, source_date="2026-02-30")]},
            "providers.csv:2: source_date: '2026-02-30' is not a date that exists",
        ),
        (
            {"providers": [provider(1), provider(0)]},
            "providers.csv:3: id: rows must be sorted by id: 'p-000' belongs before 'p-001'",
        ),
        (
            {"providers": [provider(0), provider(0, name="Other", website="https://other.example")]},
            "providers.csv:3: id: 'p-000' is already used on line 2",
        ),
        (
            {"providers": [provider(0, topics="safety;;fire")]},
            "providers.csv:2: topics: has an empty item: separate items with a single ';'",
        ),
        (
            {"providers": [provider(0, standing="lapsed", source_date="")]},
            "providers.csv:2: source_date: a source that says the accreditation lapsed must be dated; "
            "give the date it bears",
        ),
        (
            {"providers": [provider(0, standing="current")]},
            "providers.csv:2: standing: 'current' is not one of: accredited, lapsed",
        ),
        (
            {"organizations": [organization(0, kind="association;university")]},
            "organizations.csv:2: kind: takes one term, not a ';'-separated list",
        ),
    ],
)
def test_each_rule_has_its_exact_message(tmp_path, rows, expected):
    path = dataset(tmp_path, **rows)
    assert expected in problems(path)


def test_synthetic_rows_pass_only_when_allowed(tmp_path):
    path = write_synthetic_dataset(tmp_path / "data", PUBLISHED, providers=30, organizations=5)
    assert all("synthetic" in p for p in problems(path))
    assert len(problems(path)) == 30 + 5 + 5
    assert problems(path, allow_synthetic=True) == []


def test_the_generator_refuses_the_published_folder():
    with pytest.raises(RefusedTarget):
        write_synthetic_dataset(PUBLISHED, PUBLISHED, providers=1, organizations=1)


def test_names_that_differ_only_in_a_number_are_not_near_duplicates(tmp_path):
    rows = [
        provider(0, name="Region 4 Education Service Center"),
        provider(1, name="Region 5 Education Service Center"),
    ]
    assert problems(dataset(tmp_path, rows)) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [("Café Training, Inc.", "cafe training inc"), ("A & B Society", "a and b society"), ("IEEE", "ieee")],
)
def test_names_that_normalise_alike(a, b):
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("https://www.ieee.org/", "http://ieee.org"), ("https://EXAMPLE.org/path/", "https://example.org/path")],
)
def test_websites_that_normalise_alike(a, b):
    assert normalise_website(a) == normalise_website(b)


def test_the_engine_reads_only_columns_the_schema_declares():
    """calc.conversions.CreditSystem mirrors credit_systems.csv: no field the schema does not declare."""
    import dataclasses

    from calc.conversions import CreditSystem

    fields = {f.name for f in dataclasses.fields(CreditSystem)}
    assert fields <= set(SCHEMA.table("credit_systems").column_names)
