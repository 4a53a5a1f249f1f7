"""/search/: a visitor searches for a provider by a word of its name and finds its profile;
at phone and desktop widths the results come first, the filters fold behind a button that
counts them, Back undoes a filter; excerpts end each table row; every example query the site
suggests finds directory entries."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from directory.search_filters import SEARCH_FILTERS
from tests.browser.browser_support import (
    SCROLL_BOXES,
    VIEWPORTS,
    Tabs,
    Visit,
    in_view,
    on_first_screen,
    run_axe,
    search_word,
    site_path,
    watched_context,
)
from tests.browser.test_accessibility import BLOCKING_IMPACTS
from tests.browser.test_directory_search import LAYOUT_SHIFT
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

#: A result's link (not its sections' links), the search box, and the line that counts the results.
RESULT_LINK = "#search-results > li > .search-result-link"
SEARCH_INPUT = "#search-query"
RESULT_COUNT = "#search-result-count"
SEARCH_TIMEOUT_MS = 15_000
APP = "#search-app"
SETTLED = f'{APP}[data-state="ready"], {APP}[data-state="error"]'
TOGGLE = "#search-filters-toggle"
PANEL = "#search-filters"
SHOW = "#search-filters .search-show-results"
EXCERPTS = "#search-results .search-result-excerpt"


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


# --------------------------------------------------------------------------- on a phone and a desktop


@pytest.fixture(scope="module")
def tabs(browser: Browser, site_url: str) -> Iterator[Tabs]:
    """One /search/ tab per width for the tests of what a visitor does at that width."""
    opened = Tabs(browser, site_url)
    yield opened
    opened.close()


def settled(page: Page, action: Callable[[], object]) -> None:
    """Do `action` and wait until the search it starts has finished."""
    page.evaluate(
        f"() => {{ const app = document.querySelector('{APP}'); if (app) app.dataset.state = 'stale'; }}"
    )
    action()
    page.wait_for_selector(SETTLED, timeout=SEARCH_TIMEOUT_MS)
    state = page.get_attribute(APP, "data-state")
    assert state == "ready", f"search state {state!r}: {page.inner_text(RESULT_COUNT)!r}"


def open_search(tabs: Tabs, site_url: str, viewport: str, query: str) -> Visit:
    shown = tabs(viewport)
    settled(shown.page, lambda: shown.page.goto(f"{site_url}/search/{query}"))
    return shown


def result_count(page: Page) -> int:
    return int(page.get_attribute(APP, "data-result-count") or -1)


def open_filters(page: Page) -> None:
    if page.get_attribute(TOGGLE, "aria-expanded") != "true":
        page.click(TOGGLE)
    expect(page.locator(PANEL)).to_be_visible()


def checkbox(page: Page, name: str, value: str) -> Locator:
    return page.locator(f'{PANEL} fieldset[data-filter="{name}"] input[type=checkbox][value="{value}"]')


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("query", ["?q={word}", "?q=safety&type=Provider", "?q=IACET+CEU"])
def test_the_first_result_is_on_the_first_screen(
    tabs: Tabs, site_url: str, target: Target, viewport: str, query: str
) -> None:
    path = query.format(word=target.word)
    shown = open_search(tabs, site_url, viewport, path)
    page = shown.page
    first = page.locator(RESULT_LINK).first
    assert on_first_screen(page, first), (
        f"/search/{path} at {viewport} width: the first result is at {first.bounding_box()}, "
        f"below the first screen ({page.viewport_size})"
    )
    expect(page.locator(PANEL)).to_be_hidden()
    shown.watch.assert_clean(f"/search/{path} at {viewport} width")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_filters_are_the_directorys_in_the_sites_style(tabs: Tabs, site_url: str, viewport: str) -> None:
    """The legends a learner reads, the same as the directory's; no admonition dress (Material
    styles every <details> as one: a pencil over the title, a stray glyph); no box that scrolls;
    nothing axe-core finds serious with the filters open."""
    shown = open_search(tabs, site_url, viewport, "?q=safety")
    page = shown.page
    open_filters(page)
    expect(page.locator(f"{PANEL} details, {PANEL} .admonition, {PANEL} summary")).to_have_count(0)
    legends = page.locator(f"{PANEL} fieldset:visible legend").all_inner_texts()
    offered = [legend for _, legend in SEARCH_FILTERS]
    assert legends and [legend for legend in offered if legend in legends] == legends, legends
    assert not {"Check", "Type"} & set(legends), legends
    scrolling = page.locator(PANEL).evaluate(SCROLL_BOXES)
    assert not scrolling, f"boxes that scroll inside the filters at {viewport} width: {scrolling}"
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, json.dumps(blocking, indent=2)
    shown.watch.assert_clean(f"the filters of /search/ at {viewport} width")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_filters_count_show_results_and_back_undoes_them(tabs: Tabs, site_url: str, viewport: str) -> None:
    shown = open_search(tabs, site_url, viewport, "?q=safety")
    page = shown.page
    everything = result_count(page)
    toggle = page.locator(TOGGLE)
    expect(toggle).to_have_text("Filters")
    open_filters(page)
    settled(page, lambda: checkbox(page, "type", "Provider").check())
    providers = result_count(page)
    assert 0 < providers < everything, (providers, everything)
    expect(toggle).to_have_text("Filters (1)")
    expect(page.locator(RESULT_COUNT)).to_have_text(f"{providers} results for safety, with 1 filter.")
    settled(page, lambda: checkbox(page, "country", "US").check())
    expect(toggle).to_have_text("Filters (2)")
    in_us = result_count(page)
    show = page.locator(SHOW)
    expect(show).to_have_text(f"Show {in_us} result{'' if in_us == 1 else 's'}")
    assert in_view(page, show), f"'Show results' is off screen: {show.bounding_box()}"
    show.click()
    expect(page.locator(PANEL)).to_be_hidden()
    expect(page.locator(RESULT_COUNT)).to_be_focused()
    assert in_view(page, page.locator(RESULT_COUNT)), page.locator(RESULT_COUNT).bounding_box()
    assert in_view(page, page.locator(RESULT_LINK).first), "the first result is off screen"

    for step, address, count, label in [
        (page.go_back, {"q": ["safety"], "type": ["Provider"]}, providers, "Filters (1)"),
        (page.go_back, {"q": ["safety"]}, everything, "Filters"),
        (page.go_forward, {"q": ["safety"], "type": ["Provider"]}, providers, "Filters (1)"),
        (page.go_forward, {"q": ["safety"], "type": ["Provider"], "country": ["US"]}, in_us, "Filters (2)"),
    ]:
        settled(page, step)
        assert site_path(page.url) == "/search/", f"after {step.__name__}: left the search page ({page.url})"
        assert query_of(page.url) == address, page.url
        assert result_count(page) == count, f"{page.url}: {result_count(page)} results, not {count}"
        expect(toggle).to_have_text(label)
        expect(checkbox(page, "type", "Provider")).to_be_checked(checked="type" in address)
    shown.watch.assert_clean(f"filtering /search/ at {viewport} width")


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("?q=safety&type=constructor&check=__proto__", "No results for safety, with 2 filters."),
        ("?q=safety&region=toString", "No results for safety, with 1 filter."),
        ("?type=hasOwnProperty", "0 pages match the filters."),
        ("?q=safety&sort=constructor&__proto__=x", None),
    ],
)
def test_a_filter_named_after_an_object_property_names_nothing(
    tabs: Tabs, site_url: str, query: str, said: str | None
) -> None:
    shown = open_search(tabs, site_url, "desktop", query)  # settled: ready, not failed
    page = shown.page
    if said is not None:
        expect(page.locator(RESULT_COUNT)).to_have_text(said)
    else:
        expect(page.locator(RESULT_COUNT)).to_have_text(re.compile(r"^\d+ results? for safety\.$"))
    open_filters(page)
    for name, values in query_of(site_url + "/search/" + query).items():
        for value in values if name in dict(SEARCH_FILTERS) else []:
            box = checkbox(page, name, value)
            expect(box).to_be_checked()
            expect(page.locator(f'label[for="{box.get_attribute("id")}"]')).to_have_text(f"{value} (0)")
    shown.watch.assert_clean(f"/search/{query}")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_search_page_does_not_move_while_it_searches(
    browser: Browser, site_url: str, target: Target, viewport: str
) -> None:
    context, watch = watched_context(browser, site_url, **VIEWPORTS[viewport])
    try:
        page = context.new_page()
        page.goto(f"{site_url}/search/?q={target.word}")
        page.wait_for_selector(SETTLED, timeout=SEARCH_TIMEOUT_MS)
        shift = page.evaluate(LAYOUT_SHIFT)
        assert shift < 0.05, f"/search/ at {viewport} width: layout shift {shift}"
        watch.assert_clean(f"/search/?q={target.word} at {viewport} width")
    finally:
        context.close()


def test_when_search_cannot_load_the_page_says_so_and_offers_the_directory(
    browser: Browser, site_url: str
) -> None:
    context, watch = watched_context(browser, site_url, **VIEWPORTS["phone"])

    def block(route: Route) -> None:
        route.abort("blockedbyclient")

    context.route("**/pagefind/**", block)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/search/?q=safety")
        expect(page.locator(APP)).to_have_attribute("data-state", "error", timeout=SEARCH_TIMEOUT_MS)
        expect(page.locator(RESULT_COUNT)).to_contain_text("Search is unavailable")
        link = page.locator(f"{RESULT_COUNT} a")
        assert site_path(link.get_attribute("href") or "") == "/directory/"
        problems = watch.problems()
        assert all("/pagefind/" in failure for failure in problems.pop("failed requests", [])), problems
        assert all("pagefind" in line for line in problems.pop("console errors/warnings", [])), problems
        assert not problems, problems
    finally:
        context.close()


# --------------------------------------------------------------------------- what search shows


#: An address in an excerpt that runs, without a full stop, into a capitalised word: the start
#: of the next table row or fact ("…/about/pdus/ Society for Human Resource Management").
RUN_ON = re.compile(r"https?://\S*[^\s.] +[A-Z]")


@pytest.mark.parametrize("word", ["SHRM", "PMI", "source", "safety"])
def test_excerpts_end_each_row_before_the_next_begins(tabs: Tabs, site_url: str, word: str) -> None:
    shown = open_search(tabs, site_url, "desktop", f"?q={word}")
    page = shown.page
    while page.locator("#search-more").is_visible():
        before = page.locator(RESULT_LINK).count()
        page.click("#search-more")
        expect(page.locator(RESULT_LINK)).not_to_have_count(before)
    excerpts = page.locator(EXCERPTS).all_inner_texts()
    assert excerpts, f"{word!r} shows no excerpt"
    run_on = [excerpt for excerpt in excerpts if RUN_ON.search(excerpt)]
    assert not run_on, f"excerpts for {word!r} that run an address into the next row: {run_on}"
    shown.watch.assert_clean(f"/search/?q={word}")


def example_queries(page: Page, site_url: str) -> dict[str, list[str]]:
    """Every query the site suggests, read from the pages that suggest them."""
    found: dict[str, list[str]] = {}
    for path, placeholder in [("/", "#home-search"), ("/404.html", "#not-found-search")]:
        page.goto(site_url + path)
        text = page.get_attribute(placeholder, "placeholder") or ""
        assert text.startswith("e.g. "), f"{path}: {placeholder} suggests {text!r}"
        found[path] = [word.strip() for word in text.removeprefix("e.g. ").split(",")]
    page.goto(site_url + "/search/")
    found["/search/"] = page.locator(".search-examples a").all_inner_texts()
    for link in page.locator(".search-examples a").all():
        assert query_of(link.get_attribute("href") or "") == {"q": [link.inner_text()]}, link.get_attribute(
            "href"
        )
    return found


def test_every_example_query_finds_directory_entries(tabs: Tabs, site_url: str) -> None:
    """The examples on the home, search and not-found pages each find at least one directory
    entry in the directory's own search ("nursing" found none)."""
    page = tabs("desktop").page
    suggested = example_queries(page, site_url)
    assert all(suggested.values()), suggested
    page.goto(site_url + "/directory/")
    page.wait_for_selector('#directory-app[data-state="ready"]', timeout=SEARCH_TIMEOUT_MS)
    found: dict[str, int] = {}
    for query in sorted({query for queries in suggested.values() for query in queries}):
        page.evaluate("() => { document.querySelector('#directory-app').dataset.state = 'stale'; }")
        page.fill("#directory-query", query)
        page.wait_for_selector('#directory-app[data-state="ready"]', timeout=SEARCH_TIMEOUT_MS)
        found[query] = int(page.get_attribute("#directory-app", "data-result-count") or 0)
    duds = {query: where for where, queries in suggested.items() for query in queries if found[query] < 1}
    assert not duds, f"suggested queries that find no directory entry: {duds} (found: {found})"
