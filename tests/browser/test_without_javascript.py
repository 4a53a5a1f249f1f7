"""With JavaScript off, the directory still works and the calculator still explains itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from tests.browser.browser_support import Visit, site_path

pytestmark = pytest.mark.browser

NO_SCRIPT = {"java_script_enabled": False}
ENTRIES_PER_PAGE = 100


def test_directory_lists_entries_whose_links_open_profiles(
    visit: Callable[..., Visit],
    providers: list[dict[str, str]],
    organizations: list[dict[str, str]],
) -> None:
    listing = visit("/directory/", **NO_SCRIPT)
    page = listing.page
    assert listing.response is not None and listing.response.status == 200
    names = {f"/directory/providers/{row['id']}/": row["name"] for row in providers}
    names |= {f"/directory/organizations/{row['id']}/": row["name"] for row in organizations}

    links = page.locator("table.directory-listing tr > td:first-child a")
    expected_rows = min(ENTRIES_PER_PAGE, len(names))
    assert links.count() == expected_rows, (
        f"/directory/ lists {links.count()} entries; expected {expected_rows} "
        f"({len(names)} entries in directory_data, {ENTRIES_PER_PAGE} a page)"
    )
    broken = []
    for link in links.all():
        href = link.get_attribute("href") or ""
        target = urljoin(page.url, href)
        path = site_path(target)
        if names.get(path) != link.inner_text().strip():
            broken.append(f"{link.inner_text()!r} -> {href} (names {names.get(path)!r})")
            continue
        status = page.request.get(target).status
        if status != 200:
            broken.append(f"{link.inner_text()!r} -> {href}: status {status}")
    assert not broken, "directory links that do not open the right profile:\n" + "\n".join(broken)

    first = links.first
    name = first.inner_text().strip()
    first.click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text(name)
    listing.watch.assert_clean("/directory/ and a profile without JavaScript")


def test_calculator_explains_itself_and_labels_its_fields(visit: Callable[..., Visit]) -> None:
    shown = visit("/calculator/", **NO_SCRIPT)
    page = shown.page
    assert shown.response is not None and shown.response.status == 200
    explanation = page.locator("article p:not(form p), article li")
    text = " ".join(explanation.all_inner_texts())
    assert "contact hour" in text and "CEU" in text and len(text) > 200, (
        f"without JavaScript the calculator page explains too little: {text!r}"
    )
    for input_id in ("ceu-minutes", "ceu-excluded"):
        expect(page.locator(f"#{input_id}")).to_be_visible()
        label = page.locator(f'label[for="{input_id}"]')
        expect(label).to_be_visible()
        expect(label).to_have_text(re.compile(r"\w"))
    shown.watch.assert_clean("/calculator/ without JavaScript")
