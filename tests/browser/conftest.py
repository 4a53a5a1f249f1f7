"""Fixtures for the browser tests: one Chromium and one local server for the whole session.

The site is the real ``mkdocs build --strict`` output (``built_site`` from tests/conftest.py).
Every page a test opens is watched (browser_support.Watch) for what a visitor should never
meet: console errors or warnings, uncaught exceptions, failed or non-2xx requests, and
requests to another host, which are blocked so the test sees what an offline visitor sees.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.browser.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PYTHON_READY_TIMEOUT_MS,
    VENDORED_FOLDERS,
    VIEWPORTS,
    Visit,
    Watch,
    assert_calculator_ready,
    fill_worked_example,
    open_calculator,
    read_entries,
    search_word,
    serve,
    wait_for_search_results,
    watched_context,
)

# --------------------------------------------------------------------------- the data


@pytest.fixture(scope="session")
def providers() -> list[dict[str, str]]:
    rows = read_entries("providers")
    assert rows, "directory_data/providers.csv has no rows: the browser tests need a provider"
    return rows


@pytest.fixture(scope="session")
def organizations() -> list[dict[str, str]]:
    return read_entries("organizations")


@pytest.fixture(scope="session")
def sample_profile(providers: list[dict[str, str]]) -> str:
    """Site path of the profile used wherever a test needs 'a profile'."""
    return f"/directory/providers/{providers[0]['id']}/"


@pytest.fixture(scope="session")
def sample_query(providers: list[dict[str, str]]) -> str:
    """A word a visitor might search for: from the first provider name that has one."""
    for row in providers:
        try:
            return search_word(row["name"])
        except ValueError:
            continue
    pytest.fail("no provider name has a word longer than four letters to search for")


@pytest.fixture(scope="session")
def changes_since(built_site: Path) -> str:
    """A day in the middle of the directory's history (from the built changes.json)."""
    path = built_site / "directory" / "changes.json"
    if not path.exists():  # built without git history (a download): the page says so
        return "2026-01-01"
    days = sorted({change["day"] for change in json.loads(path.read_text(encoding="utf-8"))["changes"]})
    return days[len(days) // 2]


#: The deadline planner's worked example (content/deadlines.md) as URL parameters.
DEADLINES_EXAMPLE = (
    "first_offering=2026-09-14&last_day=2026-09-16&submitted_on=2026-09-04&applied_on=2026-09-18"
    "&holidays=2026-09-07&sessions=2026-09-01"
)


@pytest.fixture(scope="session")
def showcase(sample_profile: str, sample_query: str, changes_since: str) -> dict[str, str]:
    """The pages screenshots and axe-core look at: name -> site path."""
    return {
        "home": "/",
        # "Will this count?" from a shared link: a body, a provider and a length, answered at once.
        "answer": "/will-it-count/?body=society-for-human-resource-management&provider=teex&time=6+h",
        "directory": "/directory/",
        "directory-filtered": "/directory/?type=Provider&country=US&sort=verified-desc",
        "profile": sample_profile,
        "calculator": "/calculator/",
        # A rule chosen by a shared link: the page must restore it from the URL.
        "calculator-rule": "/calculator/?minutes=938&rule=asha-ceu",
        "course-plan": "/course-plan/",
        "eligibility": "/eligibility/",
        # A program's dates from a shared link: the planner restores them and shows every deadline.
        "deadlines": "/deadlines/?" + DEADLINES_EXAMPLE,
        "accreditation": "/accreditation/?accredited_on=2022-03-01&as_of=2026-11-01",
        # University credit with a grade and CPR, from a shared link.
        "cec": "/cec/?hours=12&semester_hours=3&grade=B&cpr=yes&course_number=CEP123456",
        # Its Python runs in a Web Worker; the page waits for a file.
        "annual-report": "/annual-report/",
        # Empty: records live in the visitor's browser only (tests/browser/test_tracker.py fills it).
        "recertification": "/recertification/",
        # Issue 33: the verify page as a learner first meets it (tests/browser/test_verify.py opens links).
        "verify": "/verify/",
        "search": f"/search/?q={sample_query}",
        "matrix": "/directory/matrix/",
        "suggest": "/directory/suggest/",
        "export": "/directory/export/",
        "changes": "/directory/changes/",
        # What changed since a day in the repository's history, restored from the URL.
        "changes-since": f"/directory/changes/?since={changes_since}",
        "not-found": "/404.html",
    }


@pytest.fixture(scope="session")
def html_pages(built_site: Path) -> list[str]:
    """Site path of every HTML page the build wrote (vendored runtimes left out)."""
    paths = []
    for file in sorted(built_site.rglob("*.html")):
        relative = file.relative_to(built_site)
        if relative.parts[0] in VENDORED_FOLDERS:
            continue
        paths.append(("/" + relative.as_posix()).removesuffix("index.html"))
    assert "/" in paths, f"no index.html at the top of {built_site}"
    return paths


# --------------------------------------------------------------------------- server and browser


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """http://127.0.0.1:<port> serving the built site (no trailing slash)."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "`make test` installs it (apt-get install -y chromium).",
            pytrace=False,
        )
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def visit(browser: Browser, site_url: str) -> Iterator[Callable[..., Visit]]:
    """visit(path, **context options): open a site path in a fresh watched context."""
    contexts: list[BrowserContext] = []

    def open_path(path: str, **options: Any) -> Visit:
        context, watch = watched_context(browser, site_url, **options)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(site_url + path)
        return Visit(page, watch, response)

    yield open_path
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def calculator(browser: Browser, site_url: str) -> Iterator[Visit]:
    """ONE desktop calculator page for the session, so Python starts once.

    Tests type their own values first and never rely on what an earlier test left.
    """
    context, calculator_visit = open_calculator(browser, site_url, **DESKTOP)
    yield calculator_visit
    context.close()


#: Showcase pages that run Python in the browser -> the name of their form (#<name>-form, #<name>-status).
CALCULATOR_PAGES = {
    "answer": "answer",
    "calculator": "ceu",
    "calculator-rule": "ceu",
    "course-plan": "plan",
    "eligibility": "eligibility",
    "deadlines": "deadlines",
    "accreditation": "accreditation",
    "cec": "cec",
    "annual-report": "annual-report",
    "recertification": "recert",
    "verify": "verify",  # issue 33
}


def calculator_settled(name: str) -> str:
    """Selector that matches once a calculator page's Python has started (or failed to)."""
    return f'#{name}-status[data-state="ready"], #{name}-status[data-state="error"]'


@pytest.fixture(scope="session")
def calculator_showcase(
    browser: Browser, site_url: str, showcase: dict[str, str]
) -> Iterator[Callable[[str, str], Visit]]:
    """calculator_showcase(page, viewport): a calculator page once Python has started (or failed to).

    Opened at most once per page and viewport for the session: starting Python is slow, so
    axe-core and the screenshots share it. A page opened earlier comes back with its watch cleared.
    The pages of one viewport share a context (and its watch): the runtime then comes from that
    context's cache, which halves the start of every page after the first. Pages wait idle once
    started, and a test clears the watch before it looks.
    """
    contexts: dict[str, tuple[BrowserContext, Watch]] = {}
    opened: dict[tuple[str, str], Visit] = {}

    def open_page(name: str, viewport: str) -> Visit:
        key = (name, viewport)
        if key not in opened:
            if viewport not in contexts:
                contexts[viewport] = watched_context(browser, site_url, **VIEWPORTS[viewport])
            context, watch = contexts[viewport]
            watch.clear()
            page = context.new_page()
            response = page.goto(site_url + showcase[name], wait_until="domcontentloaded")
            form = CALCULATOR_PAGES[name]
            state_at_load = page.get_attribute(f"#{form}-status", "data-state")
            page.wait_for_selector(calculator_settled(form), timeout=PYTHON_READY_TIMEOUT_MS)
            opened[key] = Visit(page, watch, response, state_at_load)
        else:
            opened[key].watch.clear()  # earlier tests on the shared page answer for their own part
        return opened[key]

    yield open_page
    for context, _ in contexts.values():
        context.close()


#: The directory's instant search has run its first search and shown the results.
DIRECTORY_READY = '#directory-app[data-state="ready"]'
#: The recent-changes page has applied the date in its URL (or shown the newest changes).
CHANGES_READY = '[data-changes-json][data-state="ready"]'
SUGGEST_SETTLED = '#suggest-status[data-state="ready"], #suggest-status[data-state="error"]'


@pytest.fixture(scope="session")
def suggest_showcase(browser: Browser, site_url: str) -> Iterator[Callable[[str], Visit]]:
    """suggest_showcase(viewport): the suggest page once Python has started (or failed to).

    Opened at most once per viewport for the session: starting Python is slow, so axe-core
    and the screenshots share it. A page opened earlier comes back with its watch cleared.
    """
    contexts: list[BrowserContext] = []
    opened: dict[str, Visit] = {}

    def open_suggest(viewport: str) -> Visit:
        if viewport not in opened:
            context, watch = watched_context(browser, site_url, **VIEWPORTS[viewport])
            contexts.append(context)
            page = context.new_page()
            response = page.goto(site_url + "/directory/suggest/")
            page.wait_for_selector(SUGGEST_SETTLED, timeout=PYTHON_READY_TIMEOUT_MS)
            opened[viewport] = Visit(page, watch, response)
        else:
            opened[viewport].watch.clear()  # earlier tests on the shared page answer for their own part
        return opened[viewport]

    yield open_suggest
    for context in contexts:
        context.close()


@pytest.fixture
def open_showcase(
    request: pytest.FixtureRequest,
    visit: Callable[..., Visit],
    showcase: dict[str, str],
) -> Callable[[str, str], Visit]:
    """open_showcase(name, viewport): a showcase page as a visitor sees it once it has settled.

    The calculator has Python started and the worked example typed; the course plan and the
    eligibility checklist have Python started and show their starting result; search shows
    results; the directory has run its first search; the suggest page has Python started.
    On desktop the calculator is the session's shared page; the other calculator pages (and
    the calculator on a phone) are shared per viewport for the session, as is the suggest page.
    """

    def open_page(name: str, viewport: str) -> Visit:
        options = VIEWPORTS[viewport]
        if name == "suggest":
            shown: Visit = request.getfixturevalue("suggest_showcase")(viewport)
            assert shown.response is not None and shown.response.status == 200, (
                f"{showcase[name]}: status {shown.response and shown.response.status}"
            )
            status = shown.page.locator("#suggest-status")
            state = status.get_attribute("data-state")
            assert state == "ready", (
                f"the suggest page did not start: data-state={state!r}, status text {status.inner_text()!r}, "
                f"page problems {shown.watch.problems()}"
            )
        elif name == "calculator" and options is DESKTOP:
            shown = request.getfixturevalue("calculator")
            shown.watch.clear()  # earlier tests on the shared page answer for their own part
            assert_calculator_ready(shown)
            fill_worked_example(shown.page)
        elif name in CALCULATOR_PAGES:
            shown = request.getfixturevalue("calculator_showcase")(name, viewport)
            assert shown.response is not None and shown.response.status == 200, (
                f"{showcase[name]}: status {shown.response and shown.response.status}"
            )
            status = shown.page.locator(f"#{CALCULATOR_PAGES[name]}-status")
            state = status.get_attribute("data-state")
            assert state == "ready", (
                f"{showcase[name]} did not start: data-state={state!r}, status text {status.inner_text()!r}, "
                f"page problems {shown.watch.problems()}"
            )
            if name == "calculator":
                fill_worked_example(shown.page)
        else:
            shown = visit(showcase[name], **options)
            assert shown.response is not None and shown.response.status == 200, (
                f"{showcase[name]}: status {shown.response and shown.response.status}"
            )
            if name == "search":
                wait_for_search_results(shown.page)
            elif name.startswith("directory"):
                shown.page.wait_for_selector(DIRECTORY_READY, timeout=15_000)
            elif name.startswith("changes") and shown.page.locator("[data-changes-json]").count():
                shown.page.wait_for_selector(CHANGES_READY, timeout=15_000)
        return shown

    return open_page
