"""Engine calculations embedded in pages at build time (worked examples, tables).

A page writes a fenced block::

    ```openceu
    embed: minutes-table
    minutes: 30, 60, 269, 300
    ```

Header lines ``key: value`` come first; for a worked example the lines after the
first blank line are the agenda or activity list (a ``plan-example`` or ``plan-form``
takes the CSV ``ceu plan`` reads, an ``eligibility-example`` the JSON ``ceu
eligibility`` reads). The build replaces the block with HTML computed by the same
engine the calculators run, so the page shows the rule, examples and tables
without JavaScript. A block the engine cannot compute
is an :class:`EmbedError` naming the line inside the block; the build turns it into
a failed strict build naming the page and line.

It runs only at build time (and in ``ceu directory validate``), so it lives on the build's side,
out of the calculators' zip that every calculator page downloads.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path

from calc.activities import ACTIVITY_KINDS
from calc.ceu import iacet_ceus
from calc.delivery import DEFAULT_COMPONENT, DELIVERY_MODES
from calc.eligibility import parse_eligibility_json
from calc.errors import CreditInputError, quoted
from calc.numbers import approximately, exact_text, parse_quantity, show, shown
from calc.plan import parse_plan_csv, plan_totals
from calc.policy import CreditSystem, figure_under, rule_words, source_words
from calc.requirement_table import tables_of
from calculator_pages import (
    accreditation_page,
    annual_report_page,
    cec_page,
    certificates_page,
    ceu_page,
    deadline_page,
    eligibility_page,
    plan_page,
    tracker_page,
)
from calculator_pages.forms import Form, Part, every_field
from calculator_pages.outcome import Outcome, Table
from calculator_pages.registry import CALCULATORS, Calculator
from calculator_pages.url_state import encode
from calculator_pages.worksheet import evidence_html, figures_html, steps_html, table_html
from site_build.calculator_forms import fields_html


class EmbedError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line} of the block: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Block:
    """A parsed block: header values with the line each came from, and the body text."""

    values: dict[str, str]
    lines: dict[str, int]
    body: str
    body_line: int


def parse_block(text: str) -> Block:
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    rows = text.split("\n")
    for number, raw in enumerate(rows, start=1):
        if not raw.strip():
            return Block(values, lines, "\n".join(rows[number:]).strip("\n"), number + 1)
        key, colon, value = raw.partition(":")
        if not colon or not key.strip():
            raise EmbedError(number, f"expected 'key: value', got {quoted(raw.strip())}")
        values[key.strip()] = value.strip()
        lines[key.strip()] = number
    return Block(values, lines, "", len(rows) + 1)


def render(
    text: str,
    systems: Sequence[CreditSystem],
    page: str = "index.md",
    registry: Mapping[str, Calculator] = CALCULATORS,
) -> str:
    """The HTML for one block's text (between the fences) on the page at ``page`` (a docs path).

    A block with ``link: calculator`` is followed by a Markdown link that opens the same
    example in its calculator, prefilled through the page's URL state; it is Markdown so that
    the build checks the target exists and writes the published address of it. A calculator's
    form fields and the header lines of its examples are those ``registry`` declares.
    """
    block = parse_block(text)
    kind = block.values.get("embed", "")
    if kind == FIELDS_EMBED:
        return one_line(calculator_fields(block, registry, systems))
    renderer = RENDERERS.get(kind)
    if renderer is None:
        known = ", ".join((*RENDERERS, FIELDS_EMBED))
        raise EmbedError(block.lines.get("embed", 1), f"unknown embed {quoted(kind)}; use one of: {known}")
    allowed = (*allowed_keys(kind, registry), *(("link",) if kind in LINKS else ()))
    unknown = set(block.values) - {"embed", *allowed}
    if unknown:
        key = min(unknown, key=lambda k: block.lines[k])
        raise EmbedError(block.lines[key], _takes_no(kind, key, allowed))
    html = one_line(f'<div class="calc-embed" data-embed="{escape(kind)}">{renderer(block, systems)}</div>')
    link = block.values.get("link")
    if link is None:
        return html
    if link != "calculator":
        raise EmbedError(block.lines["link"], f"link takes one value, calculator (got {quoted(link)})")
    name, values, rows = LINKS[kind](block)
    return html + "\n\n" + open_link(name, encode(values, rows), page, registry) + "\n"


#: The embed that writes a calculator's form fields (``calculator: <name>``), bare: the form's
#: own markup, with no embed box around it.
FIELDS_EMBED = "calculator-fields"


def calculator_fields(
    block: Block, registry: Mapping[str, Calculator], systems: Sequence[CreditSystem] = ()
) -> str:
    """The fields ``registry`` declares for the block's calculator, as its form's markup; the
    parts it builds from the engine or the data (the rule list, from ``systems``) are the embed
    of that name, in its own box as on any page. A calculator whose page has several forms
    declares each (forms.Form), and the block names the one it is in (``form: <id>``)."""
    unknown = set(block.values) - {"embed", "calculator", "form"}
    if unknown:
        key = min(unknown, key=lambda k: block.lines[k])
        raise EmbedError(block.lines[key], _takes_no(FIELDS_EMBED, key, ("calculator", "form")))
    name = block.values.get("calculator", "")
    line = block.lines.get("calculator", 1)
    if name not in registry:
        raise EmbedError(
            line, f"calculator: no calculator is called {quoted(name)} (there are: {', '.join(registry)})"
        )
    if not registry[name].fields:
        raise EmbedError(line, f"calculator: {name} declares no fields for the build to write")

    def embedded(kind: str) -> str:
        if kind not in RENDERERS:
            raise EmbedError(line, f"calculator: {name} declares an unknown embed {quoted(kind)}")
        written = RENDERERS[kind](parse_block(f"embed: {kind}"), systems)
        return f'<div class="calc-embed" data-embed="{escape(kind)}">{written}</div>'

    return fields_html(name, _form_parts(block, name, registry[name].fields), embedded)


def _form_parts(block: Block, name: str, parts: tuple[Part, ...]) -> tuple[Part, ...]:
    """The parts of the form the block is in: ``form: <id>`` names one of the calculator's forms
    when it declares several, and is refused when it declares one."""
    forms = {part.id: part for part in parts if isinstance(part, Form)}
    chosen = block.values.get("form")
    if not forms:
        if chosen is not None:
            raise EmbedError(block.lines["form"], f"form: {name} has one form; leave out form")
        return parts
    if chosen not in forms:
        raise EmbedError(
            block.lines.get("form", block.lines.get("calculator", 1)),
            f"form: {name} has several forms; name one of: {', '.join(forms)} (got {quoted(chosen or '')})",
        )
    return forms[chosen].parts


#: Example embeds whose header lines are the fields of a calculator's form, by that calculator.
HEADER_FIELDS = {"deadlines-example": deadline_page.NAME, "accreditation-example": accreditation_page.NAME}


def allowed_keys(kind: str, registry: Mapping[str, Calculator] = CALCULATORS) -> tuple[str, ...]:
    """The header lines an embed takes: for a planner's example, its form's fields."""
    if kind in HEADER_FIELDS:
        return tuple(field.name for field in every_field(registry[HEADER_FIELDS[kind]].fields))
    return ALLOWED[kind]


def one_line(html: str) -> str:
    """``html`` on one line: each line break (only ever in text or an attribute's value, from the
    data or the block) written as ``&#10;``, which a browser reads as the same line break.

    The block's HTML goes into the page's Markdown, and Python-Markdown's preprocessors read
    every line of it before the HTML is set aside: a value holding a line that starts with
    three backticks would otherwise become a code block inside the embed.
    """
    return html.replace("\n", "&#10;")


OPEN_TEXT = "Open this example in the calculator"


def open_link(name: str, query: str, page: str, registry: Mapping[str, Calculator] = CALCULATORS) -> str:
    """A Markdown link from ``page`` to calculator ``name`` (on its page in ``registry``) with
    ``query`` as its URL state (:func:`calculator_pages.url_state.encode`, as the calculator
    itself writes it)."""
    target = posixpath.relpath(registry[name].page, posixpath.dirname(page) or ".")
    return f'[{OPEN_TEXT}]({target}?{query}){{: .calc-open data-calculator="{name}" }}'


def _takes_no(kind: str, key: str, allowed: Sequence[str]) -> str:
    return f"{kind} takes no {quoted(key)} (it takes: {', '.join(allowed) or 'nothing'})"


def _minutes_list(block: Block, key: str = "minutes") -> list[str]:
    raw = block.values.get(key, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise EmbedError(block.lines.get(key, 1), f"give {key} as a comma-separated list, e.g. 30, 60, 300")
    for item in items:
        try:
            parse_quantity(item, key)
        except CreditInputError as error:
            raise EmbedError(block.lines[key], f"{quoted(item)}: {error.message}") from None
    return items


def minutes_table(block: Block, systems: Sequence[CreditSystem]) -> str:
    rows = []
    for minutes in _minutes_list(block):
        try:
            result = iacet_ceus(minutes)
        except CreditInputError as error:
            raise EmbedError(block.lines["minutes"], f"{quoted(minutes)}: {error.message}") from None
        rows.append(
            (
                show(result.contact_minutes),
                show(result.contact_hours),
                shown(result.ceus_unrounded),
                str(result.ceus) if result.ceus else "no IACET CEU",
            )
        )
    caption = block.values.get(
        "caption", "Contact minutes to IACET CEUs (computed by the engine at build time)"
    )
    table = Table(
        "minutes-table",
        caption,
        ("Contact minutes", "Contact hours", "CEUs before rounding", "IACET CEUs"),
        tuple(rows),
    )
    return table_html(table)


def conversion_table(block: Block, systems: Sequence[CreditSystem]) -> str:
    minutes = _minutes_list(block)
    if len(minutes) != 1:
        raise EmbedError(block.lines["minutes"], "a conversion table takes one number of minutes")
    result = iacet_ceus(minutes[0])
    return table_html(ceu_page.compare_table(result, systems, folded=False))


def rule_choice(block: Block, systems: Sequence[CreditSystem]) -> str:
    """The calculator's "whose rule?" select: every rule with a rate, bodies' rules first."""
    groups = []
    for kind, label in (("body-rule", "Bodies' own rules"), ("convention", "Conventions (no body's rule)")):
        options = "".join(
            f'<option value="{escape(system.id)}"'
            + (" selected" if system.id == ceu_page.DEFAULT_RULE else "")
            + f">{escape(system.name)}: {escape(system.unit)}</option>"
            for system in sorted(systems, key=lambda system: system.name.casefold())
            if system.kind == kind and system.minutes_per_unit is not None
        )
        if options:
            groups.append(f'<optgroup label="{escape(label)}">{options}</optgroup>')
    return (
        '<div class="calc-field calc-field--wide"><label for="ceu-rule">Whose rule?</label>'
        '<select id="ceu-rule" name="rule" aria-describedby="ceu-rule-hint ceu-error-rule">'
        + "".join(groups)
        + '</select><p id="ceu-rule-hint" class="calc-hint">The body whose unit you need, or a named '
        "convention your institution follows. The result names the rule and links its source.</p>"
        '<p class="calc-error" id="ceu-error-rule" hidden></p></div>'
        + _multiplier_field(systems)
        + _days_field(systems)
    )


def certificate_rule(block: Block, systems: Sequence[CreditSystem]) -> str:
    """The certificates page's credit rule (issue 33): every rule with a rate, IACET's CEU first."""
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if index == 0 else ""}>{escape(text)}</option>'
        for index, (value, text) in enumerate(certificates_page.rule_options(systems))
    )
    return (
        '<div class="calc-field calc-field--wide"><label for="certificates-rule">Credit rule</label>'
        '<select id="certificates-rule" name="rule" aria-describedby="certificates-rule-hint '
        f'certificates-error-rule">{options}</select><p id="certificates-rule-hint" class="calc-hint">'
        "The unit and rule the CEUs are counted under; each certificate names the rule and links its "
        'source.</p><p class="calc-error" id="certificates-error-rule" hidden></p></div>'
    )


def _multiplier_field(systems: Sequence[CreditSystem]) -> str:
    """A checkbox for rules whose unit is multiplied under a condition (only if some rule has one).

    It shows only while such a rule is chosen, with that rule's condition alone
    (``data-when="rule=<id> <id>"``: calculator.js shows a part while the field has one of the values).
    """
    conditions = [s for s in systems if s.multiplier is not None]
    if not conditions:
        return ""

    def hidden(*ids: str) -> str:
        return "" if ceu_page.DEFAULT_RULE in ids else " hidden"

    items = "".join(
        f'<li data-when="rule={escape(s.id)}"{hidden(s.id)}>{escape(s.name)}: '
        f"x{escape(show(s.multiplier or Decimal(0)))} when {escape(s.multiplier_condition)}</li>"
        for s in conditions
    )
    ids = tuple(s.id for s in conditions)
    return (
        f'<div class="calc-field calc-field--wide" data-when="rule={escape(" ".join(ids))}"{hidden(*ids)}>'
        '<label for="ceu-condition">'
        '<input id="ceu-condition" name="condition" type="checkbox" value="yes" aria-describedby="ceu-condition-hint"> '
        "The chosen rule's multiplier applies: its condition is met</label>"
        f'<ul id="ceu-condition-hint" class="calc-hint">{items}</ul></div>'
    )


def _days_field(systems: Sequence[CreditSystem]) -> str:
    """The number of days, for rules with a daily cap (only if some rule has one)."""
    if not any(s.daily_cap is not None for s in systems):
        return ""
    return (
        '<div class="calc-field"><label for="ceu-days">Days the event ran (for a rule with a daily cap)</label>'
        '<input id="ceu-days" name="days" type="text" inputmode="numeric" aria-describedby="ceu-error-days">'
        '<p class="calc-error" id="ceu-error-days" hidden></p></div>'
    )


def policy_examples(block: Block, systems: Sequence[CreditSystem]) -> str:
    """Every rule in words with its source's own worked example, recomputed by the engine.

    One short section per rule (a table of six long columns is unreadable); bodies' rules
    first, then conventions, each alphabetical. ``#rule-<id>`` links to a rule.
    """
    sections = []
    for system in sorted(systems, key=lambda system: (system.kind != "body-rule", system.name.casefold())):
        kind = " (a convention, not a body's rule)" if system.kind == "convention" else ""
        if system.example_minutes is not None and system.example_units is not None:
            figure = figure_under(system, system.example_minutes)
            example = (
                f"<p>The source's worked example: {escape(show(system.example_minutes))} minutes = "
                f"{escape(show(system.example_units))} {escape(system.unit)}. The engine gives "
                f'<strong data-engine="{escape(system.id)}">{escape(figure.shown)}</strong>.</p>'
            )
        else:
            example = "<p>The source gives no worked example.</p>"
        sections.append(
            f'<section class="policy-rule" id="rule-{escape(system.id)}">'
            f"<h3>{escape(system.name)}{escape(kind)}</h3>"
            f"<p>{escape(rule_words(system))}</p>{example}"
            f'<p>Source ({escape(source_words(system))}): <a href="{escape(system.source_url)}" '
            f'rel="nofollow noopener">{escape(system.source_url)}</a></p></section>'
        )
    return f'<div class="policy-rules" data-rules="{len(sections)}">' + "".join(sections) + "</div>"


def _worked_values(block: Block) -> dict[str, str]:
    """The CEU calculator's form values for a worked example (its URL state, too)."""
    mode = block.values.get("mode", "agenda")
    if mode == "minutes":
        values = {
            "mode": mode,
            "minutes": block.values.get("minutes", ""),
            "excluded": block.values.get("excluded", ""),
        }
    elif mode in ("agenda", "activities"):
        if not block.body.strip():
            raise EmbedError(block.body_line, f"put the {mode} after a blank line")
        values = {"mode": mode, mode: block.body}
    else:
        raise EmbedError(
            block.lines.get("mode", 1), f"mode {quoted(mode)} is not one of: minutes, agenda, activities"
        )
    if block.values.get("rule"):
        values["rule"] = block.values["rule"]
    return values


