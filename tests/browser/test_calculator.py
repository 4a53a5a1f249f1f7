"""/calculator/: a visitor types minutes and reads contact hours and IACET CEUs.

All tests share ONE loaded calculator page (the ``calculator`` fixture), so Python starts
once. Each test first puts the form in a known state of its own.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from calc.conversions import parse_credit_systems
from tests.browser.browser_support import Visit, assert_calculator_ready, figure
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

NUMBER = re.compile(r"\d")
HOURS = figure("contact_hours")
CEUS = figure("ceus")
MESSAGE = "#ceu-result .calc-summary"


def clear_form(page: Page) -> None:
    """Empty both fields and wait until no figure from an earlier test is left."""
    page.check("input[name=mode][value=minutes]")
    page.fill("#ceu-minutes", "")
    page.fill("#ceu-excluded", "")
    expect(page.locator(HOURS)).to_have_count(0)
    expect(page.locator(CEUS)).to_have_count(0)


def assert_no_traceback(page: Page) -> None:
    shown = page.locator("body").inner_text()
    assert "Traceback" not in shown and "PythonError" not in shown, f"page shows a Python error:\n{shown}"
    assert page.locator(".py-error").count() == 0, "PyScript rendered an error box on the page"


def test_status_is_loading_in_the_served_page_then_ready(calculator: Visit) -> None:
    assert calculator.response is not None and calculator.response.status == 200
    served = calculator.response.text()
    status_tag = re.search(r"<[^>]*\bid=\"ceu-status\"[^>]*>", served)
    assert status_tag, "the served /calculator/ HTML has no #ceu-status element"
    assert 'data-state="loading"' in status_tag.group(0), (
        f"served status is not loading: {status_tag.group(0)}"
    )
    assert calculator.state_at_load == "loading", (
        f"data-state right after navigation: {calculator.state_at_load!r}"
    )
    assert_calculator_ready(calculator)
    calculator.watch.assert_clean("loading /calculator/")


@pytest.mark.parametrize("typing", ["fill", "press_sequentially"])
def test_340_minutes_with_40_excluded_is_5_hours_and_half_a_ceu(calculator: Visit, typing: str) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    for selector, value in (("#ceu-minutes", "340"), ("#ceu-excluded", "40")):
        field = page.locator(selector)
        if typing == "fill":
            field.fill(value)
        else:
            field.click()
            field.press_sequentially(value, delay=30)
    expect(page.locator(HOURS)).to_have_attribute("data-value", "5")
    expect(page.locator(CEUS)).to_have_attribute("data-value", "0.5")
    expect(page.locator("#ceu-result")).to_have_attribute("aria-live", re.compile(r"polite|assertive"))
    calculator.watch.assert_clean(f"typing 340/40 with {typing}")


# Bad input must produce a message next to the form, never a figure or a traceback.
@pytest.mark.parametrize(
    ("minutes", "excluded"),
    [
        pytest.param("-5", "0", id="negative-total"),
        pytest.param("abc", "0", id="not-a-number"),
        pytest.param("60", "-1", id="negative-excluded"),
        pytest.param("60", "ten", id="excluded-not-a-number"),
        pytest.param("30", "40", id="excluded-more-than-total"),
    ],
)
def test_bad_input_shows_a_message_and_no_result(calculator: Visit, minutes: str, excluded: str) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    page.check("input[name=mode][value=minutes]")
    page.fill("#ceu-minutes", "340")
    page.fill("#ceu-excluded", "40")
    expect(page.locator(HOURS)).to_have_attribute("data-value", "5")

    page.fill("#ceu-minutes", minutes)
    page.fill("#ceu-excluded", excluded)
    expect(page.locator(MESSAGE)).to_have_text(re.compile(r"\w"))
    expect(page.locator(".calc-error:not([hidden])")).to_have_text(re.compile(r"\w"))
    expect(page.locator(HOURS)).to_have_count(0)
    expect(page.locator(CEUS)).to_have_count(0)
    assert_no_traceback(page)
    calculator.watch.assert_clean(f"bad input minutes={minutes!r} excluded={excluded!r}")


def test_20_minutes_says_no_ceu_is_earned(calculator: Visit) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    page.fill("#ceu-minutes", "20")
    expect(page.locator(MESSAGE)).to_contain_text("No IACET CEU")
    assert_no_traceback(page)
    calculator.watch.assert_clean("20 minutes")


def test_keyboard_tab_order_reaches_total_then_excluded_and_typing_updates(calculator: Visit) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    # Start where a reader starts: at the page heading, then Tab forward.
    page.locator("article h1").first.click()
    focused = []
    for _ in range(15):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement && document.activeElement.id"))
        if focused[-1] == "ceu-minutes":
            break
    assert focused[-1] == "ceu-minutes", (
        f"Tab from the heading never reached #ceu-minutes; focus went {focused}"
    )
    page.keyboard.type("340")
    page.keyboard.press("Tab")
    after_minutes = page.evaluate("document.activeElement && document.activeElement.id")
    assert after_minutes == "ceu-excluded", (
        f"Tab after #ceu-minutes went to {after_minutes!r}, not #ceu-excluded"
    )
    page.keyboard.type("40")
    expect(page.locator(HOURS)).to_have_attribute("data-value", "5")
    expect(page.locator(CEUS)).to_have_attribute("data-value", "0.5")
    calculator.watch.assert_clean("keyboard use of the calculator")


# --------------------------------------------------------------------------- whose rule?

SYSTEMS = parse_credit_systems((REPO_ROOT / "directory_data/credit_systems.csv").read_text(encoding="utf-8"))
POLICY = figure("policy")
RULE_CAPTION = '#ceu-result [data-table="rule"] caption'
RULE_SOURCE = '#ceu-result [data-table="rule"] td.calc-url a'


def test_choosing_a_body_changes_the_figure_the_stated_rule_and_the_url(calculator: Visit) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    page.fill("#ceu-minutes", "360")
    expect(page.locator(POLICY)).to_have_attribute("data-value", "0.6")  # IACET's own rule by default
    expect(page.locator(RULE_CAPTION)).to_contain_text("International Association for Continuing Education")

    page.select_option("#ceu-rule", "nbcot-pdu")
    expect(page.locator(POLICY)).to_have_attribute("data-value", "6")
    expect(page.locator(RULE_CAPTION)).to_contain_text(
        "National Board for Certification in Occupational Therapy's rule. 1 PDU per 60 minutes"
    )
    expect(page.locator(RULE_SOURCE)).to_have_attribute(
        "href", "https://www.nbcot.org/certification/continuing-education"
    )
    page.check("#ceu-condition")  # an assessed course: NBCOT's 1.25 PDU per contact hour
    expect(page.locator(POLICY)).to_have_attribute("data-value", "7.5")
    expect(page.locator(MESSAGE)).to_contain_text(
        "Under National Board for Certification in Occupational Therapy's rule: 7.5 PDU"
    )
    assert "rule=nbcot-pdu" in page.url and "condition=yes" in page.url

    page.uncheck("#ceu-condition")
    page.select_option("#ceu-rule", "nasba-cpe-fifths")
    page.fill("#ceu-minutes", "40")  # under NASBA's one-credit minimum: said in words, not a silent 0
    expect(page.locator(POLICY)).to_have_attribute("data-value", "no CPE credit")
    expect(page.locator(MESSAGE)).to_contain_text("no CPE credit")
    compare = page.locator('#ceu-result [data-table="conversions"] tbody tr')
    expect(compare).to_have_count(
        page.locator("#ceu-rule option").count() + 2
    )  # + the two rules with no rate

    page.select_option("#ceu-rule", "iacet-ceu")
    assert_no_traceback(page)
    calculator.watch.assert_clean("choosing whose rule")


def test_a_shared_link_restores_the_chosen_rule(open_showcase) -> None:
    shown = open_showcase("calculator-rule", "desktop")
    page = shown.page
    expect(page.locator("#ceu-rule")).to_have_value("asha-ceu")
    expect(page.locator("#ceu-minutes")).to_have_value("938")
    expect(page.locator(POLICY)).to_have_attribute("data-value", "1.55")  # ASHA's own worked example
    expect(page.locator(RULE_CAPTION)).to_contain_text("counting only complete steps of 0.05")
    shown.watch.assert_clean("a link to the calculator with ASHA's rule")
