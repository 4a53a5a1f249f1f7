"""The real MkDocs build, in-process, over small generated datasets."""

from __future__ import annotations

import re

import pytest

from tests.build.conftest import build_error, synthetic_row, write_dataset
from tests.marker_site import pagefind_records

pytestmark = pytest.mark.build

HOSTILE = '<img src=x onerror=alert(1)> </title><script>alert("x")</script> & Co'


def test_listing_is_paginated_100_a_page_and_every_link_resolves(tmp_path, build_fixture_site):
    providers = [synthetic_row("providers", n) for n in range(180)]
    organizations = [synthetic_row("organizations", n) for n in range(70)]
    data = write_dataset(tmp_path / "data", providers=providers, organizations=organizations)
    site = build_fixture_site(data, tmp_path / "site")

    listings = [
        site / "directory/index.html",
        site / "directory/page/2/index.html",
        site / "directory/page/3/index.html",
    ]
    assert not (site / "directory/page/4").exists()
    counts = []
    for listing in listings:
        html = listing.read_text(encoding="utf-8")
        links = re.findall(r'<tr><td><a href="([^"]+)">', html)
        counts.append(len(links))
        for href in links:
            target = (listing.parent / href / "index.html").resolve()
            assert target.is_file(), f"{listing}: broken link {href}"
    assert counts == [100, 100, 50]
    assert (site / "directory/providers/synthetic-provider-00179/index.html").is_file()
    assert (site / "directory/organizations/synthetic-organization-00069/index.html").is_file()