def worked_example(block: Block, systems: Sequence[CreditSystem]) -> str:
    """A CEU worked example; IACET's rule alone unless the block names another ``rule``."""
    values = _worked_values(block)
    outcome = ceu_page.compute(values, systems if "rule" in values else ())
    if not outcome.ok:
        error = outcome.errors[0]
        line = (
            block.body_line - 1 + _line_in(error.message)
            if values["mode"] != "minutes"
            else block.lines.get(error.field, 1)
        )
        if error.field == "rule":
            line = block.lines["rule"]
        raise EmbedError(line, error.message)
    return _outcome_html(outcome)


def _line_in(message: str) -> int:
    """The body line an engine message names ('line 3: ...'), 1 when it names none."""
    head = message.split(":", 1)[0]
    return int(head[5:]) if head.startswith("line ") and head[5:].isdigit() else 1


def _outcome_html(outcome: Outcome) -> str:
    excluded = [table for table in outcome.tables if table.key == "excluded" and table.rows]
    return (
        steps_html(outcome)
        + figures_html(outcome)
        + "".join(table_html(table) for table in excluded)
        + (f'<p class="calc-summary">{escape(outcome.summary)}</p>' if outcome.summary else "")
    )


def activity_kinds(block: Block, systems: Sequence[CreditSystem]) -> str:
    """The activity kinds the engine knows, split by whether they count."""
    counts = [kind for kind, (counted, _) in ACTIVITY_KINDS.items() if counted]
    excluded = [kind for kind, (counted, _) in ACTIVITY_KINDS.items() if not counted]
    return (
        f"<p>Kinds that count: {escape(', '.join(counts))}. "
        f"Kinds that do not: {escape(', '.join(excluded))}. Minutes per line; the title is optional.</p>"
    )


