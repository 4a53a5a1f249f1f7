"""/directory/: instant search, filters with counts, sorting and the view kept in the URL;
and what a profile page promises (source, status, badge, report link).

Expected results are computed from directory_data/*.csv, never hard-coded. The search tests
share ONE desktop page (module fixture); each test first puts it back to the plain view.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, Route, expect

from directory.build_date import build_date
from directory.page_parts import DISCLAIMER
from directory.places import country_name, place_name
from directory.records import Entry
from directory.status import provider_status
from tests.browser.browser_support import (
    DESKTOP,
    SCROLL_BOXES,
    VIEWPORTS,
    Tabs,
    Visit,
    in_view,
    on_first_screen,
    read_entries,
    search_word,
    site_path,
    watched_context,
    watched_page,
)
from tests.conftest import REPO_ROOT, plugin_settings

pytestmark = pytest.mark.browser

APP = "#directory-app"
SETTLED = f'{APP}[data-state="ready"], {APP}[data-state="error"]'
QUERY = "#directory-query"
SORT = "#directory-sort"
RESULTS = "#directory-results > li"
RESULT_LINKS = "#directory-results > li > a"
COUNT = "#directory-result-count"
TOGGLE = "#directory-filters-toggle"
PANEL = "#directory-filters"
SHOW = "#directory-filters .search-show-results"
SEARCH_TIMEOUT_MS = 15_000
#: Marks the app's state before an action, so waiting for "ready" waits for the NEXT search.
STALE = "test-waiting"

MKDOCS = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_URL: str = MKDOCS["site_url"]
REPOSITORY: str = plugin_settings()["repository"]
FILTERS = ("type", "status", "credit", "kind", "country", "region")


# --------------------------------------------------------------------------- expectations from the CSVs


@dataclass(frozen=True)
class Row:
    path: str
    name: str
    values: dict[str, list[str]]  # filter name -> the values this entry has for it


def labels(vocabulary: str) -> dict[str, str]:
    return {v["id"]: v["label"] for v in read_entries("vocabularies") if v["vocabulary"] == vocabulary}


def status_label(row: dict[str, str]) -> str:
    return provider_status(Entry("providers", 0, row), build_date()).label


@pytest.fixture(scope="module")
def rows(providers: list[dict[str, str]], organizations: list[dict[str, str]]) -> list[Row]:
    """Every entry with the filter values the directory search should know it by."""
    kinds = labels("organization-kind")
    credits = labels("credit-type")
    accepted: dict[str, list[str]] = {}
    for acceptance in read_entries("acceptances"):
        accepted.setdefault(acceptance["organization_id"], []).append(credits[acceptance["credit_type"]])
    found = []
    for table, entries in (("providers", providers), ("organizations", organizations)):
        for row in entries:
            values = {
                "type": ["Provider" if table == "providers" else "Organization"],
                "status": [status_label(row)] if table == "providers" else [],
                "credit": sorted(set(accepted.get(row["id"], []))) if table == "organizations" else [],
                "kind": [kinds[row["kind"]]] if table == "organizations" else [],
                "country": [row["country"]] if row["country"] else [],
                "region": [f"{row['country']}-{row['region']}"] if row["region"] else [],
            }
            found.append(Row(f"/directory/{table}/{row['id']}/", row["name"], values))
    return found


def expected_counts(rows: list[Row], name: str) -> dict[str, int]:
    return dict(Counter(value for row in rows for value in row.values[name]))


def shown_as(name: str, value: str) -> str:
    """What a filter value's label says: country and region values are ISO codes shown by name."""
    if name == "country":
        return country_name(value)
    if name == "region":
        country, _, region = value.partition("-")
        return place_name(country, region)
    return value


# --------------------------------------------------------------------------- driving the page


def settled(page: Page, action: Callable[[], object]) -> None:
    """Do `action` and wait until the search it starts has finished."""
    page.evaluate(
        "([app, stale]) => { const found = document.querySelector(app); if (found) found.dataset.state = stale; }",
        [APP, STALE],
    )
    action()
    page.wait_for_selector(SETTLED, timeout=SEARCH_TIMEOUT_MS)
    state = page.get_attribute(APP, "data-state")
    assert state == "ready", f"directory search state {state!r}: {page.inner_text(COUNT)!r}"


