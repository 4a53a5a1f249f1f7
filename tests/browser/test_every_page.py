"""Every HTML page of the built site loads cleanly and stays on this site.

One test walks all pages with one browser page (fast), then reports every page that had
a problem, so one run shows the whole picture.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.browser_support import (
    CALCULATOR_SETTLED,
    DESKTOP,
    PYTHON_READY_TIMEOUT_MS,
    watched_context,
)

pytestmark = pytest.mark.browser


def test_every_page_loads_with_an_empty_console_and_no_other_host(
    browser: Browser, site_url: str, html_pages: list[str], built_site: Path
) -> None:
    context, watch = watched_context(browser, site_url, **DESKTOP)
    trouble: dict[str, object] = {}
    try:
        for path in html_pages:
            # A fresh tab per page: navigating one tab would abort the last page's late
            # requests (its favicon) and blame them on the next page.
            for old_page in context.pages:
                old_page.close()
            watch.clear()
            page = context.new_page()
            response = page.goto(site_url + path)
            status = response.status if response else None
            if status != 200:
                trouble[path] = f"status {status}"
                continue
            if path == "/calculator/":
                page.wait_for_selector(CALCULATOR_SETTLED, timeout=PYTHON_READY_TIMEOUT_MS)
                state = page.get_attribute("#ceu-status", "data-state")
                if state != "ready":
                    watch.console.append(f"calculator data-state={state!r}: {page.inner_text('#ceu-status')}")
            if problems := watch.problems():
                trouble[path] = problems
    finally:
        context.close()
    assert not trouble, (
        f"{len(trouble)} of {len(html_pages)} pages in {built_site} have problems:\n"
        + "\n".join(f"  {path}: {problems}" for path, problems in trouble.items())
    )
