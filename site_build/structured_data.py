"""schema.org structured data (JSON-LD) for the pages search engines read it on.

Two shapes: an ``Organization`` for each directory profile (what the row says of the body,
never an accreditation: schema.org has no word for "a source said so on this day") and a
``FAQPage`` for a guide written as questions and answers. Both go into the page as a
``<script type="application/ld+json">`` that no browser runs, escaped so that no text in the
data can close the script element.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

CONTEXT = "https://schema.org"
_BLOCKS = frozenset({"p", "li", "dt", "dd", "td", "th", "tr", "div", "pre", "blockquote", "h3", "h4"})
_HTTP = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def json_ld_script(data: Mapping[str, Any]) -> str:
    """The script element for ``data``: ``<``, ``>`` and ``&`` as JSON escapes, so the text
    of any value (``</script>`` included) stays inside the string it belongs to."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def organization(
    name: str,
    *,
    page_url: str,
    website: str = "",
    country: str = "",
    region: str = "",
    city: str = "",
    provider_number: str = "",
) -> dict[str, Any]:
    """An ``Organization``: its name, its own site (http(s) only), where it is, its IACET number."""
    data: dict[str, Any] = {"@context": CONTEXT, "@type": "Organization", "name": name}
    if page_url:
        data["mainEntityOfPage"] = page_url
    if _HTTP.fullmatch(website):
        data["url"] = website
    address = {
        key: value
        for key, value in (("addressCountry", country), ("addressRegion", region), ("addressLocality", city))
        if value
    }
    if address:
        data["address"] = {"@type": "PostalAddress", **address}
    if provider_number:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "IACET provider number",
            "value": provider_number,
        }
    return data


class _Sections(HTMLParser):
    """The page's ``<h2>`` headings with the text that follows each, up to the next ``<h2>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str, list[str]]] = []
        self._in_heading = False
        self._heading: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._in_heading, self._heading = True, []
        elif tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._in_heading:
            self._in_heading = False
            self.sections.append((" ".join("".join(self._heading).split()), []))
        elif tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in _BLOCKS and self.sections and not self._in_heading:
            self.sections[-1][1].append(" ")  # "<p>a</p><p>b</p>" reads "a b", not "ab"

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_heading:
            self._heading.append(data)
        elif self.sections:
            self.sections[-1][1].append(data)


def faq_page(html: str) -> dict[str, Any]:
    """A ``FAQPage`` of the page's ``<h2>`` questions and the text under each.

    A ValueError names the first ``<h2>`` that is not a question: a page that calls itself
    questions and answers must be only that, or search engines are told something false.
    """
    parser = _Sections()
    parser.feed(html)
    parser.close()
    if not parser.sections:
        raise ValueError("a FAQ page needs its questions as '## ...?' headings; this page has none")
    for question, _ in parser.sections:
        if not question.endswith("?"):
            raise ValueError(f"the heading {question[:80]!r} is not a question (end it with '?')")
    return {
        "@context": CONTEXT,
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": question,
                "acceptedAnswer": {"@type": "Answer", "text": " ".join("".join(parts).split())},
            }
            for question, parts in parser.sections
        ],
    }
