"""Issue 34, class 1: every data value reaches the site as text, in the real build.

The published data, with a marker of Markdown, HTML, Jinja, YAML and embed syntax in every
text cell of every table (and in the path and query of every address), built by MkDocs in
strict mode with the site's own pages and one probe page (tests/marker_site.py). Every HTML,
XML, SVG and JSON file of the output, and Pagefind's record of every indexed page, is then
read: no marker may lose its syntax (which is what interpreting it does), name a tag or an
attribute, hold an address of another host or a script, or sit in a script, a style, an id
or a class. The same site in Chromium: tests/browser/test_data_is_text.py.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from directory.build_date import build_date
from directory.search_filters import SEARCH_FILTERS
from directory.validate import errors, validate_directory
from tests.hostile_markup import MARKER, MarkupVector, of_kind
from tests.marker_site import (
    ELSEWHERE,
    PROBE_PAGE,
    PROBE_RULE,
    SCHEMA,
    TOKEN,
    MarkerSite,
    html_problems,
    json_problems,
    pagefind_records,
    site_files,
    text_problems,
    url_text,
    xml_problems,
)

pytestmark = pytest.mark.build

#: Columns the site keeps only in a data file (a CSV its Python reads, or an export), shown on
#: no page: the browser test opens the pages that read those files. Anything else that stops
#: showing its markers is a column the site dropped, and this list must say why.
IN_DATA_FILES_ONLY: dict[tuple[str, str], str] = {
    ("credit_systems", "notes"): "assets/py/data/credit_systems.csv, for the calculators' Python",
    ("credit_systems", "sourcing"): "assets/py/data/credit_systems.csv, for the calculators' Python",
    ("credit_systems", "requirement_note"): "assets/py/data/credit_systems.csv, for the calculators' Python",
    ("vocabularies", "description"): "assets/py/data/vocabularies.csv, for the Suggest page's validator",
    **{
        ("requirements", column): "assets/py/data/requirements.csv, for the recertification tracker's Python"
        for column in ("credential", "notes", "source_quote", "source_url", "sourcing")
    },
}


def _numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(re.escape(TOKEN) + r"(\d+)", text)}


def test_the_marked_data_is_valid(marker_site: MarkerSite):
    """The markers are data the validator accepts (the build checks it too, and stops if not)."""
    assert not errors(validate_directory(marker_site.data.data, SCHEMA, build_date()))
    assert len(marker_site.data.marked) > 700


@dataclass(frozen=True)
class Published:
    """The marker numbers in the site's pages (HTML, XML, JSON, the search index) and in its data files."""

    in_pages: frozenset[int]
    in_files: frozenset[int]


@pytest.fixture(scope="module")
def published(marker_site: MarkerSite) -> Published:
    output = site_files(marker_site.site)
    in_pages: set[int] = set()
    for path in (*output.html, *output.xml, *output.json):
        in_pages |= _numbers(path.read_text(encoding="utf-8"))
    for _, record in pagefind_records(marker_site.site):
        in_pages |= _numbers(json.dumps(record, ensure_ascii=False))
    in_files: set[int] = set()
    for path in output.other:
        if path.suffix == ".csv":
            in_files |= _numbers(url_text(path.read_text(encoding="utf-8")))
    return Published(frozenset(in_pages), frozenset(in_files))


#: Columns shown only for some rows: a check's detail and final address (said only for some
#: outcomes), a rule's quote (the calculators' Python shows it: the browser test; a page,
#: only in the answer page's example) and a vocabulary's labels (the activity kinds are the
#: tracker's checkboxes, made by its Python from vocabularies.csv; a page shows only those of
#: the tracker's worked example).
SOME_ROWS = {
    ("checks", "final_url"),
    ("checks", "detail"),
    ("credit_systems", "source_quote"),
    ("vocabularies", "label"),
}


