"""The repository's own site, built by the real `mkdocs build --strict` subprocess."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from directory.places import country_name, place_name
from directory.schema import load_schema
from directory.search_filters import RESULTS_PER_PAGE
from site_build.runtime import runtime_paths
from tests.conftest import REPO_ROOT
from tests.marker_site import pagefind_records

pytestmark = pytest.mark.build

SCHEMA = load_schema(REPO_ROOT / "directory_data")
#: Folders copied in whole from npm packages or written by Pagefind.
VENDORED = ("pagefind", "pyodide", "pyscript")


def rows(table: str) -> list[dict[str, str]]:
    path = REPO_ROOT / "directory_data" / SCHEMA.table(table).file
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def site_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in VENDORED]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        last_tag, attrs = self.tags[-1] if self.tags else ("", {})
        runnable = attrs.get("type") in (None, "", "module", "text/javascript")
        if last_tag == "script" and runnable and "src" not in attrs and data.strip():
            self.inline_script = True


def parse(path: Path) -> Tags:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("table", ["providers", "organizations"])
def test_every_row_has_a_profile_with_its_source_and_verified_date(built_site, table):
    for row in rows(table):
        profile = built_site / "directory" / table / row["id"] / "index.html"
        html = profile.read_text(encoding="utf-8")
        name = re.escape(escape(row["name"]))
        assert re.search(rf"<h1><bdi>{name}</bdi></h1>", html)
        assert f'href="{escape(row["source_url"])}"' in html
        assert f'<time datetime="{row["verified_on"]}">' in html


def test_countries_and_regions_show_by_name_and_filter_by_code(built_site):
    everyone = rows("providers") + rows("organizations")
    index = (built_site / "directory/country/index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<a href="([^"]+)"><bdi>([^<]+)</bdi></a> \((\d+)\)', index)
    expected = sorted(
        {row["country"] for row in everyone}, key=lambda code: (country_name(code).casefold(), code)
    )
    counts = Counter(row["country"] for row in everyone)
    assert [(name, int(count)) for _, name, count in shown] == [
        (str(escape(country_name(code))), counts[code]) for code in expected
    ]
    assert [href.rstrip("/").rsplit("/", 1)[-1] for href, _, _ in shown] == [c.lower() for c in expected]
    indexed = {record["url"]: record for _, record in pagefind_records(built_site)}
    for table in ("providers", "organizations"):
        for row in rows(table):
            html = (built_site / "directory" / table / row["id"] / "index.html").read_text(encoding="utf-8")
            place = place_name(row["country"], row["region"])
            assert f" · <bdi>{escape(place)}</bdi></p>" in html, row["id"]
            record = indexed[f"/directory/{table}/{row['id']}/"]
            assert record["meta"]["place"] == place, row["id"]
            assert record["filters"]["country"] == [row["country"]]
            if row["region"]:
                assert record["filters"]["region"] == [f"{row['country']}-{row['region']}"]


def test_listing_links_every_entry(built_site):
    listing = (built_site / "directory/index.html").read_text(encoding="utf-8")
    expected = len(rows("providers")) + len(rows("organizations"))
    assert len(re.findall(r'<tr><td><a href="', listing)) == expected
    assert "Not listed does not mean not accepted" in listing


def test_generated_pages_stay_out_of_the_navigation(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "/providers/" not in home


def test_no_page_has_an_inline_script_and_every_page_has_a_policy(built_site):
    for page in site_pages(built_site):
        parsed = parse(page)
        assert not parsed.inline_script, f"{page} has an inline script"
        policies = [
            a["content"]
            for t, a in parsed.tags
            if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
        ]
        assert len(policies) == 1, page
        assert "script-src 'self'" in (policies[0] or "")
        assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs), (
            f"{page} has an event-handler attribute"
        )


#: The pages that run Python on the page through PyScript, which needs 'unsafe-eval' (the
#: calculators run theirs in a Web Worker on bare Pyodide, which needs only 'wasm-unsafe-eval').
PYTHON_PAGES = {"directory/suggest"}


def test_only_python_pages_relax_the_policy(built_site):
    for page in site_pages(built_site):
        policy = (
            next(
                a["content"] for t, a in parse(page).tags if a.get("http-equiv") == "Content-Security-Policy"
            )
            or ""
        )
        runs_python = page.relative_to(built_site).parent.as_posix() in PYTHON_PAGES
        assert ("'unsafe-eval'" in policy) == runs_python, page


def test_nothing_is_loaded_from_another_host(built_site):
    loaded_by = {
        "script": "src",
        "link": "href",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "audio": "src",
        "video": "src",
    }
    for page in site_pages(built_site):
        for tag, attrs in parse(page).tags:
            url = attrs.get(loaded_by.get(tag, ""), "") or ""
            if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
                continue
            assert not re.match(r"(https?:)?//", url), f"{page}: <{tag}> loads {url}"
    for asset in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", asset.read_text(encoding="utf-8")), asset


def test_runtime_and_engine_are_in_the_site(built_site):
    runtime = runtime_paths(REPO_ROOT / "node_modules")
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        assert (built_site / runtime.pyodide / name).is_file()
    assert (built_site / runtime.pyscript / "core.js").is_file()
    # Only the versioned folders: nothing left at the old, unversioned addresses.
    assert [p.name for p in (built_site / "pyodide").iterdir()] == [runtime.pyodide.split("/")[1]]
    assert [p.name for p in (built_site / "pyscript").iterdir()] == [runtime.pyscript.split("/")[1]]
    with zipfile.ZipFile(built_site / "assets/py/calc.zip") as archive:
        assert archive.read("calc/ceu.py") == (REPO_ROOT / "calc/ceu.py").read_bytes()
    config = json.loads((built_site / "assets/directory/pyscript.json").read_text(encoding="utf-8"))
    assert config["interpreter"] == "/" + runtime.interpreter  # the local build serves at the root


def test_pagefind_indexed_guides_and_profiles(built_site):
    entry = json.loads((built_site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    profiles = len(rows("providers")) + len(rows("organizations"))
    marked = [p for p in site_pages(built_site) if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    # Every profile and guide is indexed; listings and the search page opt out.
    assert indexed == len(marked) > profiles
    assert "data-pagefind-body" not in (built_site / "directory/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in (built_site / "search/index.html").read_text(encoding="utf-8")


def test_element_ids_are_unique_on_every_page(built_site):
    """A duplicate id breaks labels, anchors and scripts that look elements up by id."""
    for page in site_pages(built_site):
        ids = [attrs["id"] for _, attrs in parse(page).tags if attrs.get("id")]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        assert not duplicates, f"{page}: duplicate ids {duplicates}"


def test_the_calculator_offers_every_rule_with_a_rate_and_the_rules_page_checks_each_example(built_site):
    systems = rows("credit_systems")
    page = (built_site / "calculator/index.html").read_text(encoding="utf-8")
    offered = re.findall(r'<option value="([a-z0-9-]+)"( selected)?>', page)
    with_rate = {row["id"] for row in systems if row["minutes_per_unit"]}
    assert {value for value, _ in offered} == with_rate
    assert [value for value, selected in offered if selected] == ["iacet-ceu"]
    rules = (built_site / "rules/index.html").read_text(encoding="utf-8")
    for row in systems:
        section = rules[rules.index(f'id="rule-{row["id"]}"') :]
        section = section[: section.index("</section>")]
        assert f'href="{escape(row["source_url"])}"' in section, row["id"]
        if row["example_minutes"]:
            engine = re.search(rf'data-engine="{row["id"]}">([^<]+)<', section)
            assert (
                engine
                and engine.group(1) == f"{Decimal(row['example_units']).normalize():f} {escape(row['unit'])}"
            ), row["id"]


def test_an_acceptance_that_names_a_unit_links_the_calculator_set_to_its_rule(built_site):
    linked = [row for row in rows("acceptances") if row["credit_system"]]
    assert linked, "no published acceptance names the unit it counts in"
    for acceptance in linked:
        profile = built_site / "directory/organizations" / acceptance["organization_id"] / "index.html"
        html = profile.read_text(encoding="utf-8")
        link = re.search(rf'<a href="([^"]+)\?rule={acceptance["credit_system"]}">Calculate in', html)
        assert link, f"{profile}: no calculator link for {acceptance['credit_system']}"
        assert (profile.parent / link.group(1) / "index.html").resolve() == (
            built_site / "calculator/index.html"
        )
    credit_type = (built_site / "directory/credit-type/iacet-ceu/index.html").read_text(encoding="utf-8")
    assert credit_type.count("Calculate in") == len(linked)


def test_each_profile_lists_its_history_newest_first_with_links_to_the_commits(built_site):
    html = (built_site / "directory/organizations/bcsp/index.html").read_text(encoding="utf-8")
    history = html[html.index('id="history-heading"') :]
    history = history[: history.index("</section>")]
    items = re.findall(
        r'<li id="change-[0-9a-f]{12}-[a-z_]+-[a-z0-9-]+" data-day="[^"]+" data-kind="[^"]+">'
        r'<time datetime="(\d{4}-\d{2}-\d{2})">[^<]*</time>: ([A-Z][a-z -]+)',
        history,
    )
    assert items, "no history on the BCSP profile"
    assert items[-1][1].strip() == "Added" and [date for date, _ in items] == sorted(
        (d for d, _ in items), reverse=True
    )
    assert re.search(r'href="https://[^"]+/commit/[0-9a-f]{40}"', history)


def test_only_the_engine_reference_waits_for_the_reference_styles(built_site: Path) -> None:
    """mkdocstrings' styles serve its generated page alone: no other page loads them before it paints."""
    loading = sorted(
        page.relative_to(built_site).as_posix()
        for page in site_pages(built_site)
        if any(
            attrs.get("href", "").endswith("_mkdocstrings.css")
            for tag, attrs in parse(page).tags
            if tag == "link"
        )
    )
    assert loading == ["reference/engine/index.html"]
    assert (built_site / "assets" / "_mkdocstrings.css").is_file()


