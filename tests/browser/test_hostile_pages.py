"""Every vector of tests/hostile_pages.py in Chromium: the page ends ready, or with its message,
never in its error state, loading for ever or with a console error (issue 34, class 6).

The pages share the session's server and browser (tests/browser/conftest.py) and one context,
so the calculators' runtime downloads once; each page kind has one tab, and vectors are
grouped so the pages that start Python load as few times as they can (tests/hostile_pages.py
says how). Every test clears its tab's watch first and asserts it clean at the end: no console
error or warning, no uncaught error, no failed request, nothing asked of another host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.browser_support import DESKTOP, PYTHON_READY_TIMEOUT_MS, Watch, watched_context
from tests.hostile_pages import (
    CHANGES,
    DIRECTORY,
    EVERY_FIELD,
    FILTERS,
    OBJECT_WORDS,
    PYTHON_PAGES,
    SEARCH,
    VECTORS,
    PageVector,
)

pytestmark = pytest.mark.browser

#: What each page with a script that reads its address shows once it is done: ready or error.
SETTLED = {
    DIRECTORY: ("#directory-app", "data-state"),
    SEARCH: ("#search-app", "data-state"),
    CHANGES: ("[data-changes-json]", "data-state"),
    **{path: (f"#{form}-status", "data-state") for path, form in PYTHON_PAGES.items()},
}
SEARCH_TIMEOUT_MS = 15_000
#: A control with a name, in the built page's HTML (the forms' fields, for EVERY_FIELD).
NAMED_CONTROL = re.compile(r'<(?:input|select|textarea)\b[^>]*?\bname="([^"]+)"')


def by_kind(*kinds: str) -> list[PageVector]:
    return [vector for vector in VECTORS if vector.kind in kinds]


class Tabs:
    """One context for the module (the runtime is downloaded once) and one tab per page kind."""

    def __init__(self, browser: Browser, site_url: str) -> None:
        self.site_url = site_url
        self.context: BrowserContext
        self.context, self.watch = watched_context(browser, site_url, **DESKTOP)
        self.pages: dict[str, Page] = {}

    def page(self, key: str) -> Page:
        if key not in self.pages:
            self.pages[key] = self.context.new_page()
        self.watch.clear()
        return self.pages[key]


@pytest.fixture(scope="module")
def tabs(browser: Browser, site_url: str) -> Iterator[Tabs]:
    shared = Tabs(browser, site_url)
    yield shared
    shared.context.close()


def address(vector: PageVector, fields: list[str]) -> str:
    params: list[tuple[str, str]] = []
    for name, value in vector.params:
        if name == EVERY_FIELD:
            params += [(field, value) for field in fields] + [(f"row.{field}", value) for field in fields]
        else:
            params.append((name, value))
    return "?" + urlencode(params) if params else ""


def fields_of(built_site: Path, path: str) -> list[str]:
    html = (built_site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    return sorted(set(NAMED_CONTROL.findall(html)))


def settled(page: Page, path: str, timeout: float = SEARCH_TIMEOUT_MS) -> str:
    """Wait until the page's app says ready or error; return which."""
    selector, attribute = SETTLED[path]
    page.wait_for_selector(
        f'{selector}[{attribute}="ready"], {selector}[{attribute}="error"]', timeout=timeout
    )
    return page.get_attribute(selector, attribute) or ""


def assert_ticked_with_no_results(page: Page, path: str, ticked: tuple[tuple[str, str], ...]) -> None:
    """A filter value the address names shows ticked, counted 0: it names nothing, not a property."""
    app = "#directory-app" if path == DIRECTORY else "#search-app"
    shown = page.evaluate(
        """([app, ticked]) => ticked.map(([name, value]) => {
            const boxes = [...document.querySelectorAll(`${app} fieldset[data-filter="${name}"] input`)]
              .filter((box) => box.value === value);
            const label = boxes.length === 1 ? document.querySelector(`label[for="${boxes[0].id}"]`) : null;
            return [name, value, boxes.length, boxes.length === 1 && boxes[0].checked, label && label.textContent];
        })""",
        [app, [list(pair) for pair in ticked]],
    )
    wrong = [item for item in shown if item[2:] != [1, True, f"{item[1]} (0)"]]
    assert not wrong, f"filter values not shown ticked with 0 results: {wrong[:5]}"


def assert_clean(watch: Watch, vector: PageVector) -> None:
    watch.assert_clean(f"{vector.name} ({vector.path})")


# --------------------------------------------------------------------------- addresses, in one tab a page