def _full_html(outcome: Outcome) -> str:
    """Steps, figures, every table and the summary: a worked example without JavaScript."""
    return (
        steps_html(outcome)
        + figures_html(outcome)
        + "".join(table_html(table) for table in outcome.tables if table.rows)
        + (f'<p class="calc-summary">{escape(outcome.summary)}</p>' if outcome.summary else "")
    )


# ---- the recertification tracker's worked example (issue 32)
#: The requirements the tracker's example counts under: the published table, whatever data a
#: test build is given (its tables may hold only synthetic rows).
PUBLISHED_DATA = Path(__file__).resolve().parents[1] / "directory_data"


def tracker_example(block: Block, systems: Sequence[CreditSystem]) -> str:
    """A tracker file (the body) counted as the page and ``ceu tracker`` count it, as of ``as_of``:
    each credential's figures, its state in words with its requirement's source, every activity's use."""
    if not block.values.get("as_of"):
        raise EmbedError(block.lines.get("embed", 1), "give as_of: the day the example is seen from")
    tables = tables_of(
        systems,
        (PUBLISHED_DATA / "vocabularies.csv").read_text(encoding="utf-8"),
        (PUBLISHED_DATA / "requirements.csv").read_text(encoding="utf-8"),
    )
    loaded = tracker_page.load_text(block.body, tables)
    if loaded.error:
        raise EmbedError(block.body_line, loaded.error)
    outcome = tracker_page.compute(loaded.state, block.values["as_of"], date(1, 1, 1), tables)
    if not outcome.ok:
        raise EmbedError(block.body_line, outcome.errors[0].message)
    return (
        figures_html(outcome)
        + evidence_html(outcome)
        + "".join(table_html(table) for table in outcome.tables if table.rows)
        + f'<p class="calc-summary">{escape(outcome.summary)}</p>'
    )


