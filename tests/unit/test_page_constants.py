"""Numbers the directory's scripts share with the build are declared once, in Python: the build
writes each on the page (a data- attribute) and the script reads it there, so the two cannot
drift (issue 35). ECHO_CHARS is the one number still mirrored, with its own test
(test_echo_length.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from directory.search_filters import RESULTS_PER_PAGE
from tests.conftest import REPO_ROOT
from tests.unit.test_directory_pages import pages_of, provider

SCRIPTS = REPO_ROOT / "site_src" / "assets" / "javascripts"

#: (script, its name for the number, the data- attribute it reads it from)
SHARED = [
    ("directory-search.js", "PAGE_SIZE", "pageSize"),
    ("search.js", "PAGE_SIZE", "pageSize"),
    ("directory-changes.js", "SUBJECT_CHARACTERS", "subjectCharacters"),
]


@pytest.mark.parametrize(("script", "name", "attribute"), SHARED)
def test_the_script_reads_the_number_from_the_page(script: str, name: str, attribute: str) -> None:
    text = (SCRIPTS / script).read_text(encoding="utf-8")
    assert f"dataset.{attribute}" in text
    assert not re.search(rf"\b{name}\s*=\s*\d", text), f"{script} declares its own {name}"


def test_no_script_declares_a_number_the_build_hands_it() -> None:
    declared = [
        f"{path.name}: {name}"
        for path in sorted(Path(SCRIPTS).glob("*.js"))
        for _, name, _ in SHARED
        if re.search(rf"\b{name}\s*=\s*\d", path.read_text(encoding="utf-8"))
    ]
    assert declared == []


def test_the_directory_home_hands_its_search_the_page_size_of_its_opening_view() -> None:
    home = pages_of(provider("acme", "Acme Academy"))["directory/index.md"]
    assert re.findall(r'id="directory-app"[^>]*data-page-size="(\d+)"', home) == [str(RESULTS_PER_PAGE)]
