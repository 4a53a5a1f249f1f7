"""One small bad dataset per validator rule, each with its exact file:line: field message."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from benchmarks.directory_site import write_data
from directory import data_files, validate
from directory.data_files import (
    MAX_TABLE_BYTES,
    MAX_TABLE_ROWS,
    DataFileError,
    check_folder,
    open_data_file,
    read_limited,
)
from directory.records import count_problems, quoted
from directory.schema import load_schema
from directory.synthetic import RefusedTarget, synthetic_rows, write_synthetic_dataset
from directory.validate import normalise_name, normalise_website, validate_directory
from tests.conftest import PUBLIC_TEST_SITE, REPO_ROOT, latest_verification, looking_published

PUBLISHED = REPO_ROOT / "directory_data"
SCHEMA = load_schema(PUBLISHED)
#: The published reference tables are copied in, so 'today' is no earlier than their newest verification.
TODAY = dt.date.fromisoformat(latest_verification())


def provider(n: int, **values: str) -> dict[str, str]:
    """A generated row made to look published (the synthetic marker and example.org removed)."""
    rows = list(synthetic_rows("providers", n + 1, seed=1))
    return {**looking_published(rows[n]), "source_kind": "official", "id": f"p-{n:03d}", **values}


def organization(n: int, **values: str) -> dict[str, str]:
    rows = list(synthetic_rows("organizations", n + 1, seed=1))
    return {**looking_published(rows[n]), "source_kind": "official", "id": f"o-{n:03d}", **values}


def dataset(tmp_path: Path, providers=(), organizations=(), acceptances=(), sources=()) -> Path:
    for name in ("schema.json", "vocabularies.csv", "credit_systems.csv"):
        shutil.copyfile(PUBLISHED / name, tmp_path / name)
    for key, rows in (
        ("providers", providers),
        ("organizations", organizations),
        ("acceptances", acceptances),
        ("sources", sources),
    ):
        if key == "sources" and not rows:
            continue  # an optional table: absent, as in a folder without additional sources
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
        "source_url": f"{PUBLIC_TEST_SITE}/rule",
        "source_kind": "official",
        "source_quote": "IACET CEUs are accepted.",
        "verified_on": "2026-01-01",
    }
    return {**row, **values}


def also(table: str, row_id: str, **values: str) -> dict[str, str]:
    """A row of sources.csv: another page that states what row ``table``/``row_id`` states."""
    row = {
        "table": table,
        "id": row_id,
        "source_url": f"{PUBLIC_TEST_SITE}/also",
        "source_kind": "official",
        "source_quote": "It says so too.",
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
            {"providers": [provider(0, accredited_since="2999-01")]},
            f"providers.csv:2: accredited_since: '2999-01' is in the future (today is {TODAY.isoformat()})",
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
    found = validate_directory(path, SCHEMA, TODAY).problems
    marked = [p for p in found if "this row is synthetic" in p.message]
    reserved = [p for p in found if "the host 'example.org' is reserved for examples (RFC 2606)" in p.message]
    # Counted whether shown or summed up in "... and 10 more like this" (30 providers, one kind each).
    assert count_problems(marked) == 30 + 5 + 5
    # Each generated row cites example.org (website and source, or the check's address).
    assert count_problems(reserved) == (30 + 5) * 2 + 5 + 30
    assert len(found) == len(marked) + len(reserved)
    assert problems(path, allow_synthetic=True) == []


# --------------------------------------------------------------------------- reserved hosts

CITE = "cite the address of the page you read"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://example.org/iacet", "the host 'example.org' is reserved for examples (RFC 2606)"),
        ("https://www.Example.COM./about", "the host 'www.example.com' is reserved for examples (RFC 2606)"),
        ("http://docs.example.net/x", "the host 'docs.example.net' is reserved for examples (RFC 2606)"),
        ("https://acme.example/", "the host 'acme.example' is under .example, a top-level name reserved"),
        ("https://provider.test/", "the host 'provider.test' is under .test, a top-level name reserved"),
        ("https://gone.invalid/", "the host 'gone.invalid' is under .invalid, a top-level name reserved"),
        ("http://site.localhost:8000/", "the host 'site.localhost' is under .localhost"),
        ("http://localhost:8000/", "the host 'localhost' is the computer itself (RFC 6761)"),
        ("http://printer.local/", "the host 'printer.local' is a name on a local network only (.local)"),
        ("http://nas.home.arpa/", "the host 'nas.home.arpa' is a name on a local network only (.home.arpa)"),
        ("http://127.0.0.1:5000/", "the host '127.0.0.1' is a loopback address (the computer itself)"),
        ("http://[::1]/", "the host '::1' is a loopback address (the computer itself)"),
        ("http://2130706433/", "the host '2130706433' is a loopback address"),  # 127.0.0.1 as one number
        ("http://0x7f.1/", "the host '0x7f.1' is a loopback address"),
        ("http://10.0.0.8/", "the host '10.0.0.8' is a private or reserved network's address"),
        ("http://172.16.4.2/", "the host '172.16.4.2' is a private or reserved network's address"),
        ("http://192.168.1.1/", "the host '192.168.1.1' is a private or reserved network's address"),
        ("http://192.0.2.7/", "the host '192.0.2.7' is a private or reserved network's address"),  # RFC 5737
        ("http://[2001:db8::7]/", "the host '2001:db8::7' is a private or reserved network's address"),
        ("http://169.254.0.9/", "the host '169.254.0.9' is a link-local address"),
        ("http://0.0.0.0/", "the host '0.0.0.0' is the unspecified address"),
    ],
)
@pytest.mark.parametrize("column", ["website", "source_url"])
def test_reserved_and_local_hosts_are_refused_in_published_data(tmp_path, url, why, column):
    path = dataset(tmp_path, [provider(0, **{column: url})])
    found = problems(path)
    assert len(found) == 1, found
    assert found[0].startswith(f"providers.csv:2: {column}: {why}")
    assert found[0].endswith(CITE)
    assert problems(path, allow_synthetic=True) == [], "test data may point at them"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.iacet.org/",
        "https://example.co/",  # not reserved: a real top-level domain
        "https://notexample.org/",
        "https://example.org.uk/",
        "https://my-test.org/",
        "http://8.8.8.8/",
        "http://[2606:4700::1111]/",
        "https://1e100.net/",
    ],
)
def test_public_hosts_pass(tmp_path, url):
    assert problems(dataset(tmp_path, [provider(0, website=url, source_url=url)])) == []


OWN_SOURCE = f"{PUBLIC_TEST_SITE}/providers/0/source"


def test_additional_sources_for_existing_rows_pass(tmp_path):
    path = dataset(
        tmp_path,
        [provider(0)],
        [organization(0)],
        [acceptance("o-000")],
        [
            also("acceptances", "o-000-iacet-ceu"),
            also("organizations", "o-000", source_kind="third-party", source_date="2025"),
            also("providers", "p-000"),
            also("providers", "p-000", source_url=f"{PUBLIC_TEST_SITE}/other"),
        ],
    )
    assert problems(path) == []


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (
            [also("providers", "p-999")],
            "sources.csv:2: id: providers.csv has no row 'p-999'; an additional source supports a row that "
            "exists: correct the table or id, or add the row first",
        ),
        (
            [also("organizations", "p-000")],  # the id is a provider's, not an organization's
            "sources.csv:2: id: organizations.csv has no row 'p-000'; an additional source supports a row "
            "that exists: correct the table or id, or add the row first",
        ),
        (
            [also("credit_systems", "iacet-ceu")],
            "sources.csv:2: table: 'credit_systems' is not one of: providers, organizations, acceptances",
        ),
        (
            [also("providers", "p-000", source_url="javascript:alert(1)")],
            "sources.csv:2: source_url: 'javascript:alert(1)' is not an http(s) URL: links must start with "
            "http:// or https://",
        ),
        (
            [also("providers", "p-000", source_url="http://localhost/page")],
            "sources.csv:2: source_url: the host 'localhost' is the computer itself (RFC 6761), not a public "
            "page;",
        ),
        (
            [also("providers", "p-000", source_url=OWN_SOURCE.replace("https://", "http://"))],
            f"sources.csv:2: source_url: {quoted(OWN_SOURCE.replace('https://', 'http://'))} is the row's own "
            "source (providers.csv line 2); an additional source is another page that says it too",
        ),
        (
            [also("providers", "p-000"), also("providers", "p-000", source_quote="Other words.")],
            f"sources.csv:3: source_url: {quoted(f'providers/p-000/{PUBLIC_TEST_SITE}/also')} is already used "
            "on line 2",
        ),
        (
            [also("providers", "p-000"), also("providers", "p-000", source_url=f"{PUBLIC_TEST_SITE}/also/")],
            f"sources.csv:3: source_url: '{PUBLIC_TEST_SITE}/also/' is the same page as line 2 "
            f"('{PUBLIC_TEST_SITE}/also') for this row, written another way; keep one",
        ),
        (
            [also("providers", "p-000", verified_on="2999-01-01")],
            f"sources.csv:2: verified_on: '2999-01-01' is in the future (today is {TODAY.isoformat()})",
        ),
        (
            [also("providers", "p-000", source_date="2026-02-30")],
            "sources.csv:2: source_date: '2026-02-30' is not a date that exists",
        ),
        (
            [also("providers", "p-000", source_kind="synthetic")],
            "sources.csv:2: source_kind: this row is synthetic (generated for tests); published data must "
            "cite a real source",
        ),
        (
            [also("providers", "p-000", source_quote="")],
            "sources.csv:2: source_quote: is required",
        ),
        (
            [also("providers", "p-000"), also("organizations", "o-000")],
            "sources.csv:3: source_url: rows must be sorted by table, id, source_url: "
            f"{quoted(f'organizations/o-000/{PUBLIC_TEST_SITE}/also')} belongs before "
            f"{quoted(f'providers/p-000/{PUBLIC_TEST_SITE}/also')}",
        ),
    ],
)
def test_each_additional_source_rule_has_its_exact_message(tmp_path, sources, expected):
    path = dataset(tmp_path, [provider(0)], [organization(0)], [], sources)
    found = problems(path)
    assert any(problem.startswith(expected) for problem in found), found
    assert all(problem.startswith("sources.csv:") for problem in found), found


def test_every_link_column_of_every_table_is_checked(tmp_path):
    path = dataset(
        tmp_path,
        [provider(0)],
        [organization(0, website="https://board.test/")],
        [acceptance("o-000", source_url="http://localhost/rule")],
    )
    check = {
        "table": "providers",
        "id": "p-000",
        "check": "source",
        "checked_on": "2026-01-02",
        "url": "http://127.0.0.1:8000/page",
        "http_status": "200",
        "final_url": "https://example.org/moved",
        "outcome": "quote-present",
        "detail": "",
    }
    table = SCHEMA.table("checks")
    with (path / table.file).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=table.column_names, lineterminator="\n")
        writer.writeheader()
        writer.writerow(check)
    assert {tuple(p.split(": ")[:2]) for p in problems(path)} == {
        ("organizations.csv:2", "website"),
        ("acceptances.csv:2", "source_url"),
        ("checks.csv:2", "url"),
        ("checks.csv:2", "final_url"),
    }
    url_columns = {(t.key, c.name) for t in SCHEMA.tables for c in t.columns if c.type == "url"}
    assert ("checks", "final_url") in url_columns and len(url_columns) >= 7


def test_a_link_refused_for_its_shape_is_not_refused_again_for_its_host(tmp_path):
    found = problems(dataset(tmp_path, [provider(0, website="ftp://localhost/x")]))
    assert len(found) == 1 and "is not an http(s) URL" in found[0]


def test_ceu_validate_names_the_file_line_and_column(tmp_path):
    from tests.unit.test_cli import CEU

    path = dataset(tmp_path, [provider(0, source_url="https://example.org/about")])
    done = subprocess.run(
        [CEU, "directory", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert (
        f"{path.as_posix()}/providers.csv:2: source_url: the host 'example.org' is reserved for examples "
        f"(RFC 2606) and serves no real source; {CITE}"
    ) in done.stdout.splitlines()
    allowed = subprocess.run(
        [CEU, "directory", "validate", "--allow-synthetic", str(path)], capture_output=True, check=False
    )
    assert allowed.returncode == 0


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


# --------------------------------------------------------------------------- ids across tables


def test_an_id_in_two_tables_names_both_rows(tmp_path):
    path = dataset(
        tmp_path, [provider(0, id="shared")], [organization(0, id="shared")], [acceptance("shared")]
    )
    found = problems(path)
    why = "ids are unique across the directory's tables, because pages, badges and exports find an entry by its id alone"
    assert (
        f"organizations.csv:2: id: 'shared' is already the id of providers.csv line 2 ('{provider(0)['name']}'); {why}"
        in found
    )
    assert (
        f"providers.csv:2: id: 'shared' is also the id of organizations.csv line 2 ('{organization(0)['name']}'); {why}"
        in found
    )


def test_an_acceptance_or_credit_system_id_is_unique_across_the_directory_too(tmp_path):
    path = dataset(
        tmp_path, [provider(0, id="ace-cec")], [organization(0)], [acceptance("o-000", id="p-001")]
    )
    found = problems(path)
    assert any(
        p.startswith("credit_systems.csv:3: id: 'ace-cec' is already the id of providers.csv line 2")
        for p in found
    )
    assert not any("p-001" in p for p in found), "no provider p-001 here: the acceptance id is free"


def test_vocabulary_terms_keep_their_ids_to_themselves(tmp_path):
    """vocabularies.csv is keyed by (vocabulary, id): a term may share an id with an entry."""
    path = dataset(tmp_path, [provider(0, id="in-person")], [organization(0)], [acceptance("o-000")])
    assert problems(path) == []


# --------------------------------------------------------------------------- names that look alike


LOOKS_THE_SAME = "looks the same as 'Harbor Safety Institute' on providers.csv line 2 (id 'p-000') but is spelled with other characters"
SAME_NAME = (
    "is the same name as line 2 ('Harbor Safety Institute', id 'p-000'); merge the rows or tell them apart"
)


@pytest.mark.parametrize(
    ("imitation", "expected"),
    [
        ("Harbor Safety Inst\u0456tute", LOOKS_THE_SAME),  # a Cyrillic i
        ("H\u0430rbor S\u0430fety Institute", LOOKS_THE_SAME),  # two Cyrillic a
        ("Harb\u03bfr Safety Institute", LOOKS_THE_SAME),  # a Greek omicron
        ("Harbor Safety lnstitute", LOOKS_THE_SAME),  # a lowercase L for the capital I
        ("Harb0r Safety Institute", LOOKS_THE_SAME),  # a zero for the o
        ("Harbor\u00a0Safety Institute", SAME_NAME),  # a no-break space
        ("\uff28arbor Safety Institute", SAME_NAME),  # a fullwidth H: NFKC folds it already
        ("Harbor\u200b Safety Institute", SAME_NAME),  # and the cell check names the U+200B
    ],
)
def test_a_look_alike_name_is_an_error_in_the_same_table(tmp_path, imitation, expected):
    path = dataset(tmp_path, [provider(0, name="Harbor Safety Institute"), provider(1, name=imitation)])
    found = problems(path)
    assert any(p.startswith(f"providers.csv:3: name: {imitation!r} {expected}") for p in found), found


def test_a_look_alike_across_providers_and_organizations_is_an_error(tmp_path):
    path = dataset(
        tmp_path,
        [provider(0, name="Board of Certified Safety Professionals")],
        [organization(0, name="B\u043eard of Certified Safety Professionals")],
        [acceptance("o-000")],
    )
    assert any(
        p.startswith(
            "organizations.csv:2: name: 'B\u043eard of Certified Safety Professionals' looks the same as "
            "'Board of Certified Safety Professionals' on providers.csv line 2 (id 'p-000')"
        )
        for p in problems(path)
    )


def problems_with_one_name_in_both_tables(tmp_path, name, provider_site, organization_site):
    return problems(
        dataset(
            tmp_path,
            [provider(0, name=name, website=provider_site)],
            [organization(0, name=name, website=organization_site)],
            [acceptance("o-000")],
        )
    )


@pytest.mark.parametrize(
    ("provider_site", "organization_site"),
    [("https://www.bcsp.org", "https://bcsp.com"), ("https://www.bcsp.org", ""), ("", "")],
)
def test_one_name_in_both_tables_without_one_website_is_a_warning(tmp_path, provider_site, organization_site):
    name = "Board of Certified Safety Professionals"
    assert problems_with_one_name_in_both_tables(tmp_path, name, provider_site, organization_site) == [
        f"organizations.csv:2: name: warning: {name!r} is also the name of providers.csv line 2 (id 'p-000'); if it "
        "is one body in two roles give both rows its website, otherwise tell them apart"
    ]


@pytest.mark.parametrize(
    ("provider_site", "organization_site"),
    [("https://scdm.org", "https://scdm.org"), ("http://www.scdm.org/", "https://SCDM.org")],
)
def test_one_body_in_two_roles_with_its_website_on_both_rows_passes(
    tmp_path, provider_site, organization_site
):
    name = "Society for Clinical Data Management (SCDM)"
    assert problems_with_one_name_in_both_tables(tmp_path, name, provider_site, organization_site) == []


def test_different_names_with_different_numbers_are_not_look_alikes(tmp_path):
    rows = [provider(0, name="Region 4 Service Center"), provider(1, name="Region 5 Service Center")]
    assert problems(dataset(tmp_path, rows)) == []


def test_the_look_alike_check_stays_out_of_the_browser_bundle():
    """validate.py is zipped for Pyodide: its module level imports the standard library only."""
    import ast

    tree = ast.parse((REPO_ROOT / "directory" / "validate.py").read_text(encoding="utf-8"))
    top = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    names = {alias.name for node in top if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module or "" for node in top if isinstance(node, ast.ImportFrom)}
    assert "directory.look_alikes" not in names and "disarm" not in names


# --------------------------------------------------------------------------- reserved ids


def test_every_folder_the_build_generates_beside_the_tables_is_a_reserved_id():
    """An id must not name a generated page or folder (schema.json's reserved_ids keeps that list)."""
    from directory.pages import directory_pages
    from directory.records import Directory as Loaded
    from directory.templates import template_environment
    from directory.view import SiteOptions

    published = validate_directory(PUBLISHED, SCHEMA, dt.date.today())
    env = template_environment(REPO_ROOT / "site_src" / "directory")
    pages = directory_pages(Loaded(published.entries, ()), SCHEMA, env, SiteOptions(today=dt.date.today()))
    tables = {table.key for table in SCHEMA.tables}
    generated = {page.src_uri.split("/")[1].removesuffix(".md") for page in pages}
    generated |= {"export", "suggest"}  # exports.py and the Suggest page's hook
    reserved = SCHEMA.table("providers").columns[0].reserved
    assert generated - tables <= reserved
    assert {"index", "con", "prn", "aux", "nul", "com1", "lpt9"} <= reserved


# --------------------------------------------------------------------------- places


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            {"providers": [provider(0, country="UK", region="")]},
            "providers.csv:2: country: 'UK' is not a country code in ISO 3166-1; United Kingdom is 'GB'",
        ),
        (
            {"organizations": [organization(0, country="ZZ", region="")]},
            "organizations.csv:2: country: 'ZZ' is not a country code in ISO 3166-1; look it up at "
            "https://www.iso.org/obp/ui/#search",
        ),
        (
            {"providers": [provider(0, country="US", region="XX")]},
            "providers.csv:2: region: 'XX' is not a subdivision of United States (US) in ISO 3166-2; its codes are "
            "AK, AL, AR, AS, AZ, CA, CO, CT, ...",
        ),
        (
            # A code of another country's list: Texas is not in Egypt.
            {"providers": [provider(0, country="EG", region="TX")]},
            "providers.csv:2: region: 'TX' is not a subdivision of Egypt (EG) in ISO 3166-2; its codes are "
            "ALX, ASN, AST, BA, BH, BNS, C, DK, ...",
        ),
    ],
)
def test_a_place_iso_3166_does_not_have_is_an_error(tmp_path, rows, expected):
    assert expected in problems(dataset(tmp_path, **rows))


