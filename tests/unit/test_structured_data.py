"""schema.org data: the JSON-LD shapes search engines read, and text that cannot escape them."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_build.structured_data import faq_page, json_ld_script, organization
from tests.structured_data_shapes import FAQ_PAGE, ORGANIZATION, assert_shape


def _data(script: str) -> dict:
    found = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', script, re.DOTALL)
    assert found, script
    return json.loads(found.group(1))


@given(st.text())
def test_no_text_closes_the_script_or_changes_the_data(name):
    script = json_ld_script(organization(name, page_url="https://example.org/p/"))
    inner = script[len('<script type="application/ld+json">') : -len("</script>")]
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert _data(script)["name"] == name


def test_an_organization_says_what_the_row_says_and_nothing_else():
    data = organization(
        "Example Board",
        page_url="https://openceu.example/directory/organizations/example/",
        website="https://board.example/",
        country="US",
        region="US-NC",
        provider_number="12345",
    )
    assert_shape(data, ORGANIZATION)
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "US", "addressRegion": "US-NC"}
    assert data["identifier"]["value"] == "12345"
    assert "hasCredential" not in data and "award" not in data


@pytest.mark.parametrize("website", ["javascript:alert(1)", "ftp://x.example/", "board.example", ""])
def test_only_an_http_website_becomes_the_url(website):
    assert "url" not in organization("X", page_url="", website=website)


GUIDE = """<h1>How are CEUs counted?</h1><p>Intro.</p>
<h2 id="a">What counts?</h2><p>Instruction &amp; <em>labs</em>.</p><ul><li>Not breaks.</li></ul>
<h2 id="b">What is the formula?</h2><p>Minutes ÷ 600.</p><script>ignored()</script>"""


def test_a_guide_of_questions_is_a_faq_page():
    data = faq_page(GUIDE)
    assert_shape(data, FAQ_PAGE)
    assert [q["name"] for q in data["mainEntity"]] == ["What counts?", "What is the formula?"]
    assert data["mainEntity"][0]["acceptedAnswer"]["text"] == "Instruction & labs. Not breaks."
    assert data["mainEntity"][1]["acceptedAnswer"]["text"] == "Minutes ÷ 600."


@pytest.mark.parametrize(
    ("html", "words"),
    [
        ("<h2>Sources</h2><p>x</p>", "'Sources' is not a question"),
        ("<h2>What?</h2><p>x</p><h2>Notes</h2>", "'Notes' is not a question"),
        ("<p>No headings.</p>", "has none"),
    ],
)
def test_a_faq_page_with_a_heading_that_is_not_a_question_is_refused(html, words):
    with pytest.raises(ValueError, match=words):
        faq_page(html)