def _plan_csv(block: Block) -> str:
    """The block's body: a plan CSV exactly as ``ceu plan FILE.csv`` reads it (checked by the engine)."""
    if not block.body.strip():
        raise EmbedError(
            block.body_line, "put the plan CSV (activity,delivery,amount,unit,per,count) after a blank line"
        )
    try:
        parse_plan_csv(block.body)
    except CreditInputError as error:
        raise EmbedError(block.body_line - 1 + (error.line or 1), error.message) from None
    return block.body


def plan_example(block: Block, systems: Sequence[CreditSystem]) -> str:
    """A course plan computed as ``ceu plan FILE.csv [--component MODE ...]`` computes it."""
    # Number rows 1, 2, ... as the form does (the CSV's own line numbers count its header).
    rows = tuple(
        replace(row, line=number) for number, row in enumerate(parse_plan_csv(_plan_csv(block)), start=1)
    )
    raw = block.values.get("component", "")
    component = tuple(item.strip() for item in raw.split(",") if item.strip()) or tuple(DEFAULT_COMPONENT)
    try:
        result = plan_totals(rows, component=component)
    except CreditInputError as error:
        raise EmbedError(block.lines.get("component", 1), error.message) from None
    return _full_html(plan_page.outcome_of(result))


def plan_form(block: Block, systems: Sequence[CreditSystem]) -> str:
    """The course-plan form's rows, filled in from the body's CSV, with the template for new rows."""
    return plan_page.form_html(plan_page.rows_from_csv(_plan_csv(block)))