def type_query(page: Page, word: str) -> None:
    """Type `word` key by key and wait for the search of the whole word to finish.

    On a busy machine a pause between keys can outlast the page's wait before it searches, so a
    search of the first letters may finish while the last keys are still waiting: the search of
    the whole word is the one that writes the whole word into the address."""
    settled(page, lambda: page.locator(QUERY).press_sequentially(word, delay=40))
    page.wait_for_function(
        "(word) => new URLSearchParams(location.search).get('q') === word",
        arg=word,
        timeout=SEARCH_TIMEOUT_MS,
    )
    page.wait_for_selector(SETTLED, timeout=SEARCH_TIMEOUT_MS)


def result_count(page: Page) -> int:
    return int(page.get_attribute(APP, "data-result-count") or -1)


def show_all(page: Page) -> None:
    """Press 'Show more results' until every result is listed."""
    more = page.locator("#directory-more")
    for _ in range(100):
        if not more.is_visible():
            break
        before = page.locator(RESULTS).count()
        more.click()
        expect(page.locator(RESULTS)).not_to_have_count(before)
    expect(page.locator(RESULTS)).to_have_count(result_count(page))


def listed(page: Page) -> list[tuple[str, str, str]]:
    """(site path, name, details line) of every listed result, in order."""
    found = []
    for item in page.locator(RESULTS).all():
        link = item.locator("a")
        found.append(
            (
                site_path(link.get_attribute("href") or ""),
                link.inner_text().strip(),
                item.locator(".directory-result-details").inner_text().strip(),
            )
        )
    return found


def facet_options(page: Page, name: str) -> dict[str, int]:
    """value -> the count in its label, for one fieldset."""
    options = {}
    for box in page.locator(f'fieldset[data-filter="{name}"] input[type=checkbox]').all():
        value = box.get_attribute("value") or ""
        label = page.locator(f'label[for="{box.get_attribute("id")}"]').inner_text().strip()
        prefix, _, rest = label.rpartition(" (")
        assert prefix == shown_as(name, value) and rest.endswith(")"), (
            f"{name}: label {label!r} for {value!r}"
        )
        options[value] = int(rest[:-1])
    return options


def checkbox(page: Page, name: str, value: str) -> Locator:
    return page.locator(f'fieldset[data-filter="{name}"] input[type=checkbox][value="{value}"]')


def ticked(page: Page) -> dict[str, list[str]]:
    return {
        name: [
            box.get_attribute("value") or ""
            for box in page.locator(f'fieldset[data-filter="{name}"] input:checked').all()
        ]
        for name in FILTERS
    }


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def open_filters(page: Page) -> None:
    """Unfold the filters (they start folded, so the results come first)."""
    if page.get_attribute(TOGGLE, "aria-expanded") != "true":
        page.click(TOGGLE)
    expect(page.locator(PANEL)).to_be_visible()


@pytest.fixture(scope="module")
def directory(browser: Browser, site_url: str) -> Iterator[Visit]:
    """ONE desktop /directory/ page for the module, once its first search has finished."""
    context, watch = watched_context(browser, site_url, **DESKTOP)
    page = context.new_page()
    response = page.goto(site_url + "/directory/")
    assert response is not None and response.status == 200
    page.wait_for_selector(SETTLED, timeout=SEARCH_TIMEOUT_MS)
    yield Visit(page, watch, response)
    context.close()


@pytest.fixture
def home(directory: Visit, site_url: str, rows: list[Row]) -> Visit:
    """The shared page back at the plain view: no query, no filter, default sort."""
    page = directory.page
    if site_path(page.url) != "/directory/":
        settled(page, lambda: page.goto(site_url + "/directory/"))
    else:
        settled(page, lambda: page.click("#directory-clear"))
    expect(page.locator(QUERY)).to_have_value("")
    expect(page.locator(SORT)).to_have_value("")
    assert result_count(page) == len(rows), f"plain view lists {result_count(page)} entries, not {len(rows)}"
    assert urlsplit(page.url).query == "", f"plain view has a query string: {page.url}"
    open_filters(page)
    directory.watch.clear()  # earlier tests answer for their own part of the page's life
    return directory


# --------------------------------------------------------------------------- the tests


def test_plain_view_lists_every_entry_by_name(home: Visit, rows: list[Row]) -> None:
    page = home.page
    expect(page.locator(COUNT)).to_have_text(f"{len(rows)} entries in the directory.")
    expect(
        page.locator("#directory-browse")
    ).to_be_hidden()  # the search lists every entry; the table is the no-JS path
    show_all(page)
    assert sorted(path for path, _, _ in listed(page)) == sorted(row.path for row in rows)
    home.watch.assert_clean("/directory/ plain view")


