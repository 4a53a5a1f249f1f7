"""Badges: OpenCEU's own mark, never IACET's name, well-formed, escaped and linked to the profile."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from directory.badges import (
    MARK_COLOURS,
    PALETTE,
    badge_files,
    badge_size,
    badge_snippet,
    badge_svg,
    badge_text,
    contains_forbidden_word,
    letters_skeleton,
    shown_name,
)
from directory.bidi import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE
from directory.records import Directory, Entry
from directory.schema import load_schema
from directory.site_files import absolute_url, badge_uri
from directory.status import (
    GOOD_STANDING,
    LABELS,
    LAPSED,
    NEEDS_REVIEW,
    UNVERIFIED,
    Status,
    provider_status,
    provider_statuses,
)
from directory.validate import validate_directory
from tests.conftest import REPO_ROOT

PUBLISHED = REPO_ROOT / "directory_data"
SCHEMA = load_schema(PUBLISHED)
TODAY = dt.date(2026, 11, 23)
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & \'quoted\' "double" </title><b>Co'


def provider(name: str = "Acme Training Institute", entry_id: str = "acme", **values: str) -> Entry:
    base = dict.fromkeys(SCHEMA.table("providers").column_names, "")
    base.update(
        id=entry_id,
        name=name,
        country="US",
        standing="accredited",
        source_url="https://example.org/source",
        source_kind="official",
        source_date="2026-06",
        source_quote="quoted words",
        verified_on="2026-11-01",
    )
    base.update(values)
    return Entry("providers", 2, base)


def status(code: str = GOOD_STANDING) -> Status:
    return Status(code, "a rule", TODAY)


def reads_iacet(text: str) -> bool:
    """The text reads as IACET with look-alike letters and separators (either reading of "1", "|")."""
    return contains_forbidden_word(text)


def badge_words(svg: str) -> list[str]:
    """Every text the badge shows or speaks: its title, aria-label and drawn texts."""
    root = ET.fromstring(svg)
    return [root.get("aria-label", ""), *("".join(element.itertext()) for element in root.iter())]


class _Snippet(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse_snippet(snippet: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Snippet()
    parser.feed(snippet)
    parser.close()
    return parser.tags


# --- what the badge says -------------------------------------------------------------------


@pytest.mark.parametrize("code", list(LABELS))
def test_badge_is_well_formed_and_labelled(code):
    entry = provider()
    svg = badge_svg(entry, status(code))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    text = badge_text(entry, status(code))
    assert root.get("aria-label") == text
    assert root.findtext(f"{SVG}title") == text
    assert text == (
        f"OpenCEU record for Acme Training Institute: {LABELS[code]} as of 2026-11-23, "
        "source verified 2026-11-01. A record of what the cited source showed on that date, "
        "not an accreditation."
    )
    shown = [t.text for t in root.iter(f"{SVG}text")]
    assert shown == ["OpenCEU", LABELS[code], "verified 2026-11-01"]
    assert "Acme" not in "".join(shown)  # the name is only in the title and label


#: Spellings of IACET a reader would take for the word, each with what it tries.
LOOKALIKE_NAMES = [
    ("IACET Training Partners", "the word itself"),
    ("The iacet Academy", "lower case"),
    ("Association of Iacet-Accredited Providers", "mixed case, hyphenated"),
    ("iAcEt Institute", "alternating case"),
    ("\uff29\uff21\uff23\uff25\uff34 Fullwidth Institute", "fullwidth letters"),
    ("\U0001d408\U0001d400\U0001d402\U0001d404\U0001d413 Bold", "mathematical bold letters"),
    ("\u0406\u0410\u0421\u0415\u0422 Cyrillic", "Cyrillic I, A, ES, IE, TE"),
    ("\u0456\u0430\u0441\u0435\u0442 Cyrillic", "Cyrillic small letters"),
    ("\u0399acet Greek", "Greek capital iota"),
    ("\u0399\u0391\u03f9\u0395\u03a4 Greek", "Greek iota, alpha, lunate sigma, epsilon, tau"),
    ("\u13a5\ua4ee\u13df\u13ac\u13a2 Others", "Cherokee and Lisu look-alikes"),
    ("lACET Lookalike", "a small L for the I"),
    ("1ACET Digit", "a digit one for the I"),
    ("IA\u200bCET Zero Width", "zero-width space inside"),
    ("I\u00adACET Soft Hyphen", "soft hyphen inside"),
    ("I\u200dA\u2060C\ufeffET Joiners", "joiners and a BOM inside"),
    ("I\u202eACET Override", "a right-to-left override inside"),
    ("IA\x00CET Control", "a control character inside"),
    ("I.A.C.E.T. Institute", "dots between the letters"),
    ("I A C E T Institute", "spaces between the letters"),
    ("I-A_C/E:T Institute", "punctuation between the letters"),
    ("I|A|C|E|T Institute", "bars between the letters"),
    ("|ACET 1nstitute", "a bar for the I"),
    ("I\u0301A\u0300C\u0327E\u0308T\u0303 Marks", "combining marks on each letter"),
    ("\u00cd\u00c0\u00c7\u00c9\u0162 Accents", "precomposed accented letters"),
    ("\u2160\u24b6CET Enclosed", "roman numeral one and a circled A"),
    ("\u0141\u039b\u023b\u0190\u0166 Stroked", "letters only UTS #39's whole table knows"),
]


@pytest.mark.parametrize(("name", "trick"), LOOKALIKE_NAMES, ids=[trick for _, trick in LOOKALIKE_NAMES])
def test_badge_never_contains_iacet(name, trick):
    entry = provider(name, iacet_provider_number="12345", notes="IACET says so")
    svg = badge_svg(entry, status())
    snippet = badge_snippet(entry, status(), "https://openceu.example/")
    assert reads_iacet(name), trick
    for text in (svg, snippet, *badge_words(svg)):
        assert "iacet" not in text.casefold()
        assert not reads_iacet(text), trick
    assert "this provider" in badge_text(entry, status())


@pytest.mark.parametrize(
    "name",
    [
        "Acme Training Institute",
        "Institut Acétique",
        "Pacific Edu",
        "Caret Academy",
        "\u05e9\u05dc\u05d5\u05dd",
    ],
)
def test_names_without_the_word_are_shown(name):
    assert shown_name(name) == name


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c\u200d", "\u00ad", " \u2060 ", "\u0301"])
def test_an_invisible_name_is_never_shown(name):
    assert shown_name(name) == "this provider"


def test_a_right_to_left_name_is_isolated_in_the_badge_text():
    name = "\u05de\u05db\u05d5\u05df \u05dc\u05d9\u05de\u05d5\u05d3"  # Hebrew
    text = badge_text(provider(name), status())
    assert f"for {FIRST_STRONG_ISOLATE}{name}{POP_DIRECTIONAL_ISOLATE}: In good standing" in text
    assert FIRST_STRONG_ISOLATE not in badge_text(provider(), status())  # left-to-right stays as it was
    override = badge_text(provider("Evil\u202eCo"), status())
    assert f"{FIRST_STRONG_ISOLATE}Evil\u202eCo{POP_DIRECTIONAL_ISOLATE}" in override


#: Ways to write each letter of the word that a reader takes for that letter.
_LETTER_FORMS = {
    "i": ["I", "i", "\uff29", "\u0406", "\u0456", "\u0399", "\u03b9", "\u04c0", "\u0131", "l", "1", "|"],
    "a": ["A", "a", "\uff21", "\u0410", "\u0430", "\u0391", "\u03b1", "\u0251", "\u00c0", "\u00e4"],
    "c": ["C", "c", "\uff23", "\u0421", "\u0441", "\u03f9", "\u03f2", "\u2ca5", "\u00c7", "\u216d"],
    "e": ["E", "e", "\uff25", "\u0415", "\u0435", "\u0395", "\u212e", "\u00c9", "\u00eb"],
    "t": ["T", "t", "\uff34", "\u0422", "\u0442", "\u03a4", "\u03c4", "\u22a4", "\u0163"],
}
#: What may stand between the letters and still read as the word.
_BETWEEN = [
    "",
    " ",
    ".",
    "-",
    "_",
    "/",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\u00ad",
    "\ufeff",
    "\u202e",
    "\u2066",
    "\u0301",
    "\u0308",
    "\x00",
    "\x07",
    "\u3000",
    "\u00a0",
    "'",
    "|",
]


@st.composite
def lookalike_names(draw: st.DrawFn) -> str:
    parts = [draw(st.text(max_size=8))]
    for letter in "iacet":
        parts.append(draw(st.sampled_from(_LETTER_FORMS[letter])))
        parts.append("".join(draw(st.lists(st.sampled_from(_BETWEEN), max_size=3))))
    parts.append(draw(st.text(max_size=8)))
    return "".join(parts)


@settings(deadline=None, max_examples=300)
@given(lookalike_names(), st.sampled_from(list(LABELS)))
def test_no_spelling_of_iacet_reaches_the_badge(name, code):
    assert reads_iacet(name)
    entry = provider(name)
    svg = badge_svg(entry, status(code))
    snippet = badge_snippet(entry, status(code), "https://openceu.example/")
    assert "this provider" in badge_text(entry, status(code))
    for text in (snippet, *badge_words(svg)):
        assert not reads_iacet(text)


def test_real_badges_contain_no_iacet():
    directory = validate_directory(PUBLISHED, SCHEMA, TODAY)
    pages = list(badge_files(directory, provider_statuses(directory, TODAY)))
    assert len(pages) == len(directory.of("providers")) > 0
    for page in pages:
        assert "iacet" not in page.content.casefold()
        assert not any(reads_iacet(text) for text in badge_words(page.content))


@settings(deadline=None)
@given(st.text(), st.sampled_from(list(LABELS)))
def test_any_name_gives_a_well_formed_badge_without_iacet(name, code):
    entry = provider(name)
    svg = badge_svg(entry, status(code))
    root = ET.fromstring(svg)
    assert root.get("aria-label") == badge_text(entry, status(code))
    assert not any(reads_iacet(text) for text in badge_words(svg))
    assert "<script" not in svg.casefold()


def test_hostile_names_are_escaped_in_the_badge():
    entry = provider(HOSTILE)
    svg = badge_svg(entry, status())
    assert "<script" not in svg and "</title><b>" not in svg
    root = ET.fromstring(svg)
    assert HOSTILE in root.get("aria-label", "")
    assert HOSTILE in (root.findtext(f"{SVG}title") or "")
    assert len(list(root.iter(f"{SVG}b"))) == 0


def test_badge_is_self_contained():
    svg = badge_svg(provider(), status())
    without_namespace = svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for forbidden in ("http", "href", "<script", "@import", "url(", "<image", "<foreignObject", "<style"):
        assert forbidden not in without_namespace
    attributes = {name for element in ET.fromstring(svg).iter() for name in element.attrib}
    assert not any(name.startswith("on") for name in attributes)  # no event handlers
    assert 'font-family="Verdana,DejaVu Sans,sans-serif"' in svg


def test_badge_width_is_bounded_whatever_the_name():
    sizes = {badge_size(provider(name), status(code)) for name in ("A", "B" * 500) for code in LABELS}
    assert all(200 <= width <= 320 and height == 40 for width, height in sizes)
    assert badge_size(provider("A"), status()) == badge_size(provider("B" * 500), status())
    root = ET.fromstring(badge_svg(provider("B" * 500), status()))
    assert (root.get("width"), root.get("height")) == tuple(map(str, badge_size(provider(), status())))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("background", "foreground"), [*PALETTE.values(), MARK_COLOURS[:2]])
def test_text_contrast_is_at_least_4_5(background, foreground):
    assert contrast(background, foreground) >= 4.5


def test_statuses_are_told_apart_by_colour_and_words():
    assert set(PALETTE) == set(LABELS) == {GOOD_STANDING, LAPSED, NEEDS_REVIEW, UNVERIFIED}
    assert len({background for background, _ in PALETTE.values()}) == len(PALETTE)
    for code, (background, _) in PALETTE.items():
        svg = badge_svg(provider(), status(code))
        assert background in svg and LABELS[code] in svg


# --- snippet and URLs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site_url", "path", "expected"),
    [
        ("http://127.0.0.1:8000/", "directory/", "http://127.0.0.1:8000/directory/"),
        ("http://127.0.0.1:8000", "directory/", "http://127.0.0.1:8000/directory/"),
        ("https://example.org/openceu", "directory/x/", "https://example.org/openceu/directory/x/"),
        ("https://example.org/openceu/", "/directory/x/", "https://example.org/openceu/directory/x/"),
        ("", "directory/x/", "/directory/x/"),
    ],
)
def test_absolute_url(site_url, path, expected):
    assert absolute_url(site_url, path) == expected


@pytest.mark.parametrize(
    ("site_url", "prefix"),
    [
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
        ("https://example.org/openceu", "https://example.org/openceu/"),
        ("https://example.org/openceu/", "https://example.org/openceu/"),
    ],
)
def test_snippet_links_the_badge_to_the_profile(site_url, prefix):
    entry = provider()
    tags = parse_snippet(badge_snippet(entry, status(), site_url))
    assert [tag for tag, _ in tags] == ["a", "img"]
    (_, link), (_, image) = tags
    assert link["href"] == f"{prefix}directory/providers/acme/"
    assert image["src"] == f"{prefix}directory/providers/acme/badge.svg"
    assert image["src"] == f"{prefix}{badge_uri(entry)}"
    assert image["alt"] == badge_text(entry, status())
    assert (int(image["width"] or 0), int(image["height"] or 0)) == badge_size(entry, status())


def test_hostile_names_are_escaped_in_the_snippet():
    entry = provider(HOSTILE)
    snippet = badge_snippet(entry, status(), 'https://example.org/"><script>x</script>')
    assert "<script" not in snippet
    tags = parse_snippet(snippet)
    assert [tag for tag, _ in tags] == ["a", "img"]
    assert HOSTILE in (tags[1][1]["alt"] or "")


def test_badge_files_one_per_provider_in_order_and_deterministic():
    found = {"table": "providers", "id": "zeta", "check": "source", "checked_on": "2026-11-20"}
    found |= {"url": "https://example.org/source", "outcome": "quote-present"}
    entries = (
        provider("Zeta", "zeta"),
        provider("Alpha", "alpha", source_kind="third-party"),
        Entry("organizations", 2, {"id": "org", "name": "Not a provider"}),
        Entry("checks", 2, found),  # zeta's page, checked: in good standing
    )
    directory = Directory(entries, ())
    pages = list(badge_files(directory, provider_statuses(directory, TODAY)))
    assert [p.src_uri for p in pages] == [
        "directory/providers/alpha/badge.svg",
        "directory/providers/zeta/badge.svg",
    ]
    assert pages == list(badge_files(directory, provider_statuses(directory, TODAY)))
    alpha = entries[1]
    assert pages[0].content == badge_svg(alpha, provider_status(alpha, TODAY))
    assert "Unverified" in pages[0].content and "In good standing" in pages[1].content


@settings(deadline=None, max_examples=300)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_reads_like_the_full_reading(text):
    # A zero-width space is not a letter: it changes nothing but sends the text down the slow path.
    assert letters_skeleton(text) == letters_skeleton(text + "\u200b")
    assert contains_forbidden_word(text) == contains_forbidden_word(text + "\u200b")
    stand_in = "this provider"
    assume(stand_in not in text)
    assert (shown_name(text) == stand_in) == (shown_name(text + "\u200b") == stand_in)
