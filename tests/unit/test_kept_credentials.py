"""A signed credential kept by the tracker (issue 33, "keep"): dropped into the tracker it becomes
a record made from its facts that keeps the credential itself, unchanged, through the page's
storage, the tracker file, `ceu tracker` and the audit bundle; one whose proof failed, that
cannot be read, or that is kept already is refused with the reason and changes nothing.

The proof is checked by the page (the credential kit, in the browser tests); here the page model
is told the kit's outcome, and the proof (a real one, tests/credential_fixtures.py) is data it
keeps without reading it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from calc.errors import CreditInputError
from calc.tracker import FORMAT, MAX_CREDENTIAL_CHARS, VERSION, parse_tracker, tracker_text
from calculator_pages import tracker_exports, tracker_page
from calculator_pages.tracker_session import TrackerSession
from certificates.verdict import SIGNATURE_MISMATCH
from tests.credential_fixtures import TEST_SEED, did_of_seed, signed, tampered
from tests.unit.test_cli import ceu
from tests.unit.test_tracker_page import TABLES

TODAY = dt.date(2026, 12, 20)
DID = did_of_seed(TEST_SEED)


def session_with_credential() -> TrackerSession:
    s = TrackerSession(TABLES, lambda: TODAY)
    s.handle({"type": "load", "stored": None})
    answer = s.handle(
        {
            "type": "add-credential",
            "values": {"requirement": "ace-certifications", "cycle_start": "2026-01-01"},
        }
    )
    assert not answer["error"], answer
    return s


def add(s: TrackerSession, credential: Any, problem: str | None = None) -> dict[str, Any]:
    text = credential if isinstance(credential, str) else json.dumps(credential)
    answer: dict[str, Any] = s.handle({"type": "add-signed", "text": text, "problem": problem})
    return answer


# ------------------------------------------------------------------ the record


def test_a_credential_becomes_a_record_of_its_facts_that_keeps_it_unchanged() -> None:
    s = session_with_credential()
    credential = signed()
    answer = add(s, credential)
    assert answer["said"] == "Kept the signed credential for Confined Space Entry as an activity."
    [record] = json.loads(answer["stored"])["activities"]
    assert record == {
        "title": "Confined Space Entry",
        "provider": "Example Training Co.",
        "started_on": "2026-12-01",
        "completed_on": "2026-12-02",
        "minutes": "720",
        "credit": "1.2",
        "credit_unit": "iacet-ceu",
        "credential": credential,
    }
    assert record["credential"]["proof"] == credential["proof"]
    [entry] = answer["lists"]["activities"]
    assert entry["signed"] is True
    assert entry["text"] == (
        "2026-12-02: Confined Space Entry, Example Training Co., 1.2 IACET CEU, 720 minutes, verified credential"
    )


def test_a_one_day_credential_has_no_start_day_and_a_record_typed_in_is_not_marked() -> None:
    s = session_with_credential()
    one_day = signed(start=dt.date(2026, 12, 2))
    record = json.loads(add(s, one_day)["stored"])["activities"][0]
    assert "started_on" not in record and record["completed_on"] == "2026-12-02"
    typed = s.handle(
        {
            "type": "add-activity",
            "values": {"title": "Typed in", "completed_on": "2026-03-01", "length": "2"},
            "credentials": [s.state["credentials"][0]["name"]],
        }
    )
    assert [entry["signed"] for entry in typed["lists"]["activities"]] == [True, False]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda c: c, "the signature does not match the credential"),  # the proof failed (problem given)
        (lambda c: "{not json", "Not added: not a credential the tracker can read: not valid JSON"),
        (lambda c: "[1, 2]", "Not added: not a credential the tracker can read: the credential is not"),
        (
            lambda c: {**c, "credentialSubject": {**c["credentialSubject"], "creditsEarned": None}},
            "credentialSubject.creditsEarned is missing",
        ),
        (lambda c: {k: v for k, v in c.items() if k != "issuer"}, "issuer is missing"),
    ],
    ids=["proof failed", "not JSON", "not an object", "no credits", "no issuer"],
)
def test_a_credential_that_fails_or_cannot_be_read_is_refused_with_the_reason_and_changes_nothing(
    change: Any, words: str
) -> None:
    s = session_with_credential()
    before = tracker_page.state_text(s.state)
    problem = SIGNATURE_MISMATCH if words.startswith("the signature") else None
    answer = add(s, change(signed()), problem)
    assert answer["field"] == tracker_page.SIGNED_FIELD
    assert words in answer["error"] and answer["error"].startswith("Not added: ")
    assert "stored" not in answer
    assert tracker_page.state_text(s.state) == before


def test_the_same_credential_twice_is_refused_and_another_is_kept_beside_it() -> None:
    s = session_with_credential()
    add(s, signed())
    again = add(s, signed())
    assert again["error"] == "This credential is already kept, as activity 1. Nothing was changed."
    other = add(s, signed(course="Trenching Safety", number=2))
    assert len(json.loads(other["stored"])["activities"]) == 2


def test_a_credit_in_a_unit_the_site_does_not_know_stays_in_the_credential_only() -> None:
    s = session_with_credential()
    credential = signed()
    credential["credentialSubject"]["achievement"]["alignment"][0]["targetCode"] = "no-such-unit"
    record = json.loads(add(s, credential)["stored"])["activities"][0]
    assert "credit" not in record and "credit_unit" not in record and record["minutes"] == "720"
    assert record["credential"] == credential


def test_the_record_counts_by_its_length_and_its_credit_where_the_unit_is_the_bodys() -> None:
    s = session_with_credential()
    add(s, signed(hours="10"))
    outcome = s.handle({"type": "compute", "values": {"as_of": "2026-12-20"}})
    # ACE counts time at 0.1 CEC an hour: 10 contact hours are 1 CEC (the IACET CEU is another unit)
    assert 'data-key="earned-1" data-value="1"' in outcome["figures"], outcome


# ------------------------------------------------------------------ storage and the tracker file


def test_the_kept_credential_survives_storage_export_and_import_as_the_same_json_object() -> None:
    s = session_with_credential()
    credential = signed()
    stored = add(s, credential)["stored"]
    reloaded = TrackerSession(TABLES, lambda: TODAY)
    reloaded.handle({"type": "load", "stored": stored})
    exported = reloaded.handle({"type": "export"})["file"]["text"]
    assert exported == stored
    fresh = TrackerSession(TABLES, lambda: TODAY)
    fresh.handle({"type": "load", "stored": None})
    imported = fresh.handle(
        {"type": "import", "name": "openceu-tracker.json", "text": exported, "size": len(exported)}
    )
    assert json.loads(imported["stored"])["activities"][0]["credential"] == credential
    assert imported["lists"]["activities"][0]["signed"] is True


def test_ceu_tracker_reads_a_file_with_kept_credentials_and_counts_the_same(tmp_path: Path) -> None:
    s = session_with_credential()
    with_credential = add(s, signed())["stored"]
    plain = json.loads(with_credential)
    del plain["activities"][0]["credential"]
    results = []
    for name, text in (("kept.json", with_credential), ("plain.json", tracker_text(plain))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        done = ceu("tracker", str(path), "--as-of", "2026-12-20", "--json")
        assert done.returncode == 0, done.stderr
        results.append(json.loads(done.stdout))
    assert results[0] == results[1]


@pytest.mark.parametrize(
    ("credential", "words"),
    [
        ("a text", "expected a signed credential: an object with a proof"),
        ({"id": "urn:uuid:1"}, "expected a signed credential: an object with a proof"),
        ({"proof": {}, "padding": "x" * MAX_CREDENTIAL_CHARS}, f"at most {MAX_CREDENTIAL_CHARS:,}"),
    ],
    ids=["text", "no proof", "too long"],
)
def test_a_tracker_file_whose_record_holds_no_signed_credential_there_is_refused(
    credential: Any, words: str
) -> None:
    data = {
        "format": FORMAT,
        "version": VERSION,
        "credentials": [],
        "activities": [
            {"title": "x", "completed_on": "2026-01-01", "minutes": "60", "credential": credential}
        ],
    }
    with pytest.raises(CreditInputError) as raised:
        parse_tracker(json.dumps(data), TABLES.requirements)
    assert raised.value.message.startswith("activity 1: credential: ") and words in raised.value.message


# ------------------------------------------------------------------ the audit bundle


def bundle_members(s: TrackerSession) -> dict[str, bytes]:
    answer = s.handle({"type": "bundle", "files": {}})
    assert not answer["error"], answer

    with zipfile.ZipFile(io.BytesIO(base64.b64decode(answer["bundle"]["data"]))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_audit_bundle_holds_each_kept_credential_as_its_own_file_with_its_proof() -> None:
    s = session_with_credential()
    first, second = signed(), signed(course="Trenching Safety", number=2)
    add(s, first)
    add(s, second)
    members = bundle_members(s)
    kept = {name: json.loads(data) for name, data in members.items() if name.startswith("credentials/")}
    assert sorted(kept.values(), key=lambda c: c["id"]) == [first, second]
    for name, data in members.items():
        if name.startswith("credentials/"):
            assert name.startswith(f"credentials/{hashlib.sha256(data).hexdigest()[:12]}-")
            assert f"{hashlib.sha256(data).hexdigest()}  {name}" in members["SHA256SUMS"].decode()
    page = members["audit.html"].decode()
    for name in kept:
        assert "Signed credential</strong> (Open Badges 3.0)" in page and name in page
    assert "credentials/" in page and "Confined-Space-Entry.json" in page


def test_a_bundle_with_kept_credentials_imports_back_and_a_changed_credential_file_is_refused() -> None:
    s = session_with_credential()
    add(s, signed())
    members = bundle_members(s)
    blob = _zip(members)
    text, files = tracker_exports.read_bundle(blob, 5_000_000)
    assert text == tracker_page.state_text(s.state) and files == {}
    [name] = [n for n in members if n.startswith("credentials/")]
    forged = json.loads(members[name])
    forged["credentialSubject"]["creditsEarned"] = 9.9
    changed = json.dumps(forged).encode()
    sums = (
        members["SHA256SUMS"]
        .decode()
        .replace(hashlib.sha256(members[name]).hexdigest(), hashlib.sha256(changed).hexdigest())
    )
    with pytest.raises(ValueError, match="is not the signed credential of any record"):
        tracker_exports.read_bundle(_zip({**members, name: changed, "SHA256SUMS": sums.encode()}), 5_000_000)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_checking_an_import_gives_each_kept_certificate_for_the_page_to_verify_first() -> None:
    s = session_with_credential()
    first, second = signed(), signed(course="Trenching Safety", number=2)
    add(s, first)
    s.handle(
        {
            "type": "add-activity",
            "values": {"title": "Typed in", "completed_on": "2026-03-01", "length": "2"},
            "credentials": [s.state["credentials"][0]["name"]],
        }
    )
    add(s, second)
    exported = s.handle({"type": "export"})["file"]["text"]
    fresh = TrackerSession(TABLES, lambda: TODAY)
    fresh.handle({"type": "load", "stored": None})
    check = fresh.handle({"type": "check-import", "name": "t.json", "text": exported, "size": len(exported)})
    assert [(number, json.loads(text)) for number, text in check["signed"]] == [(1, first), (3, second)]
    bundle = base64.b64encode(_zip(bundle_members(s))).decode()
    check = fresh.handle({"type": "check-import", "name": "b.zip", "size": len(bundle), "data": bundle})
    assert [number for number, _ in check["signed"]] == [1, 3]


def test_a_certificate_file_from_the_bundle_verifies_with_ceu_credential_verify(tmp_path: Path) -> None:
    s = session_with_credential()
    add(s, signed())
    [data] = [d for n, d in bundle_members(s).items() if n.startswith("credentials/")]
    kept = tmp_path / "kept.json"
    kept.write_bytes(data)
    done = ceu("credential", "verify", str(kept), "--as-of", "2026-12-20")
    assert done.returncode == 0, done.stderr
    assert "The signature is valid" in done.stdout and "issued to Ana Lima" in done.stdout
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(tampered(json.loads(data))), encoding="utf-8")
    done = ceu("credential", "verify", str(changed), "--as-of", "2026-12-20")
    assert done.returncode == 1 and "Not valid: the signature does not match the credential" in done.stdout