def test_typing_a_name_word_finds_the_provider(
    home: Visit, providers: list[dict[str, str]], rows: list[Row]
) -> None:
    page = home.page
    names = [row.name.casefold() for row in rows]
    candidates = []
    for row in providers:
        try:
            word = search_word(row["name"])
        except ValueError:
            continue
        candidates.append((sum(word.casefold() in name for name in names), row["name"], row["id"], word))
    assert candidates, "no provider name has a word longer than four letters to search for"
    _, name, entry_id, word = min(candidates)
    profile = f"/directory/providers/{entry_id}/"

    field = page.locator(QUERY)
    field.click()
    type_query(page, word)
    assert query_of(page.url) == {"q": [word]}, f"URL after typing {word!r}: {page.url}"
    expect(page.locator("#directory-browse")).to_be_hidden()
    link = page.locator(f'{RESULT_LINKS}[href$="{profile}"]')
    expect(link, f"typing {word!r}: no result links to {profile}; got {listed(page)}").to_have_count(1)
    expect(link).to_have_text(name)
    link.click()
    page.wait_for_url(f"**{profile}")
    expect(page.locator("h1")).to_have_text(name)
    home.watch.assert_clean(f"typing {word!r} on /directory/ and following the result")


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_narrows_with_correct_counts(home: Visit, rows: list[Row], name: str) -> None:
    page = home.page
    expected = expected_counts(rows, name)
    fieldset = page.locator(f'fieldset[data-filter="{name}"]')
    if not expected:
        expect(fieldset, f"no entry has a {name}, yet its fieldset shows").to_be_hidden()
        return
    expect(fieldset).to_be_visible()
    assert facet_options(page, name) == expected, f"{name} options and counts, plain view"

    for value, count in sorted(expected.items()):
        settled(page, lambda value=value: checkbox(page, name, value).check())
        assert query_of(page.url) == {name: [value]}, f"URL after ticking {name}={value}: {page.url}"
        expect(checkbox(page, name, value)).to_be_checked()
        assert result_count(page) == count, f"{name}={value}: {result_count(page)} results, expected {count}"
        assert facet_options(page, name)[value] == count, f"{name}={value}: label count is not {count}"
        expect(page.locator("#directory-browse")).to_be_hidden()
        show_all(page)
        matching = {row.path for row in rows if value in row.values[name]}
        shown = listed(page)
        assert {path for path, _, _ in shown} == matching, f"{name}={value}: wrong entries listed"
        for path, _, details in shown:
            parts = details.split(" · ")
            if name == "type":
                assert parts[0] == value, f"{name}={value}: {path} details {details!r}"
            elif name == "country":
                place = parts[1].rpartition(", ")[2]  # "Texas, United States" or "United States"
                assert place == shown_as(name, value), f"{name}={value}: {path} details {details!r}"
            elif name == "region":
                assert parts[1] == shown_as(name, value), f"{name}={value}: {path} details {details!r}"
            elif name == "status":
                assert value in parts, f"{name}={value}: {path} details {details!r}"

        settled(page, lambda value=value: checkbox(page, name, value).uncheck())
        assert urlsplit(page.url).query == "", f"URL after unticking {name}={value}: {page.url}"
        assert result_count(page) == len(rows), f"unticking {name}={value} does not restore every entry"
        expect(page.locator("#directory-browse")).to_be_hidden()
        assert facet_options(page, name) == expected, f"{name} options after unticking {value}"
    home.watch.assert_clean(f"ticking each {name} filter on /directory/")


def test_filters_combine_and_counts_apply_the_other_filters(home: Visit, rows: list[Row]) -> None:
    page = home.page
    regions = expected_counts(rows, "region")
    if not regions:
        pytest.skip("no entry has a region")
    region = max(sorted(regions), key=lambda value: regions[value])
    country = region.split("-")[0]
    settled(page, lambda: checkbox(page, "country", country).check())
    settled(page, lambda: checkbox(page, "region", region).check())
    assert query_of(page.url) == {"country": [country], "region": [region]}, page.url
    assert result_count(page) == regions[region]
    # Each type's count is what ticking it would give with the country and region ticked.
    in_region = [row for row in rows if region in row.values["region"]]
    assert facet_options(page, "type") == expected_counts(in_region, "type")
    # The country's own count ignores the country filter but applies the region.
    assert facet_options(page, "country")[country] == regions[region]
    home.watch.assert_clean(f"ticking country={country} and region={region}")


