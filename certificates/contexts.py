"""The JSON-LD document loader for certificates: the bundled contexts and did:key, never the network.

A credential names its contexts by URL; fetching them would let whoever serves those URLs change
what a credential means, and would make verifying depend on a connection. This loader answers
the two contexts the certificates use from the copies in ``certificates/contexts/`` (see
``SOURCES.md``), a did:key URL from the key itself, and refuses every other URL.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from certificates import did_key

#: URL -> the bundled file that stands for it (the npm packages' copies, byte for byte).
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
}
#: The contexts of a did:key document (did-method-key's Multikey form); named, not loaded.
DID_CONTEXTS = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1")


class UnknownDocument(ValueError):
    """A URL this loader will not answer (no request is ever made); ``str()`` is one sentence."""


@functools.cache
def context(url: str) -> dict[str, Any]:
    """The bundled context for ``url``; UnknownDocument for any other URL."""
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise UnknownDocument(f"the context {url} is not one of the contexts bundled for certificates")
    text = resources.files("certificates").joinpath("contexts", name).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def did_document(url: str) -> dict[str, Any]:
    """The DID document of a did:key (or of its verification method, ``did:key:…#…``), as
    did-method-key builds it: one Multikey, usable for assertions and authentication."""
    did, _, fragment = url.partition("#")
    public_key = did_key.public_key_of(did)
    multibase = did_key.public_multibase(public_key)
    if fragment and fragment != multibase:
        raise UnknownDocument(f"{url} is not the key of {did}")
    method = {
        "id": f"{did}#{multibase}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": multibase,
    }
    if fragment:
        return {"@context": DID_CONTEXTS[1], **method}
    return {
        "@context": list(DID_CONTEXTS),
        "id": did,
        "verificationMethod": [method],
        "authentication": [method["id"]],
        "assertionMethod": [method["id"]],
        "capabilityDelegation": [method["id"]],
        "capabilityInvocation": [method["id"]],
    }


def load_document(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader: ``{"contextUrl", "documentUrl", "document"}`` or UnknownDocument."""
    if url.startswith(did_key.DID_PREFIX):
        try:
            document = did_document(url)
        except ValueError as error:
            raise UnknownDocument(str(error)) from None
    else:
        document = context(url)
    return {"contextUrl": None, "documentUrl": url, "document": document}
