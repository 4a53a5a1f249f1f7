"""An embeddable SVG badge per provider, and the HTML snippet a provider pastes to show it.

The badge is OpenCEU's own mark: it says what the directory's record shows (the
status as of the build and the day the source was read), never that anyone is
accredited by OpenCEU. IACET restricts the use of its name and logo as a mark, so
a badge never contains that name, not even inside a provider's own name: such a
name is replaced by "this provider" (the linked profile page shows it in full).

The SVG is self-contained (no external references, scripts or web fonts) so it
renders the same as an ``<img>`` anywhere. Every piece of data is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from directory.records import Directory, Entry
from directory.site_files import GeneratedPage, badge_uri, badge_url, profile_url
from directory.status import GOOD_STANDING, LAPSED, UNVERIFIED, Status, provider_status

PROVIDERS = "providers"
HEIGHT = 40
FONT_FAMILY = "Verdana,DejaVu Sans,sans-serif"
#: Words the badge must never show (compared after NFKC normalisation and case folding).
FORBIDDEN_WORDS = ("iacet",)
#: Shown instead of a name that contains a forbidden word.
NAME_STAND_IN = "this provider"

#: Status panel colours: (background, text). Every pair has a contrast ratio of at least 4.5:1.
PALETTE: dict[str, tuple[str, str]] = {
    GOOD_STANDING: ("#17663a", "#ffffff"),
    LAPSED: ("#a4262c", "#ffffff"),
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


def shown_name(name: str) -> str:
    """The provider's name as a badge may show it: one line, XML-safe, without forbidden words."""
    text = " ".join(_NOT_XML.sub("", name).split())
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf"
    ).casefold()
    if not text or any(word in folded for word in FORBIDDEN_WORDS):
        return NAME_STAND_IN
    return text


def badge_text(entry: Entry, status: Status) -> str:
    """What the badge says in words: its title, aria-label and the snippet's alt text."""
    verified = _verified_on(entry)
    return (
        f"OpenCEU record for {shown_name(entry.name)}: {status.label} as of {status.as_of.isoformat()}, "
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


def badge_files(directory: Directory, today: dt.date) -> Iterator[GeneratedPage]:
    """One badge per provider, in id order."""
    for entry in sorted(directory.of(PROVIDERS), key=lambda e: e.id):
        yield GeneratedPage(badge_uri(entry), badge_svg(entry, provider_status(entry, today)))


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
