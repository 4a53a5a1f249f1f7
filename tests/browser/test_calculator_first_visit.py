"""A new visitor meets no errors: a message shows once they type in or leave a field, or press Calculate.

Each test opens its calculator afresh (a first visit is what is tested); one context serves them all.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from calculator_pages import ceu_page
from tests.browser.browser_support import DESKTOP, PYTHON_READY_TIMEOUT_MS, figure, watched_page

pytestmark = pytest.mark.browser

READY = '#{name}-status[data-state="ready"]'
SHOWN_ERRORS = "#{name}-form .calc-error:not([hidden])"
#: What the CEU page's model says of its untouched form (no minutes yet).
FIRST_SUMMARY = ceu_page.compute({"mode": "minutes", "minutes": "", "excluded": ""}).summary


@pytest.fixture(scope="module")
def tab(browser: Browser, site_url: str) -> Iterator[Page]:
    with watched_page(browser, site_url, "first visits to the calculators", **DESKTOP) as page:
        yield page


def first_visit(page: Page, site_url: str, path: str, name: str) -> None:
    page.goto(site_url + path)
    page.wait_for_selector(READY.format(name=name), timeout=PYTHON_READY_TIMEOUT_MS)


def test_an_untouched_form_shows_no_error_only_what_is_needed(tab: Page, site_url: str) -> None:
    first_visit(tab, site_url, "/calculator/", "ceu")
    expect(tab.locator(SHOWN_ERRORS.format(name="ceu"))).to_have_count(0)
    expect(tab.locator("#ceu-form [aria-invalid]")).to_have_count(0)
    panel = tab.locator("#ceu-result")
    expect(panel).to_have_attribute("data-state", "incomplete")
    expect(panel.locator(".calc-summary")).to_have_text(FIRST_SUMMARY)
    assert FIRST_SUMMARY, "the page model says what is needed"


def test_leaving_an_empty_field_shows_its_message(tab: Page, site_url: str) -> None:
    first_visit(tab, site_url, "/calculator/", "ceu")
    tab.focus("#ceu-minutes")
    tab.keyboard.press("Tab")
    expect(tab.locator("#ceu-error-minutes")).to_have_text(FIRST_SUMMARY)
    expect(tab.locator("#ceu-minutes")).to_have_attribute("aria-invalid", "true")
    expect(tab.locator("#ceu-result")).to_have_attribute("data-state", "error")
    expect(tab.locator(SHOWN_ERRORS.format(name="ceu"))).to_have_count(1)  # not the field not reached


def test_typing_a_bad_value_shows_its_message_at_once(tab: Page, site_url: str) -> None:
    first_visit(tab, site_url, "/calculator/", "ceu")
    tab.locator("#ceu-minutes").press_sequentially("60x")
    expect(tab.locator("#ceu-error-minutes")).to_be_visible()
    tab.locator("#ceu-minutes").fill("600")
    expect(tab.locator(SHOWN_ERRORS.format(name="ceu"))).to_have_count(0)
    expect(tab.locator("#ceu-result")).to_have_attribute("data-state", "ok")
    tab.locator("#ceu-excluded").fill("700")
    expect(tab.locator("#ceu-error-excluded")).to_have_text("cannot exceed the total minutes (700 > 600)")


@pytest.mark.parametrize("press", ["button", "Enter"])
def test_calculate_shows_every_message_and_focuses_the_first(tab: Page, site_url: str, press: str) -> None:
    first_visit(tab, site_url, "/calculator/", "ceu")
    if press == "button":
        tab.get_by_role("button", name="Calculate").click()
    else:
        tab.locator("#ceu-excluded").press("Enter")
    expect(tab.locator("#ceu-error-minutes")).to_have_text(FIRST_SUMMARY)
    expect(tab.locator("#ceu-result")).to_have_attribute("data-state", "error")
    expect(tab.locator("#ceu-minutes")).to_be_focused()


def test_a_shared_link_shows_the_message_about_what_it_filled_in(tab: Page, site_url: str) -> None:
    first_visit(tab, site_url, "/calculator/?mode=minutes&minutes=600&excluded=700", "ceu")
    expect(tab.locator("#ceu-error-excluded")).to_be_visible()
    expect(tab.locator("#ceu-result")).to_have_attribute("data-state", "error")


#: Records the type of every message the page posts to a Worker (in window.__asked).
RECORD_ASKED = """
(() => {
  if (window.__asked) return; // added to the tab once per test that counts: record once
  const post = Worker.prototype.postMessage;
  window.__asked = [];
  Worker.prototype.postMessage = function (message, ...rest) {
    window.__asked.push(message?.type);
    return post.call(this, message, ...rest);
  };
})();
"""


@pytest.mark.parametrize(
    ("path", "name", "query", "minutes", "address"),
    [
        ("/calculator/", "ceu", "excluded=60&minutes=600&x=1", "540", "minutes=600&excluded=60"),
        (
            "/course-plan/",
            "plan",
            "row.activity=Talk&row.amount=90&row.unit=minutes&row.per=instance&row.count=2",
            "180",
            "row.activity=Talk&row.delivery=instruction&row.amount=90&row.unit=minutes&row.per=instance&row.count=2",
        ),
    ],
)
def test_a_shared_link_costs_one_worker_round_trip(
    tab: Page, site_url: str, path: str, name: str, query: str, minutes: str, address: str
) -> None:
    """After Python starts, the link's inputs are read back and computed in one message, and the
    address becomes the one the page writes for those inputs (its own order, only its fields)."""
    tab.add_init_script(RECORD_ASKED)
    first_visit(tab, site_url, f"{path}?{query}", name)
    expect(tab.locator(figure("contact_minutes"))).to_have_attribute("data-value", minutes)
    assert tab.evaluate("window.__asked") == ["start", "compute"]
    assert tab.url == f"{site_url}{path}?{address}"


def test_a_new_row_waits_until_it_is_typed_in(tab: Page, site_url: str) -> None:
    first_visit(tab, site_url, "/course-plan/", "plan")
    expect(tab.locator("#plan-result")).to_have_attribute("data-state", "ok")
    rows = tab.locator("#plan-form [data-row]").count()
    tab.locator("#plan-form [data-action=add-row]").click()
    new = rows + 1
    expect(tab.locator(f"#plan-row-{new}-activity")).to_be_focused()
    expect(tab.locator(SHOWN_ERRORS.format(name="plan"))).to_have_count(0)
    tab.locator(f"#plan-row-{new}-activity").fill("Extra reading")
    tab.locator(f"#plan-row-{new}-count").fill("1")
    tab.locator(f"#plan-row-{new}-amount").fill("-1")
    expect(tab.locator(f"#plan-error-row-{new}-amount")).to_be_visible()
    expect(tab.locator("#plan-result")).to_have_attribute("data-state", "error")


def test_a_calculator_runs_python_in_a_worker_and_fetches_no_pyscript(tab: Page, site_url: str) -> None:
    """The page's own thread never runs Python (so it never freezes while Python starts or computes)."""
    fetched: list[str] = []

    def record(request: Request) -> None:
        fetched.append(request.url)

    tab.context.on("request", record)
    try:
        first_visit(tab, site_url, "/calculator/", "ceu")
    finally:
        tab.context.remove_listener("request", record)
    assert [url for url in fetched if url.endswith("/pyodide.asm.wasm")], fetched  # Python did start
    assert not [url for url in fetched if "/pyscript/" in url], fetched
    assert [worker.url.rsplit("/", 1)[1] for worker in tab.workers] == ["python-worker.js"]
    on_the_page = tab.evaluate("() => [typeof globalThis.loadPyodide, typeof globalThis.pyodide]")
    assert on_the_page == ["undefined", "undefined"]
