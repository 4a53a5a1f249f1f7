"""What guides need from the embeds: figures inside a sentence, and worked examples that
open in their calculator with the same figures (the page model given the link's own URL
state gives the embed's figures; the browser test follows the links in Chromium)."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

from calc.conversions import parse_credit_systems
from calculator_pages import (
    accreditation_page,
    cec_page,
    ceu_page,
    deadline_page,
    eligibility_page,
    plan_page,
)
from calculator_pages.registry import CALCULATORS
from calculator_pages.url_state import ROW_PREFIX
from site_build.embeds import OPEN_TEXT, EmbedError, inline, render
from tests.conftest import REPO_ROOT

SYSTEMS = parse_credit_systems((REPO_ROOT / "directory_data/credit_systems.csv").read_text(encoding="utf-8"))
CONVENTION = "cleveland-state-nearest-tenth-hour"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # 990 minutes = 16.5 contact hours = 1.65 CEU exactly: IACET rounds once, halves up.
        ("ceus minutes=990", "1.7"),
        ("hours minutes=990", "16.5"),
        ("figure minutes=990", "1.7 IACET CEU"),
        (f"ceus minutes=990 rule={CONVENTION}", "1.65"),
        (f"figure minutes=990 rule={CONVENTION}", "1.65 CEU"),
        # NASBA counts 50-minute hours in fifths: 990 / 50 = 19.8 exactly.
        ("exact minutes=990 rule=nasba-cpe-fifths", "19.8"),
        ("figure minutes=20", "no IACET CEU"),
        ("cecs hours=12", "1.2"),
        ("cecs hours=12 semester_hours=3 grade=B cpr=yes", "4.4"),
    ],
)
def test_an_inline_figure_is_what_the_engine_computes(text, shown):
    assert unescape(inline(" " + text, SYSTEMS)) == shown


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ceus minutes=20", "no IACET CEU; say so with figure"),
        ("ceus", "needs minutes=N"),
        ("ceus minutes=-5", "cannot be negative"),
        ("ceus minutes=60 rule=nope", "'nope' is not one of the listed rules"),
        ("ceus minutes=60 days=2", "ceus takes no 'days'"),
        ("ceus minutes", "expected key=value"),
        ("ceu minutes=60", "unknown inline figure 'ceu'"),
        ("cecs hours=x", "hours"),
    ],
)
def test_an_inline_figure_the_engine_refuses_is_an_error(text, words):
    with pytest.raises(EmbedError) as raised:
        inline(" " + text, SYSTEMS)
    assert words in raised.value.message


def test_inline_text_is_escaped():
    """A rule's unit is data: whatever it holds goes into the page as text (Markdown's and
    HTML's punctuation as character references; tests/unit/test_markdown_text.py renders it)."""
    (convention,) = [s for s in SYSTEMS if s.id == CONVENTION]
    systems = [replace(convention, unit="<b>CEU</b>")]
    shown = inline(f" figure minutes=990 rule={CONVENTION}", systems)
    assert shown == "1&#46;65 &#60;b&#62;CEU&#60;&#47;b&#62;"
    assert unescape(shown) == "1.65 <b>CEU</b>"


