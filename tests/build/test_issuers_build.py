"""The published site's signing keys' lookup (issue 33): directory/issuers.json names every key a
provider row states. No provider states one yet, so the map is empty, and this test says so: the
first real key, added with its source, changes it. (A fixture build with a key on every provider:
test_statuses_agree.py.)"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.build


def test_the_published_site_writes_the_keys_its_providers_state(built_site: Path) -> None:
    with (REPO_ROOT / "directory_data/providers.csv").open(encoding="utf-8", newline="") as handle:
        stated = {row["issuer_did"]: row["id"] for row in csv.DictReader(handle) if row["issuer_did"]}
    lookup = json.loads((built_site / "directory/issuers.json").read_text(encoding="utf-8"))
    assert list(lookup) == ["built", "issuers"]
    assert {did: entry["id"] for did, entry in lookup["issuers"].items()} == stated == {}
    with (built_site / "directory/export/providers.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert {"issuer_did", "issuer_did_source"} <= set(header), "the exports carry both columns"
