"""Directory pages: links that work at any depth, data that cannot inject markup."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import urllib.parse
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from mkdocs.utils.meta import get_data

from directory.badges import badge_files
from directory.bidi import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE
from directory.check_report import iacet_record_url
from directory.pages import directory_pages
from directory.profile_pages import iacet_url, report_url
from directory.records import Directory, Entry
from directory.schema import load_schema
from directory.search_records import search_records
from directory.site_files import listing_uri, page_url, relative_url, yaml_string
from directory.status import provider_status, provider_statuses
from directory.templates import template_environment
from directory.view import DirectoryView, SiteOptions
from tests.conftest import REPO_ROOT

SCHEMA = load_schema(REPO_ROOT / "directory_data")
ENV = template_environment(REPO_ROOT / "site_src" / "directory")
OPTIONS = SiteOptions(
    today=dt.date(2026, 11, 23),
    per_page=100,
    repository="https://github.com/openceu/openceu",
    iacet_directory_url="https://iacet.example/list/",
    iacet_provider_url="https://iacet.example/provider?id={number}",
    site_url="https://openceu.example/prefix/",
)
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
        standing="accredited",
        verified_on="2026-11-01",
    )
    base.update(values)
    return Entry("providers", 2, base)


def listed_by_iacet(entry: Entry, checked_on: str = "2026-11-20") -> Entry:
    """A line of checks.csv: IACET's record for the provider's number named it, on ``checked_on``.

    The strongest evidence of good standing there is (directory/status.py), whatever the row's
    own source and dates: how tests make a provider in good standing.
    """
    return Entry(
        "checks",
        2,
        {
            "table": "providers",
            "id": entry.id,
            "check": "iacet-record",
            "checked_on": checked_on,
            "url": iacet_record_url(entry, OPTIONS.iacet_provider_url),
            "http_status": "200",
            "final_url": "",
            "outcome": "name-listed",
            "detail": "",
        },
    )


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
        p
        for p in directory_pages(Directory(entries, ()), SCHEMA, ENV, OPTIONS)
        if "/providers/" not in p.src_uri
    ]
    pages = [p for p in pages if p.src_uri.startswith(("directory/index", "directory/page/"))]
    assert [p.src_uri for p in pages] == ["directory/index.md", "directory/page/2.md", "directory/page/3.md"]
    assert [p.body().count('<tr><td><a href="') for p in pages] == [100, 100, 50]


def test_hostile_strings_are_escaped_everywhere():
    entry = provider("hostile", HOSTILE, notes=HOSTILE, website="javascript:alert(1)")
    pages = {
        p.src_uri: p.content + p.body()
        for p in directory_pages(Directory((entry,), ()), SCHEMA, ENV, OPTIONS)
    }
    profile = pages["directory/providers/hostile.md"]
    assert "<script>" not in profile and "</title>" not in profile and "<b>" not in profile
    assert "&lt;script&gt;" in profile
    assert 'href="javascript:' not in profile
    assert "<script>" not in pages["directory/index.md"]


def test_front_matter_title_is_escaped_json():
    entry = provider("quoted", 'A "quoted": name # not a comment')
    page = next(
        p
        for p in directory_pages(Directory((entry,), ()), SCHEMA, ENV, OPTIONS)
        if p.src_uri.endswith("quoted.md")
    )
    assert page.content.startswith('---\ntitle: "A \\"quoted\\": name # not a comment"\n---\n')


def organization(entry_id: str, name: str, **values: str) -> Entry:
    base = dict.fromkeys(SCHEMA.table("organizations").column_names, "")
    base.update(
        id=entry_id,
        name=name,
        kind="licensing-board",
        country="US",
        source_url="https://example.org/org",
        source_kind="official",
        source_quote="org words",
        verified_on="2026-11-01",
    )
    base.update(values)
    return Entry("organizations", 2, base)


def acceptance(org_id: str, **values: str) -> Entry:
    base = dict.fromkeys(SCHEMA.table("acceptances").column_names, "")
    base.update(
        id=f"{org_id}-iacet-ceu",
        organization_id=org_id,
        credit_type="iacet-ceu",
        conditions="Up to half the hours.",
        source_url="https://example.org/rule",
        source_kind="official",
        source_date="2025-01",
        source_quote="rule words",
        verified_on="2026-11-01",
    )
    base.update(values)
    return Entry("acceptances", 2, base)


VOCAB = (
    Entry(
        "vocabularies",
        2,
        {"vocabulary": "credit-type", "id": "iacet-ceu", "label": "IACET CEU", "description": ""},
    ),
    Entry(
        "vocabularies",
        3,
        {
            "vocabulary": "organization-kind",
            "id": "licensing-board",
            "label": "Licensing board",
            "description": "",
        },
    ),
)


def pages_of(*entries: Entry, options: SiteOptions = OPTIONS) -> dict[str, str]:
    return {
        p.src_uri: p.content + p.body()
        for p in directory_pages(Directory(entries + VOCAB, ()), SCHEMA, ENV, options)
    }


def filters_of(*entries: Entry) -> dict[str, list[str]]:
    """Each entry's search filters, ``name:value`` in record order, by its profile's address."""
    view = DirectoryView.of(Directory(entries + VOCAB, ()), SCHEMA, OPTIONS)
    return {
        record.url: [f"{name}:{value}" for name, values in record.filters.items() for value in values]
        for record in search_records(view)
    }


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (1, ["1", "2", "3", "4", "…", "1000"]),
        (500, ["1", "…", "497", "498", "499", "500", "501", "502", "503", "…", "1000"]),
        (1000, ["1", "…", "997", "998", "999", "1000"]),
    ],
)
def test_pagination_shows_a_bounded_window(number, shown):
    from directory.pagination import page_links

    links = page_links("directory/index.md", "", number, 1000)
    assert ["…" if link["gap"] else str(link["number"]) for link in links] == shown
    assert [link["number"] for link in links if not link["gap"] and link["current"]] == [number]


def source_check(entry: Entry, outcome: str, checked_on: str) -> Entry:
    """A line of checks.csv: the check of the entry's current source on that day."""
    values = {
        "table": entry.table,
        "id": entry.id,
        "check": "source",
        "checked_on": checked_on,
        "url": entry.values["source_url"],
        "http_status": "200",
        "final_url": "",
        "outcome": outcome,
        "detail": "",
    }
    return Entry("checks", 2, values)