def shared_view(rows: list[Row]) -> tuple[str, str]:
    """A query matching several US providers, and the URL of that view sorted Z to A."""
    words = Counter()
    for row in rows:
        if "Provider" in row.values["type"] and "US" in row.values["country"]:
            for raw in row.name.split():
                word = "".join(ch for ch in raw if ch.isalnum())
                if len(word) > 4:
                    words[word.casefold()] += 1
    assert words, "no US provider name has a word longer than four letters"
    word = max(sorted(words), key=lambda w: words[w])
    return word, f"/directory/?q={word}&country=US&type=Provider&sort=name-desc"


def test_a_shared_url_reloads_to_the_same_view(
    home: Visit, rows: list[Row], visit: Callable[..., Visit], site_url: str
) -> None:
    page = home.page
    word, path = shared_view(rows)
    settled(page, lambda: page.goto(site_url + path))

    def view(on: Page) -> dict[str, object]:
        show_all(on)
        return {
            "query": on.locator(QUERY).input_value(),
            "sort": on.locator(SORT).input_value(),
            "ticked": ticked(on),
            "results": listed(on),
            "count": on.locator(COUNT).inner_text(),
        }

    first = view(page)
    assert first["query"] == word and first["sort"] == "name-desc", first
    assert first["ticked"] == {**{name: [] for name in FILTERS}, "country": ["US"], "type": ["Provider"]}
    names = [name for _, name, _ in first["results"]]  # type: ignore[union-attr]
    assert names, f"{path} lists nothing"
    assert len(set(names)) == len(names), f"{path} lists an entry twice: {names}"
    for result_path, _, details in first["results"]:  # type: ignore[union-attr]
        assert result_path.startswith("/directory/providers/"), f"{path}: {result_path} is not a provider"
        place = details.split(" · ")[1].rpartition(", ")[2]
        assert place == country_name("US"), f"{path}: {result_path} {details!r}"
    assert query_of(page.url) == query_of(site_url + path), f"the page rewrote the shared URL: {page.url}"

    settled(page, page.reload)
    assert view(page) == first, f"reloading {path} does not give the same view"
    home.watch.assert_clean(f"opening and reloading {path}")

    fresh = visit(path, **DESKTOP)
    fresh.page.wait_for_selector(SETTLED, timeout=SEARCH_TIMEOUT_MS)
    assert view(fresh.page) == first, f"{path} opened afresh does not give the same view"
    fresh.watch.assert_clean(f"opening {path} in a new tab")


def test_sorting_by_name_both_ways(home: Visit, rows: list[Row]) -> None:
    page = home.page
    settled(page, lambda: page.select_option(SORT, "name-asc"))
    assert query_of(page.url) == {"sort": ["name-asc"]}, page.url
    show_all(page)
    ascending = [name for _, name, _ in listed(page)]
    settled(page, lambda: page.select_option(SORT, "name-desc"))
    assert query_of(page.url) == {"sort": ["name-desc"]}, page.url
    show_all(page)
    descending = [name for _, name, _ in listed(page)]
    assert sorted(ascending) == sorted(row.name for row in rows)
    assert descending == list(reversed(ascending)), "Z to A is not A to Z reversed"
    # The plain listing (no JavaScript) orders names case-insensitively; A to Z should agree.
    by_name = sorted(ascending, key=str.casefold)
    assert ascending == by_name, (
        "A to Z is not in name order, ignoring case (as the plain listing is): "
        + "; ".join(
            f"{shown!r} where {wanted!r}"
            for shown, wanted in zip(ascending, by_name, strict=True)
            if shown != wanted
        )
    )
    home.watch.assert_clean("sorting /directory/ by name")


#: Every layout shift since the page began (Chromium's Layout Instability API), summed as CLS does
#: for a page this short (one session window).
LAYOUT_SHIFT = """() => new Promise((done) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const shift of list.getEntries()) if (!shift.hadRecentInput) total += shift.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => done(total), 500);
})"""


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_directory_does_not_move_while_its_search_starts(
    browser: Browser, site_url: str, viewport: str
) -> None:
    """The search used to be revealed by its script, pushing the listing down: CLS 0.26 on a phone."""
    with watched_page(browser, site_url, f"/directory/ at {viewport} width", **VIEWPORTS[viewport]) as page:
        page.goto(site_url + "/directory/")
        page.wait_for_selector(SETTLED, timeout=SEARCH_TIMEOUT_MS)
        assert page.get_attribute(APP, "data-state") == "ready"
        assert page.evaluate(LAYOUT_SHIFT) < 0.05