LINKED = {
    "worked-example-agenda": (
        "embed: worked-example\nmode: agenda\nlink: calculator\n\nDay 1\n09:00-10:30 Keynote\n"
        "10:30-10:45 Coffee break\n10:45-12:00 Workshop (A & B)\nDay 2\n09:00-12:00 Lab",
        "ceu",
    ),
    "worked-example-rule": (
        f"embed: worked-example\nmode: minutes\nminutes: 990\nrule: {CONVENTION}\nlink: calculator",
        "ceu",
    ),
    "plan-example": (
        "embed: plan-example\ncomponent: instruction, distance\nlink: calculator\n\n"
        "activity,delivery,amount,unit,per,count\nLecture,instruction,3,hours,week,10\n"
        "Reading,self-paced,2,hours,week,10",
        plan_page.NAME,
    ),
    "eligibility-example": (
        'embed: eligibility-example\nlink: calculator\n\n{"program_type": "seminar", "criteria": '
        '{"organized-setting": true, "planned-for-need": true, "clear-objective": true, '
        '"qualified-instructors": true, "performance-requirements": false, "participant-evaluation": null}}',
        eligibility_page.NAME,
    ),
    "deadlines-example": (
        "embed: deadlines-example\nfirst_offering: 2026-09-14\nlast_day: 2026-09-16\n"
        "submitted_on: 2026-09-04\napplied_on: 2026-09-18\nholidays: 2026-09-07\nlink: calculator",
        deadline_page.NAME,
    ),
    "accreditation-example": (
        "embed: accreditation-example\naccredited_on: 2022-03-01\nas_of: 2026-11-01\nlink: calculator",
        accreditation_page.NAME,
    ),
    "cec-example": (
        "embed: cec-example\nhours: 12\nsemester_hours: 3\ngrade: B\ncpr: yes\nlink: calculator",
        cec_page.NAME,
    ),
}


def _figures(html: str) -> dict[str, str]:
    return {
        key: unescape(value) for key, value in re.findall(r'data-key="([^"]+)" data-value="([^"]*)"', html)
    }


def _page_figures(name: str, query: str) -> dict[str, str]:
    """What the calculator's page model gives for the link's URL state, as the page script reads it."""
    pairs = parse_qsl(query, keep_blank_values=True)
    values = {key: value for key, value in reversed(pairs) if not key.startswith(ROW_PREFIX)}
    if name == plan_page.NAME:
        columns = plan_page.COLUMNS
        cells = [value for key, value in pairs if key.startswith(ROW_PREFIX)]
        rows = [
            dict(zip(columns, cells[i : i + len(columns)], strict=True))
            for i in range(0, len(cells), len(columns))
        ]
        outcome = plan_page.compute(values, rows)
    elif name == "ceu":
        outcome = ceu_page.compute(values, SYSTEMS)
    else:
        outcome = {
            eligibility_page.NAME: eligibility_page.compute,
            deadline_page.NAME: deadline_page.compute,
            accreditation_page.NAME: accreditation_page.compute,
            cec_page.NAME: cec_page.compute,
        }[name](values)
    assert outcome.ok, outcome.errors
    return {figure.key: figure.value for figure in outcome.figures}


@pytest.mark.parametrize("case", sorted(LINKED))
def test_a_linked_example_opens_its_calculator_with_the_same_figures(case):
    block, name = LINKED[case]
    text = render(block, SYSTEMS, "guides/some-guide.md")
    html, link = text.split("\n\n", 1)
    found = re.fullmatch(
        r"\[(?P<text>[^\]]+)\]\((?P<target>[^)?]+)\?(?P<query>[^)]*)\)\{: \.calc-open data-calculator=\"(?P<name>[a-z]+)\" \}\n",
        link,
    )
    assert found, link
    assert found["text"] == OPEN_TEXT and found["name"] == name
    assert found["target"] == "../" + CALCULATORS[name].page
    assert " " not in found["query"] and "(" not in found["query"] and ")" not in found["query"]
    embedded = _figures(html)
    assert embedded
    assert embedded.items() <= _page_figures(name, urlsplit("?" + found["query"]).query).items()


def test_a_link_from_the_top_folder_needs_no_climb():
    text = render("embed: cec-example\nhours: 5\nlink: calculator", SYSTEMS, "index.md")
    assert "](cec.md?hours=5)" in text


@pytest.mark.parametrize(
    ("block", "line", "words"),
    [
        ("embed: cec-example\nhours: 5\nlink: yes", 3, "link takes one value, calculator"),
        ("embed: minutes-table\nminutes: 30\nlink: calculator", 3, "takes no 'link'"),
        ("embed: worked-example\nmode: minutes\nminutes: 60\nrule: nope", 4, "'nope' is not one of"),
    ],
)
def test_a_wrong_link_or_rule_names_its_line(block, line, words):
    with pytest.raises(EmbedError) as raised:
        render(block, SYSTEMS)
    assert raised.value.line == line and words in raised.value.message
