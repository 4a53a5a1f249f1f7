"""/calculator/: a visitor types minutes and reads contact hours and IACET CEUs.

All tests share ONE loaded calculator page (the ``calculator`` fixture), so Python starts
once. Each test first puts the form in a known state of its own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from calc.conversions import parse_credit_systems
from tests.browser.browser_support import (
    Visit,
    answered,
    assert_calculator_ready,
    figure,
    read_entries,
    run_axe,
)
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
    answered(page, "ceu")
    assert "rule=nbcot-pdu" in page.url and "condition=yes" in page.url

    page.uncheck("#ceu-condition")
    page.select_option("#ceu-rule", "nasba-cpe-fifths")
    page.fill("#ceu-minutes", "40")  # under NASBA's one-credit minimum: said in words, not a silent 0
    expect(page.locator(POLICY)).to_have_attribute("data-value", "no CPE credit")
    expect(page.locator(MESSAGE)).to_contain_text("no CPE credit")
    compare = page.locator('#ceu-result [data-table="conversions"] tbody tr')
    # Every rule is compared, those whose source states no rate too (they are not choices).
    systems = read_entries("credit_systems")
    expect(compare).to_have_count(len(systems))
    assert page.locator("#ceu-rule option").count() == sum(1 for row in systems if row["minutes_per_unit"])

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


# --------------------------------------------------------------------------- time as people write it (issue 30)

CEU_FIGURES = (
    "total_minutes",
    "excluded_minutes",
    "contact_minutes",
    "contact_hours",
    "ceus_unrounded",
    "ceus",
)


def shown_figures(page: Page) -> dict[str, str]:
    page.wait_for_selector("#ceu-result:not([aria-busy])")
    pairs: list[list[str]] = page.locator("#ceu-result [data-key]").evaluate_all(
        "nodes => nodes.map(n => [n.dataset.key, n.dataset.value])"
    )
    return dict((key, value) for key, value in pairs)


def test_6h30_gives_the_figures_of_ceu_iacet_minutes_390(calculator: Visit) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    page.select_option("#ceu-rule", "iacet-ceu")
    page.locator("#ceu-minutes").press_sequentially("6h30")
    expect(page.locator(figure("contact_minutes"))).to_have_attribute("data-value", "390")
    done = subprocess.run(
        [sys.executable, "-m", "ceu_cli", "iacet", "--minutes", "390", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=True,
    )
    cli = json.loads(done.stdout)
    figures = shown_figures(page)
    assert {key: Decimal(figures[key]) for key in CEU_FIGURES} == {
        key: Decimal(cli[key]) for key in CEU_FIGURES
    }
    assert figures["ceus"] == "0.7"
    for typed in ("6:30", "6 h 30 min", "390 min"):  # the other forms give the same figures
        page.fill("#ceu-minutes", typed)
        expect(page.locator(figure("contact_minutes"))).to_have_attribute("data-value", "390")
        assert shown_figures(page) == figures, typed
    expect(page.locator("#ceu-form .calc-error:not([hidden])")).to_have_count(0)
    answered(page, "ceu")
    assert "minutes=6+h+30+min" not in page.url and "minutes=390+min" in page.url  # kept as typed
    calculator.watch.assert_clean("typing 6h30 and the other forms")


def test_a_figure_that_looks_like_hours_gets_a_hint_not_an_error(calculator: Visit) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    hint = page.locator("#ceu-hint-minutes")
    expect(hint).to_be_hidden()
    page.locator("#ceu-minutes").press_sequentially("6.5")
    expect(hint).to_be_visible()
    expect(hint).to_have_text('6.5 is read as 6.5 minutes. Did you mean 6.5 hours? Type "6.5 h".')
    expect(page.locator("#ceu-minutes")).to_have_attribute(
        "aria-describedby", re.compile(r"\bceu-hint-minutes\b")
    )
    expect(page.locator("#ceu-result")).to_have_attribute(
        "data-state", "ok"
    )  # not an error: the result stands
    expect(page.locator("#ceu-form .calc-error:not([hidden])")).to_have_count(0)
    expect(page.locator("#ceu-minutes")).not_to_have_attribute("aria-invalid", "true")
    page.locator("#ceu-minutes").press_sequentially(" h")  # what the hint says to type
    expect(hint).to_be_hidden()
    expect(page.locator(figure("contact_minutes"))).to_have_attribute("data-value", "390")
    calculator.watch.assert_clean("the hint for 6.5")


def test_a_mistake_in_time_is_said_beside_its_field_with_grouped_figures(calculator: Visit) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    page.fill("#ceu-minutes", "1e9")
    expect(page.locator("#ceu-error-minutes")).to_have_text(
        "1,000,000,000 minutes is more than the limit of 10,000,000 minutes"
    )
    page.fill("#ceu-minutes", "6h75")
    expect(page.locator("#ceu-error-minutes")).to_contain_text("under 60 (6 h 75 min is 7 h 15 min)")
    expect(page.locator(CEUS)).to_have_count(0)
    calculator.watch.assert_clean("mistakes in a time")


def test_the_multiplier_shows_only_under_a_rule_that_has_one(calculator: Visit) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    page.fill("#ceu-minutes", "360")
    box, conditions = page.locator("#ceu-condition"), page.locator("#ceu-condition-hint li")
    with_multiplier = [s for s in SYSTEMS if s.multiplier is not None]
    assert [s.id for s in with_multiplier] == ["nbcot-pdu"], "the table changed: extend this test"
    page.select_option("#ceu-rule", "iacet-ceu")
    expect(box).to_be_hidden()
    expect(page.locator("#ceu-form").get_by_text("x1.25 when")).to_be_hidden()
    page.select_option("#ceu-rule", "nbcot-pdu")
    expect(box).to_be_visible()
    expect(conditions.filter(has_text="National Board for Certification")).to_be_visible()
    box.check()
    expect(page.locator(POLICY)).to_have_attribute("data-value", "7.5")
    page.select_option(
        "#ceu-rule", "asha-ceu"
    )  # no multiplier: the box goes, and its tick counts for nothing
    expect(box).to_be_hidden()
    answered(page, "ceu")
    assert "condition=" not in page.url
    expect(page.locator(MESSAGE)).to_contain_text("0.6 ASHA CEU")
    page.select_option("#ceu-rule", "nbcot-pdu")  # back: the tick the visitor made is still there
    expect(box).to_be_checked()
    expect(page.locator(POLICY)).to_have_attribute("data-value", "7.5")
    box.uncheck()
    page.select_option("#ceu-rule", "iacet-ceu")
    calculator.watch.assert_clean("the multiplier checkbox")


def test_the_headline_names_the_chosen_rules_unit(calculator: Visit) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    page.fill("#ceu-minutes", "360")
    first_figure = page.locator("#ceu-result [data-key]").first
    for rule in ("nbcot-pdu", "asha-ceu", "nasba-cpe-fifths", "iacet-ceu"):
        system = next(s for s in SYSTEMS if s.id == rule)
        page.select_option("#ceu-rule", rule)
        expect(page.locator(MESSAGE)).to_contain_text(f" {system.unit}.")
        headline = page.locator(MESSAGE).inner_text().split(". ")[0]
        assert system.unit in headline, (rule, headline)
        if rule == "iacet-ceu":
            assert headline.startswith("0.6 IACET CEU"), headline
            expect(first_figure).to_have_attribute("data-key", "total_minutes")
        else:
            assert headline.startswith(f"Under {system.body}'s rule"), headline
            expect(first_figure).to_have_attribute("data-key", "policy")
            expect(page.locator("#ceu-result .calc-figures tr").first).to_contain_text(system.unit)
    calculator.watch.assert_clean("the headline's unit")


def test_copy_link_copies_the_address_with_the_inputs(calculator: Visit, site_url: str) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    page.fill("#ceu-minutes", "6h30")
    page.select_option("#ceu-rule", "nbcot-pdu")
    expect(page.locator(POLICY)).to_have_attribute("data-value", "6.5")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    try:
        status = page.locator("#ceu-result [data-copy-status]")
        expect(status).to_have_attribute("role", "status")
        page.locator("#ceu-result [data-action=download]").focus()  # by keyboard: Tab to it, Enter
        page.keyboard.press("Tab")
        expect(page.locator("#ceu-result [data-action=copy-link]")).to_be_focused()
        page.keyboard.press("Enter")
        expect(status).to_have_text("Link copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.url and "minutes=6h30" in copied and "rule=nbcot-pdu" in copied
        expect(page.locator("#ceu-result [data-copy-field]")).to_be_hidden()
        page.fill("#ceu-excluded", "10")  # the inputs changed: "Link copied" no longer holds
        expect(status).to_have_text("")
    finally:
        page.context.clear_permissions()
    calculator.watch.assert_clean("Copy link")


def test_copy_link_without_a_clipboard_selects_the_link_to_copy(calculator: Visit) -> None:
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    page.fill("#ceu-minutes", "90 min")
    expect(page.locator(figure("contact_minutes"))).to_have_attribute("data-value", "90")
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true})")
    try:
        page.locator("#ceu-result [data-action=copy-link]").click()
        field = page.locator("#ceu-result [data-copy-field]")
        expect(field).to_be_visible()
        expect(field).to_be_focused()
        expect(field).to_have_value(page.url)
        assert field.evaluate("node => node.selectionStart === 0 && node.selectionEnd === node.value.length")
        expect(page.locator("#ceu-result [data-copy-status]")).to_contain_text("The link is selected")
        page.fill("#ceu-minutes", "2h")  # the shown link follows the inputs
        expect(field).to_have_value(re.compile(r"minutes=2h"))
    finally:
        page.evaluate("delete navigator.clipboard")
        page.evaluate("document.querySelector('#ceu-result [data-copy-field]').hidden = true")
    calculator.watch.assert_clean("Copy link without a clipboard")


def test_the_hint_the_multiplier_and_the_link_field_pass_axe(calculator: Visit) -> None:
    """What this page shows only on demand, shown at once, checked by axe-core."""
    page = calculator.page
    assert_calculator_ready(calculator)
    calculator.watch.clear()
    clear_form(page)
    page.fill("#ceu-minutes", "6.5")
    page.fill("#ceu-excluded", "0.5")
    page.select_option("#ceu-rule", "nbcot-pdu")
    expect(page.locator("#ceu-hint-excluded")).to_be_visible()
    expect(page.locator("#ceu-condition")).to_be_visible()
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true})")
    try:
        page.locator("#ceu-result [data-action=copy-link]").click()
        expect(page.locator("#ceu-result [data-copy-field]")).to_be_visible()
        violations = run_axe(page)
        blocking = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not blocking, json.dumps(violations, indent=2)
    finally:
        page.evaluate("delete navigator.clipboard")
        page.evaluate("document.querySelector('#ceu-result [data-copy-field]').hidden = true")
        page.select_option("#ceu-rule", "iacet-ceu")
    calculator.watch.assert_clean("axe-core on the hint, the multiplier and the link field")


def test_a_shared_link_gives_the_time_back_as_typed(calculator: Visit, site_url: str) -> None:
    """A second tab in the shared page's context (the runtime comes from its cache)."""
    calculator.watch.clear()
    page = calculator.page.context.new_page()
    try:
        page.goto(site_url + "/calculator/?minutes=6h30&excluded=0%3A30&rule=nbcot-pdu&condition=yes")
        page.wait_for_selector(
            '#ceu-status[data-state="ready"], #ceu-status[data-state="error"]', timeout=60_000
        )
        expect(page.locator("#ceu-status")).to_have_attribute("data-state", "ready")
        expect(page.locator("#ceu-minutes")).to_have_value("6h30")
        expect(page.locator("#ceu-excluded")).to_have_value("0:30")
        expect(page.locator("#ceu-condition")).to_be_visible()
        expect(page.locator("#ceu-condition")).to_be_checked()
        expect(page.locator(figure("contact_minutes"))).to_have_attribute("data-value", "360")
        expect(page.locator(POLICY)).to_have_attribute("data-value", "7.5")  # 6 h x 1.25 PDU
        assert "minutes=6h30" in page.url and "excluded=0%3A30" in page.url  # unchanged by opening it
    finally:
        page.close()
    calculator.watch.assert_clean("a shared link with 6h30")