def test_every_filter_is_a_target_of_at_least_24_px(home: Visit) -> None:
    """WCAG 2.5.8 (target size): the desktop browser's own checkbox is 13 by 13 CSS px."""
    sizes = home.page.locator(".directory-facet input[type=checkbox]").evaluate_all(
        "boxes => boxes.map(box => { const r = box.getBoundingClientRect(); return [box.id, r.width, r.height]; })"
    )
    assert len(sizes) > 5
    assert not [size for size in sizes if size[1] < 24 or size[2] < 24], sizes


def test_a_search_with_no_match_says_so(home: Visit) -> None:
    page = home.page
    settled(page, lambda: page.fill(QUERY, "zzqxj"))
    assert query_of(page.url) == {"q": ["zzqxj"]}, page.url
    expect(page.locator(RESULTS)).to_have_count(0)
    expect(page.locator("#directory-empty")).to_be_visible()
    expect(page.locator("#directory-empty .directory-disclaimer")).to_have_text(DISCLAIMER)
    expect(page.locator(COUNT)).to_have_text("No entries match.")
    expect(page.locator("#directory-more")).to_be_hidden()
    home.watch.assert_clean("searching 'zzqxj' on /directory/")


# --------------------------------------------------------------------------- profiles


def absolute(path: str) -> str:
    return SITE_URL.rstrip("/") + path


def test_provider_profile_shows_source_status_badge_and_report_link(
    visit: Callable[..., Visit], providers: list[dict[str, str]]
) -> None:
    row = providers[0]
    path = f"/directory/providers/{row['id']}/"
    shown = visit(path, **DESKTOP)
    page = shown.page
    assert shown.response is not None and shown.response.status == 200
    expect(page.locator("h1")).to_have_text(row["name"])

    source = page.locator(".directory-source")
    expect(source.locator(f'a[href="{row["source_url"]}"]')).to_have_count(1)
    if row["source_quote"]:
        expect(source.locator("blockquote")).to_have_text(row["source_quote"])
    expect(source.get_by_text("Verified on")).to_be_visible()
    verified = source.locator(f'p:has-text("Verified on") time[datetime="{row["verified_on"]}"]')
    expect(verified).to_have_count(1)

    status = provider_status(Entry("providers", 0, row), build_date())
    today = build_date().isoformat()
    expect(page.locator(".directory-status h2")).to_have_text(f"Status as of {today}: {status.label}")
    expect(page.locator(".directory-status h2 time")).to_have_attribute("datetime", today)
    expect(page.locator(".directory-status-rule")).to_have_text(f"Why: {status.rule}")
    expect(page.get_by_role("link", name="Confirm with IACET's own directory")).to_have_count(1)

    # The badge is offered only in good standing; the file is there for every provider, so a
    # badge already embedded on a provider's site keeps showing the current status.
    badge_url = urljoin(page.url, "badge.svg")
    answer = page.request.get(badge_url)
    assert answer.status == 200, f"{badge_url}: {answer.status}"
    assert answer.headers["content-type"].startswith("image/svg+xml"), answer.headers["content-type"]
    if status.code == "good-standing":
        badge = page.locator(".directory-badge a:has(img)")
        expect(badge).to_have_count(1)
        assert site_path(urljoin(page.url, badge.get_attribute("href") or "")) == path, (
            "badge links elsewhere"
        )
        image = badge.locator("img")
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth") > 0, "the badge image did not load"
        assert urljoin(page.url, image.get_attribute("src") or "") == badge_url
        snippet = page.locator("#badge-snippet").input_value()
        assert f'href="{absolute(path)}"' in snippet, f"snippet does not link to {absolute(path)}: {snippet}"
        assert f'src="{absolute(path)}badge.svg"' in snippet, f"snippet's image is not the badge: {snippet}"
    else:
        expect(page.locator(".directory-badge img, #badge-snippet")).to_have_count(0)
        expect(page.locator(".directory-badge-withheld")).to_contain_text(status.label)

    report = page.get_by_role("link", name="Report a problem with this entry")
    href = report.get_attribute("href") or ""
    assert href.startswith(f"{REPOSITORY.rstrip('/')}/issues/new?"), href
    fields = query_of(href)
    assert fields["template"] == ["report-problem.yml"], fields
    assert absolute(path) in fields["entry"][0].split(), (
        f"report link's entry is not {absolute(path)}: {fields}"
    )

    json_link = page.get_by_role("link", name="This entry as JSON")
    json_url = urljoin(page.url, json_link.get_attribute("href") or "")
    assert site_path(json_url) == f"/directory/providers/{row['id']}.json"
    answer = page.request.get(json_url)
    assert answer.status == 200, f"{json_url}: {answer.status}"
    assert row["id"] in json.dumps(answer.json()), f"{json_url} does not describe {row['id']}"
    shown.watch.assert_clean(f"provider profile {path}")


