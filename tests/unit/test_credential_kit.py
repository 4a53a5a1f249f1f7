"""The credential kit as the site ships it (esbuild's bundle of site_build/credential_kit_src/), run in
Node: the key file is sealed as the contract says and opens only with its passphrase, a signed
credential verifies and any change to it does not, the link's fragment is raw DEFLATE that Python
reads back, and an unchanged kit is not bundled again. The page itself: tests/browser/test_certificates.py."""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import re
import string
import subprocess
import zlib
from decimal import Decimal
from typing import Any

import pytest

from calc.conversions import parse_credit_systems
from certificates import did_key, proof, verdict
from certificates.key_file import KeyFileError, new_key_file, read_key_file
from certificates.link import fragment_of
from certificates.model import build_credential, dumps
from site_build.credential_kit import KIT, build_credential_kit
from tests.conftest import REPO_ROOT

CREDIT_SYSTEMS = REPO_ROOT / "directory_data" / "credit_systems.csv"

PASSPHRASE = "correct horse battery"

#: Runs in Node against the bundle; prints one JSON object of what the tests read.
SCRIPT = r"""
globalThis.self = globalThis; // the bundle is for browsers
const kit = await import(process.argv[2]);
const out = {};
const { keyFile, signer } = await kit.createKey("  Example Training  ", process.argv[3]);
out.keyFile = keyFile;
out.signerDid = signer.did;
const opened = await kit.openKeyFile(keyFile, process.argv[3]);
out.openedDid = opened.did;
const refused = async (promise) => { try { await promise; return null; } catch (e) { return e.message; } };
out.wrong = await refused(kit.openKeyFile(keyFile, `${process.argv[3]}x`));
out.changedDid = await refused(kit.openKeyFile({ ...keyFile, did: (await kit.createKey("Other", process.argv[3])).keyFile.did }, process.argv[3]));
out.short = await refused(kit.createKey("Example", "eleven char"));
const credential = JSON.parse(process.argv[4]);
credential.issuer.id = keyFile.did;
const signed = await kit.sign(credential, opened);
out.signed = signed;
out.unchangedInput = !("proof" in credential);
out.verified = await kit.verifyProof(signed);
out.fragment = await kit.linkFragment(signed);
out.back = await kit.credentialFromFragment(`#${out.fragment}`);
out.backAmong = await kit.credentialFromFragment(`#view=print&${out.fragment}`);
out.badLink = await refused(kit.credentialFromFragment("#credential=%%%"));
out.noLink = await refused(kit.credentialFromFragment("#other=1"));
const changes = JSON.parse(process.argv[5]);
out.changed = [];
for (const [path, value] of changes) {
  const copy = structuredClone(signed);
  const keys = path.split(".");
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key];
  const last = keys.at(-1);
  if (value === null) delete node[last];
  else if (value === "<flip>") node[last] = node[last].slice(0, 20) + (node[last][20] === "A" ? "B" : "A") + node[last].slice(21);
  else node[last] = value;
  out.changed.push([path, await kit.verifyProof(copy)]);
}
// The other way: a key file and a credential made by the CLI's Python (certificates.key_file, .proof).
out.pythonKeyDid = (await kit.openKeyFile(JSON.parse(process.argv[6]), process.argv[3])).did;
out.pythonSigned = await kit.verifyProof(JSON.parse(process.argv[7]));
const zip = kit.zipFiles([{ name: "credentials/1-a.json", data: "{}" }, { name: "b.bin", data: new Uint8Array([1, 2]) }]);
out.zip = Buffer.from(zip).toString("base64");
// QR codes: of this credential's link, then of each link Python made (or why not).
out.linkQr = kit.qrSvg(`${process.argv[8]}#${out.fragment}`);
out.qr = JSON.parse(process.argv[9]).map((link) => {
  try { return { svg: kit.qrSvg(link) }; } catch (e) { return { error: e.message }; }
});
console.log(JSON.stringify(out));
"""

