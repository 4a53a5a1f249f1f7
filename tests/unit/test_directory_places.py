"""Country and region names come from ISO 3166 (pycountry); an unknown code shows as itself."""

from __future__ import annotations

import ast

import pytest

from directory.places import country_name, place_code, place_name, region_name
from site_build.runtime import DIRECTORY_MODULES
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("US", "United States"),
        ("EG", "Egypt"),
        ("GB", "United Kingdom"),
        ("SA", "Saudi Arabia"),
        # ISO's common name where it gives one, not the inverted short name.
        ("BO", "Bolivia"),  # not "Bolivia, Plurinational State of"
        ("KR", "South Korea"),  # not "Korea, Republic of"
        ("IR", "Iran"),
        ("TW", "Taiwan"),
        # Not ISO 3166-1 codes: shown as they are.
        ("ZZ", "ZZ"),
        ("XK", "XK"),
        ("", ""),
    ],
)
def test_country_names(code, name):
    assert country_name(code) == name


@pytest.mark.parametrize(
    ("country", "code", "name"),
    [
        ("US", "TX", "Texas"),
        ("US", "IL", "Illinois"),
        ("US", "DC", "District of Columbia"),
        ("CA", "ON", "Ontario"),
        ("GB", "ENG", "England"),
        ("EG", "C", "Al Qāhirah"),  # ISO 3166-2 gives names in the local language, romanised
        ("US", "ZZ", "ZZ"),  # no such subdivision
        ("ZZ", "TX", "TX"),  # no such country
        ("US", "", ""),
    ],
)
def test_region_names(country, code, name):
    assert region_name(country, code) == name


@pytest.mark.parametrize(
    ("country", "region", "name", "code"),
    [
        ("US", "TX", "Texas, United States", "US-TX"),
        ("US", "", "United States", "US"),
        ("EG", "", "Egypt", "EG"),
        ("US", "Q9", "Q9, United States", "US-Q9"),
        ("ZZ", "", "ZZ", "ZZ"),
    ],
)
def test_places_by_name_and_by_code(country, region, name, code):
    assert place_name(country, region) == name
    assert place_code(country, region) == code


def test_the_modules_the_browser_runs_do_not_need_pycountry():
    """pycountry is a build dependency: the Pyodide bundle and the engine must not import it.

    The engine may not import it at all; the directory modules the browser runs only at module
    level (validate.py imports directory.places inside the whole-directory check, which the
    browser's suggest page never calls: it checks one row with the per-row rules).
    """
    for file in [REPO_ROOT / "directory" / name for name in DIRECTORY_MODULES] + sorted(
        (REPO_ROOT / "calc").rglob("*.py")
    ):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        nodes = ast.walk(tree) if file.parent.name == "calc" else iter(tree.body)
        for node in nodes:
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] != "pycountry" and name != "directory.places", f"{file}: {name}"