@pytest.mark.parametrize(
    ("country", "region"), [("US", "TX"), ("GB", "ENG"), ("SA", "01"), ("EG", "C"), ("CA", "")]
)
def test_a_place_iso_3166_has_passes(tmp_path, country, region):
    found = problems(dataset(tmp_path, providers=[provider(0, country=country, region=region)]))
    assert not [line for line in found if ": country:" in line or ": region:" in line], found


def test_a_malformed_country_is_reported_once(tmp_path):
    found = [
        line
        for line in problems(dataset(tmp_path, providers=[provider(0, country="usa")]))
        if ": country:" in line
    ]
    assert len(found) == 1, found


def test_a_website_that_cannot_be_parsed_on_a_same_name_pair_is_reported_not_raised(tmp_path):
    name = "Society for Clinical Data Management (SCDM)"
    found = problems_with_one_name_in_both_tables(tmp_path, name, "http://[scdm.org", "http://[scdm.org")
    assert any(p.startswith("providers.csv:2: website: ") for p in found), found
    assert any(p.startswith("organizations.csv:2: name: warning: ") for p in found), found


# --------------------------------------------------------------------------- the files themselves (issue 34)


def test_every_table_is_judged_before_any_is_read(tmp_path, monkeypatch):
    """checks.csv, the last table, is a link: refused before a byte of providers.csv is read."""
    data = Path(shutil.copytree(PUBLISHED, tmp_path / "data"))
    (data / "checks.csv").unlink()
    os.symlink("/dev/zero", data / "checks.csv")
    read: list[str] = []
    real_read_rows = validate.read_rows

    def reading(handle, path, *args):  # records which tables were read, then reads them
        read.append(path.name)
        return real_read_rows(handle, path, *args)

    monkeypatch.setattr(validate, "read_rows", reading)
    with pytest.raises(DataFileError, match=r"checks\.csv: is a symbolic link \(to '/dev/zero'\)"):
        validate_directory(data, SCHEMA, TODAY)
    assert read == []
    (data / "checks.csv").unlink()
    validate_directory(data, SCHEMA, TODAY)  # the optional table absent: no problem
    assert read == [table.file for table in SCHEMA.tables if table.key != "checks"]


