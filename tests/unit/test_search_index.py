"""What Pagefind reads (site_build/search_index.py): every table cell, fact and list item ends a
sentence, so an excerpt never runs one row's words into the next row's; the pages themselves
are not touched, and Pagefind still indexes the built site."""

from __future__ import annotations

import asyncio
import html
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_build.search_index import (
    FACETS,
    SearchRecord,
    _next_reply,
    facets_value,
    index_site,
    record_filters,
    sentence_ends,
)
from tests.conftest import REPO_ROOT
from tests.marker_site import pagefind_records

# The calculator's "same time under every body's rule" table, as the issue met it: PMI's
# third-party source address ran into SHRM's row, as if it were SHRM's source.
PMI_ROW = (
    "<tr><td>Project Management Institute (PMP)</td><td>5 PDU</td><td>steps of 0.25, rounding not stated</td>"
    '<td class="calc-url"><a href="https://pminacconference.com/about/pdus/">https://pminacconference.com/about/pdus/</a></td></tr>'
)


@pytest.mark.parametrize(
    ("page", "read"),
    [
        # cells, header cells and rows
        (
            PMI_ROW,
            "Project Management Institute (PMP). 5 PDU. steps of 0.25, rounding not stated. https://pminacconference.com/about/pdus/.",
        ),
        ("<tr><th>Rule of</th><th>Figure</th></tr>", "Rule of. Figure."),
        # a profile's facts: the term and the definition
        (
            "<dl><dt>Kind</dt><dd>Association</dd><dd>United States</dd></dl>",
            "Kind. Association. United States.",
        ),
        # what already ends a sentence keeps its own stop, inside brackets and quotes too
        (
            "<p>Done.</p><p>Really?</p><li>(as stated.)</li><td>“quoted!”</td>",
            "Done. Really? (as stated.) “quoted!”",
        ),
        ("<dd>it&#x27;s said.&#x27;</dd>", "it's said.'"),
        # an entity is a character, not the end of a sentence
        ("<td>R&amp;D</td>", "R&D."),
        # a nested list: its items end their sentences; the outer item ends in markup
        ("<ul><li>a\n<ul><li>b</li></ul></li></ul>", "a b."),
        # blank space before the end tags is not a word
        ("<li>lunch \n </li>", "lunch."),
        ("<p><em>x</em>\n</p>", "x."),
    ],
)
def test_each_block_ends_a_sentence(page: str, read: str) -> None:
    assert text_of(sentence_ends(page)) == read


def test_the_stop_goes_after_the_inline_elements_that_pagefind_reads_as_values() -> None:
    """A result's place (<span data-pagefind-meta="place">) reads as the page shows it."""
    page = '<p>Provider · <span data-pagefind-meta="place"><bdi>Egypt</bdi> </span>\n</p>'
    assert (
        sentence_ends(page) == '<p>Provider · <span data-pagefind-meta="place"><bdi>Egypt</bdi></span>. </p>'
    )


def test_headings_are_left_to_pagefind() -> None:
    """Their text is the results' titles: "Society for Human Resource Management (SHRM)", no stop."""
    page = "<h1>Society for Human Resource Management (SHRM)</h1><h3>Each body's rule</h3>"
    assert sentence_ends(page) == page


