"""A one-page worksheet of a calculation: the inputs, each step of the arithmetic, and
the rule and source of each step. IACET expects providers to document how they
calculate CEUs; this is that record, printable or saved as a standalone HTML file.
The build's worked examples (``site_build.embeds``) use the same pieces.

Pure string building with every value escaped, so it runs in the browser and in tests.
"""

from __future__ import annotations

from html import escape

from calc.numbers import shown
from calculator_pages.outcome import Evidence, Link, Outcome, Table, safe_href

_STYLE = """
body { font: 11pt/1.4 system-ui, sans-serif; margin: 1.5cm; color: #000; }
h1 { font-size: 15pt; margin: 0 0 0.2cm; }
h2 { font-size: 12pt; margin: 0.5cm 0 0.2cm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #777; padding: 2pt 4pt; text-align: left; vertical-align: top; }
.rule, .source { font-size: 9pt; color: #333; }
"""


def inputs_html(outcome: Outcome) -> str:
    rows = [
        f'<tr><th scope="row">{escape(label)}</th><td>'
        + (f"<pre>{escape(value)}</pre>" if "\n" in value else escape(value))
        + "</td></tr>"
        for label, value in outcome.inputs
    ]
    return '<table class="calc-inputs"><tbody>' + "".join(rows) + "</tbody></table>"


def steps_html(outcome: Outcome) -> str:
    items = [
        f'<li>{escape(step.text)}<div class="rule">Rule: {escape(step.rule)}</div>'
        f'<div class="source">Source: {escape(step.source)}</div></li>'
        for step in outcome.steps
    ]
    return '<ol class="calc-steps">' + "".join(items) + "</ol>"


def figures_html(outcome: Outcome) -> str:
    rows = [
        f'<tr><th scope="row">{escape(figure.label)}</th>'
        f'<td data-key="{escape(figure.key)}" data-value="{escape(figure.value)}">'
        f"{escape(shown(figure.value))} {escape(figure.unit)}</td></tr>"
        for figure in outcome.figures
    ]
    return '<table class="calc-figures-table"><tbody>' + "".join(rows) + "</tbody></table>"


def link_html(link: Link) -> str:
    """A link when its address is safe (:func:`~calculator_pages.outcome.safe_href`), else its text alone.

    Addresses on another site open without a referrer and carry ``rel=nofollow``: they are
    sources, not endorsements.
    """
    href = safe_href(link.href)
    if not href:
        return escape(link.text)
    outside = (
        "" if not href.lower().startswith(("http://", "https://")) else ' rel="nofollow noopener noreferrer"'
    )
    return f'<a href="{escape(href)}"{outside}>{escape(link.text)}</a>'


def evidence_html(outcome: Outcome) -> str:
    """Each part of the evidence as a section: sentences, the source's own words, the source, links."""
    return "".join(_evidence_section(item) for item in outcome.evidence)


def _evidence_section(item: Evidence) -> str:
    parts = [
        f'<section class="calc-evidence" data-evidence="{escape(item.key)}">',
        f"<h3>{escape(item.heading)}</h3>",
    ]
    parts += [f'<p dir="auto">{escape(sentence)}</p>' for sentence in item.sentences]
    if item.quote:
        parts.append(f'<blockquote class="calc-quote" dir="auto">{escape(item.quote)}</blockquote>')
    if item.source is not None:
        note = f" {escape(item.source_note)}" if item.source_note else ""
        parts.append(f'<p class="calc-source">Source: {link_html(item.source)}.{note}</p>')
    if item.links:
        parts.append(
            '<ul class="calc-links">'
            + "".join(f"<li>{link_html(link)}</li>" for link in item.links)
            + "</ul>"
        )
    parts.append("</section>")
    return "".join(parts)


def table_html(table: Table, unfold: bool = False) -> str:
    """The table in its scrolling wrapper; a folded one inside a closed <details> unless ``unfold``."""
    html = _table_html(table)
    if not table.folded or unfold:
        return html
    return (
        f'<details class="calc-fold" data-fold="{escape(table.key)}"><summary>{escape(table.caption)} '
        f"({len(table.rows)})</summary>{html}</details>"
    )


def _table_html(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in table.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="calc-url"><a href="{escape(cell)}" rel="nofollow noopener">{escape(cell)}</a></td>'
            if column == "Source" and cell.startswith(("http://", "https://"))
            else f"<td>{escape(cell)}</td>"
            for column, cell in zip(table.columns, row, strict=True)
        )
        + "</tr>"
        for row in table.rows
    )
    return (
        # A wrapper that scrolls sideways on a phone must be reachable by keyboard (tabindex, named region).
        f'<div class="calc-table-wrap" tabindex="0" role="region" aria-label="{escape(table.caption)}">'
        f'<table class="calc-table" data-table="{escape(table.key)}"><caption>{escape(table.caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def worksheet_fragment(outcome: Outcome, made_on: str, page_url: str = "") -> str:
    """The worksheet as an HTML fragment (the page prints it in place)."""
    where = f" at {escape(page_url)}" if page_url else ""
    parts = [
        f"<h1>{escape(outcome.title)}</h1>",
        f"<p>Made on {escape(made_on)} with the OpenCEU calculator{where}. Computed in the browser; nothing was sent.</p>",
        "<h2>Inputs</h2>",
        inputs_html(outcome),
    ]
    if outcome.errors:
        parts.append("<h2>Not computed</h2><ul>")
        parts += [f"<li>{escape(error.field)}: {escape(error.message)}</li>" for error in outcome.errors]
        parts.append("</ul>")
        return "\n".join(parts)
    parts += ["<h2>Steps</h2>", steps_html(outcome), "<h2>Result</h2>", figures_html(outcome)]
    if outcome.summary:
        parts.append(f"<p>{escape(outcome.summary)}</p>")
    if outcome.evidence:
        parts += ["<h2>Evidence</h2>", evidence_html(outcome)]
    parts += [table_html(table, unfold=True) for table in outcome.tables if table.rows]
    return "\n".join(parts)


def worksheet_document(outcome: Outcome, made_on: str, page_url: str = "") -> str:
    """A standalone HTML file of the worksheet (what "Download worksheet" saves)."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(outcome.title)}</title><style>{_STYLE}</style></head><body>\n"
        f"{worksheet_fragment(outcome, made_on, page_url)}\n</body></html>\n"
    )