def test_a_file_put_in_place_of_another_after_it_was_looked_at_is_still_refused(tmp_path, monkeypatch):
    """The race the descriptor closes: a regular file at lstat, a link by the time it is opened."""
    path = tmp_path / "providers.csv"
    path.write_bytes(b"id\n")
    real_lstat = os.lstat

    def swapped_after(target, *args, **kwargs):
        seen = real_lstat(target, *args, **kwargs)
        if Path(target) == path and stat.S_ISREG(seen.st_mode):
            path.unlink()
            os.symlink("/dev/zero", path)
        return seen

    monkeypatch.setattr(data_files.os, "lstat", swapped_after)
    with pytest.raises(DataFileError, match=r"is a symbolic link \(to '/dev/zero'\)"):
        open_data_file(path, MAX_TABLE_BYTES)


def test_what_is_read_is_what_was_judged_whatever_the_name_points_at_later(tmp_path):
    path = tmp_path / "providers.csv"
    path.write_bytes(b"judged\n")
    with open_data_file(path, MAX_TABLE_BYTES) as handle:
        path.unlink()
        os.symlink("/dev/zero", path)
        assert handle.read() == b"judged\n"


def test_a_schema_that_grows_while_it_is_read_is_refused(tmp_path):
    path = tmp_path / "schema.json"
    path.write_bytes(b"{}")
    with open_data_file(path, 10) as handle:
        path.write_bytes(b"{}" + b" " * 100)
        with pytest.raises(DataFileError, match=r"grew past 10 bytes \(10 bytes\) while it was read"):
            read_limited(handle, path, 10)


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda folder: None, "there is no such folder"),
        (lambda folder: folder.write_text("x"), "is not a regular file, not a folder"),
        (lambda folder: os.symlink(folder.parent, folder), "is a symbolic link (to '"),
    ],
    ids=["missing", "a-file", "a-link"],
)
def test_the_data_folder_is_a_folder_and_not_a_link(tmp_path, make, why):
    folder = tmp_path / "data"
    make(folder)
    with pytest.raises(DataFileError) as raised:
        check_folder(folder)
    assert str(raised.value).startswith(f"{folder.as_posix()}: ") and why in str(raised.value)