def test_a_provider_profile_shows_status_rule_and_date():
    row = provider("p", "Example Provider", source_date="2026-03")
    pages = pages_of(row, source_check(row, "quote-present", "2026-11-20"))
    profile = pages["directory/providers/p.md"]
    assert (
        'Status as of <time datetime="2026-11-23">2026-11-23</time>: <strong>In good standing</strong>'
        in profile
    )
    assert (
        "status:In good standing"
        in filters_of(row, source_check(row, "quote-present", "2026-11-20"))["/directory/providers/p/"]
    )
    assert "The provider&#39;s own page, dated 2026-03 (within 12 months of 2026-11-23)" in profile
    assert "the quoted words were found on it when checked on 2026-11-20" in profile


def test_a_recent_page_nobody_has_checked_is_unverified_on_its_profile():
    profile = pages_of(provider("p", "Example Provider", source_date="2026-03"))["directory/providers/p.md"]
    assert ": <strong>Unverified</strong></h2>" in profile
    assert "no check within 12 months has found the quoted words on it yet" in profile


#: A made-up Ed25519 key (the did:key spec's example); no provider publishes one yet.
SIGNING_KEY = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def test_a_provider_s_signing_key_is_shown_with_its_source_and_only_when_stated():
    source = 'https://provider.example/keys?a=1&b="2"'
    keyed = provider("p", "Example Provider", issuer_did=SIGNING_KEY, issuer_did_source=source)
    profile = pages_of(keyed)["directory/providers/p.md"]
    section = profile[profile.index('<section class="directory-issuer-key"') :]
    section = section[: section.index("</section>")]
    assert f'<code class="directory-did" dir="ltr" translate="no">{SIGNING_KEY}</code>' in section
    escaped = escape(source)  # as the templates escape
    assert f'Stated by <a href="{escaped}" rel="nofollow noopener"><bdi>{escaped}</bdi></a>' in section
    facts = profile[profile.index('<dl class="directory-facts">') : profile.index("</dl>")]
    assert SIGNING_KEY not in facts, "shown once, in its own section"
    plain = pages_of(provider("p", "Example Provider"))["directory/providers/p.md"]
    assert "directory-issuer-key" not in plain and "signing key" not in plain


def test_a_stale_row_warns_on_its_profile():
    pages = pages_of(provider("p", "Example Provider", verified_on="2024-01-02"))
    assert "last verified on 2024-01-02, more than 12 months ago" in pages["directory/providers/p.md"]


def test_each_entrys_search_record_carries_its_filters():
    entries = (
        provider("p", "Example Provider", region="TX"),
        organization("o", "Example Board", region="TX"),
        acceptance("o"),
        acceptance("o", credit_type="iacet-ceu", conditions="again"),  # one credit type counts once
    )
    pages = pages_of(*entries)
    filters = filters_of(*entries)
    provider_page = pages["directory/providers/p.md"]
    # The page shows names; the filters get the codes, so counts and shared URLs stay stable.
    assert filters["/directory/providers/p/"] == [
        "type:Provider",
        "status:Unverified",
        "country:US",
        "region:US-TX",
        "check:Not checked yet",
    ]
    assert (
        "<dd><bdi>United States</bdi></dd>" in provider_page and "<dd><bdi>Texas</bdi></dd>" in provider_page
    )
    assert "Provider · IACET accredited provider · <bdi>Texas, United States</bdi></p>" in provider_page
    assert filters["/directory/organizations/o/"] == [
        "type:Organization",
        "kind:Licensing board",
        "country:US",
        "region:US-TX",
        "credit:IACET CEU",
        "check:Not checked yet",
    ]
    assert "pagefind" not in provider_page + pages["directory/organizations/o.md"]  # nothing to crawl back