@pytest.mark.parametrize("path", list(PYTHON_PAGES))
def test_an_address_never_stops_a_page_that_runs_python(tabs: Tabs, built_site: Path, path: str) -> None:
    """The page's vectors merged into one address (Python starts once): every field set to each
    word in turn (a choice takes none of them, text the first), and params named after them."""
    vectors = [vector for vector in by_kind("load") if vector.path == path]
    assert vectors
    fields = fields_of(built_site, path)
    merged = PageVector("merged", path, "load", tuple(pair for vector in vectors for pair in vector.params))
    page = tabs.page(path)
    page.goto(tabs.site_url + path + address(merged, fields), wait_until="domcontentloaded")
    state = settled(page, path, PYTHON_READY_TIMEOUT_MS)
    names = ", ".join(vector.name for vector in vectors)
    assert state == "ready", f"{names}: {page.inner_text(SETTLED[path][0])!r}"
    for control in page.query_selector_all("select, input[type=radio]:checked"):
        value = (
            control.input_value()
            if control.evaluate("(c) => c.tagName") == "SELECT"
            else control.get_attribute("value")
        )
        assert value not in OBJECT_WORDS, f"{names}: a choice took {value!r} from the address"
    tabs.watch.assert_clean(f"{names} ({path})")


@pytest.mark.parametrize(
    "vector", [v for v in by_kind("address", "load") if v.path not in PYTHON_PAGES], ids=lambda v: v.name
)
def test_an_address_never_stops_a_page(tabs: Tabs, built_site: Path, vector: PageVector) -> None:
    page = tabs.page(vector.path)
    if vector.path == CHANGES and not (built_site / "directory" / "changes.json").exists():
        pytest.skip("built without the repository's history: the changes page lists none")
    wanted = address(vector, [])
    if vector.kind == "load" or not page.url.startswith(tabs.site_url + vector.path):
        page.goto(tabs.site_url + vector.path + (wanted if vector.kind == "load" else ""))
        settled(page, vector.path)
    if vector.kind == "address":
        # As Back or Forward brings an address: the page reads it again, without loading.
        selector, attribute = SETTLED[vector.path]
        page.evaluate(
            """([url, selector, attribute]) => {
                document.querySelector(selector).setAttribute(attribute, "applying");
                history.pushState(null, "", url);
                dispatchEvent(new PopStateEvent("popstate"));
            }""",
            [vector.path + wanted, selector, attribute],
        )
    state = settled(page, vector.path)
    assert state == "ready", f"{vector.name}: the page is in its {state} state"
    if vector.expect:
        shown = {
            DIRECTORY: "#directory-result-count",
            SEARCH: "#search-result-count",
            CHANGES: "#changes-summary",
        }[vector.path]
        expect(page.locator(shown)).to_contain_text(vector.expect)
    if vector.path == DIRECTORY:  # the sort is one of the page's own, whatever the address said
        sorts = page.eval_on_selector_all(
            "#directory-sort option", "(options) => options.map((o) => o.value)"
        )
        assert page.input_value("#directory-sort") in sorts
    if vector.path in (DIRECTORY, SEARCH) and vector.ticked:
        assert_ticked_with_no_results(page, vector.path, vector.ticked)
    assert_clean(tabs.watch, vector)


@pytest.mark.parametrize("vector", by_kind("static"), ids=lambda v: v.name)
def test_a_page_without_its_own_script_ignores_its_address(tabs: Tabs, vector: PageVector) -> None:
    page = tabs.page("static")
    hash_words = "#" + OBJECT_WORDS[0]
    response = page.goto(tabs.site_url + vector.path + address(vector, []) + hash_words)
    assert response is not None and response.status in (200, 404)
    page.wait_for_load_state("load")
    assert_clean(tabs.watch, vector)


# --------------------------------------------------------------------------- files


def written(vector: PageVector, folder: Path) -> Path:
    assert vector.file is not None
    path = folder / vector.file.name
    if vector.file.size is not None:
        with path.open("wb") as handle:
            handle.truncate(vector.file.size)  # sparse: nothing is written to the disk
    else:
        path.write_bytes(vector.file.content)
    return path


def ready_page(tabs: Tabs, path: str) -> Page:
    page = tabs.page(path)
    if not page.url.startswith(tabs.site_url + path):
        page.goto(tabs.site_url + path, wait_until="domcontentloaded")
    assert settled(page, path, PYTHON_READY_TIMEOUT_MS) == "ready", page.inner_text(SETTLED[path][0])
    return page


@pytest.mark.parametrize(
    "vector", [v for v in by_kind("file") if v.path == "/annual-report/"], ids=lambda v: v.name
)
def test_an_attendance_file_ends_in_figures_or_a_message(
    tabs: Tabs, tmp_path: Path, vector: PageVector
) -> None:
    page = ready_page(tabs, vector.path)
    panel = page.locator("#annual-report-result")
    panel.evaluate("(panel) => (panel.dataset.state = 'waiting')")  # the last file's result is not this one's
    page.set_input_files("#annual-report-attendance", str(written(vector, tmp_path)))
    expect(panel).to_have_attribute("data-state", re.compile("^(ok|error)$"), timeout=PYTHON_READY_TIMEOUT_MS)
    expect(panel).to_contain_text(vector.expect)
    expect(page.locator("#annual-report-status")).to_have_attribute("data-state", "ready")
    assert_clean(tabs.watch, vector)


