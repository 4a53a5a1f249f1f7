"""The two planners as a visitor uses them: dates typed in, dates with their rules, a calendar saved.

The pages' figures and their downloaded .ics files are compared with `ceu deadlines` and
`ceu accreditation` run as subprocesses (--json and --ics), read back with the `icalendar` package.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.browser_support import DESKTOP, PYTHON_READY_TIMEOUT_MS, watched_page
from tests.unit.test_calendars import run

pytestmark = pytest.mark.browser

READY = '#deadlines-status[data-state="ready"]'
PROGRAM = {
    "title": "Forklift safety, spring; group A",
    "first_offering": "2026-09-14",
    "last_day": "2026-09-16",
    "submitted_on": "2026-09-04",
    "applied_on": "2026-09-18",
    "holidays": "2026-09-07",
    "sessions": "2026-09-01\n2027-02-01",
}
CLI_ARGS = [
    "deadlines", "--title", PROGRAM["title"], "--first-offering", "2026-09-14", "--last-day", "2026-09-16",
    "--submitted", "2026-09-04", "--applied", "2026-09-18", "--holiday", "2026-09-07",
    "--session", "2026-09-01", "--session", "2027-02-01",
]  # fmt: skip


@pytest.fixture(scope="module")
def planner(browser: Browser, site_url: str) -> Iterator[Page]:
    with watched_page(browser, site_url, "the deadline planner", accept_downloads=True, **DESKTOP) as page:
        page.goto(site_url + "/deadlines/")
        page.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
        yield page


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.locator(f"#deadlines-{name}").fill(value)


def clear(page: Page) -> None:
    fill(page, dict.fromkeys(PROGRAM, ""))


def test_typed_dates_give_the_clis_deadlines_each_with_its_rule(planner: Page) -> None:
    clear(planner)
    fill(planner, PROGRAM)
    expected = json.loads(run(*CLI_ARGS, "--json").stdout)["plan"]
    figures = planner.locator("#deadlines-result .calc-figures td[data-key]")
    shown = dict(zip(figures.evaluate_all("cells => cells.map(c => c.dataset.key)"),
                     figures.evaluate_all("cells => cells.map(c => c.dataset.value)"), strict=True))  # fmt: skip
    for deadline in expected["deadlines"]:
        assert shown[deadline["name"].replace(" ", "-")] == deadline["date"]
    assert shown["credit-expected-from"] == expected["credit_expected_from"]
    assert shown["credit-expected-by"] == expected["credit_expected_by"]
    assert shown["batch-august-december-2026"] == "2026-12-31"
    assert shown["batch-january-june-2027"] == "2027-06-30"
    dates = planner.locator("#deadlines-result table:has(caption:text-is('Every date, what falls due and the rule behind it')) tbody tr")  # fmt: skip
    expect(dates).to_have_count(7)
    expect(dates.first).to_contain_text("at least 14 calendar days before the first offering")
    expect(planner.locator("#deadlines-result .calc-tables")).to_contain_text(
        "after 2026-08-31: the 14-day rule"
    )
    expect(planner.locator("#deadlines-result")).to_have_attribute("data-state", "ok")


def test_the_downloaded_calendar_holds_the_clis_events(planner: Page, tmp_path: Path) -> None:
    clear(planner)
    fill(planner, PROGRAM)
    with planner.expect_download() as saving:
        planner.get_by_role("button", name="Download calendar (.ics)").click()
    download = saving.value
    assert download.suggested_filename == "deadlines-2026-09-14.ics"
    page_file = tmp_path / "page.ics"
    download.save_as(page_file)
    cli_file = tmp_path / "cli.ics"
    assert run(*CLI_ARGS, "--ics", str(cli_file)).returncode == 0

    from_page, from_cli = events(page_file), events(cli_file)
    assert len(from_page) == 7 and from_page == from_cli
    assert page_file.read_bytes().count(b"\r\n") == cli_file.read_bytes().count(b"\r\n")


def events(path: Path) -> list[tuple[str, dt.date, str, str]]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return [
        (str(e["UID"]), e.decoded("DTSTART"), str(e["SUMMARY"]), str(e["DESCRIPTION"]))
        for e in calendar.walk("VEVENT")
    ]


def test_a_date_that_does_not_exist_is_named_and_no_calendar_is_offered(planner: Page) -> None:
    clear(planner)
    fill(planner, {"first_offering": "2026-09-14", "holidays": "2026-09-07, 2026-02-30"})
    planner.locator("#deadlines-holidays").blur()
    error = planner.locator("#deadlines-error-holidays")
    expect(error).to_be_visible()
    expect(error).to_have_text("'2026-02-30' is not a date that exists")
    expect(planner.locator("#deadlines-holidays")).to_have_attribute("aria-invalid", "true")
    expect(planner.get_by_role("button", name="Download calendar (.ics)")).to_be_disabled()
    fill(planner, {"holidays": "2026-09-07"})
    expect(error).to_be_hidden()
    expect(planner.get_by_role("button", name="Download calendar (.ics)")).to_be_enabled()


def test_a_last_day_before_the_first_offering_is_refused_beside_it(planner: Page) -> None:
    clear(planner)
    fill(planner, {"first_offering": "2026-09-14", "last_day": "2026-09-01"})
    planner.locator("#deadlines-last_day").blur()
    expect(planner.locator("#deadlines-error-last_day")).to_contain_text("before the first offering")


def test_the_dates_are_kept_in_the_address_and_a_reload_restores_them(planner: Page) -> None:
    clear(planner)
    fill(planner, {"first_offering": "2027-03-01", "title": "Night class"})
    expect(planner.locator('#deadlines-result td[data-key="approval-request-due"]')).to_have_attribute(
        "data-value", "2027-02-15"
    )
    planner.reload()
    planner.wait_for_selector(READY, timeout=PYTHON_READY_TIMEOUT_MS)
    expect(planner.locator("#deadlines-first_offering")).to_have_value("2027-03-01")
    expect(planner.locator("#deadlines-title")).to_have_value("Night class")
    expect(planner.locator('#deadlines-result td[data-key="participants-apply-by"]')).to_have_attribute(
        "data-value", "2027-03-31"
    )


# --------------------------------------------------------------------------- the accreditation planner


@pytest.fixture(scope="module")
def cycle_page(browser: Browser, site_url: str) -> Iterator[Page]:
    with watched_page(
        browser, site_url, "the accreditation planner", accept_downloads=True, **DESKTOP
    ) as page:
        page.goto(site_url + "/accreditation/")
        page.wait_for_selector('#accreditation-status[data-state="ready"]', timeout=PYTHON_READY_TIMEOUT_MS)
        yield page


def test_the_accreditation_planner_gives_the_clis_cycle_and_calendar(
    cycle_page: Page, tmp_path: Path
) -> None:
    cycle_page.fill("#accreditation-accredited_on", "2022-03-01")
    cycle_page.fill("#accreditation-as_of", "2026-11-01")
    cli = json.loads(
        run("accreditation", "--accredited-on", "2022-03-01", "--as-of", "2026-11-01", "--json").stdout
    )
    result = cycle_page.locator("#accreditation-result")
    expect(result.locator('td[data-key="next-due"]')).to_have_attribute("data-value", cli["next_due"]["date"])
    expect(result.locator('td[data-key="expires-on"]')).to_have_attribute("data-value", cli["expires_on"])
    expect(result.locator('td[data-key="year-of-cycle"]')).to_have_attribute("data-value", "year 5 of 5")
    rows = result.locator('table[data-table="cycle"] tbody tr')
    expect(rows).to_have_count(len(cli["events"]))
    with cycle_page.expect_download() as saving:
        cycle_page.get_by_role("button", name="Download calendar (.ics)").click()
    saving.value.save_as(tmp_path / "page.ics")
    args = ["accreditation", "--accredited-on", "2022-03-01", "--as-of", "2026-11-01"]
    assert run(*args, "--ics", str(tmp_path / "cli.ics")).returncode == 0
    assert saving.value.suggested_filename == "accreditation-2022-03-01.ics"
    assert events(tmp_path / "page.ics") == events(tmp_path / "cli.ics")
    assert len(events(tmp_path / "page.ics")) == len(cli["events"]) == 14


def test_a_leap_day_accreditation_and_a_bad_anniversary(cycle_page: Page) -> None:
    cycle_page.fill("#accreditation-as_of", "2024-06-01")
    cycle_page.fill("#accreditation-accredited_on", "2024-02-29")
    expires = cycle_page.locator('#accreditation-result td[data-key="expires-on"]')
    expect(expires).to_have_attribute("data-value", "2029-02-28")
    cycle_page.fill("#accreditation-anniversary", "02-30")
    cycle_page.locator("#accreditation-anniversary").blur()
    expect(cycle_page.locator("#accreditation-error-anniversary")).to_have_text(
        "'02-30' is not a day of the year"
    )
    expect(cycle_page.get_by_role("button", name="Download calendar (.ics)")).to_be_disabled()