@pytest.mark.parametrize("vector", of_kind(MARKER), ids=lambda v: v.name)
def test_every_text_column_carries_a_marker_to_the_site(
    vector: MarkupVector, marker_site: MarkerSite, published: Published
):
    """So the other tests read each column where it is shown: in a page, or for a few columns
    only in a data file (IN_DATA_FILES_ONLY, with why)."""
    numbers = {m.n for m in marker_site.data.of(vector.table, vector.column)}
    assert numbers, f"{vector.table}.{vector.column} carries no marker"
    column = (vector.table, vector.column)
    if column in IN_DATA_FILES_ONLY:
        assert not numbers & published.in_pages, f"{column} is shown now: take it off IN_DATA_FILES_ONLY"
        assert numbers <= published.in_files, f"{column}: published nowhere"
    elif column in SOME_ROWS:
        assert numbers & published.in_pages, f"{column}: shown on no page"
        if vector.table != "checks":  # a check's words for an outcome that says nothing more: nowhere
            assert numbers <= published.in_pages | published.in_files
    else:
        assert numbers <= published.in_pages, (
            f"{column}: rows not shown: {sorted(numbers - published.in_pages)}"
        )


def test_no_file_of_the_site_makes_a_marker_into_markup(marker_site: MarkerSite):
    output = site_files(marker_site.site)
    assert len(output.html) > 80 and len(output.xml) > 20 and len(output.json) > 40
    problems: list[str] = []
    for path in output.html:
        problems += html_problems(path.read_text(encoding="utf-8"), _name(marker_site, path))
    for path in output.xml:
        problems += xml_problems(path.read_text(encoding="utf-8"), _name(marker_site, path))
    for path in output.json:
        problems += json_problems(json.loads(path.read_text(encoding="utf-8")), _name(marker_site, path))
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:40])


def _name(site: MarkerSite, path: Path) -> str:
    return path.relative_to(site.site).as_posix()


def test_pagefind_records_hold_markers_as_text_and_only_the_site_s_filters(marker_site: MarkerSite):
    """The search index: a value with ',' or ':' must not make a filter or a meta field of its own."""
    filters = {name for name, _ in SEARCH_FILTERS}
    meta = {"title", "image", "image_alt", "type", "place", "status", "verified"}
    problems: list[str] = []
    records = list(pagefind_records(marker_site.site))
    assert len(records) > 50
    for name, record in records:
        assert set(record.get("filters", {})) <= filters, (name, record.get("filters"))
        assert set(record.get("meta", {})) <= meta, (name, record.get("meta"))
        problems += json_problems(record.get("meta", {}), f"pagefind {name} meta")
        problems += json_problems(record.get("filters", {}), f"pagefind {name} filters")
        # The page's words, which a result's excerpt is cut from: Pagefind keeps them as escaped text.
        problems += text_problems(str(record.get("content", "")), f"pagefind {name} content", cut=True)
    assert not problems, "\n".join(problems[:40])


def test_the_reported_instance_a_unit_in_a_guide_sentence_is_text(marker_site: MarkerSite):
    """Issue 34's own example: a credit system's unit inside a guide's inline figure."""
    guide = (marker_site.site / "guides/different-figures/index.html").read_text(encoding="utf-8")
    assert TOKEN in guide
    assert not re.search(r"<a\b[^>]*href=\"javascript:", guide, re.IGNORECASE)
    assert not re.search(rf"<img\b[^>]*src=\"https?://{re.escape(ELSEWHERE)}", guide, re.IGNORECASE)
    assert "<pre><code" not in guide  # a fence in the data is not a code block


def test_a_figure_in_a_heading_is_text_in_the_title_and_the_navigation(marker_site: MarkerSite):
    """The probe page's heading holds a figure whose unit is a marker: the page's heading, its
    <title> and the navigation's link to it (on every page) all read the heading's words."""
    (unit,) = [m.value for m in marker_site.data.of("credit_systems", "unit") if m.row_id == PROBE_RULE]
    heading = " ".join(f"Why is it 19.8 {unit}?".split())  # 990 minutes in fifths of 50-minute hours
    page = (marker_site.site / PROBE_PAGE.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert not html_problems(page, PROBE_PAGE)
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert title and _words(title.group(1)) == f"{heading} - OpenCEU"
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
    assert h1 and _words(h1.group(1)) == heading
    home = (marker_site.site / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="marker-probe/"[^>]*>(.*?)</a>', home, re.DOTALL)
    assert link and _words(link.group(1)) == heading, "the navigation does not show the probe's title"


def _words(fragment: str) -> str:
    """An element's content as the words a reader sees: tags dropped, references decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