@pytest.mark.parametrize(
    "vector", [v for v in by_kind("file") if v.path == "/recertification/"], ids=lambda v: v.name
)
def test_a_tracker_file_is_imported_or_refused_with_a_message(
    tabs: Tabs, tmp_path: Path, vector: PageVector
) -> None:
    page = ready_page(tabs, vector.path)
    page.set_input_files("#recert-import", str(written(vector, tmp_path)))
    assert vector.file is not None
    said = page.locator("#recert-error-import:not([hidden]), #recert-data-status")
    expect(said.first).to_contain_text(vector.file.name, timeout=PYTHON_READY_TIMEOUT_MS)
    expect(said.first).to_contain_text(vector.expect)
    expect(page.locator("#recert-status")).to_have_attribute("data-state", "ready")
    # Python still answers: the page works after the refusal.
    page.fill("#recert-credential_name", "")
    expect(page.locator("#recert-status")).to_have_attribute("data-state", "ready")
    assert_clean(tabs.watch, vector)


# --------------------------------------------------------------------------- stored data


@pytest.mark.parametrize("vector", by_kind("storage"), ids=lambda v: v.name)
def test_what_the_browser_stored_never_stops_the_tracker(tabs: Tabs, vector: PageVector) -> None:
    page = ready_page(tabs, vector.path)
    page.evaluate("(text) => localStorage.setItem('openceu.recert', text)", vector.storage)
    tabs.watch.clear()
    page.reload(wait_until="domcontentloaded")
    assert settled(page, vector.path, PYTHON_READY_TIMEOUT_MS) == "ready", page.inner_text("#recert-status")
    if vector.expect:
        expect(page.locator("#recert-error-import")).to_contain_text(vector.expect)
    page.evaluate("() => localStorage.removeItem('openceu.recert')")
    assert_clean(tabs.watch, vector)


def test_the_corpus_covers_the_issues_class_6(built_site: Path) -> None:
    names = [vector.name for vector in VECTORS]
    assert len(names) == len(set(names)) and {vector.cls for vector in VECTORS} == {"6-pages"}
    html = (built_site / "directory" / "index.html").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r'data-filter="([^"]+)"', html))) == sorted(FILTERS)
    for path in PYTHON_PAGES:
        assert fields_of(built_site, path) or path == "/annual-report/", f"{path}: no form fields found"


def test_the_annual_report_helper_restarts_after_it_fails(
    browser: Browser, site_url: str, tmp_path: Path
) -> None:
    """A file taken away after it was counted (here: replaced by a folder of the same name) cannot be
    read again: Count then fails in the middle of reading. The helper must say so, start again,
    and count the next file, not wait for ever on a worker that no longer answers. (A file only
    changed on disk is not enough: whether the browser then refuses it depends on how fine the
    disk's clock is.)"""
    context, watch = watched_context(browser, site_url, **DESKTOP)
    try:
        page = context.new_page()
        page.goto(site_url + "/annual-report/", wait_until="domcontentloaded")
        panel = page.locator("#annual-report-result")
        taken = tmp_path / "taken.csv"
        taken.write_bytes(b"learner_id,event_id,date,ceus_awarded\na,e1,2026-01-10,0.5\n")
        page.set_input_files("#annual-report-attendance", str(taken))  # counted once Python is ready
        expect(panel).to_have_attribute("data-state", "ok", timeout=PYTHON_READY_TIMEOUT_MS)
        taken.unlink()  # gone, and a folder in its place: reading it again fails
        taken.mkdir()
        page.get_by_role("button", name="Count", exact=True).click()
        expect(panel).to_have_attribute("data-state", "error", timeout=PYTHON_READY_TIMEOUT_MS)
        expect(panel).to_contain_text("it has restarted: press Count to try again")
        expect(page.locator("#annual-report-status")).to_have_attribute(
            "data-state", "ready", timeout=PYTHON_READY_TIMEOUT_MS
        )
        read_errors = ("NotFoundError", "NotReadableError")  # the browser's words for a file it cannot read
        assert [line for line in watch.console if not any(e in line for e in read_errors)] == [], (
            watch.console
        )
        assert watch.console, "the failure is in the console for whoever looks"
        watch.clear()
        good = tmp_path / "good.csv"
        good.write_bytes(b"learner_id,event_id,date,ceus_awarded\na,e1,2026-01-10,0.5\n")
        page.set_input_files("#annual-report-attendance", str(good))
        expect(panel).to_have_attribute("data-state", "ok", timeout=PYTHON_READY_TIMEOUT_MS)
        watch.assert_clean("/annual-report/ after a restart")
    finally:
        context.close()