def test_organization_profile_shows_source_and_disclaimer(
    visit: Callable[..., Visit], organizations: list[dict[str, str]]
) -> None:
    if not organizations:
        pytest.skip("no organizations")
    row = organizations[0]
    path = f"/directory/organizations/{row['id']}/"
    shown = visit(path, **DESKTOP)
    page = shown.page
    assert shown.response is not None and shown.response.status == 200
    expect(page.locator("h1")).to_have_text(row["name"])
    source = page.locator(".directory-source")
    expect(source.locator(f'a[href="{row["source_url"]}"]')).to_have_count(1)
    verified = source.locator(f'p:has-text("Verified on") time[datetime="{row["verified_on"]}"]')
    expect(verified).to_have_count(1)
    expect(page.locator(".directory-profile > .directory-disclaimer")).to_have_text(DISCLAIMER)
    expect(page.locator(".directory-status")).to_have_count(0)
    expect(page.locator(".directory-badge")).to_have_count(0)
    fields = query_of(
        page.get_by_role("link", name="Report a problem with this entry").get_attribute("href") or ""
    )
    assert fields["template"] == ["report-problem.yml"], fields
    assert absolute(path) in fields["entry"][0].split(), fields
    shown.watch.assert_clean(f"organization profile {path}")


# --------------------------------------------------------------------------- on a phone and a desktop


@pytest.fixture(scope="module")
def tabs(browser: Browser, site_url: str) -> Iterator[Tabs]:
    """One /directory/ tab per width for the tests of what a visitor does at that width."""
    opened = Tabs(browser, site_url)
    yield opened
    opened.close()


def open_directory(tabs: Tabs, site_url: str, viewport: str, query: str = "") -> Visit:
    shown = tabs(viewport)
    settled(shown.page, lambda: shown.page.goto(f"{site_url}/directory/{query}"))
    return shown


