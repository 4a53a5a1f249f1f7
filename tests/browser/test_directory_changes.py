"""/directory/changes/: "what changed since <date>", the date kept in the URL.

Expectations come from the built site's own changes.json (made from the repository's git
history by the build), never hard-coded. One page is shared by the module's tests; each test
first opens the address it needs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from directory.changes_pages import SUBJECT_CHARACTERS, short_subject
from tests.browser.browser_support import DESKTOP, watched_page
from tests.browser.conftest import CHANGES_READY

pytestmark = pytest.mark.browser

PAGE = "/directory/changes/"
ITEMS = "#changes-list > li"
INPUT = "#changes-since"
SUMMARY = "#changes-summary"
#: Marks the page's state before an action, so waiting for "ready" waits for the NEXT update.
STALE = "test-waiting"


@pytest.fixture(scope="module")
def changes(built_site: Path) -> list[dict[str, Any]]:
    path = built_site / "directory" / "changes.json"
    if not path.exists():
        pytest.fail("the site was built without git history: the changes page has nothing to filter")
    listed: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["changes"]
    assert len({change["day"] for change in listed}) >= 2, "the history needs two days to filter between"
    return listed


@pytest.fixture(scope="module")
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    with watched_page(browser, site_url, "the changes page", **DESKTOP) as shared:
        yield shared


def since(changes: list[dict[str, Any]], day: str) -> list[str]:
    """The anchors the page must list for ?since=day, newest first (changes.json's order)."""
    return [change["anchor"] for change in changes if change["day"] >= day]


def listed(page: Page) -> list[str]:
    return page.eval_on_selector_all(ITEMS, "items => items.map(item => item.id)")


def settle(page: Page, action: Callable[[], Any]) -> None:
    page.evaluate(
        "([ready, stale]) => { document.querySelector('[data-changes-json]').dataset.state = stale; }",
        [CHANGES_READY, STALE],
    )
    action()
    page.wait_for_selector(CHANGES_READY, timeout=15_000)


def open_changes(page: Page, site_url: str, query: str = "") -> None:
    page.goto(site_url + PAGE + query)
    page.wait_for_selector(CHANGES_READY, timeout=15_000)


def url_since(page: Page) -> str | None:
    return parse_qs(urlsplit(page.url).query).get("since", [None])[0]


def test_a_date_in_the_address_lists_every_change_since_that_day(
    page: Page, site_url: str, changes: list[dict[str, Any]]
) -> None:
    days = sorted({change["day"] for change in changes})
    middle = days[len(days) // 2]
    open_changes(page, site_url, f"?since={middle}")

    expected = since(changes, middle)
    assert listed(page) == expected
    assert page.input_value(INPUT) == middle
    days_shown = page.eval_on_selector_all(ITEMS, "items => items.map(item => item.dataset.day)")
    assert all(day >= middle for day in days_shown)
    summary = page.inner_text(SUMMARY)
    count = f"{len(expected)} change{'' if len(expected) == 1 else 's'} since {middle}"
    assert count in summary


def test_choosing_a_date_keeps_it_in_the_address_and_back_returns_to_the_last(
    page: Page, site_url: str, changes: list[dict[str, Any]]
) -> None:
    days = sorted({change["day"] for change in changes})
    later, earliest = days[-1], days[0]
    open_changes(page, site_url, f"?since={later}")
    assert listed(page) == since(changes, later)

    page.fill(INPUT, earliest)
    settle(page, lambda: page.click(".directory-changes-since button[type=submit]"))
    assert url_since(page) == earliest
    assert listed(page) == since(changes, earliest) == [change["anchor"] for change in changes]

    settle(page, page.go_back)
    assert url_since(page) == later
    assert page.input_value(INPUT) == later
    assert listed(page) == since(changes, later)

    settle(page, page.go_forward)
    assert url_since(page) == earliest
    assert listed(page) == since(changes, earliest)

    page.reload()
    page.wait_for_selector(CHANGES_READY, timeout=15_000)
    assert listed(page) == since(changes, earliest), "a reload shows the same view"


def test_the_keyboard_alone_applies_a_date(page: Page, site_url: str, changes: list[dict[str, Any]]) -> None:
    days = sorted({change["day"] for change in changes})
    open_changes(page, site_url)
    page.fill(INPUT, days[-1])
    settle(page, lambda: page.press(INPUT, "Enter"))
    assert url_since(page) == days[-1]
    assert listed(page) == since(changes, days[-1])


def test_without_a_date_the_newest_changes_stay_as_built(
    page: Page, site_url: str, changes: list[dict[str, Any]]
) -> None:
    open_changes(page, site_url)
    assert listed(page) == [change["anchor"] for change in changes][:100]
    assert page.input_value(INPUT) == ""


@pytest.mark.parametrize("bad", ["2026-02-30", "yesterday", "2026-13-01"])
def test_a_date_that_does_not_exist_is_named_and_changes_nothing(
    page: Page, site_url: str, changes: list[dict[str, Any]], bad: str
) -> None:
    open_changes(page, site_url, f"?since={bad}")
    assert f"“{bad}” is not a date" in page.inner_text(SUMMARY)
    assert listed(page) == [change["anchor"] for change in changes][:100]


def test_each_change_links_the_entry_it_changed(
    page: Page, site_url: str, changes: list[dict[str, Any]]
) -> None:
    day = changes[-1]["day"]  # the oldest day: every change
    open_changes(page, site_url, f"?since={day}")
    first = next(change for change in changes if change["path"])
    link = page.locator(f"#{first['anchor']} > a").first
    assert link.inner_text() == first["headline"]
    settle_target = link.get_attribute("href")
    assert settle_target is not None and settle_target.endswith(first["path"])
    link.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.rstrip("/").endswith(first["path"].rstrip("/"))


def test_a_long_commit_subject_is_cut_where_the_build_cuts_it(
    page: Page, site_url: str, changes: list[dict[str, Any]]
) -> None:
    """The script cuts each subject at the length the build writes on the page (SUBJECT_CHARACTERS),
    as directory/changes_pages.py short_subject cuts the list the build renders."""
    assert any(len(change["subject"]) > SUBJECT_CHARACTERS for change in changes), "no subject to cut"
    earliest = min(change["day"] for change in changes)
    open_changes(page, site_url, f"?since={earliest}")
    subjects = page.eval_on_selector_all(
        ITEMS,
        "items => items.map(item => [item.id, item.querySelector('.directory-result-details bdi').textContent])",
    )
    assert subjects == [[change["anchor"], short_subject(change["subject"])] for change in changes]