def test_both_searches_show_the_same_number_of_results_at_a_time(built_site):
    """One number (directory/search_filters.py RESULTS_PER_PAGE), written on each search's page for its script."""
    sizes = [
        re.findall(rf'id="{app}"[^>]*data-page-size="(\d+)"', (built_site / page).read_text(encoding="utf-8"))
        for app, page in [("directory-app", "directory/index.html"), ("search-app", "search/index.html")]
    ]
    assert sizes == [[str(RESULTS_PER_PAGE)], [str(RESULTS_PER_PAGE)]]


def test_the_index_holds_one_record_per_entry_and_crawls_the_other_pages(built_site):
    """Each entry is a record with its filters and result line (directory/search_records.py);
    its profile page is not crawled (no second result for it); guides and calculators are."""
    indexed = {record["url"]: record for _, record in pagefind_records(built_site)}
    kinds = {v["id"]: v["label"] for v in rows("vocabularies") if v["vocabulary"] == "organization-kind"}
    for table, singular in (("providers", "Provider"), ("organizations", "Organization")):
        for row in rows(table):
            record = indexed.pop(f"/directory/{table}/{row['id']}/")
            assert record["meta"]["title"] == row["name"] and record["meta"]["type"] == singular
            assert record["meta"]["verified"] == row["verified_on"]
            assert record["filters"]["type"] == [singular]
            if table == "providers":
                assert record["filters"]["status"] == [record["meta"]["status"]]
            else:
                assert record["filters"]["kind"] == [kinds[row["kind"]]]
            assert record["content"].startswith(row["name"])
            assert len(record["filters"]["check"]) == 1
    profiles = [
        url for url in indexed if url.startswith(("/directory/providers/", "/directory/organizations/"))
    ]
    assert profiles == []
    assert {"/guides/", "/calculator/", "/rules/"} <= set(indexed)
    assert not [url for url, record in indexed.items() if record["filters"]]  # crawled pages: no filters
