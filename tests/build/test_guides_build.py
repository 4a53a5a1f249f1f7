"""Guides in the real build: each answers its question first, every figure is the engine's,
worked examples open in their calculators, and search engines get the page's data."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest

from calc.conversions import system_from_record
from calc.numbers import exact_text
from calc.policy import figure_under
from directory.build_date import ENV_VAR
from tests.build.conftest import synthetic_row, write_dataset
from tests.conftest import REPO_ROOT
from tests.structured_data_shapes import FAQ_PAGE, ORGANIZATION, assert_shape

pytestmark = pytest.mark.build

GUIDES = sorted(p.stem for p in (REPO_ROOT / "content/guides").glob("*.md") if p.stem != "index")
#: Guides whose answer is arithmetic: each opens at least one example in its calculator.
WORKED = (
    "iacet-ceu",
    "counting-ceus",
    "different-figures",
    "eligibility",
    "event-timeline",
    "keeping-accreditation",
    "ace-cecs",
)
_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def guide_html(site: Path, name: str) -> str:
    return (site / "guides" / name / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    """The page's own text (Material's navigation and footer left out)."""
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


def test_every_guide_is_in_the_build_and_the_navigation(built_site):
    assert len(GUIDES) >= 9
    home = (built_site / "index.html").read_text(encoding="utf-8")
    for name in GUIDES:
        assert f'href="guides/{name}/"' in home or name == "glossary", (
            f"the home page does not lead to {name}"
        )
        assert (built_site / "guides" / name / "index.html").is_file()


@pytest.mark.parametrize("name", [g for g in GUIDES if g != "glossary"])
def test_a_guide_asks_its_question_and_answers_it_first(built_site, name):
    body = article(guide_html(built_site, name))
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.DOTALL)
    assert heading and heading.group(1).strip().endswith("?"), name
    first = body[heading.end() :].lstrip()
    assert first.startswith("<p>") and len(re.sub(r"<[^>]+>", "", first.split("</p>", 1)[0])) > 60, name


@pytest.mark.parametrize("name", WORKED)
def test_a_guide_with_arithmetic_computes_it_and_opens_it_in_the_calculator(built_site, name):
    body = article(guide_html(built_site, name))
    assert "{{openceu" not in body and "```openceu" not in body
    assert 'class="calc-embed"' in body, f"{name} shows no computed example"
    links = re.findall(r'<a class="calc-open" data-calculator="[a-z]+" href="([^"]+)"', body)
    assert links, f"{name} opens no example in a calculator"
    for href in links:
        assert href.startswith("../../") and "?" in href, href


def test_each_faq_guide_carries_valid_faq_data_and_no_other_page_does(built_site):
    faqs = []
    for name in GUIDES:
        html = guide_html(built_site, name)
        meta = (REPO_ROOT / "content/guides" / f"{name}.md").read_text(encoding="utf-8").split("---")[1]
        scripts = [json.loads(found) for found in _LD.findall(html)]
        if re.search(r"^faq:\s*true\s*$", meta, re.MULTILINE):
            (data,) = scripts
            assert_shape(data, FAQ_PAGE)
            headings = re.findall(r"<h2[^>]*>(.*?)</h2>", article(html), re.DOTALL)
            assert [q["name"] for q in data["mainEntity"]] == [
                re.sub(r"<[^>]+>", "", h).strip() for h in headings
            ]
            faqs.append(name)
        else:
            assert scripts == [], name
    assert faqs, "no guide is written as questions and answers"


def test_every_profile_carries_its_organization_and_links_the_status_guide(built_site):
    profiles = sorted((built_site / "directory").glob("*/*/index.html"))
    profiles = [p for p in profiles if p.parent.parent.name in ("providers", "organizations")]
    assert len(profiles) > 20
    for profile in profiles:
        html = profile.read_text(encoding="utf-8")
        (data,) = [json.loads(found) for found in _LD.findall(html)]
        assert_shape(data, ORGANIZATION)
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
        assert heading and data["name"] == unescape(re.sub(r"<[^>]+>", "", heading.group(1))), profile
        if 'class="directory-status"' in html:
            code = re.search(r'class="directory-status" data-status="([a-z-]+)"', html).group(1)
            assert f'href="../../../guides/directory/#{code}"' in html, profile
            assert "In good standing is shown only when" not in html


def test_every_page_says_when_it_was_built_and_when_the_data_changed(built_site):
    pages = [
        built_site / "index.html",
        built_site / "guides/counting-ceus/index.html",
        built_site / "about/index.html",
    ]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        footer = re.search(r'<p class="openceu-freshness">(.*?)</p>', html, re.DOTALL)
        assert footer, page
        assert re.search(r'Built <time datetime="\d{4}-\d{2}-\d{2}">', footer.group(1))
        assert re.search(
            r'directory data last (changed|verified) <time datetime="\d{4}-\d{2}-\d{2}">', footer.group(1)
        )


def _with_rule(text: str, rule: str, **changes: str) -> str:
    """credit_systems.csv with one rule changed, its worked example recomputed to match."""
    rows = list(csv.DictReader(io.StringIO(text)))
    (row,) = [r for r in rows if r["id"] == rule]
    row.update(changes)
    system = system_from_record(row)
    row["example_units"] = exact_text(figure_under(system, system.example_minutes).reported)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_a_guide_figure_follows_the_engine_rule_it_comes_from(tmp_path, build_fixture_site, monkeypatch):
    """Change a rule in the fixture data: the guide's sentence and table change with it."""
    monkeypatch.setenv(ENV_VAR, "2026-12-01")
    rows = {
        "providers": [synthetic_row("providers", 0)],
        "organizations": [synthetic_row("organizations", 0)],
    }
    rule = "cleveland-state-nearest-tenth-hour"
    before = build_fixture_site(write_dataset(tmp_path / "a", **rows), tmp_path / "site-a")
    changed = write_dataset(tmp_path / "b", **rows)
    path = changed / "credit_systems.csv"
    path.write_text(
        _with_rule(path.read_text(encoding="utf-8"), rule, minutes_per_unit="500"), encoding="utf-8"
    )
    after = build_fixture_site(changed, tmp_path / "site-b")

    old, new = (article(guide_html(site, "different-figures")) for site in (before, after))
    # 990 minutes: 990 / 600 = 1.65 under the published rule; 990 / 500 = 1.98 once changed.
    for body, figure in ((old, "1.65"), (new, "1.98")):
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.DOTALL).group(1)
        # An inline figure's punctuation is written as character references (site_build.embeds.markdown_text).
        assert (
            unescape(heading.strip()) == f"Why does my certificate say {figure} when the calculator says 1.7?"
        )
        assert f'data-key="policy" data-value="{figure}"' in body  # the worked example under that rule
    home = (after / "index.html").read_text(encoding="utf-8")
    assert "say 1.98 when" in unescape(home)