def test_hostile_names_are_escaped_in_body_title_and_header(tmp_path, build_fixture_site):
    data = write_dataset(tmp_path / "data", providers=[synthetic_row("providers", 1, name=HOSTILE)])
    site = build_fixture_site(data, tmp_path / "site")
    html = (site / "directory/providers/synthetic-provider-00001/index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert '<script>alert("x")' not in html
    title = re.search(r"<title>(.*?)</title>", html, flags=re.S)
    assert title and "&lt;/title&gt;" in title.group(1)


def test_bad_data_stops_the_build_naming_file_line_field_and_keeps_the_old_site(
    tmp_path, build_fixture_site, caplog
):
    data = write_dataset(tmp_path / "data", providers=[synthetic_row("providers", 1)])
    site = build_fixture_site(data, tmp_path / "site")
    assert (site / "directory/providers/synthetic-provider-00001/index.html").is_file()

    write_dataset(
        data,
        providers=[
            synthetic_row("providers", 1),
            synthetic_row("providers", 2, website="javascript:alert(1)", verified_on="2026-02-30"),
        ],
    )
    message = build_error(caplog, lambda: build_fixture_site(data, site))
    assert "providers.csv:3: website: 'javascript:alert(1)' is not an http(s) URL" in message
    assert "providers.csv:3: verified_on: '2026-02-30' is not a date that exists" in message
    # The data is checked before MkDocs cleans the site directory.
    assert (site / "directory/providers/synthetic-provider-00001/index.html").is_file()
    assert (site / "index.html").is_file()


def test_empty_directory_still_builds_a_listing(tmp_path, build_fixture_site):
    site = build_fixture_site(write_dataset(tmp_path / "data"), tmp_path / "site")
    html = (site / "directory/index.html").read_text(encoding="utf-8")
    assert "No entries yet." in html
    assert "Entries 1" not in html


def test_the_export_folder_has_an_index_page_in_the_site_layout(tmp_path, build_fixture_site):
    providers = [synthetic_row("providers", n) for n in range(3)]
    organizations = [synthetic_row("organizations", n) for n in range(2)]
    data = write_dataset(tmp_path / "data", providers=providers, organizations=organizations)
    site = build_fixture_site(data, tmp_path / "site")

    index = site / "directory/export/index.html"
    html = index.read_text(encoding="utf-8")
    assert "<title>Download the directory - OpenCEU</title>" in html
    assert 'class="md-header' in html and 'http-equiv="Content-Security-Policy"' in html  # the site's layout
    links = re.findall(r'<tr><td><a href="([^"]+)"(?: download)?><code>([^<]+)</code>', html)
    assert [name for _, name in links] == [
        "providers.csv",
        "organizations.csv",
        "acceptances.csv",
        "sources.csv",
        "schema.json",
        "directory.json",
    ]
    for href, name in links:
        target = (index.parent / href).resolve()
        assert target.is_file() and target.name == name, f"{index}: broken link {href}"
    assert "<td>3 rows</td>" in html and "<td>2 rows</td>" in html and "<td>5 entries</td>" in html
    listing = (site / "directory/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="([^"]*)directory/export/">What each file holds</a>', listing)


def test_a_rule_that_cannot_work_stops_the_build_and_keeps_the_old_site(tmp_path, build_fixture_site, caplog):
    data = write_dataset(tmp_path / "data", providers=[synthetic_row("providers", 1)])
    site = build_fixture_site(data, tmp_path / "site")
    systems = data / "credit_systems.csv"
    lines = systems.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, start=1) if line.startswith("asha-ceu,"))
    # ASHA's half hours rounded to a threshold that is not given, and its example no longer reproduced.
    lines[number - 1] = lines[number - 1].replace(",0.05,down,", ",0.05,threshold,")
    systems.write_text("".join(lines), encoding="utf-8")

    message = build_error(caplog, lambda: build_fixture_site(data, site))
    assert (
        f"credit_systems.csv:{number}: threshold_minutes: is given exactly when rounding is 'threshold'"
        in message
    )
    assert (site / "directory/providers/synthetic-provider-00001/index.html").is_file()
    assert (site / "calculator/index.html").is_file()


def test_a_build_without_git_history_says_so_on_each_profile(tmp_path, build_fixture_site):
    data = write_dataset(tmp_path / "data", providers=[synthetic_row("providers", 1)])
    site = build_fixture_site(data, tmp_path / "site")
    html = (site / "directory/providers/synthetic-provider-00001/index.html").read_text(encoding="utf-8")
    assert "History not available in this build" in html
    assert "directory-history-list" not in html


def test_profiles_show_the_last_source_check_and_the_status_it_supports(tmp_path, build_fixture_site):
    """checks.csv, written by `ceu directory check-sources`, read by the build: nothing is fetched."""
    official = {"source_kind": "official", "source_date": "", "iacet_provider_number": "4242"}
    providers = [synthetic_row("providers", n, **official) for n in range(5)]
    providers[1]["source_date"] = "2026-03"  # a dated page: good standing once a check found its words
    data = write_dataset(tmp_path / "data", providers=providers)
    record = "https://www.iacet.org/affiliates/accredited-providers-list/accredited-provider-overview/?providerID=4242"
    rows = [
        ("providers", 0, "iacet-record", record, "200", "name-listed", ""),
        ("providers", 1, "source", providers[1]["source_url"], "200", "quote-present", ""),
        ("providers", 2, "source", providers[2]["source_url"], "404", "unreachable", "HTTP 404 Not Found"),
        ("providers", 3, "source", "https://example.org/an-older-source", "200", "quote-present", ""),
        ("providers", 4, "source", providers[4]["source_url"], "200", "quote-present", ""),
    ]
    lines = ["table,id,check,checked_on,url,http_status,final_url,outcome,detail"]
    lines += [
        f"{t},synthetic-provider-{n:05},{c},2026-03-02,{u},{s},,{o},{d}" for t, n, c, u, s, o, d in rows
    ]
    (data / "checks.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    site = build_fixture_site(data, tmp_path / "site")

    def profile(n: int) -> str:
        return (site / f"directory/providers/synthetic-provider-{n:05}/index.html").read_text(
            encoding="utf-8"
        )

    index = {record["url"]: record for _, record in pagefind_records(site)}

    def filters(n: int) -> dict[str, list[str]]:
        """The search record's filters of the provider's entry (Pagefind's index)."""
        found = index[f"/directory/providers/synthetic-provider-{n:05}/"]["filters"]
        assert isinstance(found, dict)
        return found

    listed = profile(0)
    assert 'data-status="good-standing"' in listed
    assert "In good standing as of 2026-03-02 (IACET&#39;s directory, checked 2026-03-02)" in listed
    assert "Listed in IACET&#39;s directory on 2026-03-02" in listed
    assert filters(0)["check"] == ["Not checked yet"]  # its source itself was not checked
    present = profile(1)
    assert 'data-status="good-standing"' in present
    assert "Source last checked 2026-03-02: quote still present." in present
    assert filters(1)["check"] == ["Source still says so"]
    gone = profile(2)
    assert (
        'data-status="needs-review"' in gone
        and ": <strong>Needs review</strong></h2>" in gone
        and filters(2)["status"] == ["Needs review"]
    )
    assert "Source changed or gone on 2026-03-02 (HTTP 404 Not Found): needs review." in gone
    moved = profile(3)  # the check was of another address: it says nothing about this source
    assert 'data-status="unverified"' in moved and "Source not checked yet" in moved
    undated = profile(4)  # still online, but an undated page cannot show the accreditation is current
    assert 'data-status="unverified"' in undated
    assert "Source last checked 2026-03-02: quote still present." in undated
    assert "bears no date (the quoted words were still on it when checked on 2026-03-02)" in undated
    badge = (site / "directory/providers/synthetic-provider-00002/badge.svg").read_text(encoding="utf-8")
    assert "Needs review" in badge
