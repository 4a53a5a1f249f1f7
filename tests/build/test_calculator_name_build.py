"""A calculator page names its calculator (front matter ``calculator: <name>``) and the build
wires it from the registry: a misspelt name fails the real build naming the page and the name,
where the page would otherwise be written without its calculator."""

from __future__ import annotations

import shutil

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.build.conftest import build_error
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.build


def test_a_misspelt_calculator_name_fails_the_build_naming_page_and_name(tmp_path, caplog):
    docs = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", docs)
    page = docs / "cec.md"
    source = page.read_text(encoding="utf-8")
    assert "\ncalculator: cec\n" in source
    page.write_text(source.replace("\ncalculator: cec\n", "\ncalculator: ecc\n", 1), encoding="utf-8")
    site = tmp_path / "site"
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site))
    message = build_error(caplog, lambda: build(config))
    assert "cec.md: calculator: no calculator is called 'ecc' (there are: ceu, cec," in message, message
    assert not (site / "cec" / "index.html").exists()
