"""Interoperability with the independent implementation: Digital Bazaar's @digitalbazaar/vc with the
eddsa-rdfc-2022 cryptosuite and ed25519-multikey, run in Node offline (tests/interop/vc_interop.mjs,
whose document loader reads only the repository's bundled contexts and did:key).

(a) what the CLI signs, the JavaScript library verifies; (b) what the JavaScript library signs,
the CLI verifies (certificates.proof and `ceu credential verify`). Both refuse the same changes.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from certificates import did_key, model, proof, verdict
from tests.conftest import REPO_ROOT
from tests.unit.test_certificate_cli import PASSPHRASE, SITE, did_of_seed
from tests.unit.test_certificate_proof import SEED, SIGNED, unsigned
from tests.unit.test_cli import ceu

SCRIPT = REPO_ROOT / "tests" / "interop" / "vc_interop.mjs"


def node(*args: str) -> Any:
    done = subprocess.run(
        ["node", str(SCRIPT), *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def node_verifies(tmp_path: Path, credential: dict[str, Any]) -> dict[str, Any]:
    path = tmp_path / "credential.json"
    path.write_text(model.dumps(credential), encoding="utf-8")
    result: dict[str, Any] = node("verify", str(path))
    return result


def test_both_sides_make_the_same_did_key_and_secret_key_from_a_seed():
    made = node("did", SEED.hex())
    assert made["did"] == did_of_seed(SEED)
    assert did_key.seed_of(made["secretKeyMultibase"]) == SEED  # the 64-byte legacy export is read too


def test_the_javascript_library_verifies_what_the_cli_signs(tmp_path: Path):
    key = tmp_path / "key.json"
    from certificates import key_file

    key.write_text(
        key_file.key_file_text(
            key_file.new_key_file(SEED, "Example Training Co.", PASSPHRASE, dt.datetime.now(dt.UTC))
        )
    )
    (tmp_path / "passphrase.txt").write_text(PASSPHRASE)
    (tmp_path / "names.txt").write_text("Ana Lima\nBo Chen\n")
    done = ceu(
        "credential", "issue", "--key", str(key), "--passphrase-file", str(tmp_path / "passphrase.txt"),
        "--title", "Fall Protection: Anchors & Lanyards", "--start", "2026-12-01", "--hours", "7.75",
        "--learners", str(tmp_path / "names.txt"), "--out", str(tmp_path / "out"), "--site", SITE,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for path in sorted((tmp_path / "out").glob("*.json")):
        assert node("verify", str(path)) == {"verified": True, "error": ""}


def test_the_javascript_library_refuses_what_the_cli_refuses(tmp_path: Path):
    changed = json.loads(json.dumps(proof.json_ready(SIGNED)))
    changed["credentialSubject"]["identifier"][0]["identityHash"] = "Bo Chen"
    assert proof.verify(changed) == verdict.SIGNATURE_MISMATCH
    assert node_verifies(tmp_path, changed)["verified"] is False
    undefined = json.loads(json.dumps(proof.json_ready(SIGNED)))
    undefined["credentialSubject"]["achievement"]["ceus"] = 9
    assert proof.verify(undefined) == verdict.undefined_term("ceus")
    result = node_verifies(tmp_path, undefined)
    assert result["verified"] is False and "ceus" in result["error"]


@pytest.fixture(scope="module")
def signed_by_javascript(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("javascript")
    credential = unsigned(learner="Zoë Ångström", course="Trench Safety", contact_hours=model.Decimal("3.5"))
    (folder / "unsigned.json").write_text(model.dumps(credential), encoding="utf-8")
    signed = node("issue", str(folder / "unsigned.json"), SEED.hex())
    path = folder / "signed.json"
    path.write_text(json.dumps(signed, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_cli_verifies_what_the_javascript_library_signs(signed_by_javascript: Path):
    signed = model.loads(signed_by_javascript.read_text(encoding="utf-8"))
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["verificationMethod"] == did_key.verification_method(did_of_seed(SEED))
    assert proof.verify(signed) is None
    facts = model.read_facts(signed)
    assert (facts.learner, facts.course, facts.credits, facts.contact_hours) == (
        "Zoë Ångström",
        "Trench Safety",
        model.Decimal("0.4"),  # 3.5 hours: 0.35 IACET CEU, to the nearest tenth, halves up
        model.Decimal("3.5"),
    )
    done = ceu("credential", "verify", str(signed_by_javascript), "--as-of", "2026-12-08")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "The signature is valid, but the key that signed it is not in the directory"
    )
    assert done.stdout.endswith(
        "0.4 IACET CEU for 'Trench Safety', 2026-12-01 to 2026-12-02, issued to Zoë Ångström.\n"
    )


def test_a_change_to_what_the_javascript_library_signs_is_caught_by_the_cli(
    signed_by_javascript: Path, tmp_path: Path
):
    text = signed_by_javascript.read_text(encoding="utf-8").replace("Trench Safety", "Trench Safetz", 1)
    path = tmp_path / "changed.json"
    path.write_text(text, encoding="utf-8")
    done = ceu("credential", "verify", str(path), "--as-of", "2026-12-08")
    assert (done.returncode, done.stdout) == (1, f"Not valid: {verdict.SIGNATURE_MISMATCH}.\n")


def test_a_proof_alone_or_in_a_set_of_one_verifies_on_both_sides(tmp_path: Path):
    # The Open Badges 3.0 JSON Schema asks for "proof" as an array, which is how this site signs;
    # VC 2.0 allows one proof object too, as the JavaScript library writes it.
    assert proof.verify(SIGNED) is None and isinstance(SIGNED["proof"], list)
    assert node_verifies(tmp_path, SIGNED) == {"verified": True, "error": ""}
    alone = {**SIGNED, "proof": SIGNED["proof"][0]}
    assert proof.verify(alone) is None
    assert node_verifies(tmp_path, alone) == {"verified": True, "error": ""}
    assert proof.verify({**SIGNED, "proof": [SIGNED["proof"][0], SIGNED["proof"][0]]}) == (
        "the credential does not carry exactly one proof"
    )
