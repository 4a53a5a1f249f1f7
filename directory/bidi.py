"""Keeping data text from reordering the text around it, where markup cannot (plain text).

In HTML the templates wrap data in ``<bdi>`` or give its block ``dir="auto"``. A page's
``<title>``, an SVG ``<title>`` or an ``alt`` text cannot hold markup; there the Unicode
equivalent of ``<bdi>`` is used: FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE (UAX #9).
A right-to-left name then stays one unit ("שלום - OpenCEU" keeps its order), and a stray
override inside it ends at the isolate's end.
"""

from __future__ import annotations

import unicodedata

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
#: Bidirectional classes that can move the text around them: right-to-left letters, and the
#: explicit embeddings, overrides and isolates (RLO U+202E and its kin).
_MOVES_TEXT = frozenset({"R", "AL", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def needs_isolation(text: str) -> bool:
    """True when ``text`` holds a right-to-left letter or an explicit direction control."""
    return any(unicodedata.bidirectional(ch) in _MOVES_TEXT for ch in text)


def isolate(text: str) -> str:
    """``text`` wrapped in FSI...PDI when it could reorder its surroundings; else unchanged,
    so ordinary left-to-right text stays byte for byte what it was."""
    if not needs_isolation(text):
        return text
    return FIRST_STRONG_ISOLATE + text + POP_DIRECTIONAL_ISOLATE
