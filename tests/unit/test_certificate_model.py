"""The certificate's data (certificates.model, .did_key, .link, .verdict): built in the contract's
shape, read back exactly, malformed credentials refused naming the field, the standard library only."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.conversions import parse_credit_systems
from calc.errors import CreditInputError
from certificates import did_key, link, model, verdict
from tests.conftest import REPO_ROOT, modules_loaded_by, outside_standard_library
from tests.credential_fixtures import COURSE_FACTS

SYSTEMS = {
    system.id: system
    for system in parse_credit_systems(
        (REPO_ROOT / "directory_data" / "credit_systems.csv").read_text("utf-8")
    )
}
IACET = SYSTEMS["iacet-ceu"]
#: RFC 8032's first test key: seed 9d61b19d…, public key d75a9801….
PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
DID = "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
NOW = dt.datetime(2026, 12, 7, 20, 30, tzinfo=dt.UTC)


def credential(**changes: object) -> dict:
    given_facts: dict = {
        **COURSE_FACTS,
        "issuer_did": DID,
        "valid_from": NOW,
        "credential_id": "urn:uuid:00000000-0000-4000-8000-000000000000",
    }
    return model.build_credential(**{**given_facts, **changes})


# ------------------------------------------------------------------ did:key


@pytest.mark.parametrize(
    ("data", "text"),
    [(b"Hello World!", "2NEpo7TZRRrLZSi2U"), (bytes.fromhex("0000287fb4cd"), "11233QC4"), (b"", "")],
)
def test_base58btc_gives_the_reference_texts(data: bytes, text: str):
    # The base58 test vectors of the IETF draft (draft-msporny-base58) and Bitcoin's.
    assert did_key.b58encode(data) == text
    assert did_key.b58decode(text) == data


def test_a_did_key_names_its_public_key_both_ways():
    assert did_key.did_of(PUBLIC) == DID
    assert did_key.public_key_of(DID) == PUBLIC
    assert did_key.verification_method(DID) == f"{DID}#{DID.removeprefix('did:key:')}"
    assert did_key.did_problem(DID) is None


@given(st.binary(min_size=32, max_size=32))
def test_every_32_byte_key_round_trips(key: bytes):
    did = did_key.did_of(key)
    assert did.startswith("did:key:z6Mk") and did_key.did_problem(did) is None
    assert did_key.public_key_of(did) == key
    assert did_key.seed_of(did_key.secret_multibase(key)) == key


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        (" " + DID, "spaces"),
        ("did:web:example.com", "does not start with did:key:"),
        (DID + "#key-1", "fragment"),
        ("did:key:" + DID[9:], "does not start with z"),
        (DID[:-1] + "0", "not base58btc"),
        (DID[:-2], "key bytes"),
        ("did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc", "not an Ed25519 public key"),
        ("did:key:" + "z" * 300, "characters long"),
    ],
)
def test_a_malformed_did_gets_one_reason(text: str, reason: str):
    problem = did_key.did_problem(text)
    assert problem is not None and reason in problem and "\n" not in problem
    with pytest.raises(ValueError, match=reason):
        did_key.public_key_of(text)


# ------------------------------------------------------------------ building and reading


def test_the_credential_has_the_contract_shape():
    built = credential()
    assert built["@context"] == list(model.CONTEXTS)
    assert built["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert built["issuer"] == {"id": DID, "type": ["Profile"], "name": "Example Training Co."}
    assert built["validFrom"] == "2026-12-07T20:30:00Z" and "validUntil" not in built
    subject = built["credentialSubject"]
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityHash": "Ana Lima", "identityType": "name", "hashed": False}
    ]
    assert (subject["activityStartDate"], subject["activityEndDate"]) == (
        "2026-12-01T00:00:00Z",
        "2026-12-02T00:00:00Z",
    )
    assert subject["creditsEarned"] == Decimal("1.2") == subject["achievement"]["creditsAvailable"]
    alignment = subject["achievement"]["alignment"][0]
    assert alignment["targetCode"] == "iacet-ceu" and alignment["targetName"] == "IACET CEU"
    assert alignment["targetUrl"] == IACET.source_url
    assert alignment["targetDescription"] == "12 contact hours"
    assert '"creditsEarned": 1.2,' in model.dumps(built)


def test_the_same_course_has_the_same_achievement_id_for_every_learner():
    first, second = credential(learner="Ana Lima"), credential(learner="Bo Chen")
    other = credential(course="Fall Protection")
    ids = [item["credentialSubject"]["achievement"]["id"] for item in (first, second, other)]
    assert ids[0] == ids[1] != ids[2]


@pytest.mark.parametrize(
    ("system", "hours", "credits"),
    [
        ("iacet-ceu", "12", "1.2"),
        ("iacet-ceu", "0.5", "0.1"),  # IACET's own example: 30 minutes is .05, rounded up to .1
        ("iacet-ceu", "7.75", "0.8"),
        ("ace-cec", "20", "2"),
        ("hrci-credit", "5.3333", "5.25"),
    ],
)
def test_credits_are_the_engines_figure(system: str, hours: str, credits: str):
    assert model.credits_under(SYSTEMS[system], Decimal(hours)) == Decimal(credits)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"contact_hours": Decimal(-1)}, "contact_hours", "more than 0"),
        ({"contact_hours": Decimal(0)}, "contact_hours", "more than 0"),
        ({"contact_hours": Decimal("0.2")}, "contact_hours", "earns nothing"),
        ({"contact_hours": Decimal("0.00001")}, "contact_hours", "decimal places"),
        ({"end": dt.date(2026, 11, 30)}, "end", "before it starts"),
        ({"learner": "Ana\nLima"}, "learner", "line break"),
        ({"course": ""}, "course", "empty"),
        ({"issuer_did": "did:web:example.com"}, "issuer_did", "did:key"),
        ({"system": SYSTEMS["nc-engineering-pdh"], "contact_hours": Decimal("2.3333")}, "rule", "no decimal"),
    ],
)
def test_inputs_no_certificate_can_state_are_refused(changes: dict, field: str, words: str):
    with pytest.raises(CreditInputError, match=words) as caught:
        credential(**changes)
    assert caught.value.field == field


TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u0085"),
    min_size=1,
    max_size=60,
).filter(lambda text: text == text.strip())
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
HOURS = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(10_000), places=2)


@settings(max_examples=150, deadline=None)
@given(
    course=TEXT,
    learner=TEXT,
    issuer=TEXT,
    start=DAYS,
    length=st.integers(0, 400),
    hours=HOURS,
    key=st.binary(min_size=32, max_size=32),
)
def test_facts_read_back_are_the_facts_given(course, learner, issuer, start, length, hours, key):
    end = start + dt.timedelta(days=length)
    did = did_key.did_of(key)
    built = credential(
        course=course,
        learner=learner,
        issuer_name=issuer,
        start=start,
        end=end,
        contact_hours=hours,
        issuer_did=did,
    )
    # Through its JSON text, as a file or a link carries it.
    facts = model.read_facts(model.loads(link.credential_of(link.fragment_of(model.dumps(built)))))
    assert (facts.course, facts.learner, facts.issuer_name, facts.issuer_did) == (
        course,
        learner,
        issuer,
        did,
    )
    assert (facts.start, facts.end, facts.contact_hours) == (start, end, hours)
    assert facts.credits == model.credits_under(IACET, hours)
    assert (facts.unit, facts.credit_system, facts.rule_url) == ("IACET CEU", "iacet-ceu", IACET.source_url)
    assert facts.valid_from == NOW and facts.valid_until is None
    # The standard JSON reader (floats) reads the same number: the text is the Decimal's own.
    assert model.read_facts(json.loads(model.dumps(built))).credits == facts.credits


def _without(path: str) -> dict:
    built = credential()
    *parents, last = path.split(".")
    node = built
    for name in parents:
        node = node[int(name)] if name.isdigit() else node[name]
    del node[last]
    return built


@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        ("credentialSubject.creditsEarned", "credentialSubject.creditsEarned is missing"),
        ("issuer.id", "issuer.id is missing"),
        ("issuer.name", "issuer.name is missing"),
        ("validFrom", "validFrom is missing"),
        ("credentialSubject", "credentialSubject is missing"),
        ("credentialSubject.activityStartDate", "credentialSubject.activityStartDate is missing"),
        ("credentialSubject.achievement.name", "credentialSubject.achievement.name is missing"),
        ("credentialSubject.identifier", "credentialSubject.identifier is missing"),
        ("credentialSubject.achievement.alignment", "does not name the credit rule once"),
        (
            "credentialSubject.achievement.alignment.0.targetDescription",
            "credentialSubject.achievement.alignment.targetDescription is missing",
        ),
        ("@context", "@context is not"),
    ],
)
def test_a_malformed_credential_is_refused_naming_the_field(path: str, sentence: str):
    with pytest.raises(model.MalformedCredential) as caught:
        model.read_facts(_without(path))
    assert sentence in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{", "not JSON"),
        ("[]", "not an object"),
        ('{"a": 1, "a": 2}', "given twice"),
        ('{"a": NaN}', "NaN"),
        ("[" * 100_000, "nests too deeply"),
        (" " * 300_000, "characters long"),
    ],
)
def test_text_that_is_not_a_credential_is_refused_in_one_sentence(text: str, words: str):
    with pytest.raises(model.MalformedCredential, match=words):
        model.loads(text)


# ------------------------------------------------------------------ the link


def test_a_link_carries_the_credential_in_its_fragment():
    text = model.dumps(credential())
    address = link.link_of("https://openceu.example/", text)
    assert address.startswith("https://openceu.example/verify/#credential=")
    assert "=" not in address.partition("#credential=")[2]
    assert link.credential_of(address) == text == link.credential_of(address.partition("#")[2])


@pytest.mark.parametrize(
    ("fragment", "words"),
    [
        ("", "carries no credential"),
        ("credential=@@@", "not base64url"),
        ("credential=" + link.fragment_of("{}")[11:-2], "cut"),
        ("credential=____", "does not inflate"),
    ],
)
def test_a_broken_link_gets_one_sentence(fragment: str, words: str):
    with pytest.raises(link.LinkError, match=words):
        link.credential_of(fragment)


def test_a_link_that_inflates_past_any_credential_is_refused():
    with pytest.raises(link.LinkError, match="larger than"):
        link.credential_of(link.fragment_of(" " * (link.MAX_INFLATED_BYTES + 10)))


# ------------------------------------------------------------------ the verdict

ENTRY = {
    "id": "example-training",
    "name": "Example Training Co.",
    "profile": "providers/example-training/",
    "did_source": "https://example.com/keys",
    "status": "In good standing",
    "status_as_of": "2026-12-01",
    "status_explanation": "IACET's directory lists the provider.",
}
TODAY = dt.date(2026, 12, 8)


def test_a_valid_listed_credential_names_who_lists_the_key():
    facts = model.read_facts(credential())
    found = verdict.verdict(None, facts, ENTRY, TODAY)
    assert found.outcome == "listed" and found.valid
    assert found.sentence == (
        "Signed by a key that Example Training Co. lists (source https://example.com/keys), status In good "
        "standing as of 2026-12-01; 1.2 IACET CEU for 'Confined Space Entry', 2026-12-01 to 2026-12-02, "
        "issued to Ana Lima."
    )


def test_an_unlisted_key_is_said_plainly():
    found = verdict.verdict(None, model.read_facts(credential()), None, TODAY)
    assert found.outcome == "unlisted" and found.valid
    assert "not in the directory: we cannot tell who issued it." in found.sentence
    assert found.sentence.endswith("issued to Ana Lima.")


def test_a_lapsed_provider_shows_its_status_beside_the_valid_signature():
    lapsed = {**ENTRY, "status": "Lapsed", "status_explanation": "IACET's directory no longer lists it."}
    found = verdict.verdict(None, model.read_facts(credential()), lapsed, TODAY)
    assert found.outcome == "listed"
    assert "status Lapsed as of 2026-12-01" in found.sentence
    assert "The signature is still valid, but the provider is now: Lapsed." in found.sentence


@pytest.mark.parametrize(
    ("changes", "problem", "sentence"),
    [
        ({}, verdict.SIGNATURE_MISMATCH, f"Not valid: {verdict.SIGNATURE_MISMATCH}."),
        (
            {"valid_until": dt.datetime(2026, 12, 7, 23, 0, tzinfo=dt.UTC)},
            None,
            "Not valid: the credential expired on 2026-12-07.",
        ),
        (
            {"valid_from": dt.datetime(2026, 12, 9, tzinfo=dt.UTC)},
            None,
            "Not valid: the credential is not valid until 2026-12-09.",
        ),
    ],
)
def test_an_invalid_credential_gets_the_reason(changes: dict, problem: str | None, sentence: str):
    found = verdict.verdict(problem, model.read_facts(credential(**changes)), ENTRY, TODAY)
    assert (found.outcome, found.sentence) == ("invalid", sentence)


def test_the_certificate_modules_for_the_page_use_the_standard_library_only():
    code = "import certificates.model, certificates.verdict, certificates.link, certificates.did_key"
    assert outside_standard_library(modules_loaded_by(code)) <= {"calc", "certificates"}