def providers_in(rows: list[Row], **values: str) -> int:
    return sum(all(value in row.values[name] for name, value in values.items()) for row in rows)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(
    "query", ["", "?type=Provider", "?type=Provider&country=US&sort=verified-desc", "?q=safety"]
)
def test_the_first_result_is_on_the_first_screen(
    tabs: Tabs, site_url: str, viewport: str, query: str
) -> None:
    shown = open_directory(tabs, site_url, viewport, query)
    page = shown.page
    first = page.locator(RESULT_LINKS).first
    assert on_first_screen(page, first), (
        f"/directory/{query} at {viewport} width: the first result is at {first.bounding_box()}, "
        f"below the first screen ({page.viewport_size})"
    )
    expect(page.locator(PANEL)).to_be_hidden()  # folded, even when the address ticks some
    shown.watch.assert_clean(f"/directory/{query} at {viewport} width")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_filters_button_says_how_many_are_ticked(tabs: Tabs, site_url: str, viewport: str) -> None:
    shown = open_directory(tabs, site_url, viewport)
    page = shown.page
    toggle = page.locator(TOGGLE)
    expect(toggle).to_have_text("Filters")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(PANEL)).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(PANEL)).to_be_visible()
    settled(page, lambda: checkbox(page, "type", "Provider").check())
    expect(toggle).to_have_text("Filters (1)")
    settled(page, lambda: checkbox(page, "country", "US").check())
    expect(toggle).to_have_text("Filters (2)")
    settled(page, lambda: checkbox(page, "type", "Provider").uncheck())
    expect(toggle).to_have_text("Filters (1)")
    toggle.click()
    expect(page.locator(PANEL)).to_be_hidden()
    expect(toggle).to_have_text("Filters (1)")
    # A shared link says so too, before anyone opens the filters.
    settled(page, lambda: page.goto(f"{site_url}/directory/?type=Provider&country=US"))
    expect(toggle).to_have_text("Filters (2)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    shown.watch.assert_clean(f"ticking filters on /directory/ at {viewport} width")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_show_results_moves_focus_and_the_screen_to_the_results(
    tabs: Tabs, site_url: str, viewport: str, rows: list[Row]
) -> None:
    shown = open_directory(tabs, site_url, viewport)
    page = shown.page
    open_filters(page)
    settled(page, lambda: checkbox(page, "type", "Provider").check())
    providers = providers_in(rows, type="Provider")
    expect(page.locator(SHOW)).to_have_text(f"Show {providers} results")
    # The last choice of the filters: on a phone the results are then far above.
    last = page.locator(f"{PANEL} input[type=checkbox]").last
    value, name = last.get_attribute("value") or "", last.get_attribute("name") or ""
    settled(page, last.check)
    expected = providers_in(rows, type="Provider", **{name: value})
    assert result_count(page) == expected, f"type=Provider and {name}={value}"
    show = page.locator(SHOW)
    expect(show).to_have_text(f"Show {expected} result{'' if expected == 1 else 's'}")
    assert in_view(page, show), f"'Show results' is off screen at {viewport} width: {show.bounding_box()}"
    show.click()
    expect(page.locator(PANEL)).to_be_hidden()
    expect(page.locator(TOGGLE)).to_have_attribute("aria-expanded", "false")
    expect(page.locator(TOGGLE)).to_have_text("Filters (2)")
    expect(page.locator(COUNT)).to_be_focused()
    expect(page.locator(COUNT)).to_have_text(
        f"{expected} entr{'y matches' if expected == 1 else 'ies match'}."
    )
    assert in_view(page, page.locator(COUNT)), (
        f"the count is off screen: {page.locator(COUNT).bounding_box()}"
    )
    assert in_view(page, page.locator(RESULT_LINKS).first), "the first result is off screen"
    shown.watch.assert_clean(f"'Show results' on /directory/ at {viewport} width")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_back_undoes_a_filter_and_forward_redoes_it(
    tabs: Tabs, site_url: str, viewport: str, rows: list[Row]
) -> None:
    shown = open_directory(tabs, site_url, viewport)
    page = shown.page
    word = "safety"  # one history entry for the whole word, however many keys it takes
    page.locator(QUERY).click()
    type_query(page, word)
    typed = result_count(page)
    open_filters(page)
    settled(page, lambda: checkbox(page, "type", "Provider").check())
    with_type = result_count(page)
    settled(page, lambda: checkbox(page, "country", "US").check())
    both = result_count(page)
    none = {name: [] for name in FILTERS}

    steps = [
        (page.go_back, {"q": [word], "type": ["Provider"]}, {**none, "type": ["Provider"]}, with_type),
        (page.go_back, {"q": [word]}, none, typed),
        (page.go_back, {}, none, len(rows)),
        (page.go_forward, {"q": [word]}, none, typed),
        (page.go_forward, {"q": [word], "type": ["Provider"]}, {**none, "type": ["Provider"]}, with_type),
        (
            page.go_forward,
            {"q": [word], "type": ["Provider"], "country": ["US"]},
            {**none, "type": ["Provider"], "country": ["US"]},
            both,
        ),
    ]
    for step, address, boxes, count in steps:
        settled(page, step)
        where = f"after {step.__name__} to {page.url}"
        assert site_path(page.url) == "/directory/", f"{where}: left the directory"
        assert query_of(page.url) == address, where
        expect(page.locator(QUERY)).to_have_value(address.get("q", [""])[0])
        assert ticked(page) == boxes, where
        assert result_count(page) == count, f"{where}: {result_count(page)} results, not {count}"
        ticks = sum(len(values) for values in boxes.values())
        expect(page.locator(TOGGLE)).to_have_text(f"Filters ({ticks})" if ticks else "Filters")
    shown.watch.assert_clean(f"Back and Forward on /directory/ at {viewport} width")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_box_scrolls_inside_the_filters(tabs: Tabs, site_url: str, viewport: str) -> None:
    shown = open_directory(tabs, site_url, viewport)
    page = shown.page
    open_filters(page)
    scrolling = page.locator(PANEL).evaluate(SCROLL_BOXES)
    assert not scrolling, f"boxes that scroll inside the filters at {viewport} width: {scrolling}"
    for box in page.locator(f"{PANEL} input[type=checkbox]").all():
        box.scroll_into_view_if_needed()
        assert in_view(page, box), f"{box.get_attribute('value')} cannot be seen: {box.bounding_box()}"
    shown.watch.assert_clean(f"the filters of /directory/ at {viewport} width")


#: Addresses whose sort or filter value is a name every JavaScript object inherits.
HOSTILE_ADDRESSES = [
    "?sort=constructor",
    "?sort=__proto__",
    "?sort=toString&q=",
    "?sort=hasOwnProperty&type=Provider",
    "?type=constructor",
    "?type=__proto__&region=toString",
    "?q=__proto__&sort=valueOf",
    "?status=constructor&sort=__defineGetter__",
]


