"""Embeds in the real build: the calculator page carries engine results without JavaScript,
and a wrong embed stops the strict build naming the page and line."""

from __future__ import annotations

import logging
import shutil

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.build


def test_the_calculator_page_has_its_worked_examples_and_tables(built_site):
    html = (built_site / "calculator/index.html").read_text(encoding="utf-8")
    assert html.count('class="calc-embed"') >= 4
    assert "340 - 40 excluded = 300 contact minutes" in html
    assert (
        'class="calc-table" data-table="minutes-table"' in html
        and 'class="calc-table" data-table="conversions"' in html
    )
    assert "```openceu" not in html


def test_a_wrong_embed_fails_the_build_naming_page_and_line(tmp_path, caplog):
    docs = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", docs)
    (docs / "broken.md").write_text(
        "---\ntitle: Broken\n---\n\n# Broken\n\nText.\n\n```openceu\nembed: minutes-table\nminutes: 30, -5\n```\n",
        encoding="utf-8",
    )
    config = load_config(
        config_file=str(REPO_ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site")
    )
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        build(config)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    # Line 11 of broken.md is "minutes: 30, -5" (front matter counted).
    assert "broken.md:11: '-5': cannot be negative" in logged
