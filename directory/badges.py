"""An embeddable SVG badge per provider, and the HTML snippet a provider pastes to show it.

The badge is OpenCEU's own mark: it says what the directory's record shows (the
status as of the build and the day the source was read), never that anyone is
accredited by OpenCEU. IACET restricts the use of its name and logo as a mark, so
a badge never contains that name, not even inside a provider's own name and not
in a look-alike spelling (other scripts' letters, fullwidth forms, invisible or
punctuation characters between the letters): such a name is replaced by "this
provider" (the linked profile page shows it in full). The check errs on the side
of the stand-in: "Asia Cetacean Society" reads IACET once spaces are dropped, and
"Global Acetate" once its l is read as an I, as it looks in many fonts.

The SVG is self-contained (no external references, scripts or web fonts) so it
renders the same as an ``<img>`` anywhere. Every piece of data is escaped.
"""

from __future__ import annotations

import functools
import html
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from directory.bidi import isolate
from directory.look_alikes import skeleton
from directory.records import Directory, Entry
from directory.site_files import GeneratedPage, badge_uri, badge_url, profile_url
from directory.status import GOOD_STANDING, LAPSED, NEEDS_REVIEW, UNVERIFIED, Status

PROVIDERS = "providers"
HEIGHT = 40
FONT_FAMILY = "Verdana,DejaVu Sans,sans-serif"
#: Words the badge must never show, in any look-alike spelling (see contains_forbidden_word).
FORBIDDEN_WORDS = ("iacet",)
#: Shown instead of a name that contains a forbidden word.
NAME_STAND_IN = "this provider"

#: Status panel colours: (background, text). Every pair has a contrast ratio of at least 4.5:1.
PALETTE: dict[str, tuple[str, str]] = {
    GOOD_STANDING: ("#17663a", "#ffffff"),
    LAPSED: ("#a4262c", "#ffffff"),
    NEEDS_REVIEW: ("#7a4d00", "#ffffff"),
    UNVERIFIED: ("#4a5563", "#ffffff"),
}
#: The mark's panel: (background, text, glyph).
MARK_COLOURS = ("#f1f3f5", "#17202a", "#1f4e79")

_MARK_TEXT = "OpenCEU"
_PAD = 10
_MARK_SIZE = 28
#: Characters that XML 1.0 does not allow in a document at all.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


#: Characters that look like a letter of a forbidden word, by the letter they imitate: the
#: entries of Unicode's confusables.txt (UTS #39, "Unicode Security Mechanisms", section 4)
#: whose skeleton is I, l, A, C, E or T, in either case. Fullwidth and mathematical letters
#: (U+FF21, U+1D400...) are left out because NFKC already makes them ASCII. The validator's
#: skeleton (directory.look_alikes: the whole UTS #39 table) is checked as well; this short
#: list adds what a skeleton alone does not give: one case for I and l, the lunate sigma
#: before NFKC turns it into a final sigma, and symbols read either as letters or as separators.
_LOOKALIKES = {
    "i": (
        "Il1|\u01c0\u0196\u0131\u0269\u026a"  # Latin I, l, digit one, bar, dental click, iotas, dotless i
        "\u0399\u03b9\u037a\u1fbe"  # Greek iota, ypogegrammeni, prosgegrammeni
        "\u0406\u0456\u04c0\u04cf\ua647"  # Cyrillic i, palochka, iota
        "\u2c92\u05c0\u05d5\u05df\u0627\u0661\u06f1\u07ca"  # Coptic, Hebrew, Arabic, N'Ko
        "\u2d4f\u16c1\ua4f2\u13a5\u2223\u2373\uffe8"  # Tifinagh, runic, Lisu, Cherokee, symbols
        "\U0001028a\U00010309\U00010320\U0001e8c7\U000118c3"  # Lycian, Old Italic, Mende, Warang Citi
    ),
    "a": (
        "\u0251\u1d00\u0391\u03b1\u0410\u0430\u13aa\u15c5\ua4ee\u237a"  # Latin alpha, Greek, Cyrillic...
        "\U000102a0"  # Carian
    ),
    "c": (
        "\u1d04\u03f2\u03f9\u2ca4\u2ca5\u0421\u0441\u13df\ua4da"  # small capital, lunate sigma, Coptic...
        "\U000102a2\U00010302\U00010415\U0001043d\U0001051c\U0001f74c\U000118e9\U000118f2"
    ),
    "e": (
        "\u0395\u0415\u0435\u04bd\u2d39\u13ac\ua4f0\u212e\uab32\u22ff"  # Greek, Cyrillic, Tifinagh...
        "\U000118a6\U000118ae\U00010286"
    ),
    "t": (
        "\u1d1b\u03a4\u03c4\u0422\u0442\u2ca6\u13a2\ua4d4\u22a4\u27d9"  # small capital, Greek, Cyrillic...
        "\U0001f768\U000118bc\U00010297\U000102b1\U00010315"
    ),
}
_LOOKALIKE = {
    variant: letter
    for letter, characters in _LOOKALIKES.items()
    for character in characters
    for variant in (character, character.lower())
    if len(variant) == 1
}