def text_of(page: str) -> str:
    """The words a reader gets from ``page``: tags dropped, entities read, blank space as one space."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", "", page))).strip()


WORDS = st.text(alphabet="ab .?)/:'&;#x27", min_size=0, max_size=8).map(html.escape)
INLINE = st.sampled_from(["a", "span", "bdi", "strong", "em", "time"])
BLOCK = st.sampled_from(["td", "th", "dd", "dt", "li", "p", "caption", "blockquote", "h2", "div", "section"])


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "space", "inline", "block"] if depth < 3 else ["text", "space"]))
        if kind == "text":
            parts.append(draw(WORDS))
        elif kind == "space":
            parts.append(draw(st.sampled_from([" ", "\n", "  \n "])))
        else:
            tag = draw(INLINE if kind == "inline" else BLOCK)
            parts.append(f"<{tag}>{draw(fragments(depth + 1))}</{tag}>")
    return "".join(parts)


@given(page=fragments())
def test_only_stops_and_spaces_are_added(page: str) -> None:
    """Invariants over any markup: the same tags in the same order, and the same characters once
    the added full stops and blank space are taken out."""
    read = sentence_ends(page)
    assert re.findall(r"<[^>]*>", read) == re.findall(r"<[^>]*>", page)
    assert re.sub(r"[\s.]", "", read) == re.sub(r"[\s.]", "", page)


@given(page=fragments())
def test_reading_twice_adds_no_second_stop(page: str) -> None:
    once = sentence_ends(page)
    assert text_of(sentence_ends(once)) == text_of(once)


def test_the_built_pages_stay_as_they_were(tmp_path: Path) -> None:
    """Pagefind reads copies: the site's pages are byte for byte what MkDocs wrote, and the index
    lands in the site. A page without data-pagefind-body beside one with it is not indexed."""
    site = tmp_path / "site"
    (site / "guide").mkdir(parents=True)
    guide = f"<html lang='en'><body><div data-pagefind-body><h1>Rules</h1><table>{PMI_ROW}</table></div></body></html>"
    (site / "guide" / "index.html").write_text(guide, encoding="utf-8")
    (site / "index.html").write_text("<html lang='en'><body><p>Home</p></body></html>", encoding="utf-8")
    index_site(site)
    assert (site / "guide" / "index.html").read_text(encoding="utf-8") == guide
    assert (site / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert [language["page_count"] for language in entry["languages"].values()] == [1]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"], "the copies were left behind"


def test_a_record_stands_for_the_page_at_its_address(tmp_path: Path) -> None:
    """A record goes in as given, with its filters; the page at its address is not crawled (one
    result, not two), and the other marked pages still are."""
    site = tmp_path / "site"
    for folder, title in (("guide", "Rules"), ("entry", "Crawled words")):
        (site / folder).mkdir(parents=True)
        page = f"<html lang='en'><body><div data-pagefind-body><h1>{title}</h1></div></body></html>"
        (site / folder / "index.html").write_text(page, encoding="utf-8")
    record = SearchRecord(
        url="/entry/",
        content="Record words.",
        meta={"title": "Entry"},
        filters={"type": ["Provider"]},
        sort={"name": "entry"},
    )
    index_site(site, [record])
    indexed = {found["url"]: found for _, found in pagefind_records(site)}
    assert sorted(indexed) == ["/entry/", "/guide/"]
    assert indexed["/entry/"]["content"] == "Record words."
    assert indexed["/entry/"]["filters"] == {"type": ["Provider"]}
    assert indexed["/entry/"]["pagefind_filters"] == {FACETS: ["type=Provider"]}
    assert indexed["/entry/"]["meta"] == {"title": "Entry"}
    assert indexed["/guide/"]["meta"] == {"title": "Rules"}
    assert indexed["/guide/"]["pagefind_filters"] == {}


def test_the_filters_go_in_as_one_file_listing_each_record_once(tmp_path: Path) -> None:
    """Seven filters apart, Pagefind listed every entry once per filter, and a search that
    counts loads every filter's file: the records' values go in as one filter, one file, in
    which records with the same values share one value."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html lang='en'><body><p>Home</p></body></html>", encoding="utf-8")
    same = {"type": ["Provider"], "country": ["CA"], "credit": ["IACET CEU", "CPE"]}
    records = [
        SearchRecord(url=f"/e{n}/", content=f"Entry {n}.", filters=filters)
        for n, filters in enumerate(
            [
                same,
                {"credit": ["CPE", "IACET CEU"], "country": ["CA"], "type": ["Provider"]},
                {"type": ["Organization"]},
            ]
        )
    ]
    index_site(site, records)
    assert len(list((site / "pagefind" / "filter").glob("*.pf_filter"))) == 1
    indexed = {found["url"]: found for _, found in pagefind_records(site)}
    assert indexed["/e0/"]["pagefind_filters"] == indexed["/e1/"]["pagefind_filters"]
    assert indexed["/e0/"]["filters"] == {
        "country": ["CA"],
        "credit": ["CPE", "IACET CEU"],
        "type": ["Provider"],
    }
    assert indexed["/e2/"]["filters"] == {"type": ["Organization"]}


values = st.lists(st.text(min_size=1, max_size=12), max_size=4)


@given(filters=st.dictionaries(st.sampled_from(["type", "country", "credit", "status"]), values))
def test_a_records_values_read_back_as_they_went_in(filters: dict[str, list[str]]) -> None:
    """Any value (quotes, commas, colons, any script) comes back whole, each once, in order, from
    the one value Pagefind holds; the same values in another order make the same value."""
    value = facets_value(filters)
    assert record_filters({FACETS: [value]}) == {
        name: sorted(set(given)) for name, given in sorted(filters.items()) if given
    }
    assert facets_value({name: list(reversed(given)) for name, given in reversed(filters.items())}) == value


def test_the_searches_read_the_filter_by_the_name_the_build_writes() -> None:
    script = (REPO_ROOT / "site_src/assets/javascripts/search-controls.js").read_text(encoding="utf-8")
    assert f'export const FACETS = "{FACETS}";' in script


def test_every_build_writes_the_whole_bundle(tmp_path: Path) -> None:
    """The service's own writing could answer before its last file reached the disk, and it exits
    when its input closes: one build in a few left pagefind-entry.json empty. Built ten times,
    every file search loads is whole every time; the ready-made search interfaces the site does
    not use are left out."""
    for build in range(10):
        site = tmp_path / str(build)
        site.mkdir()
        (site / "index.html").write_text("<html lang='en'><body><p>Home</p></body></html>", encoding="utf-8")
        index_site(site)
        bundle = site / "pagefind"
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["en"]["page_count"] == 1, f"build {build}"
        assert (bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").stat().st_size > 0
        for script in ("pagefind.js", "pagefind-worker.js"):
            assert (bundle / script).read_text(encoding="utf-8").rstrip().endswith((";", "}", ")")), script
        assert not sorted(bundle.glob("pagefind-*ui*")), "unused interfaces were written"


def test_a_reply_longer_than_the_read_buffer_is_read_whole() -> None:
    """GetFiles answers with the whole index in one reply, longer than the service's buffer."""

    async def read() -> list[bytes]:
        stream = asyncio.StreamReader(limit=16)
        stream.feed_data(b"short," + b"x" * 100 + b",tail,")
        stream.feed_eof()
        return [await _next_reply(stream) for _ in range(3)]

    # In a thread of its own: a browser test before this one may leave a loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        assert thread.submit(asyncio.run, read()).result() == [b"short", b"x" * 100, b"tail"]
