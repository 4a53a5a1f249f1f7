"""A learner's questions, asked from the home page in a real Chromium at phone and desktop widths.

Each question is answered in the first screen of the page reached, in at most two steps
from the home page: follow "Will this count?", then choose. The answer's words are the
page model's (tests/unit/test_answer_page.py checks them against the data); here the
visitor's side is checked: where the answer lands, the links it offers, the address that
keeps it, and that nothing typed leaves the browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.browser_support import (
    PYTHON_READY_TIMEOUT_MS,
    SCREENSHOT_DIR,
    VIEWPORTS,
    Watch,
    answered,
    read_entries,
    watched_context,
)

pytestmark = pytest.mark.browser

READY = '#answer-status[data-state="ready"]'
SUMMARY = "#answer-result .calc-summary"
SHRM = "Society for Human Resource Management (SHRM)"


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def tab(request: pytest.FixtureRequest, browser: Browser, site_url: str) -> Iterator[tuple[Page, Watch, str]]:
    """One watched tab per width for the module: the runtime comes from the context's cache after the first visit."""
    context: BrowserContext
    context, watch = watched_context(browser, site_url, **VIEWPORTS[request.param])
    sent: list[str] = []  # what any request other than opening a page carried
    context.on(
        "request",
        lambda r: r.resource_type == "document" or sent.append(f"{r.url} {r.post_data or ''}".casefold()),
    )
    page = context.new_page()
    yield page, watch, request.param
    watch.assert_clean(f"the answer page at {request.param} width")
    context.close()
    # The answers are computed in the page's worker: what was typed never leaves the browser.
    assert not [line for line in sent if "teex" in line or "6%20h" in line or "6+h" in line], sent


def ask_from_home(page: Page, site_url: str) -> None:
    """Step one: the home page's "Will this count?" link, and the page ready to answer."""
    page.goto(site_url + "/")
    page.locator(".md-content").get_by_role("link", name="Will this count?").first.click()
    page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
    assert urlsplit(page.url).path == "/will-it-count/"


def answer_in_first_screen(page: Page, name: str, viewport: str) -> str:
    """The answer's sentence, asserted whole within the first screen (nothing scrolled)."""
    summary = page.locator(SUMMARY)
    box = page.evaluate(
        """selector => {
            const r = document.querySelector(selector).getBoundingClientRect();
            return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, height: window.innerHeight};
        }""",
        SUMMARY,
    )
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOT_DIR / f"answer-{name}-{viewport}.png"))
    assert box["bottom"] <= box["height"], (
        f"the answer ends {box['bottom']:.0f}px down a {box['height']}px screen: not on the first screen"
    )
    return summary.inner_text()


def test_does_shrm_accept_iacet_ceus_and_how_many_pdcs_is_six_hours(
    tab: tuple[Page, Watch, str], site_url: str
) -> None:
    page, _, viewport = tab
    ask_from_home(page, site_url)
    page.select_option("#answer-body", label=SHRM)
    page.fill("#answer-time", "6 h")
    expect(page.locator(SUMMARY)).to_contain_text("6 PDC")
    sentence = answer_in_first_screen(page, "shrm", viewport)
    assert sentence.startswith("Yes: SHRM counts IACET CEUs toward SHRM-CP/SHRM-SCP.")
    assert "6 h = 0.6 IACET CEU = 6 PDC under SHRM's rule." in sentence
    assert page.locator("#answer-result").get_attribute("data-verdict") == "yes"
    # The evidence: SHRM's own words and page, and the rule's source.
    acceptance = page.locator('#answer-result [data-evidence="acceptance"]')
    expect(acceptance.locator("blockquote")).to_be_visible()
    assert acceptance.locator("a[href^='https://www.shrm.org/']").count() >= 1
    expect(page.locator('#answer-result [data-evidence="rule"]')).to_contain_text("1 PDC per 60 minutes")
    # The address keeps the question: a reload (or a shared link) gives the same answer.
    answered(page, "answer")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"body": ["society-for-human-resource-management"], "time": ["6 h"]}
    page.reload()
    page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
    expect(page.locator(SUMMARY)).to_have_text(sentence)


def test_is_teex_accredited(tab: tuple[Page, Watch, str], site_url: str) -> None:
    page, _, viewport = tab
    teex = next(row for row in read_entries("providers") if row["name"].endswith("(TEEX)"))
    ask_from_home(page, site_url)
    page.fill("#answer-provider", "TEEX")
    expect(page.locator('#answer-result [data-evidence="provider"]')).to_be_visible()
    sentence = answer_in_first_screen(page, "teex", viewport)
    assert "TEEX" in sentence and "accredit" in sentence
    provider = page.locator('#answer-result [data-evidence="provider"]')
    expect(provider.locator("h3")).to_contain_text(teex["name"])
    profile = provider.get_by_role("link", name=f"{teex['name']} in the directory")
    assert urlsplit(profile.evaluate("a => a.href")).path == f"/directory/providers/{teex['id']}/"


def test_a_body_without_a_sourced_acceptance_gets_the_honest_no_record_and_an_email(
    tab: tuple[Page, Watch, str], site_url: str
) -> None:
    page, _, viewport = tab
    ask_from_home(page, site_url)
    page.select_option("#answer-body", value="asha-ceu")
    page.fill("#answer-time", "90 min")
    expect(page.locator(SUMMARY)).to_contain_text("No record")
    sentence = answer_in_first_screen(page, "no-record", viewport)
    assert sentence.startswith("No record: the directory holds no source saying ASHA accepts IACET CEUs.")
    email = page.locator('#answer-result [data-evidence="no-record"] a[href^="mailto:"]')
    href = email.get_attribute("href") or ""
    parts = urlsplit(href)
    assert parts.path == ""  # no invented address: the learner addresses it
    assert "1 h 30 min" in parse_qs(parts.query)["body"][0]
    suggest = page.locator('#answer-result [data-evidence="no-record"] a', has_text="Suggest it")
    assert urlsplit(suggest.evaluate("a => a.href")).path == "/directory/suggest/"


def test_an_address_that_names_nothing_on_the_page_changes_nothing_and_the_page_stays_ready(
    tab: tuple[Page, Watch, str], site_url: str
) -> None:
    page, _, _ = tab
    marker = '<img src=x id=planted onerror="document.title=1">'
    page.goto(site_url + "/will-it-count/?body=__proto__&provider=" + marker + "&time=constructor")
    page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
    assert page.locator("#planted").count() == 0
    assert page.input_value("#answer-body") == ""  # not one of the choices: not chosen
    assert page.input_value("#answer-provider") == marker  # text, as typed
    expect(page.locator("#answer-error-time")).to_be_visible()