CREDENTIAL: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "urn:uuid:2f6b3a52-7a55-4f0e-9a3a-0c1d2e3f4a5b",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Safe Lifting",
    "issuer": {"id": "", "type": ["Profile"], "name": "Example Training"},
    "validFrom": "2026-12-07T20:30:00Z",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityHash": "Ana Lima", "identityType": "name", "hashed": False}
        ],
        "creditsEarned": 1.2,
        "achievement": {
            "id": "urn:uuid:3f6b3a52-7a55-4f0e-9a3a-0c1d2e3f4a5b",
            "type": ["Achievement"],
            "achievementType": "Course",
            "name": "Safe Lifting",
            "description": "12 contact hours; 1.2 IACET CEU.",
            "criteria": {"narrative": "Attended the whole course."},
        },
    },
}


def sentence(reason: str) -> str:
    """A reason of certificates.verdict as the kit says it: capitalised, with its period."""
    return reason[0].upper() + reason[1:] + "."


MISMATCH = sentence(verdict.SIGNATURE_MISMATCH)
#: (field path, new value or None to delete, the reason or its start): the verdict's sentence
#: wherever it words that reason, so the verify page and the CLI say the same.
CHANGES = [
    ("credentialSubject.creditsEarned", 2.2, MISMATCH),
    ("name", "Safe Lifting II", MISMATCH),
    ("validFrom", "2026-12-07T20:30:01Z", MISMATCH),
    ("credentialSubject.invented", "x", sentence(verdict.undefined_term("invented"))),
    (
        "@context",
        ["https://www.w3.org/ns/credentials/v2", "https://example.org/c.json"],
        "The credential names",
    ),
    ("proof.0.cryptosuite", "ecdsa-rdfc-2019", sentence(verdict.WRONG_SUITE)),
    ("proof.0.proofValue", "<flip>", MISMATCH),
    ("proof.0.proofValue", "z3FXQ", MISMATCH),
    ("proof", None, sentence(verdict.NO_PROOF)),
    (
        "issuer.id",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        sentence(verdict.NOT_ISSUER_KEY),
    ),
]


#: A fixed key for the CLI's side (certificates.key_file and certificates.proof).
SEED = bytes(range(32))
SIGNED_AT = dt.datetime(2026, 12, 7, 20, 30, tzinfo=dt.UTC)


def python_credential() -> dict[str, Any]:
    """CREDENTIAL issued by SEED's did:key."""
    did = did_key.did_of(proof.public_key_of_seed(SEED))
    return {**CREDENTIAL, "issuer": {**CREDENTIAL["issuer"], "id": did}}


VERIFY = "https://openceu.example.org/verify/"
#: A centimetre in CSS pixels (96 an inch), as Chromium prints.
CM = 96 / 2.54


#: Words of long course titles and organization names.
VOCABULARY = [
    "Advanced",
    "Applied",
    "Annual",
    "Building",
    "Center",
    "Clinical",
    "Community",
    "Continuing",
    "Department",
    "Development",
    "Education",
    "Emergency",
    "Engineering",
    "Environmental",
    "Foundation",
    "Health",
    "Hospital",
    "Institute",
    "International",
    "Leadership",
    "Management",
    "Medical",
    "National",
    "Nursing",
    "Occupational",
    "Practice",
    "Professional",
    "Program",
    "Quality",
    "Regional",
    "Research",
    "Safety",
    "School",
    "Services",
    "Society",
    "Standards",
    "Supervisors",
    "Technical",
    "Training",
    "University",
    "Warehouse",
    "Workplace",
    "and",
    "for",
    "in",
    "of",
    "the",
]


def words(count: int, seed: int) -> str:
    """`count` characters of words (text like a long course title or name)."""
    chosen = random.Random(seed)
    text = ""
    while len(text) < count:
        text += chosen.choice(VOCABULARY) + " "
    return text[:count].strip()


