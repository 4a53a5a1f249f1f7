"""The JSON-LD shapes the site publishes, as JSON Schemas (Google's required properties for
an Organization and a FAQPage); unit and build tests validate against them."""

from __future__ import annotations

from typing import Any

import jsonschema

_TEXT = {"type": "string", "minLength": 1}
ORGANIZATION: dict[str, Any] = {
    "type": "object",
    "required": ["@context", "@type", "name"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "Organization"},
        "name": _TEXT,
        "url": {"type": "string", "pattern": "^https?://"},
        "mainEntityOfPage": {"type": "string", "pattern": "^https?://"},
        "address": {
            "type": "object",
            "required": ["@type"],
            "properties": {"@type": {"const": "PostalAddress"}},
        },
        "identifier": {
            "type": "object",
            "required": ["@type", "propertyID", "value"],
            "properties": {"@type": {"const": "PropertyValue"}, "value": _TEXT},
        },
    },
    "additionalProperties": False,
}
FAQ_PAGE: dict[str, Any] = {
    "type": "object",
    "required": ["@context", "@type", "mainEntity"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "FAQPage"},
        "mainEntity": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["@type", "name", "acceptedAnswer"],
                "properties": {
                    "@type": {"const": "Question"},
                    "name": {"type": "string", "pattern": "\\?$"},
                    "acceptedAnswer": {
                        "type": "object",
                        "required": ["@type", "text"],
                        "properties": {"@type": {"const": "Answer"}, "text": _TEXT},
                    },
                },
            },
        },
    },
    "additionalProperties": False,
}


def assert_shape(data: Any, schema: dict[str, Any]) -> None:
    jsonschema.validate(data, schema)