@pytest.mark.parametrize("query", HOSTILE_ADDRESSES)
def test_a_sort_or_filter_named_after_an_object_property_names_nothing(
    tabs: Tabs, site_url: str, query: str, rows: list[Row]
) -> None:
    shown = open_directory(tabs, site_url, "desktop", query)  # settled: the search is ready, not failed
    page = shown.page
    asked = query_of(site_url + "/directory/" + query)
    expect(page.locator(SORT)).to_have_value("")  # no such sort: best match
    chosen = {name: values for name, values in asked.items() if name in FILTERS}
    if "q" in asked:
        expect(page.locator(QUERY)).to_have_value(asked["q"][0])
    expected = sum(
        all(any(value in row.values[name] for value in values) for name, values in chosen.items())
        for row in rows
    )
    if "q" not in asked:
        assert result_count(page) == expected, f"{query}: {result_count(page)} results, not {expected}"
    open_filters(page)
    for name, values in chosen.items():
        for value in values:
            expect(checkbox(page, name, value)).to_be_checked()
            if value not in expected_counts(rows, name):
                label = page.locator(f'label[for="{checkbox(page, name, value).get_attribute("id")}"]')
                expect(label).to_have_text(f"{value} (0)")
    shown.watch.assert_clean(f"/directory/{query}")


# --------------------------------------------------------------------------- when search cannot load


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_without_its_search_the_directory_filters_its_list_by_name(
    browser: Browser, site_url: str, viewport: str
) -> None:
    """Pagefind blocked (offline, a filter, a failed download): the search box filters the
    listing the page holds by name, and the page says full search is unavailable."""
    context, watch = watched_context(browser, site_url, **VIEWPORTS[viewport])
    blocked: list[str] = []

    def block(route: Route) -> None:
        blocked.append(route.request.url)
        route.abort("blockedbyclient")

    context.route("**/pagefind/**", block)
    try:
        page = context.new_page()
        page.goto(site_url + "/directory/")
        page.wait_for_selector(SETTLED, timeout=SEARCH_TIMEOUT_MS)  # the opening view needs no Pagefind
        listing = page.locator("#directory-browse tbody tr")
        names = [name.strip() for name in listing.locator("td:first-child").all_inner_texts()]
        assert names, "the page holds no listing"
        words = Counter(w.casefold() for name in names for w in name.split() if len(w) > 4 and w.isalpha())
        word = max(sorted(words), key=lambda w: words[w])
        matching = sorted(name for name in names if word in name.casefold())
        assert 1 < len(matching) < len(names), (word, matching)

        page.locator(QUERY).click()
        page.locator(QUERY).press_sequentially(word.upper(), delay=20)
        expect(page.locator(APP)).to_have_attribute("data-state", "error")
        expect(page.locator(COUNT)).to_contain_text("Full search is unavailable")
        expect(page.locator(COUNT)).to_contain_text(
            f"by name: {len(matching)} of {len(names)} entries match."
        )
        expect(page.locator("#directory-browse")).to_be_in_viewport()
        expect(page.locator('label[for="directory-query"]')).to_have_text("Filter the list by name")
        expect(page.locator("#directory-browse")).to_be_visible()
        expect(page.locator(TOGGLE)).to_be_hidden()
        expect(page.locator(SORT)).to_be_hidden()
        shown = sorted(
            n.strip() for n in listing.filter(visible=True).locator("td:first-child").all_inner_texts()
        )
        assert shown == matching, f"filtering by {word!r}"
        page.click("#directory-clear")
        expect(listing.filter(visible=True)).to_have_count(len(names))

        # A shared search opened without Pagefind: the name filter starts from its words.
        page.goto(f"{site_url}/directory/?q={word}&type=Provider")
        expect(page.locator(APP)).to_have_attribute("data-state", "error", timeout=SEARCH_TIMEOUT_MS)
        expect(page.locator(QUERY)).to_have_value(word)
        shown = sorted(
            n.strip() for n in listing.filter(visible=True).locator("td:first-child").all_inner_texts()
        )
        assert shown == matching, f"/directory/?q={word} without Pagefind"

        assert blocked and all("/pagefind/" in url for url in blocked), blocked
        problems = watch.problems()
        failed = problems.pop("failed requests", [])
        assert all("/pagefind/" in request for request in failed), failed
        console = problems.pop("console errors/warnings", [])
        assert console and all("pagefind" in line for line in console), console
        assert not problems, problems
    finally:
        context.close()