def eligibility_example(block: Block, systems: Sequence[CreditSystem]) -> str:
    """A checklist judged as ``ceu eligibility FILE.json`` judges it (the body is that JSON)."""
    if not block.body.strip():
        raise EmbedError(block.body_line, "put the checklist JSON after a blank line")
    try:
        result = parse_eligibility_json(block.body)
    except CreditInputError as error:
        found = re.search(r"\(line (\d+)\)", error.message)
        raise EmbedError(block.body_line - 1 + (int(found.group(1)) if found else 1), error.message) from None
    return _full_html(eligibility_page.outcome_of(result))


def eligibility_questions(block: Block, systems: Sequence[CreditSystem]) -> str:
    """The checklist's questions in the engine's wording, with its program types."""
    return eligibility_page.questions_html()


def deadlines_example(block: Block, systems: Sequence[CreditSystem]) -> str:
    """A program's deadlines as the planner computes them (the header gives its form fields)."""
    return _planner_example(block, deadline_page.compute)


def accreditation_example(block: Block, systems: Sequence[CreditSystem]) -> str:
    """An accreditation cycle as the planner computes it (``as_of`` is required: a build is reproducible)."""
    if not block.values.get("as_of"):
        raise EmbedError(block.lines.get("embed", 1), "give as_of: the day the example is seen from")
    return _planner_example(block, accreditation_page.compute)


