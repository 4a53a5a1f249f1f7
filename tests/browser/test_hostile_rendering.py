"""Hostile data that passes validation stays inert in real Chromium and safe in the exports.

ONE site is built for the module from generated rows carrying every passing cell vector of
tests/hostile_corpus.py, each on a row of its own, plus the rendering vectors below (text a
template could mistake for markup, right-to-left names, odd but valid URLs, hostile
vocabulary labels). ONE browser context then opens the listing, the search, every profile
that shows a vector, the matrix, the country and credit-type pages, the export index and
every hostile provider's badge, and on each asserts: no dialog, no console error, no page
error, no CSP violation, no request to another host, no event-handler attribute anywhere,
and the data shown literally (the text of a <bdi> or dir="auto" element equals the value).
The exports are read as files: CSV formula cells guarded, JSON round-tripping the text,
the SVG badge well-formed with the text escaped.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Browser, Page

from directory.badges import badge_text
from directory.bidi import isolate
from directory.build_date import build_date
from directory.exports import FORMULA_TRIGGERS
from directory.places import country_name
from directory.records import Entry
from directory.schema import load_schema
from directory.status import provider_status
from directory.synthetic import synthetic_acceptances, synthetic_rows
from directory.validate import normalise_name
from hooks.config import with_settings
from tests.browser.browser_support import VENDORED_FOLDERS, Watch, hostile_tab, serve
from tests.build.conftest import write_dataset
from tests.conftest import REPO_ROOT
from tests.hostile_corpus import PASSING, Vector

pytestmark = pytest.mark.browser

SCHEMA = load_schema(REPO_ROOT / "directory_data")
SVG = "{http://www.w3.org/2000/svg}"


def _renders(name: str, table: str, column: str, value: str) -> Vector:
    return Vector(name, table, column, value, None)


#: What the brief for the pages adds to the corpus: text a template, the badge snippet's
#: <textarea> or an XML parser could mistake for markup, names in other scripts, and URLs
#: that are valid http(s) but carry quotes and encoded angle brackets.
RENDERING_VECTORS: tuple[Vector, ...] = (
    _renders("svg-after-attribute", "providers", "name", '"><svg onload=alert(1)>'),
    _renders("script-string-breakout", "providers", "name", "'; alert(1); '"),
    _renders("textarea-breakout", "providers", "name", "</textarea><script>alert(1)</script>"),
    _renders("xml-entity-in-name", "providers", "name", ']]><!ENTITY x "y">'),
    _renders("hebrew-name", "providers", "name", "\u05de\u05db\u05d5\u05df \u05d4\u05d3\u05e8\u05db\u05d4"),
    _renders("very-long-word", "providers", "name", "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4),
    _renders("img-in-city", "providers", "city", "<img src=x onerror=alert(1)>"),
    _renders("jinja-in-topics", "providers", "topics", "{{ 7*7 }};{% raw %};<b>bold</b>"),
    _renders("single-quotes-in-url", "providers", "website", "https://example.org/it's?q='x'&r=1#'y'"),
    _renders("encoded-quote-in-source", "providers", "source_url", "https://example.org/a%22b%3Cc%3E?d='e'"),
    _renders("markdown-link-in-org-notes", "organizations", "notes", "[x](javascript:alert(1))"),
    _renders("img-in-org-quote", "organizations", "source_quote", '<img src=x onerror="alert(1)">'),
    _renders(
        "arabic-org-name",
        "organizations",
        "name",
        "\u0647\u064a\u0626\u0629 \u0627\u0644\u062a\u0645\u0631\u064a\u0636",
    ),
    _renders("formula-in-conditions", "acceptances", "conditions", '=HYPERLINK("http://evil","x")'),
    _renders("textarea-in-acceptance-notes", "acceptances", "notes", "</textarea><script>alert(1)</script>"),
    _renders("jinja-in-acceptance-quote", "acceptances", "source_quote", "{{ 7*7 }} {% raw %}"),
)
#: Vocabulary labels are data too: a credit type and a kind of organization with hostile labels.
HOSTILE_CREDIT = ("credit-type", "hostile-credit", '<img src=x onerror=alert(1)> "CEU"')
HOSTILE_KIND = ("organization-kind", "hostile-kind", "</textarea><script>alert('kind')</script>")
#: Ordinary rows beside the hostile ones, so the listings and matrix have neighbours.
PLAIN_ROWS = 4


def column_type(vector: Vector) -> str:
    return next(c.type for c in SCHEMA.table(vector.table).columns if c.name == vector.column)


@dataclass(frozen=True)
class Placed:
    """A vector on its row: the table's entry id and the site path of the profile showing it."""

    vector: Vector
    entry_id: str
    profile: str

    @property
    def shown(self) -> str:
        """The value as a page shows it: list columns joined for reading."""
        if column_type(self.vector) == "list":
            return ", ".join(term.strip() for term in self.vector.value.split(";") if term.strip())
        return self.vector.value