def test_the_directory_opens_with_the_counts_and_first_results_the_search_records_hold():
    entries = [provider(f"p{n}", f"Provider {n:02}", region="TX" if n % 2 else "") for n in range(25)]
    pages = pages_of(*entries, organization("o", "Aardvark Board"), acceptance("o"))
    found = re.search(
        r'<script type="application/json" id="directory-opening">(.*?)</script>', pages["directory/index.md"]
    )
    assert found, "no opening view on the directory's home"
    opening = json.loads(found.group(1))
    declared: dict[str, dict[str, int]] = {}
    for items in filters_of(*entries, organization("o", "Aardvark Board"), acceptance("o")).values():
        for item in items:
            name, _, value = item.partition(":")
            declared.setdefault(name, {}).setdefault(value, 0)
            declared[name][value] += 1
    assert opening["counts"] == declared
    assert opening["counts"]["region"] == {"US-TX": 12} and opening["total"] == 26
    assert [item["meta"]["title"] for item in opening["first"]] == ["Aardvark Board"] + [
        f"Provider {n:02}" for n in range(19)
    ]
    assert opening["first"][1] == {
        "url": "../directory/providers/p0/",  # as the listing links it (from the folder it is served in)
        "meta": {
            "title": "Provider 00",
            "type": "Provider",
            "place": "United States",
            "verified": "2026-11-01",
            "status": "Unverified",
        },
    }
    # Only page 1 opens the search; later pages are the plain listing.
    assert not any("directory-opening" in page for uri, page in pages.items() if "/page/" in uri)


def test_data_cannot_close_the_opening_views_script():
    pages = pages_of(provider("p", "</script><script>alert(1)</script>"))
    home = pages["directory/index.md"]
    assert "</script><script>alert(1)" not in home
    found = re.search(r'id="directory-opening">(.*?)</script>', home)
    assert (
        found
        and json.loads(found.group(1))["first"][0]["meta"]["title"] == "</script><script>alert(1)</script>"
    )


def test_related_entries_share_a_region_or_a_credit_type():
    pages = pages_of(
        provider("p1", "Alpha Provider", region="TX"),
        provider("p2", "Beta Provider", region="TX"),
        provider("p3", "Gamma Provider", region="CA"),
        organization("o1", "Board One", region="NY"),
        organization("o2", "Board Two", region="WA"),
        acceptance("o1"),
        acceptance("o2"),
    )
    alpha = pages["directory/providers/p1.md"]
    assert (
        "Also in <bdi>Texas, United States</bdi>" in alpha
        and "Beta Provider" in alpha
        and "Gamma Provider" not in alpha
    )
    board = pages["directory/organizations/o1.md"]
    assert "Other organizations that accept <bdi>IACET CEU</bdi>" in board and "Board Two" in board


def test_report_link_prefills_the_issue_form():
    entry = provider("p", "Example & Co")
    url = report_url(entry, OPTIONS)
    assert url.startswith("https://github.com/openceu/openceu/issues/new?")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["template"] == ["report-problem.yml"]
    assert query["title"] == ["Problem: Example & Co"]
    assert query["entry"] == ["https://openceu.example/prefix/directory/providers/p/ (providers/p)"]


def test_iacet_link_uses_the_provider_number_when_known():
    assert iacet_url(provider("p", "P", iacet_provider_number="131618"), OPTIONS) == (
        "https://iacet.example/provider?id=131618"
    )
    assert iacet_url(provider("p", "P"), OPTIONS) == "https://iacet.example/list/"


def test_organization_pages_and_empty_lists_carry_the_disclaimer():
    pages = pages_of(organization("o", "Example Board"), acceptance("o"))
    disclaimer = "Not listed does not mean not accepted: confirm with the organization before you enrol."
    assert disclaimer in pages["directory/organizations/o.md"]
    assert disclaimer in pages["directory/index.md"]  # shown with empty search results too
    assert disclaimer in pages["directory/matrix/index.md"]


def test_matrix_cells_carry_conditions_and_citation():
    pages = pages_of(organization("o", "Example Board"), organization("o2", "Other Board"), acceptance("o"))
    matrix = pages["directory/matrix/index.md"]
    assert "Up to half the hours." in matrix
    assert 'href="https://example.org/rule"' in matrix and "2025-01" in matrix
    assert "Not in the directory" in matrix  # the row without an acceptance


def test_pages_by_country_and_credit_type():
    pages = pages_of(
        provider("p", "Example Provider", country="CA", region="ON"),
        organization("o", "Example Board"),
        acceptance("o"),
    )
    assert "Example Provider" in pages["directory/country/ca/index.md"]
    assert "Example Board" in pages["directory/country/us/index.md"]
    assert "><bdi>Canada</bdi></a> (1)" in pages["directory/country/index.md"]
    assert "Ontario, Canada" in pages["directory/country/ca/index.md"]
    credit = pages["directory/credit-type/iacet-ceu/index.md"]
    assert "Example Board" in credit and "Up to half the hours." in credit


# --- data text is isolated --------------------------------------------------------------------

