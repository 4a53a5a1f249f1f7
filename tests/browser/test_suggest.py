"""/directory/suggest/: a contributor fills the form and gets the validator's verdict and the row.

The row the page writes is appended to a copy of directory_data and checked by the real
``ceu directory validate`` command. Tests share ONE desktop page (Python starts once) and
each first fills every field itself, so none relies on what an earlier test left.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from directory.records import check_value
from directory.reserved_hosts import reserved_host
from directory.schema import load_schema
from tests.browser.browser_support import (
    DATA_DIR,
    DESKTOP,
    PHONE,
    PYTHON_READY_TIMEOUT_MS,
    SCREENSHOT_DIR,
    Visit,
    page_and_screen_width,
    run_axe,
    watched_context,
)
from tests.conftest import PUBLIC_TEST_SITE, plugin_settings

pytestmark = pytest.mark.browser

SCHEMA = load_schema(DATA_DIR)
SETTLED = '#suggest-status[data-state="ready"], #suggest-status[data-state="error"]'
CLIPBOARD = ["clipboard-read", "clipboard-write"]
REPOSITORY: str = plugin_settings()["repository"]
CEU = Path(sys.executable).with_name("ceu")
BLOCKING_IMPACTS = ("serious", "critical")

#: A valid provider: real-looking, clearly example data. Its id sorts after every published id.
#: Its links are on a public host: published data may not cite example.org (reserved_hosts.py).
PROVIDER = {
    "id": "zz-example-provider",
    "name": "Example Training Institute",
    "country": "US",
    "region": "TX",
    "city": "Austin",
    "website": PUBLIC_TEST_SITE,
    "accredited_since": "2020-05",
    "delivery_modes": "blended;live-online",
    "topics": "Safety; Quality",
    "standing": "accredited",
    "source_url": f"{PUBLIC_TEST_SITE}/iacet-accreditation",
    "source_kind": "official",
    "source_date": "2024",
    "source_quote": 'Example Training Institute is an "IACET Accredited Provider", since 2020.',
    "verified_on": (dt.date.today() - dt.timedelta(days=7)).isoformat(),
    "notes": "Example row, for the tests.",
}


def open_suggest(browser: Browser, site_url: str, **options: Any) -> tuple[BrowserContext, Visit]:
    context, watch = watched_context(browser, site_url, permissions=CLIPBOARD, **options)
    page = context.new_page()
    response = page.goto(site_url + "/directory/suggest/", wait_until="domcontentloaded")
    state_at_load = page.get_attribute("#suggest-status", "data-state")
    page.wait_for_selector(SETTLED, timeout=PYTHON_READY_TIMEOUT_MS)
    return context, Visit(page, watch, response, state_at_load)


@pytest.fixture(scope="module")
def suggest(browser: Browser, site_url: str) -> Iterator[Visit]:
    context, visit = open_suggest(browser, site_url, **DESKTOP)
    yield visit
    context.close()


def assert_ready(visit: Visit) -> None:
    status = visit.page.locator("#suggest-status")
    assert status.get_attribute("data-state") == "ready", (
        f"the checker did not start: {status.inner_text()!r}, page problems {visit.watch.problems()}"
    )


def fill_row(page: Page, key: str, values: Mapping[str, str]) -> None:
    """Choose the table, then set EVERY field of it (blank when not given)."""
    page.check(f"#suggest-table-{key}")
    expect(page.locator(f"#suggest-fields-{key}")).to_be_visible()
    for column in SCHEMA.table(key).columns:
        value = values.get(column.name, "")
        field_id = f"#{key}-{column.name}"
        tag = page.locator(field_id).evaluate("node => node.tagName")
        if tag == "FIELDSET":
            chosen = value.split(";") if value else []
            for box in page.locator(f"{field_id} input[type=checkbox]").all():
                box.set_checked(box.get_attribute("value") in chosen)
        elif tag == "SELECT":
            page.select_option(field_id, value)
        else:
            page.fill(field_id, value)


def assert_no_traceback(page: Page) -> None:
    shown = page.locator("body").inner_text()
    assert "Traceback" not in shown and "PythonError" not in shown, f"page shows a Python error:\n{shown}"
    assert page.locator(".py-error").count() == 0, "PyScript rendered an error box on the page"


def test_status_is_loading_in_the_served_page_then_ready(suggest: Visit) -> None:
    assert suggest.response is not None and suggest.response.status == 200
    status_tag = re.search(r"<[^>]*\bid=\"suggest-status\"[^>]*>", suggest.response.text())
    assert status_tag and 'data-state="loading"' in status_tag.group(0)
    assert suggest.state_at_load == "loading"
    assert_ready(suggest)
    expect(suggest.page.locator("#suggest-summary")).to_have_attribute(
        "aria-live", re.compile("polite|assertive")
    )
    suggest.watch.assert_clean("loading /directory/suggest/")


def test_a_valid_provider_row_passes_the_real_validator(suggest: Visit, tmp_path: Path) -> None:
    page = suggest.page
    assert_ready(suggest)
    suggest.watch.clear()
    fill_row(page, "providers", PROVIDER)
    expect(page.locator("#suggest-summary")).to_have_attribute("data-state", "ok")
    row = page.input_value("#suggest-row")
    assert row.startswith("zz-example-provider,Example Training Institute,US,TX,Austin,")
    assert '"Example Training Institute is an ""IACET Accredited Provider"", since 2020."' in row
    expect(page.locator("#suggest-file")).to_have_text("providers.csv")

    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    providers = data_dir / "providers.csv"
    text = providers.read_text(encoding="utf-8")
    providers.write_text(text + ("" if text.endswith("\n") else "\n") + row + "\n", encoding="utf-8")
    done = subprocess.run(
        [str(CEU), "directory", "validate", str(data_dir)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, (
        f"ceu directory validate refused the page's row {row!r}:\n{done.stdout}{done.stderr}"
    )

    page.click("#suggest-copy")
    expect(page.locator("#suggest-copy-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == row
    suggest.watch.assert_clean("a valid provider")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        pytest.param("website", "javascript:alert(1)", id="script-url"),
        pytest.param("verified_on", "2026-02-30", id="date-that-does-not-exist"),
        pytest.param("source_kind", "synthetic", id="synthetic"),
        pytest.param("source_url", "https://example.org/iacet", id="reserved-host"),
        # Checked in the browser by certificates/did_key.py, zipped beside the validator (issue 33).
        pytest.param("issuer_did", "did:key:z6Mk0", id="signing-key-not-base58"),
    ],
)
def test_bad_input_shows_the_validators_message_beside_the_field(
    suggest: Visit, column: str, value: str
) -> None:
    page = suggest.page
    assert_ready(suggest)
    suggest.watch.clear()
    fill_row(page, "providers", PROVIDER)
    expect(page.locator("#suggest-summary")).to_have_attribute("data-state", "ok")
    fill_row(page, "providers", {**PROVIDER, column: value})

    schema_column = next(c for c in SCHEMA.table("providers").columns if c.name == column)
    message = (
        check_value(schema_column, value, dt.date.today())
        or reserved_host(value)
        or ("this row is synthetic (generated for tests); published data must cite a real source")
    )
    field = page.locator(f"#providers-{column}")
    error = page.locator(f"#providers-{column}-error")
    expect(error).to_have_text(f"{column}: {message}")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert f"providers-{column}-error" in (field.get_attribute("aria-describedby") or "").split()
    expect(page.locator("#suggest-summary")).to_have_attribute("data-state", "problems")
    # Fixing the field clears its message.
    fill_row(page, "providers", PROVIDER)
    expect(error).to_have_text("")
    expect(field).not_to_have_attribute("aria-invalid", "true")
    assert_no_traceback(page)
    suggest.watch.assert_clean(f"{column}={value!r}")


def test_links_open_the_repositorys_issue_form_and_file_editor(suggest: Visit) -> None:
    page = suggest.page
    assert_ready(suggest)
    suggest.watch.clear()
    fill_row(page, "providers", PROVIDER)
    expect(page.locator("#suggest-summary")).to_have_attribute("data-state", "ok")
    row = page.input_value("#suggest-row")

    issue = page.get_attribute("#suggest-issue", "href") or ""
    assert issue.startswith(f"{REPOSITORY}/issues/new?template=suggest-entry.yml&"), issue
    assert " " not in issue and "\n" not in issue
    query = parse_qs(urlsplit(issue).query)
    assert row in query["notes"][0]
    assert query["name"] == [PROVIDER["name"]]
    assert query["kind"] == ["provider"]
    edit = page.get_attribute("#suggest-edit", "href")
    assert edit == f"{REPOSITORY}/edit/main/directory_data/providers.csv"

    fill_row(page, "organizations", {"name": "Example Board"})
    expect(page.locator("#suggest-fields-providers")).to_be_hidden()
    expect(page.locator("#suggest-file")).to_have_text("organizations.csv")
    assert (
        page.get_attribute("#suggest-edit", "href")
        == f"{REPOSITORY}/edit/main/directory_data/organizations.csv"
    )
    org_query = parse_qs(urlsplit(page.get_attribute("#suggest-issue", "href") or "").query)
    assert org_query["kind"] == ["organization"]
    # Only the name filled: the id's cell, the name, then one empty cell per other column.
    others = len(SCHEMA.table("organizations").columns) - 2
    assert page.input_value("#suggest-row") == ",Example Board" + "," * others
    suggest.watch.assert_clean("issue and edit links")


def test_keyboard_enter_checks_every_field_and_goes_to_the_first_problem(suggest: Visit) -> None:
    page = suggest.page
    assert_ready(suggest)
    suggest.watch.clear()
    fill_row(page, "providers", {**PROVIDER, "name": "", "verified_on": ""})
    page.focus("#providers-country")
    page.keyboard.press("Enter")
    expect(page.locator("#providers-name")).to_be_focused()
    expect(page.locator("#providers-name-error")).to_have_text("name: is required")
    page.keyboard.type(PROVIDER["name"])
    expect(page.locator("#providers-name-error")).to_have_text("")
    expect(page.locator("#providers-verified_on-error")).to_have_text("verified_on: is required")
    suggest.watch.assert_clean("keyboard use")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_no_serious_accessibility_violations(
    suggest: Visit, browser: Browser, site_url: str, viewport: str
) -> None:
    context: BrowserContext | None = None
    if viewport == "desktop":
        shown = suggest
        shown.watch.clear()
    else:
        context, shown = open_suggest(browser, site_url, **PHONE)
    try:
        page = shown.page
        assert_ready(shown)
        fill_row(page, "providers", {**PROVIDER, "website": "javascript:alert(1)"})
        page.click("#suggest-check")  # every message shown: the error states are audited too
        expect(page.locator("#providers-website-error")).not_to_have_text("")
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"suggest-{viewport}.png"), full_page=True)
        violations = run_axe(page)
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{len(blocking)} serious/critical axe violations:\n" + json.dumps(
            violations, indent=2
        )
        if viewport == "phone":
            content_width, screen_width = page_and_screen_width(page)
            assert content_width <= screen_width + 1, (
                f"scrolls sideways: {content_width}px on {screen_width}px"
            )
        shown.watch.assert_clean(f"axe-core on /directory/suggest/ at {viewport} width")
    finally:
        if context is not None:
            context.close()