#: A symbol or digit that looks like a letter ("1", "|", "\u22a4") is kept as a private-use
#: character for that letter, so it can be read either as the letter or as a separator.
_SYMBOL_BASE = 0xE000


def _as_symbol(letter: str) -> str:
    return chr(_SYMBOL_BASE + ord(letter))


#: The ASCII part of the table, for the common case of a plain ASCII name (a hundred times faster).
_ASCII_READING = str.maketrans(
    {
        **{chr(code): None for code in range(128) if not chr(code).isalpha()},
        **{
            ch: (letter if ch.isalpha() else _as_symbol(letter))
            for ch, letter in _LOOKALIKE.items()
            if ch.isascii()
        },
    }
)


def _reading(text: str) -> str:
    """The letters of ``text`` (see letters_skeleton), with look-alike symbols still marked."""
    if text.isascii():
        return text.translate(_ASCII_READING).lower()

    def fold(value: str) -> str:
        kept = []
        for ch in unicodedata.normalize("NFD", value):
            category = unicodedata.category(ch)
            if category in ("Mn", "Me"):
                continue
            letter = _LOOKALIKE.get(ch)
            if letter is None:
                kept.append(ch)
            else:
                kept.append(letter if category.startswith("L") else _as_symbol(letter))
        return "".join(kept)

    # Look-alikes first (NFKC would turn the lunate sigma into a final sigma), then again on
    # the compatibility forms NFKC unfolds (a script small l), then case. Not after case: a
    # capital L folds to an l, which is only a look-alike of I when it was written small.
    text = fold(unicodedata.normalize("NFKC", fold(text))).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] == "L" or _is_symbol(ch))


def _is_symbol(ch: str) -> bool:
    return _SYMBOL_BASE <= ord(ch) < _SYMBOL_BASE + 128


def letters_skeleton(text: str) -> str:
    """``text`` as the letters a reader sees: look-alikes as the Latin letter they imitate,
    compatibility forms as their plain letter, in lower case, without accents, and with
    everything that is not a letter (spaces, dots, zero-width and soft hyphens) left out.

    UTS #39's skeleton, restricted to the letters of the forbidden words, plus case folding
    and the removal of non-letters, so "I.A.C.E.T", "\u0406\u0410\u0421\u0415\u0422" (Cyrillic),
    "1ACET" and "IA\u200bCET" all give "iacet".
    """
    return "".join(chr(ord(ch) - _SYMBOL_BASE) if _is_symbol(ch) else ch for ch in _reading(text))


def contains_forbidden_word(text: str) -> bool:
    """True when ``text`` reads as a forbidden word in any look-alike spelling.

    A look-alike symbol reads as its letter or as a separator, whichever makes the word:
    "1ACET" and "I|A|C|E|T" both read IACET. Any other character UTS #39 takes for one of
    the word's letters ("\u0141\u039b\u023b\u0190\u0166") is caught by the validator's skeleton.
    """
    reading = _reading(text)
    if any(_word_pattern(word).search(reading) for word in FORBIDDEN_WORDS):
        return True
    seen = _letters_only(skeleton(_without_marks(text)))
    return any(word in seen for word in _forbidden_skeletons())


@functools.cache
def _forbidden_skeletons() -> frozenset[str]:
    """The forbidden words as the validator's skeleton spells them, in both cases ("lacet", "iacet")."""
    return frozenset(
        _letters_only(skeleton(spelling)) for word in FORBIDDEN_WORDS for spelling in (word, word.upper())
    )


def _without_marks(text: str) -> str:
    if text.isascii():
        return text
    return "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) not in ("Mn", "Me")
    )


def _letters_only(text: str) -> str:
    if text.isascii():
        return "".join(ch for ch in text if ch.isalpha())
    return "".join(ch for ch in text if unicodedata.category(ch).startswith("L"))


@functools.cache
def _word_pattern(word: str) -> re.Pattern[str]:
    symbols = f"[{chr(_SYMBOL_BASE)}-{chr(_SYMBOL_BASE + 127)}]*"
    letters = [f"[{re.escape(letter)}{_as_symbol(letter)}]" for letter in letters_skeleton(word)]
    return re.compile(symbols.join(letters))


