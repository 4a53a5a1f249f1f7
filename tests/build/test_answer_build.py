"""The "Will this count?" page in the repository's real build: its form, its data, its example."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import pytest

from calculator_pages.answer_page import AnswerData
from tests.build.test_repository_build import parse, rows

pytestmark = pytest.mark.build


def test_the_page_offers_every_organization_and_every_body_with_a_counting_rule(built_site: Path) -> None:
    html = (built_site / "will-it-count" / "index.html").read_text(encoding="utf-8")
    chosen = set(re.findall(r'<option value="([^"]+)">', html))
    organizations = {row["id"] for row in rows("organizations")}
    named = {row["credit_system"] for row in rows("acceptances") if row["credit_system"]}
    bodies = {
        row["id"] for row in rows("credit_systems") if row["kind"] == "body-rule" and row["id"] != "iacet-ceu"
    }
    assert organizations | (bodies - named) <= chosen


def test_the_data_file_holds_every_provider_with_the_status_its_profile_shows(built_site: Path) -> None:
    data = AnswerData.from_json(
        json.loads((built_site / "directory" / "answers.json").read_text(encoding="utf-8"))
    )
    assert {p.id for p in data.providers} == {row["id"] for row in rows("providers")}
    for provider in data.providers:
        profile = (built_site / "directory" / "providers" / provider.id / "index.html").read_text(
            encoding="utf-8"
        )
        assert f'data-status="{provider.status}"' in profile, provider.id
        target = (built_site / "will-it-count" / provider.profile / "index.html").resolve()
        assert target == (built_site / "directory" / "providers" / provider.id / "index.html").resolve()


def test_the_page_runs_its_worker_under_the_strict_policy_and_shows_an_example_without_javascript(
    built_site: Path,
) -> None:
    page = built_site / "will-it-count" / "index.html"
    html = page.read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert policy is not None
    directives = html_lib.unescape(policy.group(1)).split(";")
    script_src = next(d.split()[1:] for d in directives if d.split()[:1] == ["script-src"])
    assert script_src == ["'self'", "'wasm-unsafe-eval'"]
    config = json.loads(re.search(r'id="openceu-worker-config">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert config["name"] == "answer"
    for path in (config["entry"], *config["files"]):
        assert (page.parent / path).resolve().is_file(), path
    example = re.search(r'data-embed="answer-example">(.*?)</div>', html, re.S)
    assert example is not None
    assert re.search(r'class="calc-summary answer-verdict" data-verdict="yes">Yes: ', example.group(1))
    assert not parse(page).inline_script
