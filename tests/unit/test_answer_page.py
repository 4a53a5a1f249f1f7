"""The "Will this count?" answer: the verdict follows only what the directory's sources say.

Most cases run on the repository's own data (the build's AnswerData from directory_data/),
so they read like the questions learners ask: "Does SHRM accept IACET CEUs, and how many PDCs
is 6 hours?" (SHRM's own rule: 1 PDC per hour, so 6 PDC). The rules that must hold whatever
the data says (no "yes" without an acceptance row, every link safe, every value escaped)
run on generated data with hypothesis.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.conversions import parse_credit_systems
from calculator_pages.answer_page import (
    CAUTION,
    NO,
    NO_RECORD,
    YES,
    Acceptance,
    AnswerData,
    Body,
    Provider,
    Source,
    compute,
    find_provider,
    form_html,
    short_name,
)
from calculator_pages.outcome import safe_href
from calculator_pages.worksheet import evidence_html, worksheet_document
from directory.answers import answer_data, example_values
from directory.schema import load_schema
from directory.validate import validate_directory
from directory.view import DirectoryView, SiteOptions
from tests.conftest import REPO_ROOT, latest_verification, modules_loaded_by, outside_standard_library

DATA_DIR = REPO_ROOT / "directory_data"
SYSTEMS = parse_credit_systems((DATA_DIR / "credit_systems.csv").read_text(encoding="utf-8"))
SHRM = "society-for-human-resource-management"


@pytest.fixture(scope="module")
def data() -> AnswerData:
    """The answers as the build makes them from the repository's data."""
    schema = load_schema(DATA_DIR)
    today = dt.date.fromisoformat(latest_verification())
    directory = validate_directory(DATA_DIR, schema, today)
    options = SiteOptions(
        today=today,
        iacet_directory_url="https://www.iacet.org/affiliates/accredited-providers-list/",
        iacet_provider_url="https://www.iacet.org/affiliates/accredited-providers-list/{number}/",
    )
    return answer_data(DirectoryView.of(directory, schema, options))


# --------------------------------------------------------------------------- the learners' questions


def test_does_shrm_accept_iacet_ceus_and_how_many_pdcs_is_six_hours(data: AnswerData) -> None:
    answer = compute({"body": SHRM, "time": "6 h"}, data, SYSTEMS)
    assert answer.verdict == YES
    assert answer.summary.startswith("Yes: SHRM counts IACET CEUs toward SHRM-CP/SHRM-SCP.")
    assert "6 h = 0.6 IACET CEU = 6 PDC under SHRM's rule" in answer.summary
    assert answer.figure("ceus") == "0.6" and answer.figure("units") == "6"
    acceptance = next(e for e in answer.evidence if e.key == "acceptance")
    shrm = data.body(SHRM)
    assert shrm is not None and shrm.accepted() is not None
    assert acceptance.quote == shrm.accepted().source.quote  # type: ignore[union-attr]
    assert acceptance.source is not None and acceptance.source.href.startswith("https://www.shrm.org/")
    assert {e.key for e in answer.evidence} == {"acceptance", "rule"}


def test_is_teex_accredited_answers_with_its_status_and_where_to_confirm(data: AnswerData) -> None:
    teex = next(p for p in data.providers if "(TEEX)" in p.name)
    answer = compute({"provider": "TEEX"}, data, SYSTEMS)
    expected = {"good-standing": YES, "lapsed": NO}.get(teex.status, CAUTION)
    assert answer.verdict == expected
    assert "TEEX" in answer.summary
    if expected != YES:
        assert teex.label in answer.summary  # "Unverified", "Needs review": the directory's own word
    provider = next(e for e in answer.evidence if e.key == "provider")
    assert teex.reason in provider.sentences
    assert any("IACET" in link.text for link in provider.links)


@pytest.mark.parametrize("body", ["asha-ceu", "pmi-pmp-pdu", "nasba-cpe-fifths"])
def test_a_body_with_no_acceptance_row_gets_no_record_and_an_email_to_ask(
    data: AnswerData, body: str
) -> None:
    answer = compute({"body": body, "time": "90 min", "provider": "TEEX"}, data, SYSTEMS)
    assert answer.verdict == NO_RECORD
    assert answer.summary.startswith("No record: the directory holds no source saying")
    assert "Yes" not in answer.summary
    ask = next(e for e in answer.evidence if e.key == "no-record")
    email = next(link.href for link in ask.links if link.href.startswith("mailto:"))
    parts = urlsplit(email)
    assert parts.path == "", "no address: the directory holds none, and none may be invented"
    query = parse_qs(parts.query)
    assert "IACET CEUs" in query["subject"][0]
    assert "1 h 30 min" in query["body"][0] and "Texas A&M Engineering Extension Service" in query["body"][0]
    assert any(link.href.endswith("directory/suggest/") for link in ask.links)