def test_a_mistake_found_across_tables_is_counted_too(tmp_path):
    """Sixty acceptances of an organization that does not exist: twenty lines, then one that counts."""
    rows = [acceptance("o-missing", id=f"a-{n:03d}") for n in range(60)]
    found = validate_directory(dataset(tmp_path, acceptances=rows), SCHEMA, TODAY).problems
    references = [p for p in found if p.field == "organization_id"]
    assert len(references) == 21 and count_problems(references) == 60
    assert references[-1].message.startswith("... and 40 more like this on lines 22 to 61 (the first: ")


def test_the_benchmark_s_largest_directory_keeps_within_the_limits_and_validates(tmp_path):
    """make bench's 100,000 entries (benchmarks/directory_site.py): every table well inside the limits."""
    data = write_data(100_000, tmp_path)
    for table in SCHEMA.tables:
        path = data / table.file
        if table.optional and not path.exists():
            continue  # a table the data may leave out (further sources)
        assert path.stat().st_size * 4 < MAX_TABLE_BYTES * 3, (table.file, path.stat().st_size)  # a quarter
        rows = path.read_bytes().count(b"\n") - 1
        assert rows * 5 <= MAX_TABLE_ROWS * 4, (table.file, rows)  # a fifth of the limit to spare
    directory = validate_directory(data, load_schema(data), TODAY, allow_synthetic=True)
    assert [str(problem) for problem in directory.problems if problem.severity == "error"] == []
    assert len(directory.entries) > 200_000