@dataclass(frozen=True)
class HostileSite:
    root: Path
    data: Path
    placed: tuple[Placed, ...]
    rows: dict[str, list[dict[str, str]]]

    def names(self, table: str) -> list[str]:
        return [row["name"] for row in self.rows[table]]


def _profile(table: str, entry_id: str) -> str:
    return f"/directory/{table}/{entry_id}/"


def write_hostile_data(data_dir: Path) -> tuple[tuple[Placed, ...], dict[str, list[dict[str, str]]]]:
    vectors = [vector for vector in (*PASSING, *RENDERING_VECTORS) if vector.raw is None]
    by_table: dict[str, list[Vector]] = defaultdict(list)
    for vector in vectors:
        by_table[vector.table].append(vector)
    organizations = len(by_table["organizations"]) + len(by_table["acceptances"]) + PLAIN_ROWS
    rows = {
        "providers": list(synthetic_rows("providers", len(by_table["providers"]) + PLAIN_ROWS)),
        "organizations": list(synthetic_rows("organizations", organizations)),
        "acceptances": list(synthetic_acceptances(organizations)),
    }
    placed = []
    names: set[str] = set()
    for table, table_rows in rows.items():
        # Acceptance vectors go on organizations that carry no vector of their own.
        start = len(by_table["organizations"]) if table == "acceptances" else 0
        for offset, given in enumerate(by_table[table]):
            vector = _told_apart(given, names) if given.column == "name" else given
            row = table_rows[start + offset]
            for column, value in ((vector.column, vector.value), *vector.also):
                row[column] = value
            shown_on = (
                ("organizations", row["organization_id"]) if table == "acceptances" else (table, row["id"])
            )
            placed.append(Placed(vector, row["id"], _profile(*shown_on)))
    # The hostile vocabulary on the last plain organization and its acceptance.
    rows["organizations"][-1]["kind"] = HOSTILE_KIND[1]
    rows["acceptances"][-1]["credit_type"] = HOSTILE_CREDIT[1]
    rows["acceptances"][-1]["id"] = rows["acceptances"][-1]["organization_id"] + "-hostile-credit"
    write_dataset(data_dir, **rows)
    with (data_dir / "vocabularies.csv").open(encoding="utf-8", newline="") as handle:
        header, *terms = list(csv.reader(handle))
    terms += [[*term, "A term whose label is hostile."] for term in (HOSTILE_CREDIT, HOSTILE_KIND)]
    with (data_dir / "vocabularies.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *sorted(terms)])
    for vector in by_table["credit_systems"]:
        _set_first_row(data_dir / "credit_systems.csv", vector)
        placed.append(Placed(vector, "", ""))
    return tuple(placed), rows


def _told_apart(vector: Vector, names: set[str]) -> Vector:
    """The vector, its name followed by the vector's own name if another row's name already reads
    the same once punctuation and case go: the validator would refuse two such rows."""
    key = normalise_name(vector.value)
    if key in names:
        vector = dataclasses.replace(vector, value=f"{vector.value} ({vector.name})")
        key = normalise_name(vector.value)
    names.add(key)
    return vector


def _set_first_row(path: Path, vector: Vector) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header, first, *rest = list(csv.reader(handle))
    for column, value in ((vector.column, vector.value), *vector.also):
        first[header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, first, *rest])


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    """The repository's site over the hostile rows, built once (in-process, strict)."""
    base = tmp_path_factory.mktemp("hostile")
    placed, rows = write_hostile_data(base / "data")
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"), site_dir=str(base / "site"))
    with_settings(config, data_dir=str(base / "data"), allow_synthetic=True)
    build(config)
    return HostileSite(base / "site", base / "data", placed, rows)


