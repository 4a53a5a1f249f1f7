"""Screenshots of the main pages at phone and desktop widths, for a person to look at.

Saved under test-artifacts/screenshots/. The test itself checks what a picture would show
at a glance: nothing wider than a phone screen, and a clean console.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.browser_support import PHONE, SCREENSHOT_DIR, VIEWPORTS, Visit, page_and_screen_width

pytestmark = pytest.mark.browser

PAGES = [
    "home",
    "answer",
    "directory",
    "directory-filtered",
    "profile",
    "calculator",
    "calculator-rule",
    "course-plan",
    "eligibility",
    "deadlines",
    "accreditation",
    "cec",
    "annual-report",
    "recertification",
    "verify",  # issue 33
    "search",
    "matrix",
    "suggest",
    "export",
    "changes",
    "changes-since",
    "not-found",
]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", PAGES)
def test_screenshot(open_showcase: Callable[[str, str], Visit], name: str, viewport: str) -> None:
    shown = open_showcase(name, viewport)
    if name == "directory-filtered":
        for facet, value in [("type", "Provider"), ("country", "US")]:
            box = shown.page.locator(f'fieldset[data-filter="{facet}"] input[value="{value}"]')
            assert box.is_checked(), f"the directory did not tick the {facet}={value} filter from its URL"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    picture = SCREENSHOT_DIR / f"{name}-{viewport}.png"
    shown.page.screenshot(path=str(picture), full_page=True)
    assert picture.stat().st_size > 0, f"{picture} is empty"

    if VIEWPORTS[viewport] is PHONE:
        content_width, screen_width = page_and_screen_width(shown.page)
        assert content_width <= screen_width + 1, (
            f"{name} scrolls sideways on a phone: content is {content_width}px wide on a {screen_width}px screen"
        )
        for wrap in shown.page.locator(".directory-table-wrap").all():
            inner, outer = wrap.evaluate("element => [element.scrollWidth, element.clientWidth]")
            assert inner <= outer + 1, (
                f"a table on {name} scrolls sideways on a phone: {inner}px in a {outer}px box"
            )
    shown.watch.assert_clean(f"{name} at {viewport} width")
