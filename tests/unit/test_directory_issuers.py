"""A provider's certificate signing key (issuer_did) in the directory: the validator's rules, each
with its exact file:line: field message, and the lookup by key (directory.issuers) that the
built issuers.json and ``ceu credential verify --data`` read. Every key here is made up for the
test from fixed bytes; no real provider publishes one yet."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from certificates.did_key import b58encode, did_of
from directory.issuers import IssuerDataRefused, IssuerEntry, issuers, issuers_document, issuers_in
from directory.records import quoted
from directory.schema import load_schema
from directory.status import GOOD_STANDING, LABELS, LAPSED, UNVERIFIED, provider_statuses
from directory.validate import validate_directory
from directory.view import DirectoryView, SiteOptions
from tests.conftest import PUBLIC_TEST_SITE
from tests.unit.test_directory_validate import PUBLISHED, SCHEMA, TODAY, dataset, problems, provider

#: Made-up Ed25519 public keys (fixed bytes), as did:key.
KEY_A = did_of(bytes(range(32)))
KEY_B = did_of(bytes(range(32, 64)))
KEY_PAGE = f"{PUBLIC_TEST_SITE}/providers/0/signing-key"


def keyed(n: int, did: str, source: str = KEY_PAGE, **values: str) -> dict[str, str]:
    return provider(n, issuer_did=did, issuer_did_source=source, **values)


def test_a_provider_with_its_key_and_the_page_stating_it_passes(tmp_path):
    assert KEY_A.startswith("did:key:z6Mk") and len(KEY_A) == 56
    path = dataset(tmp_path, [keyed(0, KEY_A), keyed(1, KEY_B, f"{PUBLIC_TEST_SITE}/pull/7"), provider(2)])
    assert problems(path) == []


@pytest.mark.parametrize(
    ("did", "why"),
    [
        ("did:web:provider.org", "does not start with did:key:"),  # another DID method
        ("did:key:" + KEY_A.removeprefix("did:key:z"), "does not start with z"),  # no multibase prefix
        (KEY_A[:20] + "0" + KEY_A[21:], "is not base58btc: '0'"),  # 0, O, I and l are not base58
        (KEY_A[:20] + "l" + KEY_A[21:], "is not base58btc: 'l'"),
        (
            "did:key:z" + b58encode(b"\xed\x01" + bytes(range(31))),
            "is 33 bytes long; an Ed25519 did:key holds 34",
        ),
        ("did:key:z" + b58encode(b"\xed\x01" + bytes(range(33))), "is 35 bytes long"),
        ("did:key:z" + b58encode(b"\xec\x01" + bytes(range(32))), "is not an Ed25519 public key"),  # X25519
        (KEY_A + "#" + KEY_A.removeprefix("did:key:"), "has a fragment"),  # a verification method
    ],
)
def test_a_key_that_is_not_an_ed25519_did_key_is_refused_with_why(tmp_path, did, why):
    found = problems(dataset(tmp_path, [keyed(0, did)]))
    assert len(found) == 1, found
    assert found[0].startswith(f"providers.csv:2: issuer_did: {quoted(did)}: "), found
    assert why in found[0]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            keyed(0, KEY_A, source=""),
            "providers.csv:2: issuer_did_source: is required when issuer_did is set: give the provider's own "
            "page that states the key, or the pull request that added it from the provider's domain",
        ),
        (
            keyed(0, "", source=KEY_PAGE),
            "providers.csv:2: issuer_did: is blank but issuer_did_source is set: give the key the source "
            "states, or leave both blank",
        ),
        (
            keyed(0, KEY_A, source="ftp://provider.org/key.txt"),
            "providers.csv:2: issuer_did_source: 'ftp://provider.org/key.txt' is not an http(s) URL: links must "
            "start with http:// or https://",
        ),
        (
            keyed(0, KEY_A, source="javascript:alert(1)"),
            "providers.csv:2: issuer_did_source: 'javascript:alert(1)' is not an http(s) URL: links must start "
            "with http:// or https://",
        ),
    ],
)
def test_a_key_comes_with_its_source_and_a_source_with_its_key(tmp_path, row, expected):
    assert problems(dataset(tmp_path, [row])) == [expected]


def test_one_key_on_two_providers_names_both_rows(tmp_path):
    path = dataset(tmp_path, [keyed(0, KEY_A), provider(1), keyed(2, KEY_A)])
    why = "a signing key names one provider, so a certificate it signs has one issuer"
    assert problems(path) == [
        f"providers.csv:2: issuer_did: is also the key of line 4 ({quoted(provider(2)['name'])}, id 'p-002'); {why}",
        f"providers.csv:4: issuer_did: is already the key of line 2 ({quoted(provider(0)['name'])}, id 'p-000'); "
        f"{why}",
    ]


def test_the_suggest_form_checks_a_key_and_its_source_as_the_validator_does():
    from directory.suggest import check_suggestion

    table = SCHEMA.table("providers")
    vocabularies = {"delivery-mode": ["in-person", "live-online", "self-paced-online", "blended"]}
    assert check_suggestion(table, keyed(0, KEY_A), vocabularies, TODAY) == []
    found = [
        str(p) for p in check_suggestion(table, keyed(0, "did:key:z6Mk0", source=""), vocabularies, TODAY)
    ]
    assert [line.split(": ")[1] for line in found] == ["issuer_did", "issuer_did_source"], found


# --------------------------------------------------------------------------- the lookup by key


def write_checks(path: Path, rows: list[dict[str, str]]) -> None:
    table = SCHEMA.table("checks")
    with (path / table.file).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=table.column_names, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)


RECENT = (TODAY - dt.timedelta(days=30)).isoformat()


def keyed_directory(tmp_path: Path) -> Path:
    """Three providers: one in good standing with key A, a lapsed one with key B, one without a key."""
    good = keyed(0, KEY_A, source_date=RECENT)
    lapsed = keyed(1, KEY_B, f"{PUBLIC_TEST_SITE}/pull/7", standing="lapsed", source_date="2025-03")
    path = dataset(tmp_path, [good, lapsed, provider(2)])
    write_checks(
        path,
        [
            {
                "table": "providers",
                "id": "p-000",
                "check": "source",
                "checked_on": TODAY.isoformat(),
                "url": good["source_url"],
                "http_status": "200",
                "outcome": "quote-present",
            }
        ],
    )
    return path


def test_each_key_names_its_provider_with_the_status_its_profile_shows(tmp_path):
    path = keyed_directory(tmp_path)
    directory = validate_directory(path, SCHEMA, TODAY)
    assert [str(p) for p in directory.problems] == []
    found = issuers(directory, TODAY)
    rules = provider_statuses(directory, TODAY)
    assert found == {
        KEY_A: IssuerEntry(
            id="p-000",
            name=provider(0)["name"],
            profile="directory/providers/p-000/",
            did_source=KEY_PAGE,
            status="In good standing",
            status_as_of=TODAY.isoformat(),
            status_explanation=rules["p-000"].rule,
        ),
        KEY_B: IssuerEntry(
            id="p-001",
            name=provider(1)["name"],
            profile="directory/providers/p-001/",
            did_source=f"{PUBLIC_TEST_SITE}/pull/7",
            status=LABELS[LAPSED],
            status_as_of=TODAY.isoformat(),
            status_explanation="The source, dated 2025-03, says the accreditation has lapsed.",
        ),
    }
    assert "quoted words were found on it when checked on" in found[KEY_A].status_explanation
    # The build passes the statuses its pages show (DirectoryView): the same entries.
    view = DirectoryView.of(directory, SCHEMA, SiteOptions(today=TODAY))
    assert issuers(directory, TODAY, statuses=view.statuses) == found


def test_the_cli_reads_the_same_entries_from_a_data_folder(tmp_path):
    path = keyed_directory(tmp_path)
    assert issuers_in(path, TODAY) == issuers(validate_directory(path, SCHEMA, TODAY), TODAY)
    later = TODAY + dt.timedelta(days=400)  # the check is older than 12 months by then
    assert issuers_in(path, later)[KEY_A].status == LABELS[UNVERIFIED]
    assert issuers_in(path, later)[KEY_A].status_as_of == later.isoformat()


def test_the_cli_is_refused_a_data_folder_with_errors(tmp_path):
    path = dataset(tmp_path, [keyed(0, KEY_A), keyed(1, KEY_A)])
    with pytest.raises(IssuerDataRefused) as refused:
        issuers_in(path, TODAY)
    assert str(refused.value).startswith(
        f"{path.as_posix()}: the directory data has 2 problem(s), so its signing keys are not read; the first: "
        "providers.csv:2: issuer_did: is also the key of line 3"
    )
    assert str(refused.value).endswith("(see ceu directory validate)")


def test_synthetic_test_data_is_read_only_when_allowed(tmp_path):
    path = dataset(tmp_path, [keyed(0, KEY_A, source_kind="synthetic")])
    with pytest.raises(IssuerDataRefused, match="source_kind: this row is synthetic"):
        issuers_in(path, TODAY)
    assert list(issuers_in(path, TODAY, allow_synthetic=True)) == [KEY_A]


def test_the_published_data_names_the_keys_its_rows_state():
    """No provider states a key yet (the map is empty); a key added later appears here by itself."""
    with (PUBLISHED / "providers.csv").open(encoding="utf-8", newline="") as handle:
        stated = {row["issuer_did"]: row["id"] for row in csv.DictReader(handle) if row["issuer_did"]}
    found = issuers_in(PUBLISHED, TODAY)
    assert {did: entry.id for did, entry in found.items()} == stated


def test_issuers_json_has_the_contract_s_shape(tmp_path):
    found = issuers_in(keyed_directory(tmp_path), TODAY)
    document = issuers_document(found, TODAY)
    assert list(document) == ["built", "issuers"]
    assert document["built"] == TODAY.isoformat()
    entries = document["issuers"]
    assert isinstance(entries, dict) and list(entries) == sorted([KEY_A, KEY_B])
    assert list(entries[KEY_A]) == [
        "id",
        "name",
        "profile",
        "did_source",
        "status",
        "status_as_of",
        "status_explanation",
    ]
    assert issuers_document({}, TODAY) == {"built": TODAY.isoformat(), "issuers": {}}


def test_the_schema_declares_the_key_columns_once():
    columns = {column.name: column for column in load_schema(PUBLISHED).table("providers").columns}
    assert (columns["issuer_did"].type, columns["issuer_did"].required) == ("did", False)
    assert (columns["issuer_did_source"].type, columns["issuer_did_source"].required) == ("url", False)


def test_the_lookup_s_entry_is_what_the_verdict_reads(tmp_path):
    """issuers_in's entries feed certificates.verdict as they are: the CLI's sentence names the
    provider, the page stating its key and its status, and a lapsed provider's status follows."""
    from calc.conversions import parse_credit_systems
    from certificates.model import build_credential, read_facts
    from certificates.verdict import verdict

    (iacet,) = [
        system
        for system in parse_credit_systems((PUBLISHED / "credit_systems.csv").read_text(encoding="utf-8"))
        if system.id == "iacet-ceu"
    ]
    found = issuers_in(keyed_directory(tmp_path), TODAY)

    def said(did: str) -> str:
        credential = build_credential(
            issuer_did=did,
            issuer_name="Whatever the provider typed",
            learner="Ana Lima",
            course="Course",
            start=TODAY,
            end=TODAY,
            contact_hours=Decimal(12),
            system=iacet,
            valid_from=dt.datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=dt.UTC),
        )
        return verdict(None, read_facts(credential), found[did].as_dict(), TODAY).sentence

    assert said(KEY_A).startswith(
        f"Signed by a key that {provider(0)['name']} lists (source {KEY_PAGE}), status In good standing as of "
        f"{TODAY.isoformat()}; "
    )
    assert said(KEY_B).endswith(
        "The signature is still valid, but the provider is now: Lapsed. The source, dated 2025-03, says the "
        "accreditation has lapsed."
    )


def test_the_verdict_knows_good_standing_by_the_directorys_own_label():
    # certificates.verdict runs in the browser without the directory's modules, so it names the
    # label itself; the page and the CLI say "not in good standing" only when the labels agree.
    from certificates import verdict

    assert LABELS[GOOD_STANDING] == verdict.GOOD_STANDING