def cec_example(block: Block, systems: Sequence[CreditSystem]) -> str:
    """ACE CECs as the calculator computes them (the header gives its form fields)."""
    return _planner_example(block, cec_page.compute)


def annual_report_example(block: Block, systems: Sequence[CreditSystem]) -> str:
    """An attendance CSV (the body) counted as the helper and ``ceu annual-report`` count it."""
    if not block.values.get("as_of"):
        raise EmbedError(block.lines.get("embed", 1), "give as_of: the last day of the 12 months")
    data = (block.body + "\n").encode("utf-8")
    outcome = annual_report_page.report(
        iter([data]), "example.csv", len(data), block.values["as_of"], date(1, 1, 1)
    )
    if not outcome.ok:
        raise EmbedError(block.body_line, outcome.errors[0].message)
    return _full_html(outcome)


def _planner_example(block: Block, compute: Callable[[Mapping[str, str]], Outcome]) -> str:
    """The header's ``field: value`` lines are the form's values; a value the page refuses fails the build."""
    outcome = compute({key: value for key, value in block.values.items() if key != "embed"})
    if not outcome.ok:
        error = outcome.errors[0]
        raise EmbedError(block.lines.get(error.field, 1), f"{error.field}: {error.message}")
    return _full_html(outcome)


#: The CEC calculator's fields that make its figure (the course number only checks a number).
CEC_AMOUNTS = (*cec_page.AMOUNT_FIELDS, "grade", *cec_page.SAFETY_FIELDS)
RENDERERS: Mapping[str, Callable[[Block, Sequence[CreditSystem]], str]] = {
    "minutes-table": minutes_table,
    "conversion-table": conversion_table,
    "rule-choice": rule_choice,
    "certificate-rule": certificate_rule,
    "policy-examples": policy_examples,
    "worked-example": worked_example,
    "activity-kinds": activity_kinds,
    "plan-example": plan_example,
    "plan-form": plan_form,
    "eligibility-example": eligibility_example,
    "eligibility-questions": eligibility_questions,
    "deadlines-example": deadlines_example,
    "accreditation-example": accreditation_example,
    "cec-example": cec_example,
    "annual-report-example": annual_report_example,
    "tracker-example": tracker_example,
}
ALLOWED: Mapping[str, tuple[str, ...]] = {
    "minutes-table": ("minutes", "caption"),
    "conversion-table": ("minutes",),
    "rule-choice": (),
    "certificate-rule": (),
    "policy-examples": (),
    "worked-example": ("mode", "minutes", "excluded", "rule"),
    "activity-kinds": (),
    "plan-example": ("component",),
    "plan-form": (),
    "eligibility-example": (),
    "eligibility-questions": (),
    "cec-example": (*CEC_AMOUNTS, cec_page.COURSE_FIELD),
    "annual-report-example": ("as_of",),
    "tracker-example": ("as_of",),
}


