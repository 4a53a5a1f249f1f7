"""The verify page's worker (calculator_pages.verify_page): a credential and its proof's outcome
in the words of certificates.verdict, with the facts and the directory's entry for the key.

The proof itself is checked by the page's kit (tests/browser/test_verify.py); here the session
is told its outcome, as the page tells it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from calculator_pages.verify_page import VerifySession, check, proof_reason, read_issuers
from certificates import verdict
from tests.unit.test_kept_credentials import DID, signed

TODAY = dt.date(2026, 12, 20)
ENTRY = {
    "id": "synthetic-provider-00001",
    "name": "Synthetic Provider",
    "profile": "directory/providers/synthetic-provider-00001/",
    "did_source": "https://example.org/our-signing-key",
    "status": "In good standing",
    "status_as_of": "2026-12-07",
    "status_explanation": "Its accreditation runs to 2029.",
}
ISSUERS = json.dumps({"built": "2026-12-07", "issuers": {DID: ENTRY}})


def ask(text: str, problem: str | None = None, issuers: str = ISSUERS) -> dict[str, Any]:
    session = VerifySession(issuers, lambda: TODAY)
    answer: dict[str, Any] = session.handle({"type": "verify", "text": text, "problem": problem})
    return answer


def test_a_valid_credential_by_a_listed_key_names_the_provider_its_status_and_the_facts() -> None:
    answer = ask(json.dumps(signed()))
    assert answer["outcome"] == "listed" and answer["standing"] == "good"
    assert answer["headline"] == "Valid, and the key that signed it is in the directory"
    assert answer["sentence"] == (
        "Signed by a key that Synthetic Provider lists (source https://example.org/our-signing-key), "
        "status In good standing as of 2026-12-07; 1.2 IACET CEU for 'Confined Space Entry', "
        "2026-12-01 to 2026-12-02, issued to Ana Lima."
    )
    assert answer["issuer"] == ENTRY
    facts = dict(answer["facts"])
    assert facts["Course"] == "Confined Space Entry" and facts["Learner"] == "Ana Lima"
    assert facts["Credit"] == "1.2 IACET CEU for 12 contact hours"
    assert facts["Dates"] == "2026-12-01 to 2026-12-02" and facts["Issuer's key"] == DID
    assert answer["rule"].startswith("https://")


def test_a_valid_credential_by_an_unlisted_key_says_we_cannot_tell_who_issued_it() -> None:
    answer = ask(json.dumps(signed()), issuers=json.dumps({"built": "2026-12-07", "issuers": {}}))
    assert answer["outcome"] == "unlisted" and answer["issuer"] is None and answer["standing"] == ""
    assert answer["headline"] == "Valid signature, but we cannot tell who issued it"
    assert "we cannot tell who issued it" in answer["sentence"]
    assert dict(answer["facts"])["Course"] == "Confined Space Entry"


def test_a_lapsed_providers_credential_shows_its_status_beside_the_valid_signature() -> None:
    lapsed = {**ENTRY, "status": "Accreditation lapsed", "status_explanation": "It lapsed on 2026-06-30."}
    answer = ask(json.dumps(signed()), issuers=json.dumps({"issuers": {DID: lapsed}}))
    assert answer["outcome"] == "listed" and answer["standing"] == "other"
    assert answer["headline"] == "Valid signature, but the provider's status is now: Accreditation lapsed"
    assert (
        "The signature is still valid, but the provider is now: Accreditation lapsed." in answer["sentence"]
    )


def expired() -> dict[str, Any]:
    credential = signed()
    credential["validUntil"] = "2026-12-10T00:00:00Z"
    return credential


@pytest.mark.parametrize(
    ("text", "problem", "reason"),
    [
        (
            json.dumps(signed()),
            "The signature does not match the credential (it was changed after signing).",
            "Not valid: the signature does not match the credential (it was changed after signing).",
        ),
        (json.dumps(signed()), verdict.SIGNATURE_MISMATCH, f"Not valid: {verdict.SIGNATURE_MISMATCH}."),
        (json.dumps(expired()), None, "Not valid: the credential expired on 2026-12-10."),
        ("{not json", None, "Not valid: the credential is not JSON: not valid JSON"),
        (json.dumps({"id": "x"}), None, "Not valid: the credential is malformed: @context is not"),
        (
            "",
            "The link's credential is cut short: copy the whole link.",
            "Not valid: the link's credential is cut",
        ),
    ],
    ids=["tampered (kit's words)", "tampered", "expired", "not JSON", "malformed", "cut link"],
)
def test_a_credential_that_is_not_valid_gets_the_reason_and_names_no_provider(
    text: str, problem: str | None, reason: str
) -> None:
    answer = ask(text, problem)
    assert answer["outcome"] == "invalid" and answer["issuer"] is None
    assert answer["headline"] == "Do not rely on this certificate"
    assert answer["sentence"].startswith(reason)


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("did_source", "javascript:alert(1)", ""),
        ("did_source", "https://example.org/a b", ""),
        ("profile", "https://elsewhere.example/", ""),
        ("profile", "//elsewhere.example/x", ""),
        ("profile", "../../x", ""),
    ],
)
def test_a_link_in_the_data_is_kept_only_when_it_is_http_or_the_sites_own(
    field: str, value: str, shown: str
) -> None:
    answer = ask(json.dumps(signed()), issuers=json.dumps({"issuers": {DID: {**ENTRY, field: value}}}))
    assert answer["issuer"][field] == shown


@pytest.mark.parametrize(
    "text", ["", "[]", "{}", '{"issuers": []}', json.dumps({"issuers": {DID: {**ENTRY, "name": 3}}})]
)
def test_an_issuers_file_that_is_not_the_builds_lists_no_one(text: str) -> None:
    assert read_issuers(text) == {}
    assert check(json.dumps(signed()), None, read_issuers(text), TODAY)["outcome"] == "unlisted"


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        (None, None),
        ("  ", None),
        ("The signature does not match.", "the signature does not match"),
        ("JSON-LD safe mode refused the term x.", "JSON-LD safe mode refused the term x"),
    ],
)
def test_the_kits_reason_reads_inside_the_verdicts_sentence(reason: str | None, said: str | None) -> None:
    assert proof_reason(reason) == said
