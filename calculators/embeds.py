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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from html import escape

from calc.activities import ACTIVITY_KINDS
from calc.ceu import iacet_ceus
from calc.delivery import DEFAULT_COMPONENT
from calc.eligibility import parse_eligibility_json
from calc.errors import CreditInputError
from calc.numbers import parse_quantity, show
from calc.plan import parse_plan_csv, plan_totals
from calc.policy import CreditSystem, figure_under, rule_words, source_words
from calculators import (
    accreditation_page,
    annual_report_page,
    cec_page,
    ceu_page,
    deadline_page,
    eligibility_page,
    plan_page,
)
from calculators.outcome import Outcome, Table, shown
from calculators.worksheet import figures_html, steps_html, table_html


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
            raise EmbedError(number, f"expected 'key: value', got {raw.strip()[:60]!r}")
        values[key.strip()] = value.strip()
        lines[key.strip()] = number
    return Block(values, lines, "", len(rows) + 1)


def render(text: str, systems: Sequence[CreditSystem]) -> str:
    """The HTML for one block's text (between the fences)."""
    block = parse_block(text)
    kind = block.values.get("embed", "")
    renderer = RENDERERS.get(kind)
    if renderer is None:
        raise EmbedError(
            block.lines.get("embed", 1), f"unknown embed {kind!r}; use one of: {', '.join(RENDERERS)}"
        )
    unknown = set(block.values) - {"embed", *ALLOWED[kind]}
    if unknown:
        key = min(unknown, key=lambda k: block.lines[k])
        raise EmbedError(
            block.lines[key], f"{kind} takes no {key!r} (it takes: {', '.join(ALLOWED[kind]) or 'nothing'})"
        )
    return f'<div class="calc-embed" data-embed="{escape(kind)}">{renderer(block, systems)}</div>'


def _minutes_list(block: Block, key: str = "minutes") -> list[str]:
    raw = block.values.get(key, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise EmbedError(block.lines.get(key, 1), f"give {key} as a comma-separated list, e.g. 30, 60, 300")
    for item in items:
        try:
            parse_quantity(item, key)
        except CreditInputError as error:
            raise EmbedError(block.lines[key], f"{item!r}: {error.message}") from None
    return items


def minutes_table(block: Block, systems: Sequence[CreditSystem]) -> str:
    rows = []
    for minutes in _minutes_list(block):
        try:
            result = iacet_ceus(minutes)
        except CreditInputError as error:
            raise EmbedError(block.lines["minutes"], f"{minutes!r}: {error.message}") from None
        rows.append(
            (
                show(result.contact_minutes),
                show(result.contact_hours),
                shown(show(result.ceus_unrounded)),
                str(result.ceus),
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


def _multiplier_field(systems: Sequence[CreditSystem]) -> str:
    """A checkbox for rules whose unit is multiplied under a condition (only if some rule has one)."""
    conditions = [s for s in systems if s.multiplier is not None]
    if not conditions:
        return ""
    items = "".join(
        f"<li>{escape(s.name)}: x{escape(show(s.multiplier or Decimal(0)))} when {escape(s.multiplier_condition)}</li>"
        for s in conditions
    )
    return (
        '<div class="calc-field calc-field--wide"><label for="ceu-condition">'
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


def worked_example(block: Block, systems: Sequence[CreditSystem]) -> str:
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
            block.lines.get("mode", 1), f"mode {mode!r} is not one of: minutes, agenda, activities"
        )
    # IACET's own worked example: no other body's rule (the page's own calculator offers those).
    outcome = ceu_page.compute(values, ())
    if not outcome.ok:
        error = outcome.errors[0]
        line = (
            block.body_line - 1 + _line_in(error.message)
            if mode != "minutes"
            else block.lines.get(error.field, 1)
        )
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


RENDERERS: Mapping[str, Callable[[Block, Sequence[CreditSystem]], str]] = {
    "minutes-table": minutes_table,
    "conversion-table": conversion_table,
    "rule-choice": rule_choice,
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
}
ALLOWED: Mapping[str, tuple[str, ...]] = {
    "minutes-table": ("minutes", "caption"),
    "conversion-table": ("minutes",),
    "rule-choice": (),
    "policy-examples": (),
    "worked-example": ("mode", "minutes", "excluded"),
    "activity-kinds": (),
    "plan-example": ("component",),
    "plan-form": (),
    "eligibility-example": (),
    "eligibility-questions": (),
    "deadlines-example": (*deadline_page.DATE_FIELDS, *deadline_page.LIST_FIELDS, deadline_page.TITLE_FIELD),
    "accreditation-example": tuple(accreditation_page.FIELDS),
    "cec-example": (*cec_page.AMOUNT_FIELDS, "grade", *cec_page.SAFETY_FIELDS, cec_page.COURSE_FIELD),
    "annual-report-example": ("as_of",),
}
