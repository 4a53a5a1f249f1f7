"""Guides in Chromium: every "Open this example in the calculator" link gives, on the
calculator's page, the figures the guide shows; Pagefind finds each guide by the words of
its question; every guide (and the guides' index and About) passes axe-core and is
photographed at phone and desktop widths. One tab serves the links (each calculator after
the first starts from the context's cache), one the searches and one each width."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.browser_support import (
    DESKTOP,
    PHONE,
    PYTHON_READY_TIMEOUT_MS,
    SCREENSHOT_DIR,
    VIEWPORTS,
    run_axe,
    watched_page,
)
from tests.browser.test_accessibility import BLOCKING_IMPACTS
from tests.browser.test_calculator_pages import page_figures
from tests.browser.test_screenshots import page_and_screen_width
from tests.browser.test_search import RESULT_LINK, SEARCH_TIMEOUT_MS, result_paths
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

#: Every guide (content/guides/), by its page's name.
GUIDES = sorted(p.stem for p in (REPO_ROOT / "content/guides").glob("*.md") if p.stem != "index")
#: For each guide, words a visitor with its question would type (none is the guide's file name).
QUESTIONS = {
    "ace-cecs": "ACE CEC recertification",
    "counting-ceus": "how are CEUs counted",
    "different-figures": "certificate calculator figure",
    "directory": "status good standing lapsed",
    "eligibility": "program eligible CEUs",
    "event-timeline": "when apply CEUs participants",
    "glossary": "glossary PDH",
    "iacet-ceu": "will my board accept IACET CEUs",
    "keeping-accreditation": "keep accreditation annual report",
}
#: Each linked example: its calculator's name, its address and the figures the guide shows.
EXAMPLES = """links => links.map(link => {
  const embed = link.closest('p').previousElementSibling;
  const figures = embed && embed.matches('.calc-embed')
    ? [...embed.querySelectorAll('[data-key]')].map(n => [n.dataset.key, n.dataset.value]) : [];
  return [link.dataset.calculator, link.href, figures];
})"""


def test_every_guide_has_its_search_words():
    assert sorted(QUESTIONS) == GUIDES


@pytest.fixture(scope="module")
def tab(browser: Browser, site_url: str) -> Iterator[Page]:
    with watched_page(browser, site_url, "guides and the calculators they open", **DESKTOP) as page:
        yield page


def test_every_open_in_the_calculator_link_gives_the_guides_figures(tab: Page, site_url: str) -> None:
    examples: list[tuple[str, str, str, list[list[str]]]] = []
    for guide in GUIDES:
        tab.goto(f"{site_url}/guides/{guide}/")
        examples += [(guide, *found) for found in tab.locator("a.calc-open").evaluate_all(EXAMPLES)]
    assert len(examples) >= 7, examples
    for guide, name, href, figures in examples:
        assert figures, f"{guide}: the link {href} follows no computed example"
        tab.goto(href)
        tab.wait_for_selector(f'#{name}-status[data-state="ready"]', timeout=PYTHON_READY_TIMEOUT_MS)
        expect(tab.locator(f"#{name}-result")).to_have_attribute("data-state", "ok")
        shown = page_figures(tab, name)
        missing = {key: value for key, value in figures if shown.get(key) != value}
        assert not missing, f"{guide} → {href}: the page shows {shown}, the guide {dict(figures)}"


@pytest.fixture(scope="module")
def search_tab(browser: Browser, site_url: str) -> Iterator[Page]:
    with watched_page(browser, site_url, "searching for the guides", **DESKTOP) as page:
        yield page


@pytest.mark.parametrize("guide", sorted(QUESTIONS))
def test_search_finds_the_guide_by_its_question(search_tab: Page, site_url: str, guide: str) -> None:
    words = QUESTIONS[guide]
    search_tab.goto(f"{site_url}/search/?q={words}")
    link = search_tab.locator(f'{RESULT_LINK}[href$="/guides/{guide}/"]')
    try:
        link.first.wait_for(timeout=SEARCH_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        pytest.fail(
            f"searching {words!r}: no result for /guides/{guide}/; results: {result_paths(search_tab)}"
        )
    # Among the first results a visitor sees, not somewhere down the list.
    assert f"/guides/{guide}/" in result_paths(search_tab)[:5], result_paths(search_tab)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_guide_reads_at_phone_and_desktop_width_with_no_axe_violation(
    browser: Browser, site_url: str, viewport: str
) -> None:
    """One tab per width walks the guides: axe-core, a screenshot to look at, no sideways scroll."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    pages = {"about": "/about/", "guides": "/guides/", **{f"guide-{g}": f"/guides/{g}/" for g in GUIDES}}
    with watched_page(browser, site_url, f"the guides at {viewport} width", **VIEWPORTS[viewport]) as page:
        for name, path in pages.items():
            page.goto(site_url + path)
            blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
            assert not blocking, f"{path} at {viewport} width: {json.dumps(blocking, indent=2)}"
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{viewport}.png"), full_page=True)
            if VIEWPORTS[viewport] is PHONE:
                content_width, screen_width = page_and_screen_width(page)
                assert content_width <= screen_width + 1, f"{path} scrolls sideways on a phone"