def certificate_link(learner: str, course: str, issuer: str) -> str:
    """The verification link of a certificate the page would make (the engine's credential, signed
    with the CLI's code, whose proof is the kit's format)."""
    system = next(
        s for s in parse_credit_systems(CREDIT_SYSTEMS.read_text(encoding="utf-8")) if s.id == "iacet-ceu"
    )
    unsigned = build_credential(
        issuer_did=did_key.did_of(proof.public_key_of_seed(SEED)),
        issuer_name=issuer,
        learner=learner,
        course=course,
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 2),
        contact_hours=Decimal("12.25"),
        system=system,
        valid_from=SIGNED_AT,
        valid_until=SIGNED_AT.replace(year=2028),
    )
    signed = json.loads(dumps(proof.sign(unsigned, SEED, SIGNED_AT)))
    return f"{VERIFY}#{fragment_of(json.dumps(signed, separators=(',', ':'), ensure_ascii=False))}"


def noise(count: int, seed: int) -> str:
    """`count` random letters: text that deflate cannot shorten, the worst case for a link."""
    chosen = random.Random(seed)
    return "".join(chosen.choice(string.ascii_letters) for _ in range(count))


#: (what, link): certificates with longer and longer names and titles (the model allows 500
#: characters a field), each of whose links fits a QR code at level M.
QR_LINKS = [
    ("typical", certificate_link("Ana Lima", "Safe Lifting in Warehouses", "Example Training Co")),
    ("long names and title", certificate_link(words(120, 1), words(200, 2), words(120, 3))),
    ("every field at 500 characters", certificate_link(words(500, 4), words(500, 5), words(500, 6))),
    ("every field 300 random letters", certificate_link(noise(300, 7), noise(300, 8), noise(300, 9))),
]
#: Links no QR code holds: 500 random letters a field (about 2,800 characters; a version 40
#: symbol at level M holds 2,331 bytes), and text that is not a plain ASCII link.
TOO_LONG = certificate_link(noise(500, 10), noise(500, 11), noise(500, 12))
NOT_ASCII = f"{VERIFY}#credential=é"


