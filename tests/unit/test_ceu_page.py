"""The CEU page model gives the CLI's figures, names the field of bad input, and its
worksheet shows every step with its rule and source."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.conversions import parse_credit_systems
from calculator_pages.ceu_page import compute
from calculator_pages.worksheet import worksheet_document, worksheet_fragment
from tests.conftest import REPO_ROOT
from tests.engine.ceu_page_cases import CASES, PageCase

SYSTEMS = parse_credit_systems((REPO_ROOT / "directory_data/credit_systems.csv").read_text(encoding="utf-8"))
FIGURES = ("total_minutes", "excluded_minutes", "contact_minutes", "contact_hours", "ceus_unrounded", "ceus")


@pytest.mark.parametrize("case", [c for c in CASES if not c.error], ids=lambda c: c.id)
def test_the_page_gives_the_cli_figures(case: PageCase) -> None:
    outcome = compute(case.values, SYSTEMS)
    assert outcome.ok, outcome.errors
    done = case.run_cli()
    assert done.returncode == 0, done.stderr
    cli = json.loads(done.stdout)
    for key in FIGURES:
        assert Decimal(outcome.figure(key)) == Decimal(cli[key]), key
    assert outcome.figure("ceus") == case.ceus
    if case.policy:  # under the chosen body's rule, as `ceu iacet --policy` computes it
        assert (
            Fraction(outcome.figure("policy"))
            == Fraction(cli["under_policy"]["reported"])
            == Fraction(case.policy)
        )
    excluded = next(t for t in outcome.tables if t.key == "excluded")
    assert [row[1] for row in excluded.rows] == [item["title"] for item in cli["excluded"]]
    for title in case.excluded:
        assert any(title in row[1] for row in excluded.rows), title


@pytest.mark.parametrize("case", [c for c in CASES if c.error], ids=lambda c: c.id)
def test_bad_input_names_its_field_and_the_cli_refuses_it_too(case: PageCase) -> None:
    outcome = compute(case.values, SYSTEMS)
    assert [error.field for error in outcome.errors] == [case.error]
    assert outcome.figures == () and outcome.summary
    done = case.run_cli()
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert outcome.errors[0].message in done.stderr


def test_every_credit_system_gets_a_row_with_rule_and_source() -> None:
    outcome = compute({"mode": "minutes", "minutes": "300"}, SYSTEMS)
    conversions = next(t for t in outcome.tables if t.key == "conversions")
    assert len(conversions.rows) == len(SYSTEMS)
    for _body, figure, rule, source in conversions.rows:
        assert figure and rule and source.startswith(("http://", "https://"))
    by_name = {row[0]: row[1] for row in conversions.rows}
    assert by_name["American Council on Exercise (ACE certifications)"] == "0.5 CEC"  # 0.1 CEC per hour


def test_every_step_has_a_rule_and_a_source() -> None:
    outcome = compute({"mode": "minutes", "minutes": "340", "excluded": "40"}, SYSTEMS)
    assert len(outcome.steps) == 6  # the five of IACET's rule, and the chosen rule's own
    assert all(step.text and step.rule and step.source for step in outcome.steps)
    assert "340 - 40 excluded = 300 contact minutes" in outcome.steps[1].text


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_worksheet_lists_inputs_steps_rules_and_sources() -> None:
    outcome = compute({"mode": "agenda", "agenda": CASES[6].values["agenda"]}, SYSTEMS)
    parser = _Text()
    parser.feed(worksheet_document(outcome, "2026-11-23", "https://openceu.example/calculator/"))
    text = " ".join(parser.text)
    assert "Made on 2026-11-23" in text and "09:00-10:30 Keynote" in text
    for step in outcome.steps:
        assert step.text in text and step.rule in text and step.source in text
    assert "script" not in parser.tags


@given(st.text(max_size=80))
def test_any_text_in_any_field_gives_an_outcome_never_an_exception(text: str) -> None:
    for values in (
        {"mode": "minutes", "minutes": text, "excluded": ""},
        {"mode": "minutes", "minutes": "60", "excluded": text},
        {"mode": "agenda", "agenda": text},
        {"mode": "activities", "activities": text},
        {"mode": text},
    ):
        outcome = compute(values, SYSTEMS)
        assert outcome.ok != bool(outcome.errors)
        worksheet_fragment(outcome, "2026-11-23")


@pytest.mark.parametrize("field", ["minutes", "agenda", "activities"])
def test_hostile_input_is_escaped_in_the_worksheet(field: str) -> None:
    hostile = '<script>alert("x")</script>'
    mode = "minutes" if field == "minutes" else field
    outcome = compute({"mode": mode, field: hostile}, SYSTEMS)
    sheet = worksheet_fragment(outcome, "2026-11-23")
    assert "<script>" not in sheet and "&lt;script&gt;" in sheet