#: HEBREW LETTER ALEF: a right-to-left letter around every piece of data in the pages below.
MARK = "\u05d0"
#: Elements with no end tag.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def tagged(name: str) -> str:
    return f"{MARK}{name}{MARK}"


class _IsolationCheck(HTMLParser):
    """Collects every text holding data (MARK) that is not inside a <bdi> or a dir="auto" block."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.exposed: list[str] = []
        self.isolated = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.stack.append((tag, tag == "bdi" or ("dir", "auto") in attrs))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if MARK not in data or (self.stack and self.stack[-1][0] == "script"):
            return  # a script's text (the profile's JSON-LD) is data for machines, never shown
        if any(isolating for _, isolating in self.stack):
            self.isolated += 1
            return
        # Code shown as text (the badge snippet) cannot hold markup: Unicode isolates instead.
        bare = re.sub(
            f"{FIRST_STRONG_ISOLATE}[^{POP_DIRECTIONAL_ISOLATE}]*{POP_DIRECTIONAL_ISOLATE}", "", data
        )
        if MARK in bare:
            self.exposed.append(f"{data.strip()[:80]!r} in {' > '.join(tag for tag, _ in self.stack)}")
        else:
            self.isolated += 1


def tagged_directory() -> tuple[Entry, ...]:
    """One provider and two organizations whose every piece of shown text is tagged."""
    text_columns = {
        table: [
            column.name
            for column in SCHEMA.table(table).columns
            if column.type in ("text", "list") and column.name != "name"
        ]
        for table in ("providers", "organizations", "acceptances")
    }

    def tags(table: str) -> dict[str, str]:
        return {name: tagged(f"{table}-{name}") for name in text_columns[table]}

    vocabulary = tuple(
        Entry("vocabularies", n, {"vocabulary": v, "id": t, "label": tagged(f"label-{t}"), "description": ""})
        for n, (v, t) in enumerate(
            [
                ("credit-type", "iacet-ceu"),
                ("organization-kind", "licensing-board"),
                ("delivery-mode", "online"),
            ],
            start=2,
        )
    )
    # In good standing, so its profile shows the badge snippet. Its number is left untagged: the
    # status rule names it in a sentence of status.py's own words.
    standing = provider("p3", tagged("provider-in-good-standing"), region="TX", iacet_provider_number="4242")
    return (
        provider("p", tagged("provider-name"), region="TX", delivery_modes="online", **tags("providers")),
        provider("p2", tagged("other-provider"), region="TX"),
        standing,
        listed_by_iacet(standing),
        organization("o", tagged("org-name"), region="TX", **tags("organizations")),
        organization("o2", tagged("org-two"), region="TX"),
        acceptance("o", **tags("acceptances")),
        acceptance("o2"),
        *vocabulary,
    )


def test_every_piece_of_data_text_is_isolated_on_every_page():
    pages = list(directory_pages(Directory(tagged_directory(), ()), SCHEMA, ENV, OPTIONS))
    exposed: dict[str, list[str]] = {}
    isolated = 0
    for page in pages:
        check = _IsolationCheck()
        check.feed(page.body())
        check.close()
        isolated += check.isolated
        if check.exposed:
            exposed[page.src_uri] = check.exposed
    assert not exposed, "data text outside <bdi>/dir=auto:\n" + "\n".join(
        f"{uri}: {item}" for uri, items in exposed.items() for item in items
    )
    assert isolated > 50  # the marks were found: the check looked at real data


def front_matter_title(page: str) -> str:
    """The title as MkDocs reads it from the page's front matter (HTML-escaped, as Material needs)."""
    _, meta = get_data(page)
    title: str = meta["title"]
    return html.unescape(title)


@settings(max_examples=500)
@given(st.text())
def test_any_text_survives_the_front_matter_as_yaml(text):
    _, meta = get_data(f"---\ntitle: {yaml_string(text)}\nother: 1\n---\nbody")
    assert meta == {"title": text, "other": 1}


def test_a_title_beyond_the_basic_plane_is_kept():
    # JSON's surrogate pairs read back in YAML as lone surrogates, and MkDocs then fell back to
    # the file's name ("Synthetic provider 000041") for the title.
    pages = pages_of(provider("p", "Training \U0001f680 Center"))
    assert 'title: "Training \\U0001f680 Center"' in pages["directory/providers/p.md"]
    assert front_matter_title(pages["directory/providers/p.md"]) == "Training \U0001f680 Center"


def test_page_titles_isolate_right_to_left_data():
    pages = {p.src_uri: p for p in directory_pages(Directory(tagged_directory(), ()), SCHEMA, ENV, OPTIONS)}
    profile = front_matter_title(pages["directory/providers/p.md"].content)
    assert profile == f"{FIRST_STRONG_ISOLATE}{tagged('provider-name')}{POP_DIRECTIONAL_ISOLATE}"
    credit = front_matter_title(pages["directory/credit-type/iacet-ceu/index.md"].content)
    assert (
        credit
        == f"Organizations that accept {FIRST_STRONG_ISOLATE}{tagged('label-iacet-ceu')}{POP_DIRECTIONAL_ISOLATE}"
    )
    plain = next(
        p for p in directory_pages(Directory((provider("q", "Plain Name"),), ()), SCHEMA, ENV, OPTIONS)
    )
    assert FIRST_STRONG_ISOLATE not in front_matter_title(
        plain.content
    )  # left-to-right titles stay as they were