def shown_name(name: str) -> str:
    """The provider's name as a badge may show it: one line, XML-safe, without forbidden words
    (in any look-alike spelling), and never an invisible one."""
    text = " ".join(_NOT_XML.sub("", name).split())
    if text.isascii() and text.isprintable():
        visible = bool(text)
    else:
        visible = any(unicodedata.category(ch)[0] in "LNPS" for ch in text)
    if not visible or contains_forbidden_word(name):
        return NAME_STAND_IN
    return text


def badge_text(entry: Entry, status: Status) -> str:
    """What the badge says in words: its title, aria-label and the snippet's alt text."""
    verified = _verified_on(entry)
    return (
        f"OpenCEU record for {isolate(shown_name(entry.name))}: {status.label} as of {status.as_of.isoformat()}, "
        f"source verified {verified}. A record of what the cited source showed on that date, "
        "not an accreditation."
    )


def badge_size(entry: Entry, status: Status) -> tuple[int, int]:
    """(width, height) in pixels, the same numbers the SVG declares."""
    return _layout(entry, status).width, HEIGHT


def badge_svg(entry: Entry, status: Status) -> str:
    """A self-contained SVG of about 300 by 40 pixels: the OpenCEU mark, the status and the verified date."""
    layout = _layout(entry, status)
    width, split = layout.width, layout.split
    background, foreground = PALETTE[status.code]
    panel, mark_text, glyph = MARK_COLOURS
    text = badge_text(entry, status)
    glyph_y = (HEIGHT - _MARK_SIZE) // 2
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-label={quoteattr(text)}>',
        f"<title>{escape(text)}</title>",
        f'<rect width="{width}" height="{HEIGHT}" rx="6" fill="{panel}"/>',
        f'<rect x="{split}" width="{width - split}" height="{HEIGHT}" rx="6" fill="{background}"/>',
        f'<rect x="{split}" width="6" height="{HEIGHT}" fill="{background}"/>',
        f'<rect x="6" y="{glyph_y}" width="{_MARK_SIZE}" height="{_MARK_SIZE}" rx="7" fill="{glyph}"/>',
        f'<path d="M13 {glyph_y + 14.5}l5 5 10-11" fill="none" stroke="#ffffff" stroke-width="3.2" '
        'stroke-linecap="round" stroke-linejoin="round"/>',
        f'<g font-family="{FONT_FAMILY}">',
        _text(6 + _MARK_SIZE + 8, 25, 13, True, mark_text, _MARK_TEXT),
        _text(split + _PAD, 17, 12, True, foreground, status.label),
        _text(split + _PAD, 31, 10, False, foreground, layout.verified),
        "</g>",
        "</svg>",
    ]
    return "\n".join(lines) + "\n"


def badge_snippet(entry: Entry, status: Status, site_url: str) -> str:
    """The HTML a provider pastes into its site: the badge, linked to the profile."""
    width, height = badge_size(entry, status)
    href = html.escape(profile_url(entry, site_url), quote=True)
    src = html.escape(badge_url(entry, site_url), quote=True)
    alt = html.escape(badge_text(entry, status), quote=True)
    return f'<a href="{href}"><img src="{src}" alt="{alt}" width="{width}" height="{height}"></a>'


def badge_files(directory: Directory, statuses: Mapping[str, Status]) -> Iterator[GeneratedPage]:
    """One badge per provider, in id order, showing the status its profile shows (``statuses``,
    DirectoryView.statuses: computed once per build)."""
    for entry in sorted(directory.of(PROVIDERS), key=lambda e: e.id):
        yield GeneratedPage(badge_uri(entry), badge_svg(entry, statuses[entry.id]))


@dataclass(frozen=True)
class _Layout:
    #: Where the status panel starts.
    split: int
    width: int
    verified: str


def _layout(entry: Entry, status: Status) -> _Layout:
    verified = f"verified {_verified_on(entry)}"
    split = 6 + _MARK_SIZE + 8 + _text_width(_MARK_TEXT, 13, True) + _PAD
    panel = max(_text_width(status.label, 12, True), _text_width(verified, 10, False))
    return _Layout(split, split + panel + 2 * _PAD, verified)


def _text_width(text: str, size: int, bold: bool) -> int:
    """A generous estimate of the text's width in Verdana (a wide face), from its length."""
    return math.ceil(len(text) * size * (0.7 if bold else 0.62))


def _text(x: int, y: int, size: int, bold: bool, fill: str, content: str) -> str:
    weight = ' font-weight="bold"' if bold else ""
    length = _text_width(content, size, bold)
    return (
        f'<text x="{x}" y="{y}" font-size="{size}"{weight} fill="{fill}" '
        f'textLength="{length}" lengthAdjust="spacingAndGlyphs">{escape(content)}</text>'
    )


def _verified_on(entry: Entry) -> str:
    """The verified date; anything that is not a YYYY-MM-DD date is never drawn."""
    value = entry.values.get("verified_on", "")
    return value if _DATE.fullmatch(value) else "on no recorded date"