#: What a linked example opens: the calculator's name, its form's values and its rows (None: a
#: form without a row list), encoded by :func:`calculator_pages.url_state.encode` as the page encodes them.
Opened = tuple[str, dict[str, str], list[dict[str, str]] | None]


def _plan_opened(block: Block) -> Opened:
    rows = plan_page.rows_from_csv(_plan_csv(block))
    values = {}
    raw = block.values.get("component", "")
    if raw:
        chosen = {item.strip() for item in raw.split(",")}
        values = {plan_page.component_field(mode): "yes" if mode in chosen else "" for mode in DELIVERY_MODES}
    return plan_page.NAME, values, [{column: row[column] for column in plan_page.COLUMNS} for row in rows]


def _eligibility_opened(block: Block) -> Opened:
    """The checklist JSON as the form's answers (``yes``, ``no``, ``not-yet``)."""
    data = json.loads(block.body)
    answer = {True: "yes", False: "no", None: "not-yet"}
    values = {eligibility_page.TYPE_FIELD: str(data.get("program_type") or "")}
    values.update({key: answer[value] for key, value in data.get("criteria", {}).items()})
    return eligibility_page.NAME, values, None


def _header_opened(name: str) -> Callable[[Block], Opened]:
    """A planner's header lines are its form's values: they go into the URL as they are."""
    return lambda block: (name, {k: v for k, v in block.values.items() if k not in ("embed", "link")}, None)


#: How each example embed opens in its calculator (``link: calculator``): the calculator's name
#: and the form's values and rows that give the same figures.
LINKS: Mapping[str, Callable[[Block], Opened]] = {
    "worked-example": lambda block: ("ceu", dict(_worked_values(block)), None),
    "plan-example": _plan_opened,
    "eligibility-example": _eligibility_opened,
    "deadlines-example": _header_opened(deadline_page.NAME),
    "accreditation-example": _header_opened(accreditation_page.NAME),
    "cec-example": _header_opened(cec_page.NAME),
}


