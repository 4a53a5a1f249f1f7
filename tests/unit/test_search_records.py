"""Each directory entry's search record (directory/search_records.py): the words a learner may
search it by, as its profile shows them and without the sentences every profile repeats; and
its filters, result line and sorts, the very values the directory's opening view uses."""

from __future__ import annotations

import datetime as dt

import pytest

from directory.page_parts import DISCLAIMER
from directory.records import Directory, Entry
from directory.schema import load_schema
from directory.search_records import record_content, search_records
from directory.site_files import page_url, profile_uri
from directory.validate import validate_directory
from directory.view import DirectoryView, SiteOptions
from site_build.search_index import sentence
from tests.conftest import REPO_ROOT
from tests.unit.test_directory_pages import OPTIONS, SCHEMA, VOCAB, acceptance, organization, provider

PUBLISHED = REPO_ROOT / "directory_data"


def also(row: Entry, quote: str, notes: str = "") -> Entry:
    """A line of sources.csv: another page that states what ``row`` says."""
    values = dict.fromkeys(SCHEMA.table("sources").column_names, "")
    values.update(
        table=row.table,
        id=row.id,
        source_url="https://example.org/also",
        source_kind="third-party",
        source_quote=quote,
        verified_on="2026-11-10",
        notes=notes,
    )
    return Entry("sources", 2, values)


def content_of(*entries: Entry) -> str:
    """The record content of the first entry, in a directory of ``entries``."""
    view = DirectoryView.of(Directory(entries + VOCAB, ()), SCHEMA, OPTIONS)
    first = next(e for e in view.entries if (e.table, e.id) == (entries[0].table, entries[0].id))
    return record_content(view, first)


SHARED_SOURCE = {k: v for k, v in organization("o", "B").values.items() if k.startswith("source")}
BOARD = organization("o", "Example Board")
TEXAS = provider("p", "Example Provider", region="TX", website="https://example.org", notes="Runs courses")


@pytest.mark.parametrize(
    ("entries", "content"),
    [
        # name; what it is and where (the place once, not again as facts); the facts, as shown; its source's words
        (
            (TEXAS,),
            "Example Provider. Provider · IACET accredited provider · Texas, United States. https://example.org. "
            "Runs courses. quoted words.",
        ),
        # what an organization accepts, with its conditions, notes and the rule's own source, first
        (
            (BOARD, acceptance("o", notes="Renewal only")),
            "Example Board. Organization · United States. IACET CEU. Up to half the hours. Renewal only. "
            "rule words. Licensing board. org words.",
        ),
        # an acceptance cited from the listing's own source: the words once, as the profile shows them
        (
            (BOARD, acceptance("o", **SHARED_SOURCE)),
            "Example Board. Organization · United States. IACET CEU. Up to half the hours. Licensing board. "
            "org words.",
        ),
        # other pages that say the same, with their notes, after the row's own source
        (
            (TEXAS, also(TEXAS, "also quoted words", "A newer page")),
            "Example Provider. Provider · IACET accredited provider · Texas, United States. https://example.org. "
            "Runs courses. quoted words. also quoted words. A newer page.",
        ),
        # a sentence keeps its own stop (inside quotes too); blank space and line breaks are one space
        (
            (provider("q", "Q Academy", source_quote="Is it 'accredited?'", notes="Two\n  lines."),),
            "Q Academy. Provider · IACET accredited provider · United States. Two lines. Is it 'accredited?'",
        ),
    ],
)
def test_the_record_holds_the_entrys_own_words(entries: tuple[Entry, ...], content: str) -> None:
    assert content_of(*entries) == content


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("quoted words", "quoted words."),
        ("Done.", "Done."),
        ("Really?", "Really?"),
        ("(as stated.)", "(as stated.)"),
        ("“quoted!”", "“quoted!”"),
        ("https://example.org/pdus/", "https://example.org/pdus/."),
        ("  two\n lines ", "two lines."),
        ("", ""),
    ],
)
def test_each_part_is_one_sentence(text: str, said: str) -> None:
    assert sentence(text) == said


# --------------------------------------------------------------------------- the published data


@pytest.fixture(scope="module")
def published() -> DirectoryView:
    today = dt.date(2026, 11, 23)
    schema = load_schema(PUBLISHED)
    return DirectoryView.of(validate_directory(PUBLISHED, schema, today), schema, SiteOptions(today=today))


#: Sentences every profile repeats: searching one must not find every entry.
REPEATED = ("Verified on", "the day someone read this source", "Status as of", DISCLAIMER)


def test_one_record_per_published_entry_with_the_views_own_values(published: DirectoryView) -> None:
    records = list(search_records(published))
    assert len(records) == len(published.entries) > 0
    assert len({record.url for record in records}) == len(records)
    opening = published.opening("directory/index.md", len(published.entries))["first"]
    for entry, record, first in zip(published.entries, records, opening, strict=True):
        assert record.url == "/" + page_url(profile_uri(entry))
        assert record.filters == published.filters(entry)
        assert record.meta == published.meta(entry) == first["meta"]
        assert record.sort == {"name": entry.name.lower(), "verified": entry.values["verified_on"]}
        assert record.language == "en"
        assert record.content.startswith(sentence(entry.name) + " ")
        assert sentence(entry.values["source_quote"]) in record.content
        assert not [said for said in REPEATED if said in record.content], record.url


def test_the_opening_view_counts_what_the_records_filter(published: DirectoryView) -> None:
    counts: dict[str, dict[str, int]] = {}
    for record in search_records(published):
        for name, values in record.filters.items():
            for value in values:
                counts.setdefault(name, {}).setdefault(value, 0)
                counts[name][value] += 1
    assert published.opening("directory/index.md", 1)["counts"] == counts