def test_no_record_still_gives_the_figure_under_the_bodys_own_rule(data: AnswerData) -> None:
    # ASHA's own example: 938 minutes -> 1.55 ASHA CEU (rounded down to the half hour).
    answer = compute({"body": "asha-ceu", "time": "938"}, data, SYSTEMS)
    assert "Under ASHA's own rule, 15 h 38 min = 1.55 ASHA CEU." in answer.summary


def test_every_organization_with_an_acceptance_answers_yes_and_every_other_body_no_record(
    data: AnswerData,
) -> None:
    for body in data.bodies:
        verdict = compute({"body": body.id}, data, SYSTEMS).verdict
        assert verdict == (YES if body.accepted() else NO_RECORD), body.id


def test_the_multiplier_is_stated_beside_the_figure_with_its_condition(data: AnswerData) -> None:
    answer = compute({"body": "nbcot", "time": "6 h"}, data, SYSTEMS)
    rule = next(e for e in answer.evidence if e.key == "rule")
    assert any(s.startswith("When ") and s.endswith("7.5 PDU.") for s in rule.sentences), rule.sentences


def test_iacet_is_not_a_body_learners_report_to(data: AnswerData) -> None:
    assert "iacet-ceu" not in {body.id for body in data.bodies}
    conventions = {s.id for s in SYSTEMS if s.kind == "convention"}
    assert not conventions & {body.id for body in data.bodies}


# --------------------------------------------------------------------------- the form's inputs


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "body"),
        ({"body": "not-a-body"}, "body"),
        ({"body": "constructor"}, "body"),
        ({"body": SHRM, "time": "-5"}, "time"),
        ({"body": SHRM, "time": "soon"}, "time"),
        ({"provider": "x" * 201}, "provider"),
        ({"provider": "institute"}, "provider"),  # several names hold the word: type more of it
    ],
)
def test_what_cannot_be_answered_is_named_beside_its_field(
    data: AnswerData, values: dict[str, str], field: str
) -> None:
    answer = compute(values, data, SYSTEMS)
    assert not answer.ok
    assert [error.field for error in answer.errors] == [field]
    assert "\n" not in answer.errors[0].message


def test_an_unknown_provider_is_not_in_the_directory_which_is_not_a_no(data: AnswerData) -> None:
    answer = compute({"body": SHRM, "provider": "Nobody Training Ltd"}, data, SYSTEMS)
    assert answer.verdict == CAUTION
    assert "Nobody Training Ltd is not in the directory: check IACET's own directory." in answer.summary


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Society for Human Resource Management (SHRM)", "SHRM"),
        ("Texas A&M Engineering Extension Service (TEEX)", "TEEX"),
        ("Project Management Institute", "Project Management Institute"),
        ("Air Force Institute of Technology - The Civil Engineer School (CES)", "CES"),
        ("A body (with words in brackets)", "A body (with words in brackets)"),
    ],
)
def test_a_sentence_calls_a_body_by_the_acronym_its_name_ends_with(name: str, short: str) -> None:
    assert short_name(name) == short


def provider(pid: str, name: str, status: str = "unverified") -> Provider:
    return Provider(pid, name, status, status.title(), "Because.", f"../directory/providers/{pid}/", "")


PROVIDERS = (
    provider("teex", "Texas A&M Engineering Extension Service (TEEX)"),
    provider("ccei", "ChildCare Education Institute (CCEI)"),
    provider("aac", "AAC Institute"),
    provider("cafe", "Café Training Société"),
)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("teex", "teex"),  # its id, as a profile links it
        ("TEEX", "teex"),  # the acronym
        ("texas a and m engineering extension service (teex)", "teex"),
        ("  Texas A&M   Engineering Extension Service (TEEX) ", "teex"),
        ("ChildCare", "ccei"),  # the only name holding the word
        ("cafe training societe", "cafe"),  # accents ignored
        ("nobody", None),
        ("", None),
    ],
)
def test_a_provider_is_found_by_id_name_acronym_or_the_only_name_holding_the_words(
    typed: str, found: str | None
) -> None:
    match = find_provider(typed, PROVIDERS)
    assert (match.found.id if match.found else None) == found
    assert not match.several


def test_several_matching_names_are_listed_not_guessed() -> None:
    match = find_provider("institute", PROVIDERS)
    assert match.found is None
    assert {p.id for p in match.several} == {"ccei", "aac"}


# --------------------------------------------------------------------------- what must hold for any data

TEXT = st.text(max_size=60)
source = st.builds(
    Source,
    url=TEXT,
    kind=st.sampled_from(["official", "third-party"]),
    date=TEXT,
    quote=TEXT,
    verified_on=TEXT,
)
acceptance = st.builds(
    Acceptance,
    credit_type=st.just("iacet-ceu"),
    credit=TEXT,
    conditions=TEXT,
    rule=st.just(""),
    source=source,
)


