"""/search/: a visitor searches for a provider by a word of its name and finds its profile."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.browser_support import Visit, search_word, site_path
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

#: A result's link (not its sections' links), the search box, and the line that counts the results.
RESULT_LINK = "#search-results > li > .search-result-link"
SEARCH_INPUT = "#search-query"
RESULT_COUNT = "#search-result-count"
SEARCH_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Target:
    word: str
    name: str
    profile: str


@pytest.fixture(scope="module")
def target(providers: list[dict[str, str]], organizations: list[dict[str, str]]) -> Target:
    """The provider whose name word is rarest among all names, so it should rank first."""
    names = [row["name"].casefold() for row in (*providers, *organizations)]
    candidates = []
    for row in providers:
        try:
            word = search_word(row["name"])
        except ValueError:
            continue
        candidates.append((sum(word.casefold() in name for name in names), row, word))
    assert candidates, "no provider name has a word longer than four letters to search for"
    _, row, word = min(candidates, key=lambda candidate: candidate[0])
    return Target(word, row["name"], f"/directory/providers/{row['id']}/")


def result_paths(page: Page) -> list[str]:
    return [site_path(link.get_attribute("href") or "") for link in page.locator(RESULT_LINK).all()]


def wait_for_result(page: Page, profile: str, query: str) -> Locator:
    """The result link to `profile`, once Pagefind has shown it (results arrive as you type)."""
    link = page.locator(f'{RESULT_LINK}[href$="{profile}"]')
    try:
        link.first.wait_for(timeout=SEARCH_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        pytest.fail(f"searching {query!r}: no result links to {profile}; results: {result_paths(page)}")
    return link.first


def test_query_in_the_url_finds_the_profile(visit: Callable[..., Visit], target: Target) -> None:
    search = visit(f"/search/?q={target.word}")
    page = search.page
    assert search.response is not None and search.response.status == 200
    expect(page.locator(SEARCH_INPUT)).to_have_value(target.word)
    wait_for_result(page, target.profile, target.word).click()
    page.wait_for_url(f"**{target.profile}")
    expect(page.locator("h1")).to_have_text(target.name)
    search.watch.assert_clean(f"/search/?q={target.word} and following the result")


def test_typing_in_the_search_box_shows_results(visit: Callable[..., Visit], target: Target) -> None:
    search = visit("/search/")
    page = search.page
    field = page.locator(SEARCH_INPUT)
    field.wait_for(timeout=SEARCH_TIMEOUT_MS)
    field.click()
    field.press_sequentially(target.word, delay=40)
    wait_for_result(page, target.profile, target.word)
    search.watch.assert_clean(f"typing {target.word!r} on /search/")


def test_a_word_every_profile_repeats_finds_no_profile(visit: Callable[..., Visit]) -> None:
    """Profiles are indexed by their own data, not the sentences each repeats ("Verified on …: the
    day someone read this source"). Pagefind matches stems, so the data must not hold it either."""
    word = "someone"
    data = " ".join(path.read_text(encoding="utf-8") for path in (REPO_ROOT / "directory_data").glob("*.csv"))
    assert word[:6] not in data.casefold(), "the data holds the word: pick another for this test"
    search = visit(f"/search/?q={word}")
    page = search.page
    expect(page.locator(RESULT_COUNT)).to_have_text(
        re.compile(r"^(No results|\d+ results?) for"), timeout=SEARCH_TIMEOUT_MS
    )
    profiles = [path for path in result_paths(page) if path.startswith("/directory/")]
    assert not profiles, f"searching {word!r} finds profiles by their boilerplate: {profiles}"
    search.watch.assert_clean(f"/search/?q={word}")
