"""Issue 34, class 1, in Chromium: no element, attribute or request is created by a data value.

The site built over the published data with a marker in every text cell
(tests/marker_site.py, built once for the session) is served, and one watched tab opens the
pages that show data, the ones whose scripts draw it too: a profile of each listed table,
the directory with and without a search for the marker, the site's search, the rules page,
the guide with inline figures and the probe page, the answer page and the calculator set to a
marked rule (both computed by Python in the page's worker), the changes page (drawn from
changes.json), the matrix and the credit-type and country pages. On each, after its scripts
have run: every text node and attribute that holds a marker's word is read as the build test
reads the files (its syntax is still around it); no element or attribute name comes from a
marker, no element has an event-handler attribute, no address runs script or points at
another host; a planted handler would have set ``window.openceuRan`` (it is unset) or broken
the content security policy (no violation); no request left the host; no dialog opened.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.browser_support import PYTHON_READY_TIMEOUT_MS, Watch, hostile_tab, serve
from tests.marker_site import (
    PIECES,
    PROBE_PAGE,
    PROBE_RULE,
    TOKEN,
    MarkerSite,
    attribute_problems,
    text_problems,
)

pytestmark = pytest.mark.browser

#: A marker's words, for the page to find the nodes worth reading (the checks are Python's).
WORDS = "|".join(
    [re.escape(TOKEN), "EVALUATED", *(re.escape(p.word).replace(r"\{n\}", r"\d+") for p in PIECES)]
)
#: Every text node and attribute of the page that holds a marker's word, and every planted
#: name, event-handler attribute and address that runs script or leaves the site.
READ = """(words) => {
  const marked = new RegExp(words);
  const seen = {texts: [], attributes: [], planted: [], ran: window.openceuRan === undefined ? null : String(window.openceuRan)};
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style') || !marked.test(node.data)) continue;
    seen.texts.push({tag: parent.tagName.toLowerCase(), text: node.data,
      excerpt: !!parent.closest('.search-result-excerpt'), source: !!parent.closest('textarea')});
  }
  for (const element of document.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    if (tag.includes('openceu-planted')) seen.planted.push(tag);
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) seen.planted.push(`${tag} ${name}`);
      if (marked.test(attribute.value) || name.includes('openceu-planted')
          || /^(href|src|action|formaction|srcset|poster)$/.test(name)) {
        seen.attributes.push({tag, name, value: attribute.value});
      }
    }
  }
  return seen;
}"""


@dataclass
class Tab:
    """The module's one watched tab on the marker site."""

    page: Page
    watch: Watch
    base: str
    dialogs: list[str]

    def open(self, path: str, ready: str = "", timeout: int = 15_000) -> dict[str, Any]:
        self.watch.clear()
        self.dialogs.clear()
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        if ready:
            self.page.wait_for_selector(ready, timeout=timeout)
        return self.check(path)

    def check(self, path: str) -> dict[str, Any]:
        """Read the page as it is now and assert nothing came from the data but text."""
        seen: dict[str, Any] = self.page.evaluate(READ, WORDS)
        problems: list[str] = [f"{path}: planted {name}" for name in seen["planted"]]
        for item in seen["texts"]:
            text = html.unescape(item["text"]) if item["source"] else item["text"]
            problems += text_problems(text, f"{path} <{item['tag']}>", cut=item["excerpt"])
        for item in seen["attributes"]:
            problems += attribute_problems(item["tag"], item["name"], item["value"], path)
        assert not problems, "\n".join(problems[:30])
        assert seen["ran"] is None, f"{path}: a planted handler ran (window.openceuRan = {seen['ran']})"
        assert not self.dialogs, f"{path}: a dialog opened: {self.dialogs}"
        self.watch.failed_requests[:] = [f for f in self.watch.failed_requests if "/favicon.png" not in f]
        self.watch.assert_clean(path)  # console errors (CSP violations too), failed and foreign requests
        assert seen["texts"], f"{path}: no marker shown: the page did not show the data"
        return seen


@pytest.fixture(scope="module")
def marker_url(marker_site: MarkerSite) -> Iterator[str]:
    with serve(marker_site.site) as url:
        yield url


