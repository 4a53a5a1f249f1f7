"""Build-time embeds: engine results rendered into pages; a wrong block names its line."""

from __future__ import annotations

import pytest

from calc.conversions import parse_credit_systems
from site_build.embeds import EmbedError, render
from tests.conftest import REPO_ROOT

SYSTEMS = parse_credit_systems((REPO_ROOT / "directory_data/credit_systems.csv").read_text(encoding="utf-8"))


def test_minutes_table_rounds_once_from_minutes():
    html = render("embed: minutes-table\nminutes: 29, 30, 269, 600", SYSTEMS)
    assert "<td>269</td><td>4.48</td><td>≈ 0.4483</td><td>0.4</td>" in html
    assert (
        "<td>29</td><td>0.48</td>" in html and "<td>no IACET CEU</td>" in html
    )  # under 30 minutes: said in words
    assert "<td>600</td><td>10</td><td>1</td><td>1.0</td>" in html


def test_worked_example_shows_steps_and_excluded_items():
    html = render("embed: worked-example\n\n09:00-10:00 Talk\n10:00-10:15 Coffee break\n", SYSTEMS)
    assert "75 - 15 excluded = 60 contact minutes" in html
    assert "Coffee break" in html and "Rule:" in html and "Source:" in html


def test_conversion_table_has_a_row_per_credit_system():
    html = render("embed: conversion-table\nminutes: 300", SYSTEMS)
    assert html.count("<tr>") == len(SYSTEMS) + 1


@pytest.mark.parametrize(
    ("block", "line", "words"),
    [
        ("embed: nope", 1, "unknown embed 'nope'"),
        ("embed: minutes-table\nminutes: 30, -5", 2, "cannot be negative"),
        ("embed: minutes-table\nminutes: 30\nfoo: 1", 3, "takes no 'foo'"),
        ("embed: minutes-table", 1, "give minutes as a comma-separated list"),
        ("embed: worked-example\n\n09:00-10:00 A\n10:00-09:00 B", 4, "not after its start"),
        ("embed: worked-example\nmode: minutes\nminutes: abc", 3, "is not a number"),
        ("embed: worked-example\nmode: weekly", 2, "mode 'weekly'"),
        ("not a header", 1, "expected 'key: value'"),
        (
            "embed: calculator-fields\ncalculator: recert",
            2,
            "recert has several forms; name one of: report, credential",
        ),
        ("embed: calculator-fields\ncalculator: recert\nform: records", 3, "(got 'records')"),
        ("embed: calculator-fields\ncalculator: cec\nform: cert", 3, "cec has one form; leave out form"),
    ],
)
def test_a_wrong_block_names_its_line(block, line, words):
    with pytest.raises(EmbedError) as raised:
        render(block, SYSTEMS)
    assert raised.value.line == line
    assert words in raised.value.message


def test_each_of_a_pages_forms_gets_only_its_own_fields():
    credential = render("embed: calculator-fields\ncalculator: recert\nform: credential", SYSTEMS)
    assert 'id="recert-requirement"' in credential and 'id="recert-cycle_start"' in credential
    assert 'id="recert-title"' not in credential and 'id="recert-as_of"' not in credential
