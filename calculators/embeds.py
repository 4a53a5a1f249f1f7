"""Engine calculations embedded in pages at build time (worked examples, tables).

A page writes a fenced block::

    ```openceu
    embed: minutes-table
    minutes: 30, 60, 269, 300
    ```

Header lines ``key: value`` come first; for a worked example the lines after the
first blank line are the agenda or activity list. The build replaces the block
with HTML computed by the same engine the calculators run, so the page shows the
rule, examples and tables without JavaScript. A block the engine cannot compute
is an :class:`EmbedError` naming the line inside the block; the build turns it into
a failed strict build naming the page and line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from calc.activities import ACTIVITY_KINDS
from calc.ceu import iacet_ceus
from calc.conversions import CreditSystem
from calc.errors import CreditInputError
from calc.numbers import parse_quantity, show
from calculators import ceu_page
from calculators.outcome import Outcome, Table
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
                show(result.ceus_unrounded),
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
    return table_html(ceu_page.conversion_table(result, systems))


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
    outcome = ceu_page.compute(values, systems)
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


RENDERERS: Mapping[str, Callable[[Block, Sequence[CreditSystem]], str]] = {
    "minutes-table": minutes_table,
    "conversion-table": conversion_table,
    "worked-example": worked_example,
    "activity-kinds": activity_kinds,
}
ALLOWED: Mapping[str, tuple[str, ...]] = {
    "minutes-table": ("minutes", "caption"),
    "conversion-table": ("minutes",),
    "worked-example": ("mode", "minutes", "excluded"),
    "activity-kinds": (),
}