@pytest.fixture(scope="module")
def tab(browser: Browser, marker_url: str) -> Iterator[Tab]:
    with hostile_tab(browser, marker_url) as (page, watch, dialogs):
        yield Tab(page, watch, marker_url, dialogs)


def _first(site: MarkerSite, table: str) -> str:
    return next(m.row_id for m in site.data.marked if m.table == table)


def _counted(site: MarkerSite) -> tuple[str, str]:
    """An organization whose acceptance counts in a credit system, and that system's id."""
    import csv

    with (site.data.data / "acceptances.csv").open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["credit_system"])
    return row["organization_id"], row["credit_system"]


DIRECTORY_READY = '#directory-app[data-state="ready"]'
SEARCH_READY = '#search-app[data-state="ready"] .search-result-link'
CHANGES_READY = '[data-changes-json][data-state="ready"]'


def test_profiles_of_each_listed_table(marker_site: MarkerSite, tab: Tab):
    organization, _ = _counted(marker_site)
    for path in (
        f"/directory/providers/{_first(marker_site, 'providers')}/",
        f"/directory/organizations/{organization}/",
        f"/directory/organizations/{_first(marker_site, 'organizations')}/",
    ):
        tab.open(path)


def test_the_directory_listing_and_its_search_for_the_marker(tab: Tab):
    tab.open("/directory/", DIRECTORY_READY)
    seen = tab.open(f"/directory/?q={TOKEN}", DIRECTORY_READY)
    tab.page.wait_for_selector("#directory-results > li > a", timeout=15_000)
    seen = tab.check("/directory/ (results)")
    assert any(item["tag"] == "bdi" for item in seen["texts"])


def test_the_site_search_for_the_marker(tab: Tab):
    tab.open(f"/search/?q={TOKEN}", SEARCH_READY)
    assert tab.page.locator(".search-result-link").count() > 0


def test_rules_guides_and_the_probe_page(tab: Tab):
    for path in ("/rules/", "/guides/different-figures/", "/" + PROBE_PAGE.removesuffix(".md") + "/"):
        tab.open(path)


def test_the_answer_page_for_a_marked_body_and_provider(marker_site: MarkerSite, tab: Tab):
    organization, _ = _counted(marker_site)
    provider = _first(marker_site, "providers")
    path = f"/will-it-count/?body={organization}&provider={provider}&time=6+h"
    tab.open(path, '#answer-status[data-state="ready"]', PYTHON_READY_TIMEOUT_MS)
    tab.page.wait_for_selector("#answer-result .calc-summary", timeout=PYTHON_READY_TIMEOUT_MS)
    tab.check(path + " (answered)")
    # A body known by its rule alone: its name, unit and source come from credit_systems.csv.
    path = f"/will-it-count/?body={PROBE_RULE}&time=6+h"
    tab.open(path, '#answer-status[data-state="ready"]', PYTHON_READY_TIMEOUT_MS)
    tab.page.wait_for_selector("#answer-result .calc-summary", timeout=PYTHON_READY_TIMEOUT_MS)
    tab.check(path + " (answered)")


def test_the_calculator_set_to_a_marked_rule(tab: Tab):
    path = f"/calculator/?minutes=990&rule={PROBE_RULE}"
    tab.open(path, '#ceu-status[data-state="ready"]', PYTHON_READY_TIMEOUT_MS)
    tab.page.wait_for_selector('.calc-result [data-key="policy"]', timeout=PYTHON_READY_TIMEOUT_MS)
    tab.check(path + " (computed)")
    # The rule's body, credential and unit in the result, drawn by the page's Python.
    assert TOKEN in tab.page.locator(".calc-result").inner_text()


def test_the_changes_page_drawn_from_changes_json(tab: Tab):
    tab.open("/directory/changes/", CHANGES_READY)
    tab.open("/directory/changes/?since=2026-01-01", CHANGES_READY)


def test_the_matrix_credit_type_and_country_pages(tab: Tab):
    for path in ("/directory/matrix/", "/directory/credit-type/iacet-ceu/", "/directory/country/us/"):
        tab.open(path)
