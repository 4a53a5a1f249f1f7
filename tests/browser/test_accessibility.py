"""axe-core finds no serious or critical accessibility problem on the main pages."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.browser.browser_support import Visit, run_axe

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = ("serious", "critical")


@pytest.mark.parametrize("name", ["home", "directory", "profile", "calculator", "search"])
def test_no_serious_accessibility_violations(open_showcase: Callable[[str, str], Visit], name: str) -> None:
    shown = open_showcase(name, "desktop")
    violations = run_axe(shown.page)
    blocking = [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"{name}: {len(blocking)} serious/critical axe violations; all violations:\n"
        + json.dumps(violations, indent=2)
    )
    shown.watch.assert_clean(f"axe-core on {name}")