def test_a_direction_override_in_a_name_ends_inside_its_bdi():
    # In good standing, so its profile offers the badge snippet: code shown as text, isolated
    # with Unicode's isolates since a <textarea> cannot hold a <bdi>.
    evil = provider("p", "Evil\u202eCorp", iacet_provider_number="77")
    pages = pages_of(evil, listed_by_iacet(evil), provider("p2", "Next Provider"))
    listing = pages["directory/index.md"]
    assert "<bdi>Evil\u202eCorp</bdi></a>" in listing
    assert (
        f"{FIRST_STRONG_ISOLATE}Evil\u202eCorp{POP_DIRECTIONAL_ISOLATE}" in pages["directory/providers/p.md"]
    )


# --- the export index -------------------------------------------------------------------------


def test_the_export_index_lists_every_export_with_its_size_and_a_link():
    pages = pages_of(
        provider("p", "Example Provider"),
        provider("p2", "Second Provider"),
        organization("o", "Example Board"),
        acceptance("o"),
    )
    index = pages["directory/export/index.md"]
    assert index.startswith('---\ntitle: "Download the directory"\n---\n')
    rows = re.findall(
        r'<tr><td><a href="([^"]+)"( download)?><code>([^<]+)</code></a></td><td>([^<]+)</td><td>([^<]+)</td></tr>',
        index,
    )
    assert [(href, name, size) for href, _, name, _, size in rows] == [
        ("../../directory/export/providers.csv", "providers.csv", "2 rows"),
        ("../../directory/export/organizations.csv", "organizations.csv", "1 row"),
        ("../../directory/export/acceptances.csv", "acceptances.csv", "1 row"),
        ("../../directory/export/sources.csv", "sources.csv", "0 rows"),
        ("../../directory/export/schema.json", "schema.json", "4 record types"),
        ("../../directory/export/directory.json", "directory.json", "3 entries"),
    ]
    assert [bool(download) for _, download, *_ in rows] == [True, True, True, True, False, False]
    assert all(len(description) > 40 for *_, description, _ in rows)
    assert "then status, status_rule, status_as_of" in index
    # Every listing links to it, from any depth.
    assert 'href="../directory/export/">What each file holds</a>' in pages["directory/index.md"]


# --- country and region names -------------------------------------------------------------------


def test_countries_are_listed_by_name_with_urls_by_code():
    pages = pages_of(
        provider("eg", "Cairo Provider", country="EG"),
        provider("us", "Texas Provider", region="TX"),
        provider("de", "Berlin Provider", country="DE", region="BE"),
        provider("zz", "Nowhere Provider", country="ZZ"),  # not in ISO 3166-1: shown as its code
    )
    index = pages["directory/country/index.md"]
    shown = re.findall(r'<a href="([^"]+)"><bdi>([^<]+)</bdi></a> \((\d+)\)', index)
    assert shown == [
        ("../../directory/country/eg/", "Egypt", "1"),
        ("../../directory/country/de/", "Germany", "1"),
        ("../../directory/country/us/", "United States", "1"),
        ("../../directory/country/zz/", "ZZ", "1"),
    ]
    assert "ISO 3166-1 codes" not in index
    us = pages["directory/country/us/index.md"]
    assert front_matter_title(us) == "Directory: United States"
    assert "<h1>Directory: <bdi>United States</bdi></h1>" in us
    assert "<td><bdi>Texas, United States</bdi></td>" in us
    assert "<bdi>Berlin, Germany</bdi>" in pages["directory/country/de/index.md"]


def test_the_search_page_names_the_coded_filter_values():
    pages = pages_of(
        provider("us", "Texas Provider", region="TX"),
        provider("eg", "Cairo Provider", country="EG"),
        provider("odd", "Odd Provider", region="Q9"),  # a region ISO does not know keeps its code
    )
    home = pages["directory/index.md"]
    found = dict(re.findall(r"data-filter=\"(country|region)\" data-labels='([^']*)'", home))
    assert json.loads(html.unescape(found["country"])) == {"EG": "Egypt", "US": "United States"}
    assert json.loads(html.unescape(found["region"])) == {
        "US-Q9": "Q9, United States",
        "US-TX": "Texas, United States",
    }


def test_profiles_name_the_country_and_region():
    pages = pages_of(organization("o", "Example Board", country="EG", region="C"), acceptance("o"))
    profile = pages["directory/organizations/o.md"]
    assert "<dt>Country</dt>" in profile
    assert "<bdi>Egypt</bdi></dd>" in profile and "<bdi>Al Qāhirah</bdi></dd>" in profile
    assert ">EG<" not in profile and "EG-C<" not in profile


# --- profiles lead with the answer ------------------------------------------------------------


