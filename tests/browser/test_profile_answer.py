"""A profile answers its visitor's question on the first screen, on a phone as on a desktop.

"Does SHRM accept IACET CEUs, and in what?" is answered by the organization's verdict and its
"Calculate in PDC" link; "Is this provider accredited?" by the provider's status line and the
link to confirm it with IACET. Each must be on screen without scrolling at 390 and 1280 px.
What each should say is read from directory_data/*.csv, never written here.

One watched context per width, shared by the module's tests (the session's built site).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from directory.build_date import build_date
from directory.records import Entry
from directory.status import provider_status
from tests.browser.browser_support import VIEWPORTS, read_entries, run_axe, watched_context

pytestmark = pytest.mark.browser


def row(table: str, entry_id: str) -> dict[str, str]:
    """The row ``entry_id`` of a table, or its first row once that entry is gone."""
    rows = {r["id"]: r for r in read_entries(table)}
    return rows.get(entry_id) or next(iter(rows.values()))


#: The organization the issue tried ("Does SHRM accept IACET CEUs, and how many PDCs?").
ORGANIZATION = row("organizations", "society-for-human-resource-management")
#: The provider the issue tried ("Is TEEX accredited?").
PROVIDER = row("providers", "teex")


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def tab(request: pytest.FixtureRequest, browser: Browser, site_url: str) -> Iterator[Page]:
    context, watch = watched_context(browser, site_url, **VIEWPORTS[request.param])
    page = context.new_page()
    yield page
    watch.assert_clean(f"profiles at {request.param} width")
    context.close()


def on_first_screen(page: Page, element: Locator) -> None:
    """``element`` is visible without scrolling: wholly inside the viewport as the page opens."""
    expect(element).to_be_visible()
    box = element.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    scrolled: float = page.evaluate("window.scrollY")
    assert scrolled == 0, f"the page opened scrolled by {scrolled}px"
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (
        f"{element} is at {box['y']:.0f}-{box['y'] + box['height']:.0f}px, "
        f"below the first {viewport['height']}px screen"
    )
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1


def test_an_organization_opens_with_its_verdict_and_the_calculator_on_the_first_screen(
    tab: Page, site_url: str
) -> None:
    organization = ORGANIZATION
    (acceptance, *_) = [a for a in read_entries("acceptances") if a["organization_id"] == organization["id"]]
    credit = {v["id"]: v["label"] for v in read_entries("vocabularies") if v["vocabulary"] == "credit-type"}
    tab.goto(f"{site_url}/directory/organizations/{organization['id']}/")

    verdict = tab.locator(".directory-verdict").first
    on_first_screen(tab, verdict)
    assert verdict.inner_text().startswith(f"Accepts {credit[acceptance['credit_type']]}")
    system = {s["id"]: s for s in read_entries("credit_systems")}.get(acceptance["credit_system"])
    if system is None:
        return
    if system["credential"]:
        assert system["credential"] in verdict.inner_text()
    # One unit of the credit in the organization's own unit: "1 IACET CEU = 10 PDC".
    assert re.search(rf" = [0-9.]+ {re.escape(system['unit'])}\b", verdict.inner_text()), verdict.inner_text()
    calculate = tab.get_by_role("link", name=f"Calculate in {system['unit']}")
    on_first_screen(tab, calculate)
    target = urlsplit(urljoin(tab.url, calculate.get_attribute("href") or ""))
    assert (target.path, target.query) == ("/calculator/", f"rule={system['id']}")


def test_a_provider_opens_with_its_status_line_and_the_link_to_confirm_it_on_the_first_screen(
    tab: Page, site_url: str
) -> None:
    provider = PROVIDER
    status = provider_status(Entry("providers", 0, provider), build_date())
    tab.goto(f"{site_url}/directory/providers/{provider['id']}/")
    heading = tab.locator(".directory-status h2")
    expect(heading).to_have_text(f"Status as of {build_date().isoformat()}: {status.label}")
    on_first_screen(tab, heading)
    on_first_screen(tab, tab.locator(".directory-status-rule"))
    on_first_screen(tab, tab.get_by_role("link", name="Confirm with IACET's own directory"))


@pytest.mark.parametrize(
    "path", [f"/directory/organizations/{ORGANIZATION['id']}/", f"/directory/providers/{PROVIDER['id']}/"]
)
def test_the_answer_first_profiles_pass_axe(tab: Page, site_url: str, path: str) -> None:
    tab.goto(site_url + path)
    assert tab.title(), path
    assert run_axe(tab) == [], path