#: ``{{openceu KIND key=value ...}}`` inside a sentence: one figure, computed at build time.
INLINE = re.compile(r"\{\{openceu(?P<text>[^{}\n]*)\}\}")
#: A fenced block (``BLOCK``'s body group) or an inline figure, whichever comes first: a page
#: is read once, so what an embed writes (which holds data) is never read again as an embed.
BLOCK = re.compile(r"^```openceu[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_EMBED = re.compile(f"(?P<block>{BLOCK.pattern})|{INLINE.pattern}", re.MULTILINE | re.DOTALL)


def expand(markdown: str, systems: Sequence[CreditSystem], page: str = "index.md") -> str:
    """``markdown`` (a page's text without its front matter) with every block and inline
    figure replaced by what the engine computes.

    One pass over the author's text: a figure's output is never read again, so text in the
    data (a unit of ``{{openceu ...}}``, say) stays text and cannot make the build compute or
    fail. An :class:`EmbedError` carries the line of ``markdown`` it comes from.
    """
    return _EMBED.sub(lambda match: _computed(match, markdown, systems, page), markdown)


def failures(
    markdown: str, systems: Sequence[CreditSystem], page: str = "index.md"
) -> Iterator[tuple[EmbedError, str]]:
    """Each embed of ``markdown`` that :func:`expand` would stop at, with the id of the rule it
    names ("" for none): what the data must let every page compute (the validator asks)."""
    for match in _EMBED.finditer(markdown):
        try:
            _computed(match, markdown, systems, page)
        except EmbedError as error:
            yield error, _named_rule(match)


def _computed(match: re.Match[str], markdown: str, systems: Sequence[CreditSystem], page: str) -> str:
    line = markdown.count("\n", 0, match.start()) + 1  # of the fence or the figure
    block = match.group("block") is not None
    try:
        return render(match.group("body"), systems, page) if block else inline(match.group("text"), systems)
    except EmbedError as error:
        # A block's error names a line of its body, which starts on the line after the fence.
        raise EmbedError(line + error.line if block else line, error.message) from error


def _named_rule(match: re.Match[str]) -> str:
    """The rule an embed computes under: its ``rule``, IACET's for a figure that names none."""
    if match.group("block") is not None:
        try:
            return parse_block(match.group("body")).values.get("rule", "")
        except EmbedError:
            return ""
    kind, *pairs = match.group("text").split() or [""]
    named = {key: value for key, _, value in (pair.partition("=") for pair in pairs)}
    return named.get("rule", ceu_page.DEFAULT_RULE if kind in ("ceus", "figure", "exact") else "")


def markdown_text(text: str) -> str:
    """``text`` as Markdown that reads back as exactly that text, whatever it holds.

    Every ASCII character other than a letter, a digit or a space is written as a numeric
    character reference (``[`` as ``&#91;``). Python-Markdown keeps a character reference as
    it is (it is set aside before any inline pattern runs, and no block syntax starts with
    ``&#``), and a browser reads it as the character: so a unit in the data such as
    ``[x](javascript:alert(1))``, ``![x](https://elsewhere.example/p.png)``, ``*x*``,
    ``{: onclick=x }``, ``| cell |``, ``# heading`` or ``<b>`` is shown, never made into a
    link, an image, emphasis, an attribute, a table, a heading or a tag, in a sentence, a
    heading (and so the page's title and navigation), a table cell or a list alike.
    Characters beyond ASCII have no meaning in Markdown and are kept.
    """
    return "".join(ch if not ch.isascii() or ch.isalnum() or ch == " " else f"&#{ord(ch)};" for ch in text)


def inline(text: str, systems: Sequence[CreditSystem]) -> str:
    """One inline figure (``text`` is what follows ``openceu``) as Markdown text (markdown_text).

    ``hours minutes=N`` contact hours; ``figure minutes=N [rule=ID]`` the reported figure and
    unit under a rule (IACET's by default); ``ceus ...`` the same figure's number alone (an
    event that earns nothing is an error: a sentence would then say "0"); ``exact ...`` the
    rule's exact figure; ``cecs hours=N ...`` ACE CECs (the CEC calculator's fields).
    """
    kind, *pairs = text.split() or [""]
    values: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key or not value:
            raise EmbedError(1, f"{kind}: expected key=value, got {quoted(pair)}")
        values[key] = value
    allowed = INLINE_KEYS.get(kind)
    if allowed is None:
        raise EmbedError(1, f"unknown inline figure {quoted(kind)}; use one of: {', '.join(INLINE_KEYS)}")
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise EmbedError(1, _takes_no(kind, unknown[0], allowed))
    if kind == "cecs":
        outcome = cec_page.compute(values)
        if not outcome.ok:
            raise EmbedError(1, f"{outcome.errors[0].field}: {outcome.errors[0].message}")
        return markdown_text(next(figure.value for figure in outcome.figures if figure.key == "cecs"))
    if "minutes" not in values:
        raise EmbedError(1, f"{kind} needs minutes=N")
    try:
        result = iacet_ceus(values["minutes"])
    except CreditInputError as error:
        raise EmbedError(1, f"minutes={quoted(values['minutes'])}: {error.message}") from None
    if kind == "hours":
        return markdown_text(show(result.contact_hours))
    try:
        rule = ceu_page.chosen_rule(values.get("rule", ""), systems)
    except CreditInputError as error:
        raise EmbedError(1, f"rule: {error.message}") from None
    if rule is None:
        raise EmbedError(1, "no credit systems to take the rule from")
    figure = figure_under(rule, result.contact_minutes)
    if kind == "ceus":
        if figure.reported is None or not figure.earns:
            raise EmbedError(1, f"{show(result.contact_minutes)} minutes: {figure.shown}; say so with figure")
        return markdown_text(exact_text(figure.reported))
    if kind == "exact":
        if figure.exact is None:
            raise EmbedError(1, f"{rule.id} has no exact figure: {figure.shown}")
        return markdown_text(approximately(figure.exact))
    return markdown_text(figure.shown)


INLINE_KEYS: Mapping[str, tuple[str, ...]] = {
    "ceus": ("minutes", "rule"),
    "hours": ("minutes",),
    "figure": ("minutes", "rule"),
    "exact": ("minutes", "rule"),
    "cecs": CEC_AMOUNTS,
}