def credit_system(system_id: str, **values: str) -> Entry:
    """A row of credit_systems.csv: a body's unit and counting rule."""
    base = dict.fromkeys(SCHEMA.table("credit_systems").column_names, "")
    base.update(
        id=system_id,
        body="Example Society",
        unit="PDC",
        kind="body-rule",
        minutes_per_unit="60",
        source_url="https://example.org/rule-text",
        source_kind="official",
        source_quote="1 hour = 1 PDC",
        verified_on="2026-11-01",
    )
    base.update(values)
    return Entry("credit_systems", 2, base)


def requirement(system_id: str) -> Entry:
    """A row of requirements.csv: a credential's recertification requirement counted in ``system_id``."""
    base = dict.fromkeys(SCHEMA.table("requirements").column_names, "")
    base.update(
        id=f"{system_id}-renewal",
        credit_system=system_id,
        credential="EX-CP",
        cycle_months="36",
        amount="60",
        source_url="https://example.org/renewal",
        source_kind="official",
        source_quote="60 every three years",
        verified_on="2026-11-01",
    )
    return Entry("requirements", 2, base)


#: Elements that start a new line of text.
_BLOCKS = {"p", "li", "h2", "h3", "summary", "dt", "dd", "blockquote", "ul"}


class _Text(HTMLParser):
    """The text of every element with a given class, tags dropped (as a visitor reads it)."""

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag not in _VOID
            if tag in _BLOCKS:
                self.found[-1] += " "
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1] += data


def texts(page: str, css_class: str) -> list[str]:
    parser = _Text(css_class)
    parser.feed(page.split("\n---\n", 1)[-1])
    return [" ".join(text.split()) for text in parser.found]


def answer_links(page: str) -> list[str]:
    """The names of the links under a profile's answer, in order."""
    found = re.search(r'<ul class="directory-answer-links"[^>]*>(.*?)</ul>', page, re.S)
    return (
        [re.sub(r"<[^>]+>", "", name) for name in re.findall(r"<a [^>]*>(.*?)</a>", found.group(1))]
        if found
        else []
    )


@pytest.mark.parametrize(
    ("system", "verdict"),
    [
        # SHRM's shape: a credential with a renewal requirement, 60 minutes a unit in quarter steps.
        (
            {"credential": "EX-CP/EX-SCP", "increment": "0.25", "renewal": "yes"},
            "Accepts IACET CEUs toward EX-CP/EX-SCP renewal · 1 IACET CEU = 10 PDC",
        ),
        ({"credential": "EX-CP"}, "Accepts IACET CEUs toward EX-CP · 1 IACET CEU = 10 PDC"),
        ({"renewal": "yes", "unit": "PDU"}, "Accepts IACET CEUs toward renewal · 1 IACET CEU = 10 PDU"),
        # NBCOT's shape: a multiplier under a condition.
        (
            {"unit": "PDU", "multiplier": "1.25", "multiplier_condition": "the course ends with a test"},
            "Accepts IACET CEUs · 1 IACET CEU = 10 PDU (12.5 PDU when the multiplier applies)",
        ),
        # NASBA's shape: 50-minute credits in fifths, rounded down.
        (
            {"unit": "CPE credit", "minutes_per_unit": "50", "increment": "0.2", "rounding": "down"},
            "Accepts IACET CEUs · 1 IACET CEU = 12 CPE credit",
        ),
        # Nothing the rule cannot say: no rate, or a step with no rounding that 10 hours does not fill.
        ({"minutes_per_unit": ""}, "Accepts IACET CEUs"),
        ({"minutes_per_unit": "45", "increment": "1"}, "Accepts IACET CEUs"),
        # Counted in the credit itself: no "1 IACET CEU = 1 IACET CEU".
        (
            {"unit": "IACET CEU", "minutes_per_unit": "600", "increment": "0.1", "rounding": "half-up"},
            "Accepts IACET CEUs",
        ),
        (None, "Accepts IACET CEUs"),  # no credit system at all
    ],
)
def test_an_organization_opens_with_its_verdict_from_its_rows(system, verdict):
    rows = [organization("o", "Example Board"), acceptance("o", credit_system="ex-rule" if system else "")]
    if system is not None:
        rule = {key: value for key, value in system.items() if key != "renewal"}
        rows.append(credit_system("ex-rule", **rule))
        renewal = "renewal" in system  # a requirement counts in the rule: "toward ... renewal"
        if renewal:
            rows.append(requirement("ex-rule"))
    profile = pages_of(*rows)["directory/organizations/o.md"]
    assert texts(profile, "directory-verdict") == [verdict]
    # Right under the name: before the kind line, the conditions and the facts.
    answer = profile.index('class="directory-verdict"')
    assert (
        profile.index("</h1>") < answer < profile.index("directory-kind") < profile.index("directory-facts")
    )


def test_the_answer_links_the_calculator_set_to_the_rule_before_anything_else():
    profile = pages_of(
        organization("o", "Example Board", notes="A long note. " * 50),
        acceptance("o", credit_system="ex-rule"),
        credit_system("ex-rule", increment="0.25"),
    )["directory/organizations/o.md"]
    assert answer_links(profile) == ["Calculate in PDC"]
    assert profile.index(
        'href="../../../calculator/?rule=ex-rule">Calculate in <bdi>PDC</bdi></a>'
    ) < profile.index("A long note.")
    assert profile.count("Calculate in") == 1  # the rule below names the unit without a second link


