"""A provider's status is the same wherever the built site shows it: on its profile, in the
CSV and JSON exports, on its badge and in the signing keys' lookup, issuers.json (the plugin
computes the statuses once per build and hands them to each; exports, badges and the lookup
take no statuses of their own)."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest

from certificates.did_key import did_of
from directory.badges import PALETTE
from directory.check_report import IACET_PROVIDER_URL, IACET_RECORD
from directory.status import LABELS
from directory.synthetic import write_synthetic_dataset
from tests.conftest import REPO_ROOT, latest_verification

pytestmark = pytest.mark.build

#: The build's day: no earlier than the published credit systems were read (they come along).
TODAY = latest_verification()
PROVIDERS = 16


def varied(data: Path) -> Path:
    """The synthetic directory's providers dressed so that every status is reached: official
    and recent (its generated source check found, missed or failed), lapsed, and official with
    an IACET provider number whose IACET record check found or missed the name, which counts
    only for the record at the configured iacet_provider_url."""
    path = data / "providers.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames or [], list(reader)
    checks_path = data / "checks.csv"
    with checks_path.open(encoding="utf-8", newline="") as handle:
        checks_reader = csv.DictReader(handle)
        check_fields, checks = checks_reader.fieldnames or [], list(checks_reader)
    for check in checks:
        check["checked_on"] = TODAY
    for n, row in enumerate(rows):
        row["verified_on"] = TODAY
        # Each states a made-up signing key (issue 33), so issuers.json has every status too.
        row.update(issuer_did=signing_key(n), issuer_did_source=f"{row['website']}/signing-key")
        kind = n % 4
        if kind in (0, 2):
            row.update(source_kind="official", source_date=TODAY[:7])
        if kind == 1:
            row.update(source_kind="official", source_date=TODAY[:7], standing="lapsed")
        if kind == 2:
            number = str(9000 + n)
            row["iacet_provider_number"] = number
            checks.append(
                {
                    "table": "providers",
                    "id": row["id"],
                    "check": IACET_RECORD,
                    "checked_on": TODAY,
                    "url": IACET_PROVIDER_URL.replace("{number}", number),
                    "http_status": "200",
                    "outcome": "name-listed" if n % 8 == 2 else "name-missing",
                }
            )
    checks.sort(key=lambda line: (line["table"], line["id"], line["check"], line["url"]))
    for target, names, lines in ((path, fields, rows), (checks_path, check_fields, checks)):
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n", restval="")
            writer.writeheader()
            writer.writerows(lines)
    return data


def signing_key(n: int) -> str:
    """The n-th provider's made-up Ed25519 key, as did:key."""
    return did_of(bytes([n + 1]) * 32)


def on_profile(site: Path, entry_id: str) -> tuple[str, str, str, str]:
    """(code, label, rule, as of) as the provider's profile shows them."""
    page = (site / f"directory/providers/{entry_id}/index.html").read_text(encoding="utf-8")
    code = re.search(r'class="directory-status[^"]*" data-status="([^"]+)"', page)
    heading = re.search(
        r'Status as of <time datetime="([^"]+)">[^<]*</time>: <strong[^>]*>([^<]+)</strong>', page
    )
    rule = re.search(r'class="directory-status-rule"[^>]*><span[^>]*>Why:</span> (.*?)</p>', page, re.S)
    assert code and heading and rule, f"{entry_id}: no status on the profile"
    return code[1], html.unescape(heading[2]), html.unescape(rule[1]), heading[1]


def on_badge(site: Path, entry_id: str) -> tuple[str, str, str]:
    """(code, label, as of) as the badge shows them: its panel's colour, and its words."""
    svg = (site / f"directory/providers/{entry_id}/badge.svg").read_text(encoding="utf-8")
    said = re.search(r'aria-label="[^"]*?: ([^":]+) as of (\d{4}-\d{2}-\d{2}), source verified', svg)
    panel = re.search(r'<rect x="\d+" width="\d+" height="40" rx="6" fill="(#[0-9a-f]{6})"/>', svg)
    assert said and panel, f"{entry_id}: no status on the badge"
    (code,) = [code for code, (background, _) in PALETTE.items() if background == panel[1]]
    return code, html.unescape(said[1]), said[2]


def test_every_provider_shows_one_status_on_its_profile_exports_and_badge(
    tmp_path, build_fixture_site, monkeypatch
):
    data = write_synthetic_dataset(
        tmp_path / "data", REPO_ROOT / "directory_data", providers=PROVIDERS, organizations=2
    )
    monkeypatch.setenv("OPENCEU_TODAY", TODAY)
    site = build_fixture_site(varied(data), tmp_path / "site")

    with (site / "directory/export/providers.csv").open(encoding="utf-8", newline="") as handle:
        in_csv = {row["id"]: row for row in csv.DictReader(handle)}
    whole = json.loads((site / "directory/export/directory.json").read_text(encoding="utf-8"))
    in_whole = {record["id"]: record["status"] for record in whole["providers"]}
    assert len(in_csv) == len(in_whole) == PROVIDERS
    lookup = json.loads((site / "directory/issuers.json").read_text(encoding="utf-8"))
    assert lookup["built"] == TODAY
    issuers = lookup["issuers"]
    assert len(issuers) == PROVIDERS

    seen = set()
    for entry_id, row in sorted(in_csv.items()):
        code, label, rule, as_of = on_profile(site, entry_id)
        seen.add(code)
        assert label == LABELS[code], entry_id
        assert (row["status"], row["status_rule"], row["status_as_of"]) == (code, rule, as_of), entry_id
        own = json.loads((site / f"directory/providers/{entry_id}.json").read_text(encoding="utf-8"))
        for status in (own["status"], in_whole[entry_id]):
            assert (status["code"], status["label"], status["rule"], status["as_of"]) == (
                code,
                label,
                rule,
                as_of,
            ), entry_id
        assert on_badge(site, entry_id) == (code, label, as_of), entry_id
        did = row["issuer_did"]
        assert (did, own["issuer_did"], own["issuer_did_source"]) == (
            signing_key(int(entry_id.rsplit("-", 1)[1])),
            did,
            row["issuer_did_source"],
        ), entry_id
        key = issuers[did]
        assert (key["status"], key["status_explanation"], key["status_as_of"]) == (label, rule, as_of), (
            entry_id
        )
        assert (key["id"], key["did_source"]) == (entry_id, row["issuer_did_source"]), entry_id
        profile = (site / key["profile"] / "index.html").read_text(encoding="utf-8")
        assert f'data-entry-id="{entry_id}"' in profile
        assert f'<code class="directory-did" dir="ltr" translate="no">{did}</code>' in profile
    # Every status is reached, so a part of the site handed other statuses would show here.
    assert seen == set(LABELS), seen
