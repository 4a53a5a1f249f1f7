"""Directory pages: links that work at any depth, data that cannot inject markup."""

from __future__ import annotations

import pytest

from directory.pages import (
    directory_pages,
    listing_uri,
    page_url,
    relative_url,
    template_environment,
)
from directory.records import Directory, Entry
from directory.schema import load_schema
from tests.conftest import REPO_ROOT

SCHEMA = load_schema(REPO_ROOT / "directory_data")
ENV = template_environment(REPO_ROOT / "site_src" / "directory")
HOSTILE = '<script>alert("x")</script> & </title><b>Co'


def provider(entry_id: str, name: str, **values: str) -> Entry:
    base = dict.fromkeys(SCHEMA.table("providers").column_names, "")
    base.update(
        id=entry_id,
        name=name,
        country="US",
        source_url="https://example.org/source",
        source_kind="official",
        source_quote="quoted words",
        verified_on="2026-11-01",
    )
    base.update(values)
    return Entry("providers", 2, base)


@pytest.mark.parametrize(
    ("src", "url"),
    [
        ("directory/index.md", "directory/"),
        ("directory/page/3.md", "directory/page/3/"),
        ("directory/providers/ieee.md", "directory/providers/ieee/"),
    ],
)
def test_page_urls(src, url):
    assert page_url(src) == url


def test_relative_links_between_generated_pages():
    assert relative_url("directory/index.md", "directory/providers/ieee.md") == "../directory/providers/ieee/"
    assert relative_url("directory/page/2.md", "directory/index.md") == "../../../directory/"
    assert listing_uri(1) == "directory/index.md"


def test_listing_paginates_by_the_given_size():
    entries = tuple(provider(f"p-{n:03}", f"Provider {n:03}") for n in range(250))
    pages = [
        p for p in directory_pages(Directory(entries, ()), SCHEMA, ENV, 100) if "/providers/" not in p.src_uri
    ]
    assert [p.src_uri for p in pages] == ["directory/index.md", "directory/page/2.md", "directory/page/3.md"]
    assert [p.content.count('<tr><td><a href="') for p in pages] == [100, 100, 50]


def test_hostile_strings_are_escaped_everywhere():
    entry = provider("hostile", HOSTILE, notes=HOSTILE, website="javascript:alert(1)")
    pages = {p.src_uri: p.content for p in directory_pages(Directory((entry,), ()), SCHEMA, ENV, 100)}
    profile = pages["directory/providers/hostile.md"]
    assert "<script>" not in profile and "</title>" not in profile and "<b>" not in profile
    assert "&lt;script&gt;" in profile
    assert 'href="javascript:' not in profile
    assert "<script>" not in pages["directory/index.md"]


def test_front_matter_title_is_escaped_json():
    entry = provider("quoted", 'A "quoted": name # not a comment')
    page = next(
        p
        for p in directory_pages(Directory((entry,), ()), SCHEMA, ENV, 100)
        if p.src_uri.endswith("quoted.md")
    )
    assert page.content.startswith('---\ntitle: "A \\"quoted\\": name # not a comment"\n---\n')
