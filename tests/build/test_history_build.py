"""Each entry's history and the feeds of changes, in the real build of a repository the test makes.

The commits add, change, re-sort, shift and remove rows; each profile's history, the changes
page, changes.json and every Atom feed are checked exactly, the feeds with a real feed parser.
"""

from __future__ import annotations

import html as html_module
import json
import re
import urllib.parse
from pathlib import Path

import feedparser
import pytest

from directory.schema import load_schema
from tests.build.conftest import build_site_over, synthetic_row, write_dataset
from tests.conftest import REPO_ROOT
from tests.git_repository import Repository

pytestmark = pytest.mark.build

SCHEMA = load_schema(REPO_ROOT / "directory_data")
SITE_URL = "https://example.org/openceu/"


def provider(n: int, **values: str) -> dict[str, str]:
    return synthetic_row("providers", n, **{"country": "US", "region": "TX", **values})


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Built once for the module: the tests only read it."""
    tmp_path = tmp_path_factory.mktemp("history")
    repo = Repository(tmp_path / "repo", SCHEMA)
    write_dataset(repo.data)  # schema, vocabularies, credit systems, empty tables
    a, b, c = provider(1), provider(2), provider(3, country="CA", region="ON")
    org = synthetic_row("organizations", 1, country="US", region="IL")
    accepts = {
        "id": f"{org['id']}-iacet-ceu",
        "organization_id": org["id"],
        "credit_type": "iacet-ceu",
        "conditions": "Generated for tests.",
        "source_url": "https://example.org/accepts",
        "source_kind": "synthetic",
        "source_quote": "Generated for tests.",
        "verified_on": "2026-01-15",
    }
    shas = {}
    repo.write([a, b, c])
    repo.write([org], "organizations")
    shas["add"] = repo.commit("add three providers and an organization")
    renamed = {**b, "name": "Synthetic Renamed Provider"}
    repo.write([a, renamed, c])
    shas["rename"] = repo.commit("rename b")
    repo.write([c, a, renamed])
    repo.commit("re-sort, unsorted for a moment")
    first = provider(0)
    repo.write([first, a, renamed, c])
    shas["first"] = repo.commit("sort again and add a row above, shifting every line")
    repo.write([accepts], "acceptances")
    shas["accepts"] = repo.commit("the organization accepts IACET CEUs")
    repo.write([first, {**a, "verified_on": "2026-03-05"}, renamed, c])
    shas["reread"] = repo.commit("re-read a")
    repo.write([first, {**a, "verified_on": "2026-03-05"}, {**renamed, "city": "Austin"}])
    shas["remove"] = repo.commit("remove c; b gets a city")

    site = build_site_over(repo.data, tmp_path / "site", site_url=SITE_URL)
    return site, shas


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def text(fragment: str) -> str:
    """Markup as the words a reader sees, spaces normalised."""
    words = " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return words.replace(" :", ":")


def history_items(html: str, list_id: str = 'id="history-heading"') -> list[str]:
    """A list of changes as text, without the commit details: "2026-03-07: Changed City: (blank) → Austin"."""
    section = html[html.index(list_id) :]
    section = section[: section.index("</ol>")]
    items = re.split(r'<li id="change-', section)[1:]
    return [
        text(re.sub(r'<span class="directory-result-details">.*', "", item.split(">", 1)[1], flags=re.S))
        for item in items
    ]


def names(site: Path) -> dict[str, str]:
    rows = {n: provider(n)["name"] for n in range(4)}
    return {
        "a": rows[1],
        "b": rows[2],
        "c": rows[3],
        "first": rows[0],
        "org": synthetic_row("organizations", 1)["name"],
    }


def test_each_profile_shows_its_own_changes_and_its_acceptances_newest_first(history_site):
    site, shas = history_site
    name = names(site)
    assert history_items(page(site, "directory/providers/synthetic-provider-00002")) == [
        "2026-03-07: Changed City: (blank) → Austin",
        f"2026-03-02: Changed Name: {name['b']} → Synthetic Renamed Provider",
        "2026-03-01: Added",
    ]
    assert history_items(page(site, "directory/providers/synthetic-provider-00001")) == [
        "2026-03-06: Source re-read Verified on: 2026-01-15 → 2026-03-05",
        "2026-03-01: Added",
    ]
    assert history_items(page(site, "directory/providers/synthetic-provider-00000")) == ["2026-03-04: Added"]
    assert history_items(page(site, "directory/organizations/synthetic-organization-00001")) == [
        "2026-03-05: Acceptance of IACET CEU: added",
        "2026-03-01: Added",
    ]
    assert not (site / "directory/providers/synthetic-provider-00003").exists()
    profile = page(site, "directory/providers/synthetic-provider-00002")
    assert f'href="https://github.com/openceu/openceu/commit/{shas["rename"]}"' in profile


EXPECTED_TITLES = [
    ("{c}: removed", "c", "remove"),
    ("Synthetic Renamed Provider: changed", "b", "remove"),
    ("{a}: source re-read", "a", "reread"),
    ("{org} (accepts IACET CEU): added", "org", "accepts"),
    ("{first}: added", "first", "first"),
    ("Synthetic Renamed Provider: changed", "b", "rename"),
    ("{c}: added", "c", "add"),
    ("Synthetic Renamed Provider: added", "b", "add"),
    ("{a}: added", "a", "add"),
    ("{org}: added", "org", "add"),
]
PROFILES = {
    "a": "directory/providers/synthetic-provider-00001/",
    "b": "directory/providers/synthetic-provider-00002/",
    "first": "directory/providers/synthetic-provider-00000/",
    "org": "directory/organizations/synthetic-organization-00001/",
}


def expected_entries(site: Path, shas: dict[str, str], keep: set[str]) -> list[tuple[str, str]]:
    name = names(site)
    found = []
    for title, who, commit in EXPECTED_TITLES:
        if who not in keep:
            continue
        if who == "c":
            day = "2026-03-07" if commit == "remove" else "2026-03-01"
            link = f"{SITE_URL}directory/changes/?since={day}#change-{shas[commit][:12]}-providers-synthetic-provider-00003"
        else:
            link = SITE_URL + PROFILES[who]
        found.append((title.format(**name), link))
    return found


def read_feed(site: Path, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site / path).read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    assert parsed.version == "atom10"
    return parsed


@pytest.mark.parametrize(
    ("path", "keep"),
    [
        ("directory/changes/all.atom", {"a", "b", "c", "first", "org"}),
        ("directory/changes/country/us.atom", {"a", "b", "first", "org"}),
        ("directory/changes/country/ca.atom", {"c"}),
        ("directory/changes/credit-type/iacet-ceu.atom", {"org"}),
    ],
)
def test_each_feed_holds_exactly_its_changes_newest_first(history_site, path, keep):
    site, shas = history_site
    feed = read_feed(site, path)
    assert [(entry.title, entry.link) for entry in feed.entries] == expected_entries(site, shas, keep)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    assert all(entry.id.startswith("urn:uuid:") for entry in feed.entries)
    assert feed.feed.links[0].href == SITE_URL + path


def test_every_link_in_the_feeds_resolves_within_the_site(history_site):
    site, _ = history_site
    feeds = sorted(site.glob("directory/changes/**/*.atom"))
    assert len(feeds) == 4
    for path in feeds:
        feed = read_feed(site, path.relative_to(site).as_posix())
        links = [link.href for link in feed.feed.links] + [entry.link for entry in feed.entries]
        for link in links:
            assert link.startswith(SITE_URL), link
            parts = urllib.parse.urlsplit(link[len(SITE_URL) :])
            target = site / parts.path
            target = target / "index.html" if parts.path.endswith("/") or not parts.path else target
            assert target.is_file(), f"{path.name}: {link} has no file"
            if parts.fragment:
                assert f'id="{parts.fragment}"' in target.read_text(encoding="utf-8"), link


def test_the_changes_page_and_its_json_list_every_change(history_site):
    site, shas = history_site
    name = names(site)
    html = page(site, "directory/changes")
    listed = history_items(html, 'id="changes-list"')
    assert listed[0] == f"2026-03-07: {name['c']}: removed"
    assert listed[1] == "2026-03-07: Synthetic Renamed Provider: changed City: (blank) → Austin"
    assert len(listed) == len(EXPECTED_TITLES)
    assert (
        '<link rel="alternate feed" type="application/atom+xml" title="All changes" href="../../directory/changes/all.atom">'
        in html
    )
    document = json.loads((site / "directory/changes.json").read_text(encoding="utf-8"))
    assert [change["headline"] for change in document["changes"]] == [
        t for t, _ in expected_entries(site, shas, {"a", "b", "c", "first", "org"})
    ]
    removed = document["changes"][0]
    assert removed["path"] is None and removed["kind"] == "removed" and removed["country"] == "CA"
    assert removed["commit"] == shas["remove"] and removed["day"] == "2026-03-07"
    assert document["changes"][1]["fields"] == [
        {"name": "city", "label": "City", "before": "", "after": "Austin"}
    ]
    country = page(site, "directory/country/us")
    assert re.search(
        r'<link rel="alternate feed" type="application/atom\+xml" title="Changes: Directory: [^"]*United States[^"]*" href="../../../directory/changes/country/us.atom">',
        country,
    )
    assert not (site / "directory/country/ca").exists()  # its only entry was removed; its feed stays
