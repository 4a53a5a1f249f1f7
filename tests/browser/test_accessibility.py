"""axe-core finds no serious or critical accessibility problem on the main pages."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.browser.browser_support import VIEWPORTS, Visit, run_axe

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = ("serious", "critical")


#: Checked at phone and desktop widths: layouts differ (navigation drawer, wrapped tables,
#: calculator forms and result tables that reflow).
BOTH_WIDTHS = [
    "home",
    "answer",
    "directory",
    "directory-filtered",
    "search",
    "profile",
    "matrix",
    "suggest",
    "export",
    "changes",
    "changes-since",
    "not-found",
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
]
#: Checked on desktop only: the phone layout is the same page.
DESKTOP_ONLY: list[str] = []
CASES = [(name, viewport) for name in BOTH_WIDTHS for viewport in VIEWPORTS] + [
    (name, "desktop") for name in DESKTOP_ONLY
]


@pytest.mark.parametrize(("name", "viewport"), CASES)
def test_no_serious_accessibility_violations(
    open_showcase: Callable[[str, str], Visit], name: str, viewport: str
) -> None:
    shown = open_showcase(name, viewport)
    violations = run_axe(shown.page)
    blocking = [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"{name} at {viewport} width: {len(blocking)} serious/critical axe violations; all violations:\n"
        + json.dumps(violations, indent=2)
    )
    shown.watch.assert_clean(f"axe-core on {name} at {viewport} width")
