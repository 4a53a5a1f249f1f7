"""Directory II in the real build: statuses pinned by OPENCEU_TODAY, and 2,000 entries."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from directory.synthetic import synthetic_rows
from tests.build.conftest import synthetic_row, write_dataset

pytestmark = pytest.mark.build


def official(n: int, **values: str) -> dict[str, str]:
    """A generated row dressed as an official one, so each status can be reached."""
    return synthetic_row("providers", n, source_kind="official", **values)


def status_of(site, entry_id: str) -> str:
    html = (site / f"directory/providers/{entry_id}/index.html").read_text(encoding="utf-8")
    match = re.search(
        r'id="status-heading">Status as of <time [^>]*>[^<]*</time>: <strong>([^<]+)</strong>', html
    )
    assert match, f"{entry_id}: no status on the profile"
    return match.group(1)


def found_on(row: dict[str, str], checked_on: str) -> dict[str, str]:
    """The line of checks.csv a check that found the row's quote on its page writes."""
    return {
        "table": "providers",
        "id": row["id"],
        "check": "source",
        "checked_on": checked_on,
        "url": row["source_url"],
        "http_status": "200",
        "outcome": "quote-present",
    }


def test_each_status_and_the_staleness_warning_follow_the_pinned_date(
    tmp_path, build_fixture_site, monkeypatch
):
    rows = [
        official(0, source_date="2026-05-10", verified_on="2026-06-01"),  # official, recent, checked
        official(1, source_date="2024-05-10", verified_on="2026-06-01"),  # official, old
        official(2, source_date="", verified_on="2026-06-01"),  # official, undated
        official(3, standing="lapsed", source_date="2025-02", verified_on="2026-06-01"),
        synthetic_row(
            "providers", 4, source_kind="third-party", source_date="2026-05-10", verified_on="2026-06-01"
        ),
        official(5, source_date="2026-05-10", verified_on="2025-01-31"),  # stale verification, checked
        official(6, source_date="2026-05-10", verified_on="2026-06-01"),  # recent, never checked
    ]
    checks = [found_on(row, "2026-06-01") for row in (rows[0], rows[1], rows[2], rows[5])]
    data = write_dataset(tmp_path / "data", providers=rows, checks=checks)
    monkeypatch.setenv("OPENCEU_TODAY", "2026-11-23")
    site = build_fixture_site(data, tmp_path / "site")
    ids = [row["id"] for row in rows]
    assert [status_of(site, i) for i in ids] == [
        "In good standing",
        "Unverified",
        "Unverified",
        "Lapsed",
        "Unverified",
        "In good standing",
        "Unverified",  # its own date alone never shows good standing
    ]
    stale = (site / f"directory/providers/{ids[5]}/index.html").read_text(encoding="utf-8")
    assert "last verified on 2025-01-31, more than 12 months ago" in stale
    fresh = (site / f"directory/providers/{ids[0]}/index.html").read_text(encoding="utf-8")
    assert "more than 12 months ago" not in fresh
    assert 'Status as of <time datetime="2026-11-23">2026-11-23</time>' in fresh

    # A year later the same data no longer shows good standing, and every row is stale.
    monkeypatch.setenv("OPENCEU_TODAY", "2027-11-23")
    later = build_fixture_site(data, tmp_path / "later")
    assert status_of(later, ids[0]) == "Unverified"
    assert status_of(later, ids[3]) == "Lapsed"
    assert "more than 12 months ago" in (later / f"directory/providers/{ids[0]}/index.html").read_text(
        encoding="utf-8"
    )


def test_two_thousand_entries_build_with_every_page_and_export(tmp_path, build_fixture_site, monkeypatch):
    monkeypatch.setenv("OPENCEU_TODAY", "2026-11-23")
    providers = list(synthetic_rows("providers", 1500))
    organizations = list(synthetic_rows("organizations", 500))
    acceptances = [
        {
            "id": f"{org['id']}-iacet-ceu",
            "organization_id": org["id"],
            "credit_type": "iacet-ceu",
            "conditions": "Generated for tests.",
            "source_url": "https://example.org/rule",
            "source_kind": "synthetic",
            "source_quote": "Generated.",
            "verified_on": "2026-01-15",
        }
        for org in organizations[::2]
    ]
    data = write_dataset(
        tmp_path / "data", providers=providers, organizations=organizations, acceptances=acceptances
    )
    site = build_fixture_site(data, tmp_path / "site")

    profiles = list((site / "directory/providers").glob("*/index.html"))
    profiles += list((site / "directory/organizations").glob("*/index.html"))
    assert len(profiles) == 2000
    assert (site / "directory/page/20/index.html").is_file() and not (site / "directory/page/21").exists()
    matrix = (site / "directory/matrix/page/5/index.html").read_text(encoding="utf-8")
    assert matrix.count('<th scope="row">') == 100
    credit = (site / "directory/credit-type/iacet-ceu/index.html").read_text(encoding="utf-8")
    assert "250 organizations in the directory accept <bdi>IACET CEU</bdi>" in credit

    # The pagination stays bounded: no listing page links to all 20 pages.
    home = (site / "directory/index.html").read_text(encoding="utf-8")
    assert home.count('aria-label="Pages of the directory"') == 1
    assert len(re.findall(r'href="[^"]*page/\d+/"', home)) < 10

    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locs = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert sum("/directory/providers/" in loc for loc in locs) == 1500
    assert sum("/directory/organizations/" in loc for loc in locs) == 500

    entry = json.loads(
        (site / "directory/providers/synthetic-provider-001499.json").read_text(encoding="utf-8")
    )
    assert entry["id"] == "synthetic-provider-001499"
    everything = json.loads((site / "directory/export/directory.json").read_text(encoding="utf-8"))
    assert len(everything["providers"]) == 1500 and len(everything["organizations"]) == 500
    assert (site / "directory/providers/synthetic-provider-000000/badge.svg").is_file()
    assert (site / "pagefind/pagefind-entry.json").is_file()
    indexed = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(language["page_count"] for language in indexed["languages"].values()) >= 2000
