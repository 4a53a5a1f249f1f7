"""The Suggest an entry page checks one row with the validator's own rules and words.

Each bad row is appended to a copy of directory_data and run through validate_directory:
check_suggestion must report exactly what the validator reports on that line. A good
row's CSV, appended the same way, must pass. The links and the generated form are
checked against the issue form and the schema they come from.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from mkdocs.config import load_config

from directory.records import Problem
from directory.schema import Table, load_schema
from directory.suggest import (
    ISSUE_FIELDS,
    ISSUE_KIND_FIELD,
    ISSUE_ROW_FIELD,
    ISSUE_TEMPLATE,
    check_suggestion,
    csv_row,
    edit_url,
    issue_url,
    read_vocabularies,
)
from directory.suggest_page import form_fields
from directory.validate import validate_directory
from hooks.directory_build import suggest_page
from site_build.runtime import DIRECTORY_ALSO, DIRECTORY_MODULES, install_directory_runtime, zip_engine
from tests.conftest import PUBLIC_TEST_SITE, REPO_ROOT

PUBLISHED = REPO_ROOT / "directory_data"
SCHEMA = load_schema(PUBLISHED)
#: The real data must pass on the real date (CI checks it), so the copies here use it too.
TODAY = dt.date.today()
VOCABULARIES = read_vocabularies(PUBLISHED, SCHEMA, TODAY)
REPOSITORY = "https://github.com/openceu/openceu"
ISSUE_FORM = REPO_ROOT / ".github" / "ISSUE_TEMPLATE" / ISSUE_TEMPLATE

#: Clearly example data; ids sort after every published id, so row order is never the problem.
#: Its links are on a public host: a suggestion may not cite example.org (test_reserved_host).
GOOD = {
    "providers": {
        "id": "zz-example-provider",
        "name": "Example Training Institute",
        "country": "US",
        "region": "TX",
        "city": "Austin",
        "website": PUBLIC_TEST_SITE,
        "iacet_provider_number": "",
        "accredited_since": "2020-05",
        "delivery_modes": "blended;live-online",
        "topics": "Safety; Quality",
        "standing": "accredited",
        "issuer_did": "",
        "issuer_did_source": "",
        "source_url": f"{PUBLIC_TEST_SITE}/accreditation",
        "source_kind": "official",
        "source_date": "2024",
        "source_quote": 'Example Training Institute is an "IACET Accredited Provider", since 2020.',
        "verified_on": "2026-01-15",
        "notes": "Example row\nover two lines.",
        "sourcing": "Read on the example site.",
    },
    "organizations": {
        "id": "zz-example-board",
        "name": "Example Board of Examples",
        "kind": "licensing-board",
        "country": "US",
        "region": "NE",
        "website": f"{PUBLIC_TEST_SITE}/board",
        "source_url": f"{PUBLIC_TEST_SITE}/board/rules",
        "source_kind": "third-party",
        "source_date": "",
        "source_quote": "Courses from IACET accredited providers are accepted.",
        "verified_on": "2026-01-15",
        "notes": "",
        "sourcing": "",
    },
}
NEXT_YEAR = (TODAY + dt.timedelta(days=366)).isoformat()

BAD = [
    pytest.param("providers", {"website": "javascript:alert(1)"}, id="script-url"),
    pytest.param("providers", {"accredited_since": "2026-02-30"}, id="date-that-does-not-exist"),
    pytest.param("providers", {"verified_on": "2024-1-5"}, id="date-form"),
    pytest.param("providers", {"verified_on": NEXT_YEAR}, id="future-date"),
    pytest.param(
        "providers", {"name": "", "country": "usa", "region": "Texas"}, id="required-country-region"
    ),
    pytest.param("providers", {"name": " Example Training Institute"}, id="leading-space"),
    pytest.param("providers", {"source_kind": "synthetic"}, id="synthetic"),
    pytest.param("providers", {"standing": "lapsed", "source_date": ""}, id="undated-lapse"),
    pytest.param("providers", {"standing": "gone"}, id="enum"),
    pytest.param("providers", {"delivery_modes": "blended;teleportation"}, id="unknown-term"),
    pytest.param("providers", {"delivery_modes": "Blended"}, id="term-not-a-slug"),
    pytest.param("providers", {"topics": "Safety;;Quality"}, id="empty-list-item"),
    pytest.param("providers", {"id": "zz Example", "notes": "bell\x07"}, id="slug-and-control"),
    pytest.param("organizations", {"kind": ""}, id="required-vocab"),
    pytest.param("organizations", {"kind": "spaceship"}, id="unknown-kind"),
    pytest.param("organizations", {"kind": "association;university"}, id="one-term-only"),
    pytest.param("organizations", {"source_url": "ftp://example.org/rules"}, id="ftp-source"),
    pytest.param("providers", {"source_url": "https://example.org/accreditation"}, id="reserved-host"),
    pytest.param("organizations", {"website": "http://127.0.0.1:8000/"}, id="loopback-host"),
]


def appended(tmp_path: Path, table: Table, row: str) -> tuple[Path, int]:
    """A copy of directory_data with one more line in the table's file; the new line's number."""
    data_dir = tmp_path / "data"
    shutil.copytree(PUBLISHED, data_dir)
    path = data_dir / table.file
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    line = text.count("\n") + 1
    path.write_text(text + row + "\n", encoding="utf-8")
    return data_dir, line


def shown(problems: list[Problem]) -> list[tuple[str, str, str]]:
    return sorted((p.field, p.severity, p.message) for p in problems)


@pytest.mark.parametrize(("key", "changes"), BAD)
def test_messages_are_the_validators_for_the_same_row(
    tmp_path: Path, key: str, changes: dict[str, str]
) -> None:
    table = SCHEMA.table(key)
    values = {**GOOD[key], **changes}
    suggested = check_suggestion(table, values, VOCABULARIES, TODAY)
    data_dir, line = appended(tmp_path, table, csv_row(table, values))
    directory = validate_directory(data_dir, SCHEMA, TODAY)
    validated = [p for p in directory.problems if p.file == table.file and p.line == line]
    assert suggested, f"{changes} should be refused"
    assert shown(suggested) == shown(validated)
    assert all(p.field in table.column_names for p in suggested), "every problem names its field"
    others = [p for p in directory.problems if p.severity == "error" and p not in validated]
    assert not others, f"the published data itself has problems: {others}"


@pytest.mark.parametrize("key", ["providers", "organizations"])
def test_a_good_rows_csv_passes_the_validator(tmp_path: Path, key: str) -> None:
    table = SCHEMA.table(key)
    assert check_suggestion(table, GOOD[key], VOCABULARIES, TODAY) == []
    data_dir, line = appended(tmp_path, table, csv_row(table, GOOD[key]))
    directory = validate_directory(data_dir, SCHEMA, TODAY)
    assert [p for p in directory.problems if p.severity == "error"] == []
    (entry,) = [e for e in directory.of(key) if e.id == GOOD[key]["id"]]
    assert entry.line == line
    assert entry.values == GOOD[key]


def test_csv_row_is_one_record_in_schema_order_with_csv_quoting() -> None:
    table = SCHEMA.table("providers")
    row = csv_row(table, GOOD["providers"])
    assert row.startswith(f"zz-example-provider,Example Training Institute,US,TX,Austin,{PUBLIC_TEST_SITE},")
    assert '"Example Training Institute is an ""IACET Accredited Provider"", since 2020."' in row
    assert not row.endswith("\n")
    (parsed,) = list(csv.reader(io.StringIO(row + "\n"), strict=True))
    assert parsed == [GOOD["providers"][name] for name in table.column_names]
    assert csv_row(table, {}) == "," * (len(table.columns) - 1)


def test_ref_columns_are_left_to_the_whole_directory_check() -> None:
    table = SCHEMA.table("acceptances")
    values = {
        "id": "zz-x",
        "organization_id": "not-yet-listed",
        "credit_type": "iacet-ceu",
        "conditions": "Accepted.",
        "source_url": PUBLIC_TEST_SITE,
        "source_kind": "official",
        "source_quote": "Accepted.",
        "verified_on": "2026-01-15",
    }
    assert check_suggestion(table, values, VOCABULARIES, TODAY) == []
    problems = check_suggestion(table, {**values, "organization_id": "Not A Slug"}, VOCABULARIES, TODAY)
    assert [p.field for p in problems] == ["organization_id"]


def issue_form_fields() -> dict[str, dict[str, object]]:
    form = yaml.safe_load(ISSUE_FORM.read_text(encoding="utf-8"))
    return {item["id"]: item for item in form["body"] if "id" in item}


@pytest.mark.parametrize("key", ["providers", "organizations"])
def test_issue_url_prefills_the_repositorys_issue_form(key: str) -> None:
    table = SCHEMA.table(key)
    values = {**GOOD[key], "source_quote": "Quote & more: 100% = ok?#"}
    url = issue_url(REPOSITORY + "/", table, values)
    assert url.startswith(f"{REPOSITORY}/issues/new?template={ISSUE_TEMPLATE}&")
    assert " " not in url and "\n" not in url and "#" not in urlsplit(url).query
    query = {name: found[0] for name, found in parse_qs(urlsplit(url).query, strict_parsing=True).items()}
    fields = issue_form_fields()
    assert set(query) - {"template", "title"} <= set(fields), "every prefilled field exists in the form"
    assert table.singular in fields[ISSUE_KIND_FIELD]["attributes"]["options"]  # type: ignore[operator,index]
    assert query[ISSUE_KIND_FIELD] == table.singular
    assert query["title"] == f"Suggest: {values['name']}"
    assert query["quote"] == values["source_quote"]
    for column, field_id in ISSUE_FIELDS.items():
        assert query.get(field_id, "") == values.get(column, "")
    assert csv_row(table, values) in query[ISSUE_ROW_FIELD]
    assert ",".join(table.column_names) in query[ISSUE_ROW_FIELD]


def test_issue_url_fences_a_row_that_contains_backticks() -> None:
    table = SCHEMA.table("providers")
    url = issue_url(REPOSITORY, table, {**GOOD["providers"], "notes": "see ```code```"})
    notes = parse_qs(urlsplit(url).query)[ISSUE_ROW_FIELD][0]
    assert "````csv\n" in notes and notes.endswith("\n````\n")


def test_edit_url_opens_the_tables_file_on_main() -> None:
    table = SCHEMA.table("organizations")
    assert edit_url(REPOSITORY, table) == f"{REPOSITORY}/edit/main/directory_data/organizations.csv"
    assert (
        edit_url(REPOSITORY + "/", table, "data/dir") == f"{REPOSITORY}/edit/main/data/dir/organizations.csv"
    )


# --------------------------------------------------------------------------- what the browser gets


def test_directory_zip_imports_with_nothing_but_the_standard_library(tmp_path: Path) -> None:
    install_directory_runtime(
        tmp_path, REPO_ROOT / "directory", PUBLISHED, REPO_ROOT / "site_src/assets/directory"
    )
    archive = tmp_path / "assets/py/directory.zip"
    with zipfile.ZipFile(archive) as opened:
        also = [f"{package}/{name}" for package, names in DIRECTORY_ALSO.items() for name in names]
        assert sorted(opened.namelist()) == sorted([f"directory/{name}" for name in DIRECTORY_MODULES] + also)
        for name in opened.namelist():
            assert opened.read(name) == (REPO_ROOT / name).read_bytes()
    for name in ("schema.json", "vocabularies.csv"):
        assert (tmp_path / "assets/py/data" / name).read_bytes() == (PUBLISHED / name).read_bytes()
    assert (tmp_path / "assets/directory/suggest.py").is_file()
    # -I -S: no site-packages (no Jinja2) and not the repository: only the zip and the stdlib.
    # A provider's signing key is checked in the browser too (certificates.did_key, zipped beside).
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import directory.suggest, directory.build_date; "
        "from directory.records import check_value; from directory.schema import Column; "
        "did = Column('issuer_did', 'did', False, '', ''); "
        "assert check_value(did, 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', None) is None; "
        "assert 'base58btc' in check_value(did, 'did:key:z6Mk0', None); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe', 'calc')))"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script, str(archive)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_directory_zip_is_reproducible(tmp_path: Path) -> None:
    for name in ("a.zip", "b.zip"):
        also = {REPO_ROOT / package: names for package, names in DIRECTORY_ALSO.items()}
        zip_engine(REPO_ROOT / "directory", tmp_path / name, names=DIRECTORY_MODULES, also=also)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


# --------------------------------------------------------------------------- the generated form


class Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.script = self.script or tag == "script" or any(name.startswith("on") for name, _ in attrs)


@pytest.fixture(scope="module")
def page() -> tuple[str, Form]:
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"))
    content = suggest_page(config.plugins["openceu"].config, REPO_ROOT, Path(config.theme.custom_dir or ""))
    parsed = Form()
    parsed.feed(content.split("\n---\n", 1)[1])
    return content, parsed


def test_page_front_matter_runs_python_and_stays_out_of_search(page: tuple[str, Form]) -> None:
    content, parsed = page
    front = yaml.safe_load(content.split("---\n")[1])
    assert front == {
        "title": "Suggest an entry",
        "template": "python_page.html",
        "csp": "python",
        "python": {"script": "assets/directory/suggest.py", "config": "assets/directory/pyscript.json"},
        "stylesheet": "assets/stylesheets/suggest.css",
        "search_index": False,
    }
    assert not parsed.script, "the page body has a script or an event attribute"


@pytest.mark.parametrize("key", ["providers", "organizations"])
def test_form_has_one_labelled_field_per_column(page: tuple[str, Form], key: str) -> None:
    _, parsed = page
    table = SCHEMA.table(key)
    labels = {a["for"] for t, a in parsed.tags if t == "label"}
    controls = {
        a.get("id"): (t, a) for t, a in parsed.tags if t in ("input", "select", "textarea", "fieldset")
    }
    for column in table.columns:
        tag, attrs = controls[f"{key}-{column.name}"]
        assert attrs.get("data-column") == column.name
        describedby = (attrs.get("aria-describedby") or "").split()
        assert describedby == [f"{key}-{column.name}-hint", f"{key}-{column.name}-error"]
        if tag == "fieldset":  # a group of checkboxes: each box is labelled
            boxes = [
                a
                for t, a in parsed.tags
                if t == "input" and a.get("name") == column.name and a["id"].startswith(f"{key}-")
            ]
            assert [b["value"] for b in boxes] == list(VOCABULARIES[column.vocabulary])
            assert all(b["id"] in labels for b in boxes)
        else:
            assert f"{key}-{column.name}" in labels
            assert ("required" in attrs) == column.required
            if tag in ("input", "textarea"):  # the schema's limit, typed or pasted
                assert attrs.get("maxlength") == str(column.max_length)


def test_fields_follow_the_schemas_types() -> None:
    widgets = {f.column.name: f for f in form_fields(SCHEMA.table("providers"), VOCABULARIES)}
    assert widgets["standing"].widget == "select"
    assert [v for v, _ in widgets["source_kind"].choices] == list(widgets["source_kind"].column.values)
    assert (
        "synthetic" in widgets["source_kind"].column.values
    )  # offered, and refused with the validator's words
    assert widgets["delivery_modes"].widget == "checkboxes"
    assert widgets["verified_on"].form == "YYYY-MM-DD"
    assert widgets["issuer_did"].form == "did:key:z6Mk…, 56 characters"
    assert widgets["source_quote"].widget == "textarea"
    kinds = {f.column.name: f for f in form_fields(SCHEMA.table("organizations"), VOCABULARIES)}["kind"]
    assert kinds.widget == "select"
    assert dict(kinds.choices) == VOCABULARIES["organization-kind"]
