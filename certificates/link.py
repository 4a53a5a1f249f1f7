"""The verification link: the whole credential in the URL fragment, which never reaches a server.

``<site>/verify/#credential=<base64url, no padding, of raw DEFLATE (RFC 1951) of the UTF-8 JSON>``.
The page inflates it with DecompressionStream("deflate-raw"); this module does the same with
zlib (wbits -15). Standard library only.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

KEY = "credential"
#: The largest credential a link may inflate to: a link is never a way to fill the memory.
MAX_INFLATED_BYTES = 200_000
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class LinkError(ValueError):
    """A fragment that does not carry a credential; ``str()`` is one sentence, no final period."""


def fragment_of(credential_json: str) -> str:
    """``credential=<…>`` for a credential's JSON text (without the leading ``#``)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(credential_json.encode("utf-8")) + packer.flush()
    return f"{KEY}=" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def link_of(site_url: str, credential_json: str) -> str:
    """The verification link on ``site_url`` (the site's address, with or without its final slash)."""
    return f"{site_url.rstrip('/')}/verify/#{fragment_of(credential_json)}"


def credential_of(fragment: str) -> str:
    """The credential's JSON text carried by a fragment (with or without ``#``, or a whole link)."""
    fragment = fragment.partition("#")[2] if "#" in fragment else fragment
    fields = dict(part.partition("=")[::2] for part in fragment.split("&") if part)
    value = fields.get(KEY)
    if value is None:
        raise LinkError("the link carries no credential (nothing after #credential=)")
    if not _BASE64URL.fullmatch(value) or len(value) % 4 == 1:
        raise LinkError("the link's credential is cut or changed: it is not base64url text")
    try:
        packed = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise LinkError("the link's credential is cut or changed: it is not base64url text") from None
    unpacker = zlib.decompressobj(-15)
    try:
        data = unpacker.decompress(packed, MAX_INFLATED_BYTES + 1)
    except zlib.error:
        raise LinkError("the link's credential is cut or changed: it does not inflate") from None
    if len(data) > MAX_INFLATED_BYTES or unpacker.unconsumed_tail:
        raise LinkError(
            f"the link's credential is larger than {MAX_INFLATED_BYTES:,} bytes, far more than one"
        )
    if not unpacker.eof:
        raise LinkError("the link's credential is cut short: copy the whole link")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise LinkError("the link's credential is not UTF-8 text") from None
