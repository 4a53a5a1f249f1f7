"""did:key identifiers for Ed25519 keys, and the multibase texts ed25519-multikey writes.

A did:key names its public key: ``did:key:z6Mk…`` is ``z`` (base58btc) then the base58 text of
the multicodec prefix 0xed 0x01 and the 32 key bytes. The secret key is written the same way
with the prefix 0x80 0x26 and the 32-byte seed. Standard library only: the directory validator
and the page's worker check a DID's form with :func:`did_problem`.
"""

from __future__ import annotations

#: The Bitcoin base58 alphabet (base58btc), multibase prefix ``z``.
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(ALPHABET)}
PUBLIC_PREFIX = b"\xed\x01"
SECRET_PREFIX = b"\x80\x26"
KEY_BYTES = 32
DID_PREFIX = "did:key:"
#: The longest text :func:`did_problem` reads: a did:key for Ed25519 is 56 characters.
MAX_DID_CHARS = 200


def b58encode(data: bytes) -> str:
    """Base58btc text of ``data``; each leading zero byte is a leading ``1``."""
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(ALPHABET[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def b58decode(text: str) -> bytes:
    """The bytes of base58btc ``text``; ValueError names the first character outside the alphabet."""
    number = 0
    for char in text:
        if char not in _INDEX:
            raise ValueError(f"{char!r} is not a base58btc character")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def public_multibase(public_key: bytes) -> str:
    """``z6Mk…``: the public key as ed25519-multikey's publicKeyMultibase."""
    _check_length(public_key, "public key")
    return "z" + b58encode(PUBLIC_PREFIX + public_key)


def did_of(public_key: bytes) -> str:
    """The did:key of a 32-byte Ed25519 public key."""
    return DID_PREFIX + public_multibase(public_key)


def verification_method(did: str) -> str:
    """The key's id inside its DID document: ``did:key:<mb>#<mb>``."""
    public_key_of(did)
    return f"{did}#{did.removeprefix(DID_PREFIX)}"


def public_key_of(did: str) -> bytes:
    """The 32 public key bytes a did:key names; ValueError with :func:`did_problem`'s sentence."""
    problem = did_problem(did)
    if problem:
        raise ValueError(problem)
    return b58decode(did[len(DID_PREFIX) + 1 :])[len(PUBLIC_PREFIX) :]


def did_problem(text: str) -> str | None:
    """Why ``text`` is not an Ed25519 did:key (one sentence, no final period), or None when it is one."""
    if not isinstance(text, str) or not text:
        return "the issuer DID is empty"
    if len(text) > MAX_DID_CHARS:
        return f"the issuer DID is {len(text):,} characters long; an Ed25519 did:key has 56"
    if text != text.strip():
        return "the issuer DID has spaces around it"
    if not text.startswith(DID_PREFIX):
        return "the issuer DID does not start with did:key: (only did:key identifiers are read)"
    value = text[len(DID_PREFIX) :]
    if "#" in value or "/" in value or "?" in value:
        return (
            "the issuer DID has a fragment, path or query after the key; give the DID alone (did:key:z6Mk…)"
        )
    if not value.startswith("z"):
        return "the key after did:key: does not start with z (base58btc multibase)"
    try:
        data = b58decode(value[1:])
    except ValueError as error:
        return f"the key after did:key: is not base58btc: {error}"
    if len(data) != len(PUBLIC_PREFIX) + KEY_BYTES:
        return (
            f"the key after did:key: is {len(data)} bytes long; an Ed25519 did:key holds "
            f"{len(PUBLIC_PREFIX) + KEY_BYTES} (a 2-byte prefix and {KEY_BYTES} key bytes)"
        )
    if not data.startswith(PUBLIC_PREFIX):
        return "the key after did:key: is not an Ed25519 public key (it should start with z6Mk)"
    if b58encode(data) != value[1:]:
        return "the key after did:key: is not written the standard way (leading zero bytes)"
    return None


def secret_multibase(seed: bytes) -> str:
    """The 32-byte Ed25519 seed as ed25519-multikey's secretKeyMultibase (``z3u2…``)."""
    _check_length(seed, "secret key")
    return "z" + b58encode(SECRET_PREFIX + seed)


def seed_of(secret: str) -> bytes:
    """The 32-byte seed in a secretKeyMultibase; ValueError in one sentence when it is not one.

    ed25519-multikey exports the 32-byte seed with ``canonicalize: true`` and, without it, the
    older 64 bytes (seed, then public key); both are read. The caller checks the key's DID.
    """
    if not secret.startswith("z"):
        raise ValueError("the secret key is not base58btc multibase (it should start with z)")
    data = b58decode(secret[1:])
    if not data.startswith(SECRET_PREFIX) or len(data) - len(SECRET_PREFIX) not in (KEY_BYTES, 2 * KEY_BYTES):
        raise ValueError("the secret key is not an Ed25519 secret key")
    return data[len(SECRET_PREFIX) : len(SECRET_PREFIX) + KEY_BYTES]


def _check_length(key: bytes, what: str) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError(f"an Ed25519 {what} has {KEY_BYTES} bytes, not {len(key)}")
