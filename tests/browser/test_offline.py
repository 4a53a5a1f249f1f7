"""Offline after one visit: the site's service worker (sw.js, written by the build) has every
calculator page, the runtime and the engine in one cache named by the build's version; with the
browser context set offline, each calculator page loads from it and computes, and directory
pages visited before the network went away still show.

Light for those who only look things up: a first visit to the home page or the directory
transfers at most 500 KB in all, the worker and what it saves included (counted by the server as
the bytes of every response body it sends), because the calculators are saved only when a
calculator page is opened, or the visitor asks on the About page. Offline, a page that was not
saved shows the site's offline page. With the browser set to save data nothing is saved until
the visitor asks."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from site_build.offline import SERVICE_WORKER, build_version, file_facts, service_worker
from tests.browser.browser_support import (
    DESKTOP,
    PHONE,
    PYTHON_READY_TIMEOUT_MS,
    SCREENSHOT_DIR,
    QuietHandler,
    Watch,
    run_axe,
    serve,
)
from tests.browser.conftest import DIRECTORY_READY, calculator_settled
from tests.browser.test_calculator_pages import CEC_VALUES, DEADLINE_VALUES, fill_eligibility, fill_form
from tests.engine.page_cases import ELIGIBILITY_CASES

pytestmark = pytest.mark.browser

ELIGIBLE = next(case for case in ELIGIBILITY_CASES if case.expected.get("status") == "eligible").values


def type_recert(page: Page) -> None:
    page.select_option("#recert-requirement", "ace-certifications")
    page.fill("#recert-cycle_start", "2025-01-01")
    page.locator("#recert-cycle_start").press("Enter")


def type_annual_report(page: Page, folder: Path) -> None:
    path = folder / "attendance.csv"
    path.write_text("learner_id,event_id,date,ceus_awarded\nA,E1,2026-01-10,0.5\n", encoding="utf-8")
    page.fill("#annual-report-as_of", "2026-06-30")
    page.set_input_files("#annual-report-attendance", str(path))


#: Each calculator page: its path, its form's name, and what a visitor types before a result.
PAGES: dict[str, tuple[str, Callable[[Page, Path], None]]] = {
    "/calculator/": ("ceu", lambda page, _: page.fill("#ceu-minutes", "600")),
    "/course-plan/": ("plan", lambda page, _: None),  # its starting rows are a plan already
    "/eligibility/": ("eligibility", lambda page, _: fill_eligibility(page, ELIGIBLE)),
    "/deadlines/": ("deadlines", lambda page, _: fill_form(page, "deadlines", DEADLINE_VALUES)),
    "/accreditation/": (
        "accreditation",
        lambda page, _: page.fill("#accreditation-accredited_on", "2024-03-01"),
    ),
    "/cec/": ("cec", lambda page, _: fill_form(page, "cec", CEC_VALUES)),
    "/recertification/": ("recert", lambda page, _: type_recert(page)),
    "/annual-report/": ("annual-report", type_annual_report),
    # Not a calculator by name, but the same kind of page: its answers come from the worker.
    "/will-it-count/": (
        "answer",
        lambda page, _: page.select_option("#answer-body", value="society-for-human-resource-management"),
    ),
}


#: The place on a page that says whether the calculators work offline (assets/javascripts/offline.js).
OFFLINE_USE = "[data-offline-use]"


def wait_until_controlled(page: Page) -> str:
    """The worker answers this page and has saved the calculators (every file of them is in its
    cache: opening a calculator page saves them, no longer the worker's install); their cache."""
    page.wait_for_selector(f'{OFFLINE_USE}[data-state="saved"]', timeout=PYTHON_READY_TIMEOUT_MS)
    deadline = time.monotonic() + PYTHON_READY_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if page.evaluate("() => navigator.serviceWorker.controller !== null"):
            names: list[str] = page.evaluate("async () => (await caches.keys()).sort()")
            return next(name for name in names if re.fullmatch(r"openceu-[0-9a-f]{16}", name))
        page.wait_for_timeout(200)
    raise AssertionError("the service worker never took control of the page")


def test_after_one_visit_every_calculator_works_offline(
    browser: Browser, site_url: str, sample_profile: str, built_site: Path, tmp_path: Path
) -> None:
    context = browser.new_context(service_workers="allow", **DESKTOP)
    watch = Watch(origin=site_url.split("//", 1)[1])
    context.on("page", watch.attach)
    try:
        page = context.new_page()
        page.goto(site_url + "/cec/")
        page.wait_for_selector(calculator_settled("cec"), timeout=PYTHON_READY_TIMEOUT_MS)
        cache = wait_until_controlled(page)
        version = re.search(r'const VERSION = "([0-9a-f]+)"', (built_site / "sw.js").read_text("utf-8"))
        assert version and cache == f"openceu-{version[1]}"
        # Visited while online: kept for later.
        page.goto(site_url + "/directory/")
        page.wait_for_selector(DIRECTORY_READY, timeout=PYTHON_READY_TIMEOUT_MS)
        page.goto(site_url + sample_profile)
        profile_title = page.locator("h1").inner_text()

        context.set_offline(True)
        for path, (name, type_in) in PAGES.items():
            answer = page.goto(site_url + path, wait_until="domcontentloaded")
            assert answer is not None and answer.from_service_worker, f"{path} did not come from the cache"
            page.wait_for_selector(calculator_settled(name), timeout=PYTHON_READY_TIMEOUT_MS)
            expect(page.locator(f"#{name}-status")).to_have_attribute("data-state", "ready")
            type_in(page, tmp_path)
            expect(page.locator(f"#{name}-result")).to_have_attribute("data-state", "ok", timeout=30_000)
        page.goto(site_url + sample_profile)
        expect(page.locator("h1")).to_have_text(profile_title)
        page.goto(site_url + "/directory/")
        page.wait_for_selector(DIRECTORY_READY, timeout=PYTHON_READY_TIMEOUT_MS)
        assert json.loads(page.evaluate("async () => JSON.stringify(await caches.keys())")).count(cache) == 1
        watch.assert_clean("the calculators and visited pages offline")
    finally:
        context.close()


# --------------------------------------------------------------------------- light for those who look things up


class CountingHandler(QuietHandler):
    """Serves the built site and notes the bytes of each response body it sends (``sent``)."""

    sent: list[tuple[str, int]]

    def copyfile(self, source: Any, outputfile: Any) -> None:
        count = 0
        while chunk := source.read(64 * 1024):
            outputfile.write(chunk)
            count += len(chunk)
        self.sent.append((self.path, count))


@pytest.fixture(scope="module")
def counted_site(built_site: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """A server of its own for the built site, and the (path, body bytes) of every response it sent."""
    sent: list[tuple[str, int]] = []
    handler = type("Counting", (CountingHandler,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(built_site))
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="counted-site", daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", sent
    finally:
        server.shutdown()
        server.server_close()


def fresh_visitor(browser: Browser, site_url: str, **options: Any) -> tuple[BrowserContext, Watch, Page]:
    """A new browser profile (no cache, no worker) with service workers allowed, watched."""
    context = browser.new_context(service_workers="allow", **options)
    watch = Watch(origin=site_url.split("//", 1)[1])
    context.on("page", watch.attach)
    return context, watch, context.new_page()


def worker_settled(page: Page) -> dict[str, Any]:
    """Once the worker is installed, controls the page and is saving nothing: its word on the calculators."""
    state: dict[str, Any] = page.evaluate(
        """async () => {
            await navigator.serviceWorker.ready;
            while (!navigator.serviceWorker.controller) await new Promise((done) => setTimeout(done, 100));
            return await new Promise((done) => {
                navigator.serviceWorker.addEventListener("message", (event) => {
                    if (event.data.type === "offline-calculators" && event.data.state !== "saving") done(event.data);
                });
                navigator.serviceWorker.controller.postMessage({ type: "status" });
            });
        }"""
    )
    return state


def calculator_caches(page: Page) -> list[str]:
    names: list[str] = page.evaluate("async () => await caches.keys()")
    return [name for name in names if re.fullmatch(r"openceu-[0-9a-f]{16}", name)]


def assert_axe_clean(page: Page, where: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not blocking, f"{where}: {blocking}"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


#: What a visitor who only looks things up may download on a first visit, worker included.
FIRST_VISIT_BUDGET = 500_000
#: Folders only the calculators load.
CALCULATOR_FOLDERS = ("/pyodide/", "/pyscript/", "/assets/py/", "/assets/calculators/")


@pytest.mark.parametrize("path", ["/", "/directory/"])
def test_a_first_visit_to_the_home_page_or_directory_transfers_at_most_500_kb(
    browser: Browser, counted_site: tuple[str, list[tuple[str, int]]], path: str
) -> None:
    url, sent = counted_site
    sent.clear()
    context, watch, page = fresh_visitor(browser, url, **PHONE)
    try:
        page.goto(url + path)
        if path == "/directory/":
            page.wait_for_selector(DIRECTORY_READY, timeout=PYTHON_READY_TIMEOUT_MS)
        assert worker_settled(page)["state"] == "not-saved"
        page.wait_for_timeout(1000)  # anything the worker started late would be counted too
        assert not calculator_caches(page)
        watch.assert_clean(f"a first visit to {path}")
    finally:
        context.close()
    paths = {served for served, _ in sent}
    assert {"/sw.js", "/offline/"} <= paths  # the worker was installed, and saved the offline page
    assert not [served for served in paths if served.startswith(CALCULATOR_FOLDERS)]
    total = sum(size for _, size in sent)
    assert total <= FIRST_VISIT_BUDGET, f"{total:,} bytes: " + ", ".join(
        f"{served} {size:,}" for served, size in sorted(sent, key=lambda item: -item[1])[:8]
    )


def test_offline_a_page_not_saved_shows_the_offline_page(browser: Browser, site_url: str) -> None:
    context, watch, page = fresh_visitor(browser, site_url, **PHONE)
    try:
        page.goto(site_url + "/")
        worker_settled(page)
        header = "() => getComputedStyle(document.querySelector('.md-header')).backgroundColor"
        online_header = page.evaluate(header)
        context.set_offline(True)
        address = site_url + "/guides/glossary/?from=a-link"
        answer = page.goto(address)
        assert answer is not None and answer.from_service_worker and answer.status == 200
        expect(page.locator("h1")).to_have_text("You are offline")
        assert page.url == address  # the address stays: a reload online opens the page
        assert page.evaluate(header) == online_header  # the site's own style, from the saved files
        hrefs = page.locator(".openceu-offline-pages a").evaluate_all("links => links.map((a) => a.href)")
        assert {site_url + "/" + calculator for calculator in PAGE_URLS} <= set(hrefs)
        place = page.locator(OFFLINE_USE)
        expect(place).to_have_attribute("data-state", "not-saved")
        expect(place).to_contain_text("not saved on this device")
        expect(place.locator("button")).to_be_hidden()  # nothing to download without a network
        screenshot(page, "offline-page-phone")
        assert_axe_clean(page, "the offline page")
        watch.assert_clean("the offline page")
    finally:
        context.close()


#: The calculator pages as the worker names them ("cec/").
PAGE_URLS = [path.lstrip("/") for path in PAGES]


def test_the_about_page_saves_the_calculators_when_asked(browser: Browser, site_url: str) -> None:
    context, watch, page = fresh_visitor(browser, site_url, **PHONE)
    try:
        page.goto(site_url + "/about/")
        place = page.locator(OFFLINE_USE)
        expect(place).to_have_attribute("data-state", "not-saved")
        expect(place).to_contain_text(re.compile(r"one-time download of about \d+\.\d MB"))
        assert not calculator_caches(page)  # opening About saves nothing
        place.scroll_into_view_if_needed()
        screenshot(page, "about-offline-phone")
        assert_axe_clean(page, "About, the calculators not saved")
        button = place.get_by_role("button", name="Make the calculators work offline")
        button.focus()
        page.keyboard.press("Enter")
        expect(place).to_have_attribute("data-state", "saved", timeout=PYTHON_READY_TIMEOUT_MS)
        expect(place).to_contain_text("The calculators work offline on this device.")
        assert_axe_clean(page, "About, the calculators saved")
        context.set_offline(True)
        answer = page.goto(site_url + "/calculator/")
        assert answer is not None and answer.from_service_worker
        page.wait_for_selector(calculator_settled("ceu"), timeout=PYTHON_READY_TIMEOUT_MS)
        page.fill("#ceu-minutes", "600")
        expect(page.locator("#ceu-result")).to_have_attribute("data-state", "ok", timeout=30_000)
        watch.assert_clean("saving the calculators from the About page")
    finally:
        context.close()


def test_with_save_data_a_calculator_page_saves_nothing_until_asked(
    browser: Browser, counted_site: tuple[str, list[tuple[str, int]]]
) -> None:
    url, sent = counted_site
    sent.clear()
    context, watch, page = fresh_visitor(browser, url, **PHONE)
    try:
        page.context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
        page.goto(url + "/cec/")
        page.wait_for_selector(calculator_settled("cec"), timeout=PYTHON_READY_TIMEOUT_MS)
        assert page.evaluate("() => navigator.connection.saveData") is True
        place = page.locator(OFFLINE_USE)
        expect(place).to_have_attribute("data-state", "not-saved")
        expect(place).to_contain_text("set to save data")
        place.scroll_into_view_if_needed()
        screenshot(page, "calculator-save-data-phone")
        assert_axe_clean(page, "a calculator page with Save-Data on")
        page.wait_for_timeout(1000)
        assert page.evaluate("async () => (await navigator.serviceWorker.getRegistration()) === undefined")
        assert not [served for served, _ in sent if served == "/sw.js" or served.startswith("/pyscript/")]
        place.get_by_role("button", name="Make the calculators work offline").click()
        expect(place).to_have_attribute("data-state", "saved", timeout=PYTHON_READY_TIMEOUT_MS)
        watch.assert_clean("a calculator page with Save-Data on")
    finally:
        context.close()


# --------------------------------------------------------------------------- a new build


def built_list(text: str, name: str) -> list[str]:
    start = text.index(f"const {name} = ") + len(f"const {name} = ")
    found: list[str] = json.loads(text[start : text.index(";\n", start)])
    return found


def as_path(request: str) -> str:
    """The file a request names ("cec/" is cec/index.html)."""
    return request + "index.html" if request.endswith("/") else request


def publish_again(site: Path) -> None:
    """Write the worker of a new build of ``site`` (the same lists, the files' new sizes and digests)."""
    text = (site / SERVICE_WORKER).read_text(encoding="utf-8")
    paths = [as_path(request) for request in built_list(text, "PRECACHE")]
    shell = [as_path(request) for request in built_list(text, "SHELL")]
    worker = service_worker(
        build_version(site, {*paths, *shell}),
        paths,
        shell=shell,
        pages=built_list(text, "CALCULATOR_PAGES"),
        files=file_facts(site, {*paths, *shell}),
    )
    (site / SERVICE_WORKER).write_text(worker, encoding="utf-8")


FETCH_TEXT = "async (path) => (await fetch(path)).text()"
#: The new worker is the active one, done taking over (its activation deleted the old caches).
TAKEN_OVER = """async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return registration.waiting === null && registration.active.state === "activated"
        && navigator.serviceWorker.controller === registration.active;
}"""


def take_over(context: BrowserContext, page: Page, address: str) -> Page:
    """Close the last tab of the old build, then open ``address`` once the new worker has taken over.

    A tab opened in the same instant may still come under the old worker (the new one then
    waits for it too): such a tab is closed and opened again.
    """
    page.close()
    deadline = time.monotonic() + PYTHON_READY_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        time.sleep(0.3)
        page = context.new_page()
        page.goto(address)
        if page.evaluate(TAKEN_OVER):
            return page
        page.close()
    raise AssertionError("the new build's worker never took over")


def test_a_new_build_takes_over_with_the_calculators_saved_and_no_page_mixes_builds(
    browser: Browser, built_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    entry = site / "assets/calculators/worker.py"
    old_entry = entry.read_text(encoding="utf-8")
    with serve(site) as url:
        context, watch, page = fresh_visitor(browser, url, **DESKTOP)
        try:
            page.goto(url + "/calculator/")
            first = wait_until_controlled(page)
            entry.write_text(old_entry + "\n# the next build\n", encoding="utf-8")
            publish_again(site)
            page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
            deadline = time.monotonic() + PYTHON_READY_TIMEOUT_MS / 1000
            while not page.evaluate(
                "async () => (await navigator.serviceWorker.getRegistration()).waiting !== null"
            ):
                assert time.monotonic() < deadline, "the new build's worker never finished installing"
                page.wait_for_timeout(200)
            second = next(name for name in calculator_caches(page) if name != first)
            # Installed beside the old one with the calculators saved, it waits: this tab keeps
            # the old build, whole, while the server has the new one.
            assert page.evaluate(FETCH_TEXT, "../assets/calculators/worker.py") == old_entry
            page = take_over(context, page, url + "/about/")
            assert worker_settled(page)["state"] == "saved"
            assert calculator_caches(page) == [second]  # the old build's caches are gone
            context.set_offline(True)
            page.goto(url + "/calculator/")
            page.wait_for_selector(calculator_settled("ceu"), timeout=PYTHON_READY_TIMEOUT_MS)
            page.fill("#ceu-minutes", "600")
            expect(page.locator("#ceu-result")).to_have_attribute("data-state", "ok", timeout=30_000)
            assert page.evaluate(FETCH_TEXT, "../assets/calculators/worker.py") == entry.read_text(
                encoding="utf-8"
            )
            watch.assert_clean("a new build taking over")
        finally:
            context.close()