@pytest.fixture(scope="module")
def hostile_url(hostile_site: HostileSite) -> Iterator[str]:
    with serve(hostile_site.root) as url:
        yield url


#: What the page shows and holds, read in the page.
READ_PAGE = """() => ({
  title: document.title,
  isolated: [...document.querySelectorAll('bdi, [dir="auto"]')].map((e) => e.textContent),
  hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
  handlers: [...document.querySelectorAll('*')].flatMap((e) =>
    [...e.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${e.tagName} ${a.name}`)),
  injected: [...document.querySelectorAll(
    'iframe, base, object, embed, math, meta[http-equiv="refresh" i], img[src="x"], .md-content svg, .md-content style'
  )].map((e) => e.outerHTML.slice(0, 100)),
  scripts: [...document.scripts].filter((s) => !s.src && s.type !== 'application/ld+json')
    .map((s) => s.textContent.slice(0, 100)),
  structured: [...document.querySelectorAll('script[type="application/ld+json"]')]
    .map((s) => JSON.parse(s.textContent)),
})"""


@dataclass
class Tab:
    """The module's one page, in its one watched context."""

    page: Page
    watch: Watch
    base: str
    dialogs: list[str]

    def open(self, path: str, wait_for: str = "") -> dict[str, Any]:
        self.watch.clear()
        self.dialogs.clear()
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        if wait_for:
            self.page.wait_for_selector(wait_for, timeout=15_000)
        seen: dict[str, Any] = self.page.evaluate(READ_PAGE)
        self.assert_inert(path, seen)
        return seen

    def assert_inert(self, path: str, seen: dict[str, Any]) -> None:
        # The tab moves on before Chromium's own favicon fetch ends; that abort is not the page's.
        self.watch.failed_requests[:] = [
            failure
            for failure in self.watch.failed_requests
            if "/favicon.png (net::ERR_ABORTED)" not in failure
        ]
        self.watch.assert_clean(path)  # console errors (CSP violations too), page errors, other hosts
        assert not self.dialogs, f"{path}: a dialog opened: {self.dialogs}"
        assert not seen["handlers"], f"{path}: event-handler attributes in the page: {seen['handlers']}"
        assert not seen["injected"], f"{path}: elements that came from data: {seen['injected']}"
        assert not [s for s in seen["scripts"] if "alert" in s], f"{path}: inline script from data"


@pytest.fixture(scope="module")
def tab(browser: Browser, hostile_url: str) -> Iterator[Tab]:
    with hostile_tab(browser, hostile_url) as (page, watch, dialogs):
        yield Tab(page, watch, hostile_url, dialogs)


def _placed_on(site: HostileSite, *tables: str) -> list[Placed]:
    return [p for p in site.placed if p.vector.table in tables]


