"""Offline after one visit: the site's service worker (sw.js, written by the build) has every
calculator page, the runtime and the engine in one cache named by the build's version; with the
browser context set offline, each calculator page loads from it and computes, and directory
pages visited before the network went away still show."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.browser_support import DESKTOP, PYTHON_READY_TIMEOUT_MS, Watch
from tests.browser.conftest import DIRECTORY_READY, calculator_settled
from tests.browser.test_calculator_pages import CEC_VALUES, DEADLINE_VALUES, fill_eligibility, fill_form
from tests.engine.page_cases import ELIGIBILITY_CASES

pytestmark = pytest.mark.browser

ELIGIBLE = next(case for case in ELIGIBILITY_CASES if case.expected.get("status") == "eligible").values


def type_recert(page: Page) -> None:
    page.fill("#recert-cert_name", "Personal Trainer")
    page.fill("#recert-cert_start", "2025-01-01")
    page.locator("#recert-cert_start").press("Enter")


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
}


def wait_until_controlled(page: Page) -> str:
    """The worker installed (every precached file is in its cache) and answers this page; its cache."""
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