def test_an_organization_without_an_acceptance_says_the_directory_holds_no_source():
    profile = pages_of(organization("o", "Example Board"))["directory/organizations/o.md"]
    assert texts(profile, "directory-verdict") == [
        "No acceptance on record: the directory holds no source saying what this organization accepts."
    ]
    assert "Accepts" not in profile and "Calculate in" not in profile


@pytest.mark.parametrize(
    ("entries", "uri", "href"),
    [
        (
            (organization("o", "Example Board"), acceptance("o")),
            "directory/organizations/o.md",
            "../../../will-it-count/?body=o",
        ),
        (
            (provider("p", "Example Provider"),),
            "directory/providers/p.md",
            "../../../will-it-count/?provider=p",
        ),
    ],
)
def test_will_this_count_is_linked_only_when_the_site_has_the_page(entries, uri, href):
    with_page = SiteOptions(**{**OPTIONS.__dict__, "site_pages": frozenset({"index.md", "will-it-count.md"})})
    linked = pages_of(*entries, options=with_page)[uri]
    assert f'<a href="{href}">Will this count for you?</a>' in linked
    assert relative_url(uri, "will-it-count.md") + href.rpartition("/")[2] == href
    assert "Will this count" not in pages_of(*entries)[uri]  # no page, no dead link


def test_a_provider_opens_with_its_status_line_and_the_link_to_confirm_it():
    with_page = SiteOptions(**{**OPTIONS.__dict__, "site_pages": frozenset({"will-it-count.md"})})
    entry = provider("p", "Example Provider", notes="A note for learners.")
    profile = pages_of(entry, options=with_page)["directory/providers/p.md"]
    status = profile.index('class="directory-status directory-answer"')
    assert (
        profile.index("</h1>") < status < profile.index("directory-kind") < profile.index("directory-facts")
    )
    status = provider_status(entry, OPTIONS.today)
    (line,) = texts(profile, "directory-status")
    assert line.startswith(f"Status as of 2026-11-23: {status.label} Why: {' '.join(status.rule.split())}")
    assert answer_links(profile) == [
        "Confirm with IACET's own directory",
        "Will this count for you?",
        f"What “{status.label}” means",
    ]


def test_a_source_that_supports_the_listing_and_the_acceptance_is_printed_once():
    same = {key: value for key, value in organization("o", "B").values.items() if key.startswith("source")}
    shared = pages_of(organization("o", "Example Board"), acceptance("o", **same, verified_on="2026-11-01"))[
        "directory/organizations/o.md"
    ]
    assert shared.count("<blockquote") == 1 and shared.count('href="https://example.org/org"') == 1
    assert '<h2 id="source-heading">Source for this listing and for what it accepts</h2>' in shared
    assert texts(shared, "directory-source-shared") == ["Source: the same page as this listing's, below."]
    # Another page, or the same page for other words, is its own evidence: both are shown.
    for other in ({"source_url": "https://example.org/rule"}, {**same, "source_quote": "other words"}):
        apart = pages_of(organization("o", "Example Board"), acceptance("o", **other))[
            "directory/organizations/o.md"
        ]
        assert apart.count("<blockquote") == 2, other
        assert '<h2 id="source-heading">Source for this listing</h2>' in apart
        assert "directory-source-shared" not in apart


def test_how_an_entry_was_sourced_is_folded_apart_from_the_learners_notes():
    profile = pages_of(
        organization("o", "Example Board", notes="Undated page.", sourcing="Found with the query 'x y z'."),
        acceptance("o", notes="Applies to members.", sourcing="Read in a saved copy of the page."),
    )["directory/organizations/o.md"]
    details = profile[profile.index('<details class="directory-sourcing"') : profile.index("</details>")]
    assert "<summary>How this entry was sourced</summary>" in details
    assert " open" not in details.split(">", 1)[0]  # folded
    assert texts(profile, "directory-sourcing") == [
        "How this entry was sourced This listing Found with the query 'x y z'. "
        "What it accepts: IACET CEU Read in a saved copy of the page."
    ]
    assert "Undated page." in profile and "Undated page." not in details
    assert "Applies to members." in profile and "Applies to members." not in details
    assert "How this entry was sourced</dt>" not in profile  # not a fact among the others
    plain = pages_of(organization("o", "Example Board"), acceptance("o"))["directory/organizations/o.md"]
    assert "directory-sourcing" not in plain  # nothing to tell, no section


def additional_source(row: Entry, url: str, **values: str) -> Entry:
    """A row of sources.csv: another page that states what ``row`` states."""
    base = dict.fromkeys(SCHEMA.table("sources").column_names, "")
    base.update(
        table=row.table,
        id=row.id,
        source_url=url,
        source_kind="official",
        source_quote="also quoted words",
        verified_on="2026-11-10",
    )
    base.update(values)
    return Entry("sources", 2, base)


