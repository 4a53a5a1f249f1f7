"""Issue 34, class 1: a figure's text reaches the page as that text, wherever the page puts it.

Each ``sentence`` vector of tests/hostile_markup.py is a unit the validator accepts; put in an
inline figure (site_build.embeds.inline) in every place of a page Markdown treats apart,
rendered by Python-Markdown with the site's own extensions (mkdocs.yml, and the ones MkDocs
adds), the page must have exactly the elements and attributes it has with a plain unit, and
read the unit's text. ``typed`` vectors: markup in a column that is not free text is refused.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from calc.conversions import parse_credit_systems
from directory.build_date import build_date
from directory.validate import validate_directory
from site_build.embeds import expand, inline, markdown_text
from tests.conftest import REPO_ROOT
from tests.hostile_markup import (
    BUILD,
    MARKER,
    MARKUP,
    MARKUP_VECTORS,
    SENTENCE,
    TYPED,
    VALIDATE_THEN_BUILD,
    MarkupVector,
    of_kind,
    write_markup_vector,
)
from tests.marker_site import SCHEMA

SYSTEMS = parse_credit_systems((REPO_ROOT / "directory_data/credit_systems.csv").read_text(encoding="utf-8"))
RULE = "nasba-cpe-fifths"
FIGURE = f" figure minutes=990 rule={RULE}"
PLAIN = "PLAINUNIT"

#: Every place a figure can sit that Markdown treats apart ({F} is the figure).
CONTEXTS = {
    "sentence": "It is worth {F} in all.",
    "line-start": "{F} is what it is worth.",
    "heading": "# Why is it {F}?",
    "heading-with-attributes": "## Worth {F} {{: #given }}",
    "table-cell": "| Rule | Figure |\n| --- | --- |\n| a | {F} |",
    "list-item": "- worth {F}\n- next",
    "ordered-item": "1. {F}",
    "quotation": "> worth {F}",
    "admonition": '!!! note "Worth {F}"\n    Worth {F}.',
    "link-text": "[worth {F}](other.md)",
    "emphasis": "*worth {F}* and **{F}**",
    "paragraph-with-attributes": "Worth {F}\n{{: .given }}",
}


def _markdown() -> markdown.Markdown:
    """Python-Markdown as the site's build sets it up: mkdocs.yml's extensions and MkDocs' own."""
    from mkdocs.config import load_config

    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"))
    names = [name for name in config.markdown_extensions if isinstance(name, str)]
    return markdown.Markdown(extensions=names, extension_configs=config.mdx_configs)


MARKDOWN = _markdown()


class _Shape(HTMLParser):
    """A rendering's elements with their attributes (heading ids aside: made from the words), and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.ids += [value or "" for name, value in attrs if name == "id"]
            attrs = [(name, value) for name, value in attrs if name != "id"]
        self.elements.append((tag, tuple(sorted(attrs))))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _shape(source: str) -> _Shape:
    shape = _Shape()
    shape.feed(MARKDOWN.reset().convert(source))
    shape.close()
    return shape


def _figure(unit: str) -> str:
    systems = [replace(s, unit=unit) if s.id == RULE else s for s in SYSTEMS]
    return inline(FIGURE, systems)


def _words(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


@pytest.mark.parametrize("vector", of_kind(SENTENCE), ids=lambda v: v.name)
def test_a_unit_the_validator_accepts(vector: MarkupVector, tmp_path: Path):
    write_markup_vector(vector, tmp_path / "data")
    directory = validate_directory(tmp_path / "data", SCHEMA, build_date())
    assert not [str(p) for p in directory.problems if p.severity == "error"]


@pytest.mark.parametrize("context", CONTEXTS, ids=str)
@pytest.mark.parametrize("vector", of_kind(SENTENCE), ids=lambda v: v.name)
def test_a_unit_is_its_own_text_wherever_a_figure_sits(vector: MarkupVector, context: str):
    plain = _shape(CONTEXTS[context].format(F=_figure(PLAIN)))
    shown = _shape(CONTEXTS[context].format(F=_figure(vector.value)))
    assert shown.elements == plain.elements, "the unit made or changed an element or an attribute"
    assert _words(shown.text) == _words(plain.text).replace(PLAIN, " ".join(vector.value.split()))
    assert all(re.fullmatch(r"[a-z0-9_-]*", id) for id in shown.ids), shown.ids


def test_a_figure_is_text_in_a_whole_page_too():
    """The same through site_build.embeds.expand, as the build calls it: figures and a block."""
    systems = [
        replace(s, unit="[x](javascript:alert(1)) <b>b</b> {: #planted }") if s.id == RULE else s
        for s in SYSTEMS
    ]
    page = f"# Worth {{{{openceu{FIGURE}}}}}?\n\nIt is {{{{openceu{FIGURE}}}}}.\n\n```openceu\nembed: policy-examples\n```\n"
    html = MARKDOWN.reset().convert(expand(page, systems))
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # only in text, never in a tag
    assert 'id="planted"' not in html and "<b>" not in html


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("1.65 CEU", "1&#46;65 CEU"),
        ("[x](y)", "&#91;x&#93;&#40;y&#41;"),
        ("a\nb\tc", "a&#10;b&#9;c"),
        ("\u00e9 \U0001f680", "\u00e9 \U0001f680"),
    ],
)
def test_markdown_text_writes_ascii_punctuation_and_breaks_as_references(text, written):
    assert markdown_text(text) == written


@pytest.mark.parametrize("vector", of_kind(TYPED), ids=lambda v: v.name)
def test_markup_in_a_column_that_is_not_free_text_is_refused(vector: MarkupVector, tmp_path: Path):
    line = write_markup_vector(vector, tmp_path / "data")
    directory = validate_directory(tmp_path / "data", SCHEMA, build_date())
    file = SCHEMA.table(vector.table).file
    found = [str(p) for p in directory.problems if (p.file, p.line, p.field) == (file, line, vector.column)]
    assert found, [str(p) for p in directory.problems]
    assert any(vector.refused and vector.refused in message for message in found), found


def test_every_vector_is_asserted_by_a_test_of_its_kind():
    """Each kind has its test (this module, tests/build/test_data_is_text.py,
    tests/build/test_validate_then_build.py); no vector is of a kind none reads."""
    assert {vector.kind for vector in MARKUP_VECTORS} == {SENTENCE, TYPED, MARKER, BUILD}
    assert {vector.cls for vector in MARKUP_VECTORS} == {MARKUP, VALIDATE_THEN_BUILD}
    names = [vector.name for vector in MARKUP_VECTORS]
    assert len(names) == len(set(names)), "two vectors share a name"
