"""Issue 34's vectors for class 1 (data shown as markup) and class 7 (data the validator
accepts that the build refuses), each asserted by a test:

* ``sentence``: a credit system's unit that Markdown, HTML, attribute lists, templates or the
  embeds themselves would read as syntax. The validator accepts each as a unit; put in an
  inline figure, in every place of a page Markdown treats apart (a sentence, a heading, a
  table cell, a list, a quotation, an admonition, a link's text), it must come out as exactly
  its text: tests/unit/test_markdown_text.py, through Python-Markdown with the site's
  extensions.
* ``typed``: a column whose values are not free text (an id, a code, a date, a number, a term,
  an address): markup there is refused by the validator, at ``file:line: column:``
  (tests/unit/test_markdown_text.py).
* ``marker``: every text and address column of every table carries a marker in the real
  build; each column is a vector (tests/build/test_data_is_text.py, and in Chromium
  tests/browser/test_data_is_text.py).
* ``build``: a change the build computes with. Either the validator refuses it (``refused``:
  a phrase of the message, at ``at``: the file and field it is reported at, when not the
  changed cell), or the real build over it succeeds and shows the value as text
  (tests/build/test_validate_then_build.py).
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.marker_site import PARSED, PUBLISHED, SCHEMA, TEXT_TYPES

SENTENCE = "sentence"
TYPED = "typed"
MARKER = "marker"
BUILD = "build"
MARKUP = "1-markup"
VALIDATE_THEN_BUILD = "7-validate-then-build"


@dataclass(frozen=True)
class MarkupVector:
    #: The issue's class this vector belongs to.
    cls: str
    name: str
    #: Which test asserts it (SENTENCE, TYPED, MARKER, BUILD).
    kind: str
    table: str = "credit_systems"
    column: str = "unit"
    value: str = ""
    #: None: the validator accepts the change; else a phrase of its message.
    refused: str | None = None
    #: Where the refusal is reported when not at the changed cell: "FILE FIELD" (a page's path
    #: and line's field, or another file of the data).
    at: str = ""
    #: The changed row (its id in the published data; "" the first row), and other cells changed with it.
    row: str = ""
    also: tuple[tuple[str, str], ...] = ()
    #: The row is removed instead of changed.
    delete: bool = False


def _sentence(name: str, value: str) -> MarkupVector:
    return MarkupVector(MARKUP, f"unit-{name}", SENTENCE, value=value)


# --------------------------------------------------------------------------- units in a sentence
SENTENCE_VECTORS: tuple[MarkupVector, ...] = (
    # Markdown's inline syntax.
    _sentence("link-javascript", "[x](javascript:alert(1))"),
    _sentence("link-angle-brackets", "[x](<javascript:alert(1)>)"),
    _sentence("link-with-title", '[x](https://elsewhere.example/ "t")'),
    _sentence("link-data", "[x](data:text/html,<script>alert(1)</script>)"),
    _sentence("link-entity-scheme", "[x](java&#115;cript:alert(1))"),
    _sentence("image-elsewhere", "![x](https://elsewhere.example/p.png)"),
    _sentence("image-reference", "![x][img]"),
    _sentence("reference-link", "[x][calc.ceu]"),
    _sentence("reference-link-short", "[calc.ceu][]"),
    _sentence("autolink", "<https://elsewhere.example/>"),
    _sentence("autolink-mail", "<someone@elsewhere.example>"),
    _sentence("emphasis-stars", "*em* and **strong**"),
    _sentence("emphasis-underscores", "_em_ and __strong__"),
    _sentence("code-span", "`code` and ``co`de``"),
    _sentence("backslash-escapes", "\\*not em\\* \\[x\\]"),
    _sentence("hard-break", "a  \nb"),
    _sentence("footnote-like", "CEU[^1]"),
    # Attribute lists (attr_list): on the paragraph, on an inline element, on a link.
    _sentence("attribute-list", '{: onclick="alert(1)" }'),
    _sentence("attribute-list-id", "{: #planted .planted }"),
    _sentence("attribute-list-on-emphasis", "*x*{: onmouseover=alert(1) }"),
    _sentence("attribute-list-on-link", "[x](https://elsewhere.example/){: onclick=alert(1) }"),
    _sentence("attribute-list-plain", "{onclick=alert(1)}"),
    # HTML, inline and as a block after a line break.
    _sentence("html-bold", "<b>bold</b>"),
    _sentence("html-img-onerror", "<img src=x onerror=alert(1)>"),
    _sentence("html-anchor", '<a href="javascript:alert(1)">x</a>'),
    _sentence("html-svg", "<svg onload=alert(1)>"),
    _sentence("html-iframe", "<iframe src=https://elsewhere.example/></iframe>"),
    _sentence("html-style", "<style>*{display:none}</style>"),
    _sentence("html-base", "<base href=https://elsewhere.example/>"),
    _sentence("html-meta-refresh", '<meta http-equiv=refresh content="0;url=https://elsewhere.example/">'),
    _sentence("html-comment", "<!-- hidden -->shown"),
    _sentence("html-processing", "<?php echo 1; ?>"),
    _sentence("html-cdata", "<![CDATA[x]]>"),
    _sentence("html-closing-paragraph", "</p><p onclick=alert(1)>"),
    _sentence("html-textarea", "</textarea><script>alert(1)</script>"),
    _sentence("html-markdown-attribute", '<div markdown="1">*x*</div>'),
    _sentence("html-block-after-break", "CEU\n\n<script>alert(1)</script>\n\nafter"),
    # Entities: shown as written, never decoded once more.
    _sentence("entity-named", "&lt;script&gt;"),
    _sentence("entity-numeric", "&#60;b&#62;"),
    _sentence("entity-hex", "&#x3C;b&#x3E;"),
    _sentence("entity-ampersand", "A &amp; B"),
    # Block syntax after a line break (a unit may hold one).
    _sentence("heading-after-break", "CEU\n# heading"),
    _sentence("setext-after-break", "CEU\n===="),
    _sentence("list-after-break", "CEU\n- item"),
    _sentence("ordered-list-after-break", "CEU\n1. item"),
    _sentence("quote-after-break", "CEU\n> quoted"),
    _sentence("rule-after-break", "CEU\n***"),
    _sentence("table-after-break", "CEU\n| a | b |\n| - | - |"),
    _sentence("fence-after-break", "CEU\n```\ncode\n```"),
    _sentence("tilde-fence-after-break", "CEU\n~~~\ncode\n~~~"),
    _sentence("indented-code-after-break", "CEU\n\n    code"),
    _sentence("admonition-after-break", 'CEU\n!!! note "x"\n    body'),
    _sentence("reference-definition-after-break", "CEU\n[calc.ceu]: javascript:alert(1)"),
    _sentence("front-matter-after-break", "CEU\n---\ntitle: x\n---"),
    _sentence("mkdocstrings-after-break", "CEU\n::: calc.ceu"),
    # Table cells and templates.
    _sentence("table-pipe", "a | b | c"),
    _sentence("jinja-expression", "{{ 7*7 }}"),
    _sentence("jinja-statement", "{% if true %}x{% endif %}"),
    _sentence("jinja-comment", "{# x #}"),
    _sentence("embed-inline", "{{openceu hours minutes=60}}"),
    _sentence("embed-inline-broken", "{{openceu figure minutes=99999999999}}"),
    _sentence("embed-block", "CEU\n```openceu\nembed: minutes-table\nminutes: 60\n```"),
    _sentence("template-literal", "${7*7}"),
    # Text that is only text: kept exactly.
    _sentence("unicode", "CEU \u00e9\u00e8 \u4e2d\u6587 \U0001f680"),
    _sentence("fullwidth-brackets", "\uff3bx\uff3d\uff08javascript:alert(1)\uff09"),
)


# --------------------------------------------------------------------------- typed columns refuse markup
def _typed(table: str, column: str, value: str, phrase: str, name: str = "") -> MarkupVector:
    return MarkupVector(
        MARKUP, f"typed-{table}-{column}{'-' + name if name else ''}", TYPED, table, column, value, phrase
    )


NOT_SLUG = "is not a slug"
NOT_NUMBER = "is not a number written like"
NOT_HTTP = "is not an http(s) URL"
ENCODE = "a character a URL must percent-encode"
TYPED_VECTORS: tuple[MarkupVector, ...] = (
    _typed("providers", "id", "<b>x</b>", NOT_SLUG),
    _typed("providers", "id", "[x](javascript:alert(1))", NOT_SLUG, "link"),
    _typed("organizations", "id", "{{7*7}}", NOT_SLUG),
    _typed("credit_systems", "id", "a{: #x }", NOT_SLUG),
    _typed("vocabularies", "id", "<i>x</i>", NOT_SLUG),
    _typed("vocabularies", "vocabulary", "*x*", NOT_SLUG),
    _typed("providers", "country", "<b>", "is not an ISO 3166-1 alpha-2 code"),
    _typed("organizations", "country", "U*", "is not an ISO 3166-1 alpha-2 code"),
    _typed("providers", "region", "<i>", "is not an ISO 3166-2 subdivision code"),
    _typed("providers", "standing", "<b>accredited</b>", "is not one of"),
    _typed("organizations", "source_kind", "official{: #x }", "is not one of"),
    _typed("credit_systems", "kind", "[body-rule](javascript:x)", "is not one of"),
    _typed("credit_systems", "rounding", "*down*", "is not one of"),
    _typed("providers", "delivery_modes", "<b>online</b>", "not a term"),
    _typed("organizations", "kind", "{{ 7*7 }}", "not a term"),
    _typed("acceptances", "credit_type", "[x](javascript:x)", "not a term"),
    _typed("acceptances", "organization_id", "<b>x</b>", "is not an id"),
    _typed("acceptances", "credit_system", "{{x}}", "is not an id"),
    _typed("providers", "verified_on", "<b>2026-01-01</b>", "is not a date"),
    _typed("providers", "accredited_since", "*2020*", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    _typed("organizations", "source_date", "2020{: #x }", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    _typed("credit_systems", "minutes_per_unit", "60<b>", NOT_NUMBER),
    _typed("credit_systems", "minutes_per_unit", "[60](javascript:x)", NOT_NUMBER, "link"),
    _typed("credit_systems", "increment", "1/3{: #x }", "is not a number written like 0.25 or a fraction"),
    _typed("credit_systems", "minimum_award", "*0.1*", NOT_NUMBER),
    _typed("credit_systems", "example_minutes", "`60`", NOT_NUMBER),
    _typed("requirements", "amount", "{{60}}", NOT_NUMBER),
    _typed("requirements", "cycle_months", "36<i>", "is not a whole number"),
    _typed("providers", "website", "[x](javascript:alert(1))", NOT_HTTP),
    _typed("providers", "website", "<https://elsewhere.example/>", NOT_HTTP, "autolink"),
    _typed("organizations", "website", 'https://example.org/"><b>x</b>', ENCODE),
    _typed("acceptances", "source_url", "https://example.org/<script>", ENCODE),
    _typed("credit_systems", "source_url", "https://example.org/`x`", ENCODE),
    _typed("providers", "source_url", "javascript:alert(1)//https://example.org/", NOT_HTTP),
)

# --------------------------------------------------------------------------- every text column carries a marker
MARKER_VECTORS: tuple[MarkupVector, ...] = tuple(
    MarkupVector(MARKUP, f"marker-{table.key}-{column.name}", MARKER, table.key, column.name)
    for table in SCHEMA.tables
    for column in table.columns
    if column.type in (*TEXT_TYPES, "url") and (table.key, column.name) not in PARSED
)


# --------------------------------------------------------------------------- validate, then build
def _builds(
    name: str, table: str, column: str, value: str, row: str = "", also: tuple[tuple[str, str], ...] = ()
) -> MarkupVector:
    return MarkupVector(VALIDATE_THEN_BUILD, name, BUILD, table, column, value, row=row, also=also)


def _refused(
    name: str,
    row: str,
    column: str,
    value: str,
    phrase: str,
    at: str = "",
    also: tuple[tuple[str, str], ...] = (),
    delete: bool = False,
) -> MarkupVector:
    return MarkupVector(
        VALIDATE_THEN_BUILD, name, BUILD, "credit_systems", column, value, phrase, at, row, also, delete
    )


#: A rule the guides compute a figure under, by id (content/guides/different-figures.md).
GUIDE_RULE = "cleveland-state-nearest-tenth-hour"
BLANK_RATE = tuple(
    (column, "")
    for column in (
        "increment",
        "rounding",
        "minimum_award",
        "threshold_minutes",
        "example_minutes",
        "example_units",
    )
)
BUILD_VECTORS: tuple[MarkupVector, ...] = (
    # Text in the data that a page used to compute (embeds' output was read again as a page).
    _builds("embed-over-limit-in-a-unit", "credit_systems", "unit", "{{openceu figure minutes=99999999999}}"),
    _builds("embed-in-a-body", "credit_systems", "body", "Board {{openceu cecs hours=99999999}}", GUIDE_RULE),
    _builds("embed-unknown-in-a-credential", "credit_systems", "credential", "{{openceu nope}}", "asha-ceu"),
    _builds(
        "embed-block-in-notes", "credit_systems", "notes", "x\n```openceu\nembed: nope\n```", "iacet-ceu"
    ),
    _builds(
        "embed-in-a-condition", "credit_systems", "multiplier_condition", "{{openceu hours}}", "nbcot-pdu"
    ),
    _builds(
        "embed-in-a-quote", "credit_systems", "source_quote", "{{openceu ceus minutes=20}}", "hrci-credit"
    ),
    _builds(
        "embed-in-a-source-address",
        "credit_systems",
        "source_url",
        "https://openceu.github.io/openceu/{{openceu}}",
    ),
    _builds("embed-in-a-label", "vocabularies", "label", "{{openceu hours minutes=-1}}", "in-person"),
    _builds("embed-in-a-name", "providers", "name", "{{openceu figure minutes=60 rule=nope}}"),
    _builds("embed-in-conditions", "acceptances", "conditions", "{{openceu ceus minutes=1}}"),
    _builds("mkdocstrings-in-a-body", "credit_systems", "body", "Board\n::: calc.nope", "asha-ceu"),
    # A rule no page computes with may lose its rate (the site then says the source does not say).
    MarkupVector(
        VALIDATE_THEN_BUILD,
        "rate-blank-on-a-rule-no-page-names",
        BUILD,
        "credit_systems",
        "minutes_per_unit",
        "",
        row="shrm-pdc",
        also=(*BLANK_RATE, ("minimum_minutes", ""), ("daily_cap", "")),
    ),
    # Rules within the schema that the pages still compute with (the guide's figure says so).
    _builds(
        "rule-at-the-engine-s-limits",
        "credit_systems",
        "minutes_per_unit",
        "1",
        "ashrae-ace",
        also=(
            ("increment", "1"),
            ("rounding", "down"),
            ("example_minutes", "100000"),
            ("example_units", "100000"),
        ),
    ),
    _builds(
        "finest-fraction-step",
        "credit_systems",
        "increment",
        "1/999",
        "comptia-ceu",
        also=(("rounding", "down"), ("example_minutes", "60"), ("example_units", "1")),
    ),
    _builds(
        "no-step-under-a-guide-s-figure", "credit_systems", "increment", "", GUIDE_RULE, (("rounding", ""),)
    ),
    _builds(
        "largest-rate-under-a-guide-s-figure",
        "credit_systems",
        "minutes_per_unit",
        "6000",
        "asha-ceu",
        also=(("example_minutes", "6000"), ("example_units", "1")),
    ),
    _builds(
        "rate-blank-under-a-figure-that-says-so",
        "credit_systems",
        "minutes_per_unit",
        "",
        "nasba-cpe-halves",
        BLANK_RATE,
    ),
    _builds(
        "threshold-under-a-guide-s-figure",
        "credit_systems",
        "rounding",
        "threshold",
        "hrci-credit",
        also=(("threshold_minutes", "10"), ("example_minutes", ""), ("example_units", "")),
    ),
    _builds(
        "minimum-above-a-guide-s-figure",
        "credit_systems",
        "minimum_minutes",
        "991",
        "ghd-whole-hours",
        also=(("example_minutes", ""), ("example_units", "")),
    ),
    _builds(
        "multiplier-on-iacet-s-rule",
        "credit_systems",
        "multiplier",
        "10",
        "iacet-ceu",
        also=(("multiplier_condition", "the course has an assessment"),),
    ),
    # Rules the site's pages compute under: the validator refuses what the build would.
    _refused(
        "iacet-minimum-award-above-a-guide-s-example",
        "iacet-ceu",
        "minimum_award",
        "2",
        "content/guides/counting-ceus.md:53 computes a figure under this rule, and cannot: "
        "269 minutes: no IACET CEU",
        at="credit_systems.csv id",
        also=(("example_minutes", "1200"), ("example_units", "2")),
    ),
    _refused(
        "iacet-rule-removed",
        "iacet-ceu",
        "id",
        "",
        "'iacet-ceu' is not an id in credit_systems.csv",
        at="acceptances.csv credit_system",
        delete=True,
    ),
    _refused(
        "rule-a-guide-names-removed",
        "nasba-cpe-fifths",
        "id",
        "",
        "'nasba-cpe-fifths' is not one of the listed rules; the page computes with it",
        at="content/guides/different-figures.md rule",
        delete=True,
    ),
    _refused(
        "rule-a-guide-names-renamed",
        "nasba-cpe-halves",  # a rule no requirement counts in: the guide is what refuses the rename
        "id",
        "nasba-cpe-halves-renamed",
        "'nasba-cpe-halves' is not one of the listed rules",
        at="content/guides/different-figures.md rule",
    ),
    _refused(
        "rate-blank-under-a-figure",
        GUIDE_RULE,
        "minutes_per_unit",
        "",
        "content/guides/different-figures.md:6 computes a figure under this rule, and cannot: "
        "990 minutes: not stated by the source",
        at="credit_systems.csv id",
        also=BLANK_RATE,
    ),
    _refused(
        "iacet-rate-blank",
        "iacet-ceu",
        "minutes_per_unit",
        "",
        "computes a figure under this rule, and cannot",
        at="credit_systems.csv id",
        also=BLANK_RATE,
    ),
    _refused(
        "minimum-above-the-guide-s-example",
        GUIDE_RULE,
        "minimum_minutes",
        "1000",
        "990 minutes: no CEU",
        at="credit_systems.csv id",
        also=(("example_minutes", "1200"), ("example_units", "2")),
    ),
    # A figure that says "no CPE credit" is a figure: the guide's sentence still reads.
    _builds(
        "minimum-award-above-a-guide-s-figure",
        "credit_systems",
        "minimum_award",
        "20",
        "nasba-cpe-fifths",
        also=(("example_minutes", "1000"), ("example_units", "20")),
    ),
)

MARKUP_VECTORS: tuple[MarkupVector, ...] = (
    *SENTENCE_VECTORS,
    *TYPED_VECTORS,
    *MARKER_VECTORS,
    *BUILD_VECTORS,
)


def of_kind(kind: str) -> tuple[MarkupVector, ...]:
    return tuple(vector for vector in MARKUP_VECTORS if vector.kind == kind)


# --------------------------------------------------------------------------- applying a vector
def write_markup_vector(vector: MarkupVector, target: Path, source: Path = PUBLISHED) -> int:
    """A copy of ``source`` in ``target`` with the vector's change; the changed row's line (0: removed)."""
    shutil.copytree(source, target)
    table = SCHEMA.table(vector.table)
    path = target / table.file
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    key = header.index(table.row_key[-1])
    index = next((i for i, row in enumerate(body) if row[key] == vector.row), 0) if vector.row else 0
    if vector.delete:
        del body[index]
    else:
        for column, value in ((vector.column, vector.value), *vector.also):
            body[index][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    path.write_text(out.getvalue(), encoding="utf-8")
    if vector.delete:
        return 0
    reader = csv.reader(io.StringIO(out.getvalue(), newline=""))
    next(reader)
    start = reader.line_num + 1
    for number, _ in enumerate(reader):
        if number == index:
            return start
        start = reader.line_num + 1
    raise IndexError(index)
