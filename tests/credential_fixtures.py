"""Signed certificates for the tests of keeping and verifying them (issue 33): Open Badges 3.0
credentials built by certificates.model and signed by certificates.proof (eddsa-rdfc-2022) with
a key made here. Nothing is issued for a real provider: the issuer is a test name and its key
lives only in the test run.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

from calc.conversions import parse_credit_systems
from certificates import did_key, model, proof
from tests.conftest import REPO_ROOT

SYSTEMS = {
    system.id: system
    for system in parse_credit_systems(
        (REPO_ROOT / "directory_data" / "credit_systems.csv").read_text(encoding="utf-8")
    )
}
#: RFC 8032's first test key (seed 9d61b19d…): a key anyone can read, so never a provider's.
TEST_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
ISSUED = dt.datetime(2026, 12, 7, 20, 30, tzinfo=dt.UTC)
INTEROP = REPO_ROOT / "tests" / "interop" / "vc_interop.mjs"


def did_of_seed(seed: bytes) -> str:
    return did_key.did_of(proof.public_key_of_seed(seed))


#: The certificate every test makes unless it says otherwise: build_credential's course facts.
COURSE_FACTS: dict[str, Any] = {
    "issuer_name": "Example Training Co.",
    "learner": "Ana Lima",
    "course": "Confined Space Entry",
    "start": dt.date(2026, 12, 1),
    "end": dt.date(2026, 12, 2),
    "contact_hours": Decimal(12),
    "system": SYSTEMS["iacet-ceu"],
}


def unsigned(
    seed: bytes = TEST_SEED,
    *,
    number: int = 1,
    hours: str = "12",
    issued: dt.datetime = ISSUED,
    valid_until: dt.datetime | None = None,
    **facts: Any,
) -> dict[str, Any]:
    """A certificate before it is signed, issued by the key of ``seed``; ``facts`` change
    :data:`COURSE_FACTS` (course, learner, issuer_name, start, end)."""
    return model.build_credential(
        **{**COURSE_FACTS, "contact_hours": Decimal(hours), **facts},
        issuer_did=did_of_seed(seed),
        valid_from=issued,
        valid_until=valid_until,
        credential_id=f"urn:uuid:00000000-0000-4000-8000-{number:012d}",
    )


def signed(seed: bytes = TEST_SEED, *, issued: dt.datetime = ISSUED, **facts: Any) -> dict[str, Any]:
    """A signed credential as its file holds it (JSON read back: numbers as JSON numbers)."""
    credential: dict[str, Any] = json.loads(
        model.dumps(proof.sign(unsigned(seed, issued=issued, **facts), seed, issued))
    )
    return credential


def signed_by_library(folder: Path, seed: bytes = TEST_SEED, **facts: Any) -> dict[str, Any]:
    """The same certificate signed by the independent JavaScript library (@digitalbazaar/vc with
    its eddsa-rdfc-2022 cryptosuite, in Node: tests/interop/vc_interop.mjs), not by this site's code."""
    path = folder / "unsigned.json"
    path.write_text(model.dumps(unsigned(seed, **facts)), encoding="utf-8")
    done = subprocess.run(
        ["node", str(INTEROP), "issue", str(path), seed.hex()],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    credential: dict[str, Any] = json.loads(done.stdout)
    return credential


def tampered(credential: dict[str, Any]) -> dict[str, Any]:
    """The credential with its credit raised after signing (its proof no longer holds)."""
    changed: dict[str, Any] = json.loads(json.dumps(credential))
    changed["credentialSubject"]["creditsEarned"] = 9.9
    return changed
