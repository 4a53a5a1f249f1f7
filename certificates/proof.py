"""eddsa-rdfc-2022 Data Integrity proofs (W3C "Data Integrity EdDSA Cryptosuites v1.0"), for the CLI.

Signing, as the specification's sections 3.2.x give it:

1. canonize the credential without its proof with RDFC-1.0 (pyld's URDNA2015 gives the same
   N-Quads) and the proof's options (the proof without ``proofValue``, with the credential's
   ``@context``) the same way;
2. hash each with SHA-256; the data to sign is the proof options' hash, then the credential's;
3. sign with Ed25519; ``proofValue`` is ``z`` and the base58btc text of the 64-byte signature.

Verifying repeats 1 and 2 and checks the signature with the public key the verification method
(a did:key) names. The contexts come from :mod:`certificates.contexts` only. JSON-LD drops a term
its contexts do not define without a word, so such a term would be signed (or changed) without
being covered by the signature; the JavaScript verifier refuses it (JSON-LD safe mode), and so
does this module, naming the term.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld  # type: ignore[import-untyped]

from certificates import did_key
from certificates.contexts import UnknownDocument, load_document
from certificates.verdict import NO_PROOF, NOT_ISSUER_KEY, SIGNATURE_MISMATCH, WRONG_SUITE, undefined_term

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PURPOSE = "assertionMethod"


class UndefinedTerm(ValueError):
    """A term (or a relative IRI) the credential's contexts do not define."""


def public_key_of_seed(seed: bytes) -> bytes:
    """The 32-byte Ed25519 public key of a 32-byte seed."""
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


def sign(credential: Mapping[str, Any], seed: bytes, created: dt.datetime) -> dict[str, Any]:
    """The credential with an eddsa-rdfc-2022 proof by the key of ``seed`` (the issuer's did:key).

    ValueError when the credential's issuer is not that key's DID or a term is undefined.
    """
    private = Ed25519PrivateKey.from_private_bytes(seed)
    did = did_key.did_of(private.public_key().public_bytes_raw())
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if issuer_id != did:
        raise ValueError(f"the credential's issuer is {issuer_id}, not this key's {did}")
    document = {key: value for key, value in credential.items() if key != "proof"}
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": did_key.verification_method(did),
        "proofPurpose": PURPOSE,
    }
    signature = private.sign(hash_data(document, options))
    # A one-proof list: Open Badges 3.0's JSON Schema wants ``proof`` as an array (VC 2.0 allows both).
    return {
        **copy.deepcopy(document),
        "proof": [{**options, "proofValue": "z" + did_key.b58encode(signature)}],
    }


def verify(credential: Mapping[str, Any]) -> str | None:
    """Why the credential's proof does not hold (one sentence, no final period), or None when it does.

    The proof must be one eddsa-rdfc-2022 DataIntegrityProof for assertions, by the key the
    issuer's did:key names, over exactly the credential as it stands.
    """
    proof = credential.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        # A proof set of one (the form the Open Badges 3.0 JSON Schema asks for) is that proof.
        proof = proof[0]
    if proof is None or proof == []:
        return NO_PROOF
    if not isinstance(proof, Mapping):
        return "the credential does not carry exactly one proof"
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return WRONG_SUITE
    if proof.get("proofPurpose") != PURPOSE:
        return f"the proof's purpose is not {PURPOSE}"
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if not isinstance(issuer_id, str) or did_key.did_problem(issuer_id):
        return "the issuer is not a did:key, so its key cannot be known"
    if proof.get("verificationMethod") != did_key.verification_method(issuer_id):
        return NOT_ISSUER_KEY
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return "the proof's value is not base58btc multibase"
    try:
        signature = did_key.b58decode(value[1:])
    except ValueError:
        return "the proof's value is not base58btc multibase"
    if len(signature) != 64:
        return "the proof's value is not an Ed25519 signature (64 bytes)"
    document = {key: item for key, item in credential.items() if key != "proof"}
    options = {key: item for key, item in proof.items() if key != "proofValue"}
    try:
        data = hash_data(document, options)
    except UndefinedTerm as error:
        return str(error)
    except UnknownDocument as error:
        return str(error)
    except Exception as error:  # pyld raises JsonLdError, ValueError, TypeError... on hostile input
        root = _root(error)
        if isinstance(root, UnknownDocument):
            return str(root)
        return f"the credential is not valid JSON-LD ({str(root).splitlines()[0][:200] if str(root) else type(root).__name__})"
    try:
        Ed25519PublicKey.from_public_bytes(did_key.public_key_of(issuer_id)).verify(signature, data)
    except InvalidSignature:
        return SIGNATURE_MISMATCH
    return None


def hash_data(document: Mapping[str, Any], options: Mapping[str, Any]) -> bytes:
    """SHA-256 of the canonical proof options, then SHA-256 of the canonical document (64 bytes)."""
    config = {**options, "@context": document.get("@context")}
    return (
        hashlib.sha256(canonical(config).encode()).digest()
        + hashlib.sha256(canonical(document).encode()).digest()
    )


def canonical(document: Mapping[str, Any]) -> str:
    """RDFC-1.0 N-Quads of a JSON-LD document, refusing what JSON-LD safe mode refuses."""
    data = json_ready(document)
    dropped: list[str] = []
    options = {"documentLoader": load_document, "base": None}
    jsonld.expand(data, dict(options), on_property_dropped=lambda term: dropped.append(str(term)))
    if dropped:
        raise UndefinedTerm(undefined_term(dropped[0]))
    quads: str = jsonld.normalize(
        data, {**options, "algorithm": "URDNA2015", "format": "application/n-quads"}
    )
    return quads


def json_ready(value: Any) -> Any:
    """A copy with Decimals as the numbers a JSON reader (JavaScript's) makes of their text:
    whole numbers as integers, others as the nearest double."""
    if isinstance(value, Mapping):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(item) for item in value]
    if isinstance(value, Decimal) or (isinstance(value, float) and not isinstance(value, bool)):
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < 1e21 else number
    return value


def _root(error: BaseException) -> BaseException:
    """The first error in a chain: pyld wraps the loader's own error in its own, twice."""
    while error.__cause__ is not None:
        error = error.__cause__
    return error
