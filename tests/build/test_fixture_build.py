"""The real MkDocs build, in-process, over small generated datasets."""

from __future__ import annotations

import re

import pytest

from tests.build.conftest import build_error, synthetic_row, write_dataset

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
