"""The issuer's signing key file: the Ed25519 secret key, encrypted with a passphrase.

The page makes it with WebCrypto and the CLI reads it (``ceu credential issue --key FILE``); both
write the same JSON (CERT-CONTRACT.md): the key's did:key and the issuer's name in the clear, and
the secretKeyMultibase encrypted with AES-256-GCM (12-byte IV, additional data = the DID as UTF-8)
under a key derived from the passphrase (UTF-8, as typed) with PBKDF2-HMAC-SHA-256, 600,000
iterations and a 16-byte random salt. A wrong passphrase is refused in one line.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from certificates import did_key
from certificates.proof import public_key_of_seed

FILE_TYPE = "OpenCEUSigningKey"
VERSION = 1
ITERATIONS = 600_000
#: A file asking for more iterations than this is refused: deriving would take minutes.
MAX_ITERATIONS = 10_000_000
SALT_BYTES = 16
IV_BYTES = 12
MIN_PASSPHRASE_CHARS = 12
MAX_FILE_CHARS = 10_000
WRONG_PASSPHRASE = "Wrong passphrase for this key file."
SHORT_PASSPHRASE = f"The passphrase must be at least {MIN_PASSPHRASE_CHARS} characters."


class KeyFileError(ValueError):
    """A key file that cannot be used; ``str()`` is the one line to show."""


@dataclass(frozen=True)
class SigningKey:
    """An issuer's key, decrypted: its DID, the name it issues under and the 32-byte Ed25519 seed."""

    did: str
    issuer_name: str
    seed: bytes = b""

    def __repr__(self) -> str:  # never print the seed
        return f"SigningKey(did={self.did!r}, issuer_name={self.issuer_name!r})"


def new_key_file(
    seed: bytes,
    issuer_name: str,
    passphrase: str,
    created: dt.datetime,
    *,
    salt: bytes | None = None,
    iv: bytes | None = None,
) -> dict[str, Any]:
    """The key file for ``seed`` (random salt and IV unless given, for tests)."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise KeyFileError(SHORT_PASSPHRASE)
    did = did_key.did_of(public_key_of_seed(seed))
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    iv = os.urandom(IV_BYTES) if iv is None else iv
    secret = did_key.secret_multibase(seed).encode("utf-8")
    ciphertext = AESGCM(_derive(passphrase, salt, ITERATIONS)).encrypt(iv, secret, did.encode("utf-8"))
    return {
        "type": FILE_TYPE,
        "version": VERSION,
        "did": did,
        "issuerName": issuer_name,
        "created": created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "encryption": {
            "cipher": "AES-GCM",
            "keyBits": 256,
            "kdf": "PBKDF2",
            "hash": "SHA-256",
            "iterations": ITERATIONS,
            "salt": _b64(salt),
            "iv": _b64(iv),
        },
        "ciphertext": _b64(ciphertext),
    }


def read_key_file(text: str, passphrase: str) -> SigningKey:
    """The key in a key file's text; KeyFileError in one line (``Wrong passphrase for this key file.``)."""
    if len(text) > MAX_FILE_CHARS:
        raise KeyFileError(f"This is not a signing key file: it is {len(text):,} characters long.")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise KeyFileError("This is not a signing key file: it is not JSON.") from None
    if not isinstance(data, dict) or data.get("type") != FILE_TYPE:
        raise KeyFileError(f"This is not a signing key file (its type is not {FILE_TYPE}).")
    if data.get("version") != VERSION:
        raise KeyFileError(
            f"This key file is version {data.get('version')!r}; this ceu reads version {VERSION}."
        )
    did = data.get("did")
    if not isinstance(did, str) or (problem := did_key.did_problem(did)):
        raise KeyFileError(f"The key file's did is not usable: {problem or 'it is not text'}.")
    name = data.get("issuerName")
    if not isinstance(name, str) or not name.strip():
        raise KeyFileError("The key file has no issuerName.")
    settings = data.get("encryption")
    expected = {"cipher": "AES-GCM", "keyBits": 256, "kdf": "PBKDF2", "hash": "SHA-256"}
    if not isinstance(settings, dict) or any(settings.get(key) != value for key, value in expected.items()):
        raise KeyFileError("The key file's encryption is not AES-GCM (256 bits) with PBKDF2 and SHA-256.")
    iterations = settings.get("iterations")
    if (
        isinstance(iterations, bool)
        or not isinstance(iterations, int)
        or not ITERATIONS <= iterations <= MAX_ITERATIONS
    ):
        raise KeyFileError(
            f"The key file's iterations must be a whole number from {ITERATIONS:,} to {MAX_ITERATIONS:,}."
        )
    salt = _unb64(settings.get("salt"), "salt", SALT_BYTES)
    iv = _unb64(settings.get("iv"), "iv", IV_BYTES)
    ciphertext = _unb64(data.get("ciphertext"), "ciphertext", None)
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise KeyFileError(SHORT_PASSPHRASE)
    try:
        secret = AESGCM(_derive(passphrase, salt, iterations)).decrypt(iv, ciphertext, did.encode("utf-8"))
    except InvalidTag:
        raise KeyFileError(WRONG_PASSPHRASE) from None
    try:
        seed = did_key.seed_of(secret.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise KeyFileError(f"The key file's secret key cannot be read: {error}.") from None
    if did_key.did_of(public_key_of_seed(seed)) != did:
        raise KeyFileError("The key file's secret key is not the key of its did.")
    return SigningKey(did=did, issuer_name=name, seed=seed)


def key_file_text(data: dict[str, Any]) -> str:
    """A key file as the text to save."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _derive(passphrase: str, salt: bytes, iterations: int) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(passphrase.encode("utf-8"))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(value: Any, name: str, size: int | None) -> bytes:
    if not isinstance(value, str) or len(value) > MAX_FILE_CHARS:
        raise KeyFileError(f"The key file's {name} is missing.")
    try:
        data = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise KeyFileError(f"The key file's {name} is not base64url.") from None
    if size is not None and len(data) != size:
        raise KeyFileError(f"The key file's {name} is {len(data)} bytes; it should be {size}.")
    return data