def _flat(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- the pages


def test_the_fixture_carries_every_passing_vector(hostile_site):
    names = {p.vector.name for p in hostile_site.placed}
    cell_vectors = {v.name for v in PASSING if v.raw is None}
    assert cell_vectors <= names, "a passing vector of the corpus was left out"
    assert len(names) == len(hostile_site.placed) >= 60


def test_listing_and_search_show_every_name_literally(hostile_site, tab):
    names = hostile_site.names("providers") + hostile_site.names("organizations")
    assert len(names) <= 100, "keep the fixture on one listing page"
    seen = tab.open("/directory/", wait_for='#directory-app[data-state="ready"]')
    missing = [name for name in names if name not in seen["isolated"]]
    assert not missing, f"names not shown literally in the listing: {missing}"

    # The search results are drawn by directory-search.js: names go in as text, in a <bdi>.
    seen = tab.open("/directory/?q=alert", wait_for='#directory-app[data-state="ready"]')
    results = tab.page.eval_on_selector_all(
        "#directory-results > li > a", "links => links.map((a) => a.querySelector('bdi').textContent)"
    )
    assert len(results) >= 5 and set(results) <= set(names), results
    assert any("<" in result for result in results), "no name with markup characters came back"
    kinds = tab.page.eval_on_selector_all(
        '[data-filter="kind"] label', "labels => labels.map((l) => l.querySelector('bdi').textContent)"
    )
    assert HOSTILE_KIND[2] in kinds, kinds
    tab.assert_inert("/directory/?q=alert", tab.page.evaluate(READ_PAGE))


def test_every_profile_shows_its_hostile_value_literally(hostile_site, tab):
    by_profile: dict[str, list[Placed]] = defaultdict(list)
    for placed in _placed_on(hostile_site, "providers", "organizations", "acceptances"):
        by_profile[placed.profile].append(placed)
    for path, placed_here in by_profile.items():
        seen = tab.open(path)
        for placed in placed_here:
            assert placed.shown in seen["isolated"], f"{path}: {placed.vector.name} not shown literally"
            if column_type(placed.vector) == "url":
                assert placed.vector.value in seen["hrefs"], f"{path}: {placed.vector.name} link changed"
            if placed.vector.column == "name":
                # The tab's title is plain text: the name, isolated, with no markup.
                assert seen["title"] == _flat(f"{isolate(placed.vector.value)} - OpenCEU"), path
                # Search engines' copy (JSON-LD) holds the name exactly, as data, closing nothing.
                (organization,) = seen["structured"]
                assert organization["name"] == placed.vector.value, path


def test_matrix_country_and_credit_type_pages_show_data_literally(hostile_site, tab):
    organizations = hostile_site.names("organizations")
    conditions = [p.shown for p in _placed_on(hostile_site, "acceptances") if p.vector.column == "conditions"]
    seen = tab.open("/directory/matrix/")
    assert set(organizations) <= set(seen["isolated"])
    assert set(conditions) <= set(seen["isolated"])
    assert HOSTILE_CREDIT[2] in seen["isolated"]  # a column heading

    everyone = hostile_site.rows["providers"] + hostile_site.rows["organizations"]
    countries = sorted({row["country"] for row in everyone})
    seen = tab.open("/directory/country/")
    assert {country_name(country) for country in countries} <= set(seen["isolated"])  # by name
    for country in countries:
        seen = tab.open(f"/directory/country/{country.lower()}/")
        expected = {row["name"] for row in everyone if row["country"] == country}
        assert expected <= set(seen["isolated"]), country

    seen = tab.open("/directory/credit-type/")
    assert HOSTILE_CREDIT[2] in seen["isolated"]
    seen = tab.open("/directory/credit-type/iacet-ceu/")
    assert set(conditions) <= set(seen["isolated"])
    seen = tab.open(f"/directory/credit-type/{HOSTILE_CREDIT[1]}/")
    assert seen["title"] == f"Organizations that accept {HOSTILE_CREDIT[2]} - OpenCEU"
    assert HOSTILE_CREDIT[2] in seen["isolated"]


def test_the_export_index_and_every_hostile_badge_are_inert(hostile_site, tab):
    seen = tab.open("/directory/export/")
    for name in ("providers.csv", "organizations.csv", "acceptances.csv", "directory.json", "schema.json"):
        assert any(href.endswith(f"directory/export/{name}") for href in seen["hrefs"]), name

    today = build_date()
    for placed in _placed_on(hostile_site, "providers"):
        row = next(r for r in hostile_site.rows["providers"] if r["id"] == placed.entry_id)
        path = f"/directory/providers/{placed.entry_id}/badge.svg"
        tab.watch.clear()
        response = tab.page.goto(tab.base + path)
        assert response is not None and response.status == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        label = tab.page.evaluate("document.documentElement.getAttribute('aria-label')")
        entry = Entry("providers", 2, row)
        assert label == badge_text(entry, provider_status(entry, today)), path
        tab.assert_inert(path, tab.page.evaluate(READ_PAGE))


#: Payloads of the vectors as they would appear if a page had let them through as tags.
RAW_PAYLOADS = (
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<iframe src=",
    '<base href="https://evil',
    "<style>body{display:none}",
    '<meta http-equiv="refresh" content="0;url=https://evil',
    "<math><mtext>",
    "<b>bold</b>",
    "<b>Safety</b>",
)
# (Quotes that break out of an attribute are checked in the page: no element has an on* attribute.
# In text, a raw '"' is harmless, and Material prints page titles as text.)


def test_no_built_page_holds_a_payload_as_markup(hostile_site):
    """Every HTML file of the site, the calculator pages (credit-system bodies) included."""
    pages = [
        file
        for file in hostile_site.root.rglob("*.html")
        if file.relative_to(hostile_site.root).parts[0] not in VENDORED_FOLDERS
    ]
    assert len(pages) > 80
    found = [
        f"{file.relative_to(hostile_site.root)}: {payload!r}"
        for file in pages
        for payload in RAW_PAYLOADS
        if payload in file.read_text(encoding="utf-8")
    ]
    assert not found, "payloads that reached a page as markup:\n" + "\n".join(found)
    calculator = (hostile_site.root / "calculator/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in calculator  # the hostile credit body, as text


# --------------------------------------------------------------------------- the exports, as files


def _export_rows(site: HostileSite, table: str) -> dict[str, dict[str, str]]:
    with (site.root / f"directory/export/{table}.csv").open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def test_csv_exports_guard_formulas_and_keep_the_text(hostile_site):
    for table in ("providers", "organizations", "acceptances"):
        exported = _export_rows(hostile_site, table)
        for row in hostile_site.rows[table]:
            cells = exported[row["id"]]
            for column, value in row.items():
                cell = cells[column]
                assert not cell.startswith(FORMULA_TRIGGERS), (
                    f"{table}/{row['id']}: {column} could run: {cell!r}"
                )
                assert cell == ("'" + value if value.startswith(FORMULA_TRIGGERS) else value), (table, column)


def test_json_exports_round_trip_the_text(hostile_site):
    whole = json.loads((hostile_site.root / "directory/export/directory.json").read_text(encoding="utf-8"))
    for placed in _placed_on(hostile_site, "providers", "organizations", "acceptances"):
        table, column, value = placed.vector.table, placed.vector.column, placed.vector.value
        if table == "acceptances":
            owner = placed.profile.strip("/").split("/")[-1]
            record = next(o for o in whole["organizations"] if o["id"] == owner)
            record = next(a for a in record["acceptances"] if a["id"] == placed.entry_id)
        else:
            record = next(r for r in whole[table] if r["id"] == placed.entry_id)
            single = json.loads(
                (hostile_site.root / f"directory/{table}/{placed.entry_id}.json").read_text(encoding="utf-8")
            )
            assert single[column] == record[column]
        expected: Any = [t.strip() for t in value.split(";") if t.strip()] if column == "topics" else value
        assert record[column] == expected, placed.vector.name


def test_badges_are_well_formed_xml_with_the_text_escaped(hostile_site):
    for placed in _placed_on(hostile_site, "providers"):
        svg = (hostile_site.root / f"directory/providers/{placed.entry_id}/badge.svg").read_text(
            encoding="utf-8"
        )
        root = ElementTree.fromstring(svg)  # well-formed: no entity, no CDATA end, no stray tag got through
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert tags <= {"svg", "title", "rect", "path", "g", "text"}, (placed.vector.name, tags)
        attributes = {name for element in root.iter() for name in element.attrib}
        assert not any(name.lower().startswith("on") for name in attributes)
        assert "<script" not in svg and "<!ENTITY" not in svg and "<![CDATA[" not in svg
        if placed.vector.column == "name" and "iacet" not in placed.vector.value.casefold():
            assert placed.vector.value.strip() in (root.findtext(f"{SVG}title") or ""), placed.vector.name
