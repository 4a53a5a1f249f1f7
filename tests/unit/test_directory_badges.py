"""Badges: OpenCEU's own mark, never IACET's name, well-formed, escaped and linked to the profile."""

from __future__ import annotations

import datetime as dt
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.badges import (
    MARK_COLOURS,
    PALETTE,
    badge_files,
    badge_size,
    badge_snippet,
    badge_svg,
    badge_text,
)
from directory.records import Directory, Entry
from directory.schema import load_schema
from directory.site_files import absolute_url, badge_uri
from directory.status import GOOD_STANDING, LABELS, LAPSED, UNVERIFIED, Status, provider_status
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


def folded(text: str) -> str:
    text = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")
    return text.casefold()


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


@pytest.mark.parametrize(
    "name",
    [
        "IACET Training Partners",
        "The iacet Academy",
        "Association of Iacet-Accredited Providers",
        "\uff29\uff21\uff23\uff25\uff34 Fullwidth Institute",
        "IA\u200bCET Zero Width",
        "IA\x00CET Control",
    ],
)
def test_badge_never_contains_iacet(name):
    entry = provider(name, iacet_provider_number="12345", notes="IACET says so")
    svg = badge_svg(entry, status())
    snippet = badge_snippet(entry, status(), "https://openceu.example/")
    for text in (svg, snippet):
        assert "iacet" not in text.casefold()
        assert "iacet" not in folded(text)
    assert "this provider" in badge_text(entry, status())


def test_real_badges_contain_no_iacet():
    directory = validate_directory(PUBLISHED, SCHEMA, TODAY)
    pages = list(badge_files(directory, TODAY))
    assert len(pages) == len(directory.of("providers")) > 0
    for page in pages:
        assert "iacet" not in folded(page.content)
        ET.fromstring(page.content)


@settings(deadline=None)
@given(st.text(), st.sampled_from(list(LABELS)))
def test_any_name_gives_a_well_formed_badge_without_iacet(name, code):
    entry = provider(name)
    svg = badge_svg(entry, status(code))
    root = ET.fromstring(svg)
    assert root.get("aria-label") == badge_text(entry, status(code))
    assert "iacet" not in folded(svg)
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
    assert set(PALETTE) == set(LABELS) == {GOOD_STANDING, LAPSED, UNVERIFIED}
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
    entries = (
        provider("Zeta", "zeta"),
        provider("Alpha", "alpha", source_kind="third-party"),
        Entry("organizations", 2, {"id": "org", "name": "Not a provider"}),
    )
    directory = Directory(entries, ())
    pages = list(badge_files(directory, TODAY))
    assert [p.src_uri for p in pages] == [
        "directory/providers/alpha/badge.svg",
        "directory/providers/zeta/badge.svg",
    ]
    assert pages == list(badge_files(directory, TODAY))
    alpha = entries[1]
    assert pages[0].content == badge_svg(alpha, provider_status(alpha, TODAY))
    assert "Unverified" in pages[0].content and "In good standing" in pages[1].content