@pytest.fixture(scope="module")
def kit_run(tmp_path_factory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("kit")
    bundle = build_credential_kit(REPO_ROOT, folder)
    script = folder / "run.mjs"
    script.write_text(SCRIPT, encoding="utf-8")
    changes = json.dumps([[path, value] for path, value, _ in CHANGES])
    python_key = json.dumps(new_key_file(SEED, "Example Training", PASSPHRASE, SIGNED_AT))
    python_signed = json.dumps(proof.sign(python_credential(), SEED, SIGNED_AT))
    done = subprocess.run(
        [
            "node",
            str(script),
            str(bundle),
            PASSPHRASE,
            json.dumps(CREDENTIAL),
            changes,
            python_key,
            python_signed,
            VERIFY,
            json.dumps([*(link for _, link in QR_LINKS), TOO_LONG, NOT_ASCII]),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_key_file_is_sealed_as_the_contract_says(kit_run):
    key_file = kit_run["keyFile"]
    assert set(key_file) == {"type", "version", "did", "issuerName", "created", "encryption", "ciphertext"}
    assert (key_file["type"], key_file["version"], key_file["issuerName"]) == (
        "OpenCEUSigningKey",
        1,
        "Example Training",
    )
    assert key_file["did"].startswith("did:key:z6Mk") and kit_run["signerDid"] == key_file["did"]
    encryption = key_file["encryption"]
    assert {k: v for k, v in encryption.items() if k not in {"salt", "iv"}} == {
        "cipher": "AES-GCM", "keyBits": 256, "kdf": "PBKDF2", "hash": "SHA-256", "iterations": 600000,
    }  # fmt: skip
    assert (len(b64url(encryption["salt"])), len(b64url(encryption["iv"]))) == (16, 12)
    # "z" and the base58btc of 0x8026 + a 32-byte seed is 48 characters; the GCM tag adds 16 bytes.
    assert len(b64url(key_file["ciphertext"])) == 48 + 16
    assert key_file["created"].endswith("Z") and len(key_file["created"]) == 20


def test_the_key_file_opens_only_with_its_passphrase_and_its_own_did(kit_run):
    assert kit_run["openedDid"] == kit_run["keyFile"]["did"]
    assert kit_run["wrong"] == "Wrong passphrase for this key file."
    assert kit_run["changedDid"] == "Wrong passphrase for this key file."  # the DID is the sealed data's
    assert kit_run["short"] == "The passphrase must be at least 12 characters."


def test_a_signed_credential_verifies_and_the_input_is_left_unsigned(kit_run):
    signed = kit_run["signed"]
    did = kit_run["keyFile"]["did"]
    assert isinstance(signed["proof"], list) and len(signed["proof"]) == 1  # OB 3.0's schema: a list
    proof = signed["proof"][0]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"] == f"{did}#{did.removeprefix('did:key:')}"
    assert proof["proofPurpose"] == "assertionMethod" and proof["proofValue"].startswith("z")
    assert {k: v for k, v in signed.items() if k != "proof"} == {
        **CREDENTIAL,
        "issuer": {**CREDENTIAL["issuer"], "id": did},
    }
    assert kit_run["unchangedInput"]
    assert kit_run["verified"] == {"ok": True}


@pytest.mark.parametrize(
    ("index", "change"), list(enumerate(CHANGES)), ids=[f"{c[0]}={c[1]}"[:40] for c in CHANGES]
)
def test_every_change_after_signing_fails_with_a_reason(kit_run, index, change):
    path, _, reason = change
    found_path, result = kit_run["changed"][index]
    assert found_path == path
    assert result["ok"] is False
    assert result["reason"].startswith(reason), result["reason"]
    assert result["reason"].endswith(".") and "\n" not in result["reason"]


def test_the_links_fragment_is_raw_deflate_that_python_reads(kit_run):
    fragment = kit_run["fragment"]
    assert fragment.startswith("credential=") and "=" not in fragment.removeprefix("credential=")
    packed = b64url(fragment.removeprefix("credential="))
    assert json.loads(zlib.decompress(packed, wbits=-15)) == kit_run["signed"]
    assert kit_run["back"] == kit_run["signed"] == kit_run["backAmong"]
    assert kit_run["badLink"].startswith("The link's credential is damaged")
    assert kit_run["noLink"] == "The link carries no credential (it has no #credential= part)."


def test_zip_files_makes_a_zip_python_opens(kit_run, tmp_path):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(base64.b64decode(kit_run["zip"]))) as archive:
        assert archive.read("credentials/1-a.json") == b"{}"
        assert archive.read("b.bin") == b"\x01\x02"


def test_an_unchanged_kit_is_not_bundled_again(tmp_path, monkeypatch):
    first = build_credential_kit(REPO_ROOT, tmp_path / "a")

    def refused(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"esbuild ran again: {args}")

    monkeypatch.setattr(subprocess, "run", refused)
    again = build_credential_kit(REPO_ROOT, tmp_path / "b")
    assert again.read_bytes() == first.read_bytes()
    assert again == tmp_path / "b" / KIT


def test_the_kit_makes_no_request_and_evaluates_no_text():
    """The sources name no fetch, storage or eval; the bundle's only string-to-code path is a
    polyfill's branch for a non-function callback, which jsonld never takes."""
    for path in sorted((REPO_ROOT / "site_build" / "credential_kit_src").glob("*.js")):
        lines = path.read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.lstrip().startswith(("//", "/*", "*")))
        for word in ("fetch(", "XMLHttpRequest", "localStorage", "indexedDB", "eval(", "new Function"):
            assert word not in text, f"{path.name}: {word}"


def test_the_kits_key_file_opens_in_the_cli_and_a_cli_key_file_opens_in_the_kit(kit_run):
    key = read_key_file(json.dumps(kit_run["keyFile"]), PASSPHRASE)
    assert key.did == kit_run["keyFile"]["did"] and key.issuer_name == "Example Training"
    assert did_key.did_of(proof.public_key_of_seed(key.seed)) == key.did
    with pytest.raises(KeyFileError, match=r"^Wrong passphrase for this key file\.$"):
        read_key_file(json.dumps(kit_run["keyFile"]), PASSPHRASE + "x")
    assert kit_run["pythonKeyDid"] == did_key.did_of(proof.public_key_of_seed(SEED))


def test_the_kits_credential_verifies_in_the_cli_and_the_clis_in_the_kit(kit_run):
    assert proof.verify(kit_run["signed"]) is None
    assert proof.verify(kit_run["back"]) is None  # read back from its link
    assert kit_run["pythonSigned"] == {"ok": True}


@pytest.mark.parametrize(
    ("index", "change"), list(enumerate(CHANGES)), ids=[f"{c[0]}={c[1]}"[:40] for c in CHANGES]
)
def test_the_cli_refuses_what_the_kit_refuses(kit_run, index, change):
    """The same changed credential fails in Python too (certificates.proof, the CLI's)."""
    path, value, _ = change
    changed = json.loads(json.dumps(kit_run["signed"]))
    *parents, last = path.split(".")
    node = changed
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is None:
        del node[last]
    elif value == "<flip>":
        node[last] = node[last][:20] + ("B" if node[last][20] == "A" else "A") + node[last][21:]
    else:
        node[last] = value
    try:
        reason = proof.verify(changed)
    except ValueError as error:  # a context the CLI does not carry
        reason = str(error)
    assert reason is not None


# ---- QR codes of verification links, read back by an independent reader (tests/qr_decoding.py)


def qr_version(svg: str) -> int:
    """The version an SVG's viewBox implies: 17 + 4 x version modules and 4 a side of quiet zone."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    return (size - 2 * 4 - 17) // 4


# The QR codes read back by an independent reader, and printed: tests/browser/test_qr_codes.py.


def test_the_qr_libraries_license_notice_stays_in_the_bundle(tmp_path):
    """qrcode-generator's MIT notice is a line comment esbuild would drop; qr.js carries it as a
    legal comment, which the bundle keeps."""
    bundle = build_credential_kit(REPO_ROOT, tmp_path).read_text(encoding="utf-8")
    assert "Copyright (c) 2009 Kazuhiko Arase" in bundle and "MIT license" in bundle


def test_a_link_no_qr_code_holds_is_refused_in_one_sentence(kit_run):
    assert len(TOO_LONG) > 2331
    assert kit_run["qr"][len(QR_LINKS)] == {"error": "The link is too long to fit in a QR code."}
    assert kit_run["qr"][len(QR_LINKS) + 1] == {
        "error": "A QR code is made only of a link written in plain ASCII characters."
    }


def test_the_qr_code_is_a_plain_svg_document_with_its_quiet_zone(kit_run):
    svg = kit_run["linkQr"]
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ') and svg.endswith("</svg>")
    assert 1 <= qr_version(svg) <= 40
    size = 17 + 4 * qr_version(svg) + 8
    assert f'<rect width="{size}" height="{size}" fill="#fff"/>' in svg  # white, under the modules
    assert not re.search(r"script|href|url\(|xlink|foreignObject|<image|on\w+=", svg, re.IGNORECASE)
    # the modules start 4 modules in: no path moves nearer the edge than the quiet zone
    moves = [(int(x), float(y)) for x, y in re.findall(r"M(\d+) ([\d.]+)", svg)]
    assert min(x for x, _ in moves) == 4 and min(y for _, y in moves) == 4.5
    assert max(y for _, y in moves) == size - 4 - 0.5
