"""Whether two names look the same on screen, whatever characters spell them.

'College Board' spelled with a Cyrillic o (U+043E), or with a zero-width space (U+200B)
after 'College', and 'College Board' itself are three spellings of one picture. Unicode's answer is the
confusable *skeleton* (UTS #39, section 4): every character is replaced by the
prototype it can be mistaken for, and two strings with one skeleton look alike.
The skeleton comes from ``disarm`` (its ``skeleton_key``: the UTS #39 data, with
bidirectional, invisible and control characters removed first, then case folded),
with the digit half of UTS #39 on, so '0' reads as 'O' and '1' as 'l', as a spoof
check wants.

disarm is a compiled package, which the browser's Pyodide cannot load, so only the
whole-directory check imports this module (validate.py, inside the function that
needs it); the Suggest page's bundle stays standard library only.
"""

from __future__ import annotations

from disarm import skeleton_key


def skeleton(text: str) -> str:
    """The case-folded confusable skeleton of ``text``; '' when nothing in it is visible."""
    return skeleton_key(text, digit_policy="tr39")