def test_a_profile_shows_each_additional_source_under_its_own_and_its_check():
    row = provider("p", "Example Provider", source_date="2019")
    newer = additional_source(
        row,
        "https://example.org/newer",
        source_date="2026-09",
        source_quote="newer words",
        notes="A newer page in IACET's current wording.",
        sourcing="Read in a saved copy of the page.",
    )
    unchecked = additional_source(row, "https://example.org/third", source_kind="third-party")
    found = Entry(
        "checks",
        2,
        {**source_check(row, "quote-present", "2026-11-20").values, "url": newer.values["source_url"]},
    )
    profile = pages_of(row, newer, unchecked, source_check(row, "quote-present", "2026-11-20"), found)[
        "directory/providers/p.md"
    ]
    section = profile[
        profile.index('id="source-heading"') : profile.index(
            "</section>", profile.index('id="source-heading"')
        )
    ]
    assert section.index("https://example.org/source") < section.index("Also stated by")
    assert texts(profile, "directory-also-source") == [
        "Also stated by https://example.org/newer (official, dated 2026-09) newer words Verified on 2026-11-10: "
        "the day someone read this source. It records what the source said then, not a current accreditation. "
        "A newer page in IACET's current wording. Source last checked 2026-11-20: quote still present.",
        "Also stated by https://example.org/third (third-party, undated) also quoted words Verified on "
        "2026-11-10: the day someone read this source. It records what the source said then, not a current "
        "accreditation. Not checked yet: the weekly check of every source has not reached this one since it "
        "was added.",
    ]
    assert profile.count('href="https://example.org/newer" rel="nofollow noopener"') == 1
    # The newer page, confirmed by its check, is what the status rests on; the old one alone would not do.
    assert ": <strong>In good standing</strong></h2>" in profile
    assert "own page at https://example.org/newer, dated 2026-09 (within 12 months of 2026-11-23)" in profile
    alone = pages_of(row, source_check(row, "quote-present", "2026-11-20"))["directory/providers/p.md"]
    assert ": <strong>Unverified</strong></h2>" in alone
    assert "directory-also-source" not in alone and "Also stated by" not in alone
    # How it was found is folded with the row's own account, saying which source it is about.
    assert texts(profile, "directory-sourcing") == [
        "How this entry was sourced This listing, also stated by https://example.org/newer "
        "Read in a saved copy of the page."
    ]


def test_an_acceptances_additional_source_is_shown_with_the_acceptance():
    accepted = acceptance("o")
    profile = pages_of(
        organization("o", "Example Board"),
        accepted,
        additional_source(accepted, "https://example.org/faq", source_quote="members may use IACET CEUs"),
    )["directory/organizations/o.md"]
    accepts = profile[
        profile.index('id="accepts-heading"') : profile.index(
            "</section>", profile.index('id="accepts-heading"')
        )
    ]
    assert (
        accepts.index("rule words")
        < accepts.index("Also stated by")
        < accepts.index("members may use IACET CEUs")
    )
    assert texts(profile, "directory-also-source")[0].startswith(
        "Also stated by https://example.org/faq (official, undated) members may use IACET CEUs Verified on"
    )
    assert "Not checked yet" not in accepts  # an acceptance's checks are not shown, its own source's neither


def in_good_standing() -> tuple[Entry, Entry]:
    entry = provider("p", "Example Provider", iacet_provider_number="4242")
    return entry, listed_by_iacet(entry)


@pytest.mark.parametrize(
    ("rows", "status", "why"),
    [
        (in_good_standing(), "good-standing", ""),
        ((provider("p", "Example Provider"),), "unverified", "this one is Unverified because"),
        (
            (provider("p", "Example Provider", standing="lapsed", source_date="2025-02"),),
            "lapsed",
            "a dated source says this provider's accreditation has lapsed",
        ),
        (
            (
                p := provider("p", "Example Provider", iacet_provider_number="4242"),
                Entry("checks", 2, {**listed_by_iacet(p).values, "outcome": "name-missing"}),
            ),
            "needs-review",
            "while this provider needs review",
        ),
    ],
    ids=["good-standing", "unverified", "lapsed", "needs-review"],
)
def test_the_badge_is_offered_only_to_a_provider_in_good_standing(rows, status, why):
    profile = pages_of(*rows)["directory/providers/p.md"]
    assert f'data-status="{status}"' in profile
    if not why:
        assert 'id="badge-snippet"' in profile and "directory-badge-withheld" not in profile
        return
    assert 'id="badge-snippet"' not in profile and "badge.svg" not in profile
    (sentence,) = texts(profile, "directory-badge-withheld")
    assert why in sentence and sentence.count(". ") == 0 and sentence.endswith(".")  # one sentence


def test_a_provider_offered_no_badge_still_has_its_badge_file():
    """A badge already embedded on a provider's site keeps showing the current status."""
    directory = Directory((provider("p", "Example Provider"),), ())
    statuses = provider_statuses(directory, OPTIONS.today, OPTIONS.iacet_provider_url)
    assert statuses["p"].code != "good-standing"
    (badge,) = badge_files(directory, statuses)
    assert badge.src_uri == "directory/providers/p/badge.svg" and statuses["p"].label in badge.content
