"""The pages' scripts repeat at most as much of an address as the engine's messages repeat of
an input: one length, declared in calc.errors and mirrored once in search-controls.js."""

from __future__ import annotations

import re
from pathlib import Path

from calc.errors import ECHO_CHARS, quoted

SCRIPTS = Path(__file__).resolve().parents[2] / "site_src" / "assets" / "javascripts"


def test_the_pages_echo_as_much_as_the_engine() -> None:
    text = (SCRIPTS / "search-controls.js").read_text(encoding="utf-8")
    (declared,) = re.findall(r"export const ECHO_CHARS = (\d+);", text)
    assert int(declared) == ECHO_CHARS


def test_no_other_script_declares_its_own_length() -> None:
    others = [
        path.name
        for path in SCRIPTS.glob("*.js")
        if path.name != "search-controls.js" and "ECHO_CHARS =" in path.read_text(encoding="utf-8")
    ]
    assert others == []


def test_a_long_input_is_named_by_its_start_and_length() -> None:
    shown = quoted("w" * 10_000)
    assert "w" * ECHO_CHARS in shown and "w" * (ECHO_CHARS + 1) not in shown and "10,000" in shown