@st.composite
def answer_sets(draw: st.DrawFn) -> AnswerData:
    ids = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), min_size=1, max_size=5, unique=True)
    )
    bodies = tuple(
        Body(
            id=i,
            name=draw(TEXT),
            short=draw(TEXT),
            profile=draw(st.sampled_from(["", f"../directory/organizations/{i}/"])),
            website=draw(TEXT),
            acceptances=tuple(draw(st.lists(acceptance, max_size=1))),
            rules=(),
            credential=draw(TEXT),
        )
        for i in ids
    )
    statuses = st.sampled_from(["good-standing", "unverified", "needs-review", "lapsed"])
    providers = tuple(
        Provider(f"p{n}", draw(TEXT), draw(statuses), draw(TEXT), draw(TEXT), draw(TEXT), draw(TEXT))
        for n in range(draw(st.integers(0, 3)))
    )
    return AnswerData(
        "2026-12-07", bodies, providers, "../directory/suggest/", draw(TEXT), "../guides/directory/"
    )


@settings(max_examples=150, deadline=None)
@given(data=answer_sets(), pick=st.integers(0, 4), typed=TEXT, time=st.sampled_from(["", "6 h", "90", "20"]))
def test_never_a_yes_without_an_acceptance_and_never_a_link_that_is_not_safe(
    data: AnswerData, pick: int, typed: str, time: str
) -> None:
    body = data.bodies[pick % len(data.bodies)]
    answer = compute({"body": body.id, "provider": typed, "time": time}, data, SYSTEMS)
    if not answer.ok:
        return
    if body.accepted() is None:
        assert answer.verdict == NO_RECORD and not answer.summary.startswith("Yes")
    else:
        assert answer.verdict in (YES, CAUTION, NO)
    html = evidence_html(answer)
    for href in re.findall(r'href="([^"]*)"', html):
        assert safe_href(href.replace("&amp;", "&")), href
    assert "<script" not in html.lower() and "javascript:" not in html.lower()


def test_data_text_is_escaped_in_the_form_the_evidence_and_the_worksheet() -> None:
    marker = "<img src=x onerror=alert(1)>\"'&{{7*7}}[x](javascript:alert(1))"
    hostile = AnswerData(
        "2026-12-07",
        (
            Body(
                "b",
                marker,
                marker,
                "../x/",
                "javascript:alert(1)",
                (
                    Acceptance(
                        "iacet-ceu",
                        marker,
                        marker,
                        "",
                        Source("javascript:alert(1)", "official", marker, marker, marker),
                    ),
                ),
                (),
                marker,
            ),
        ),
        (provider("p", marker),),
        "../directory/suggest/",
        "javascript:alert(1)",
        "../guides/directory/",
    )
    answer = compute({"body": "b", "provider": "p", "time": "6 h"}, hostile, SYSTEMS)
    for html in (form_html(hostile), evidence_html(answer), worksheet_document(answer, "2026-12-07")):
        assert "<img" not in html
        assert 'href="javascript:' not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


# --------------------------------------------------------------------------- the data file


def test_the_data_survives_its_json_round_trip(data: AnswerData) -> None:
    assert AnswerData.from_json(json.loads(json.dumps(data.to_json()))) == data


def test_the_form_lists_every_body_and_suggests_every_provider(data: AnswerData) -> None:
    html = form_html(data)
    assert html.count("<option value=") == len(data.bodies) + 1 + len(data.providers)
    for body in data.bodies:
        assert f'value="{body.id}"' in html


def test_the_worked_example_is_a_body_whose_acceptance_names_its_rule(data: AnswerData) -> None:
    values = example_values(data)
    assert values is not None
    body = data.body(values["body"])
    assert body is not None and body.accepted() is not None and body.accepted().rule  # type: ignore[union-attr]
    assert compute(values, data, SYSTEMS).verdict == YES


@pytest.mark.parametrize(
    ("href", "safe"),
    [
        ("https://www.shrm.org/x", True),
        ("http://example.net/", True),
        ("mailto:?subject=a%20b", True),
        ("../directory/organizations/x/", True),
        ("?body=x", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<b>", False),
        ("//elsewhere.example/", False),
        ("/absolute/", False),
        ("\\\\host\\share", False),
        ("", False),
    ],
)
def test_only_http_mailto_and_relative_links_are_made(href: str, safe: bool) -> None:
    assert bool(safe_href(href)) is safe


def test_the_page_model_runs_in_the_browser_as_it_is() -> None:
    """The worker has the standard library, calc and calculators: nothing else may be imported."""
    loaded = modules_loaded_by("import calculator_pages.answer_page")
    assert outside_standard_library(loaded) == {"calc", "calculator_pages"}
