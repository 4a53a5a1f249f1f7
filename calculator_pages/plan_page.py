"""The course-plan page: activity rows (time per week or per instance) in; contact hours,
CEUs and the 51% delivery check out.

Every figure comes from the engine (:mod:`calc.plan`, :mod:`calc.delivery`,
:mod:`calc.ceu`); this module turns the form's rows into engine rows, puts each
engine message beside the row's field it is about (``row-<n>-<column>``), and lays
the result out as an :class:`Outcome`. It also writes the form's rows as HTML
(escaped) so the build can render the seed's example plan into the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape

from calc.ceu import MINUTES_PER_CONTACT_HOUR
from calc.delivery import DEFAULT_COMPONENT, DEFAULT_THRESHOLD, DELIVERY_MODES
from calc.errors import CreditInputError
from calc.numbers import show
from calc.plan import PER, UNITS, PlanResult, PlanRow, plan_row, plan_totals
from calculator_pages import ceu_page
from calculator_pages.outcome import FieldError, Figure, Outcome, Step, Table, failed

TITLE = "Course plan: contact hours, CEUs and the 51% delivery check"
NAME = "plan"
#: A row's inputs, named as the engine's CSV columns (``ceu plan FILE.csv``).
COLUMNS = ("activity", "delivery", "amount", "unit", "per", "count")
#: A row whose typed fields are all blank is not part of the plan (as in the CSV).
TYPED = ("activity", "amount", "count")
SEED = ceu_page.SEED
FORM_SOURCE = SEED[:-1] + ', its course form "Average Time Per Instance or Week")'
DELIVERY_SOURCE = (
    SEED[:-1] + "; the seed does not say which part must reach 51%: this page checks the modes you tick)"
)
#: A new row's choices before the visitor picks.
BLANK_ROW = {
    "activity": "",
    "delivery": "instruction",
    "amount": "",
    "unit": "hours",
    "per": "week",
    "count": "",
}


def component_field(mode: str) -> str:
    """The checkbox that puts ``mode`` into the part that must reach the threshold."""
    return f"component-{mode}"


def chosen_component(values: Mapping[str, str]) -> tuple[str, ...]:
    """The ticked delivery modes; the engine's default when the form sends none of them."""
    if not any(component_field(mode) in values for mode in DELIVERY_MODES):
        return tuple(mode for mode in DELIVERY_MODES if mode in DEFAULT_COMPONENT)
    return tuple(mode for mode in DELIVERY_MODES if values.get(component_field(mode), "") == "yes")


def percent(share: Decimal) -> str:
    """A share as the CLI prints it: percent to the tenth, trailing zeros dropped."""
    return show((share * 100).quantize(Decimal("0.1")))


def hours(value: Decimal) -> str:
    """Contact hours as the CLI prints them (to the hundredth)."""
    return show(value.quantize(Decimal("0.01")))


def _row_text(row: Mapping[str, str]) -> str:
    get = row.get
    return (
        f"{get('activity', '').strip()}: {get('delivery', '')}, {get('amount', '').strip()} "
        f"{get('unit', '')} per {get('per', '')} x {get('count', '').strip()}"
    )


def inputs_of(values: Mapping[str, str], rows: Sequence[Mapping[str, str]]) -> tuple[tuple[str, str], ...]:
    shown = [(f"Row {number}", _row_text(row)) for number, row in enumerate(rows, start=1) if _typed(row)]
    needed = show(DEFAULT_THRESHOLD * 100)
    shown.append((f"Must reach {needed}%", " + ".join(chosen_component(values)) or "nothing chosen"))
    return tuple(shown)


def _typed(row: Mapping[str, str]) -> bool:
    return any(row.get(column, "").strip() for column in TYPED)


def row_field(number: int, message: str) -> str:
    """The input an engine row message is about: ``row 2: count ...`` -> ``row-2-count``."""
    head = message.split(": ", 1)[1] if message.startswith("row ") and ": " in message else message
    word = head.split(" ", 1)[0]
    # Every row message names its column ("row 2: amount ..."); anything else is about the time.
    return f"row-{number}-{word if word in COLUMNS else 'amount'}"


def compute(values: Mapping[str, str], rows: Sequence[Mapping[str, str]]) -> Outcome:
    """The page's result for the form's values and rows (row numbers are the form's)."""
    inputs = inputs_of(values, rows)
    component = chosen_component(values)
    if not component:
        return failed(
            TITLE,
            inputs,
            "component",
            f"tick at least one delivery mode that must reach {show(DEFAULT_THRESHOLD * 100)}%",
        )
    plan: list[PlanRow] = []
    errors: list[FieldError] = []
    for number, row in enumerate(rows, start=1):
        if not _typed(row):
            continue
        try:
            plan.append(plan_row(**{column: row.get(column, "") for column in COLUMNS}, line=number))
        except CreditInputError as error:
            errors.append(FieldError(row_field(number, error.message), error.message))
    if errors:
        return Outcome(TITLE, inputs, summary="; ".join(e.message for e in errors), errors=tuple(errors))
    if not plan:
        return failed(TITLE, inputs, "rows", "add at least one activity with its time and count")
    try:
        result = plan_totals(plan, component=component)
    except CreditInputError as error:
        return failed(TITLE, inputs, "component" if error.field == "delivery" else "rows", error.message)
    return outcome_of(result, inputs)


def outcome_of(result: PlanResult, inputs: tuple[tuple[str, str], ...] = ()) -> Outcome:
    """The engine's plan result laid out for the page, the worksheet and the build."""
    mix = result.delivery
    explanation = mix.explanation[:1].upper() + mix.explanation[1:]
    return Outcome(
        title=TITLE,
        inputs=inputs,
        figures=figures(result),
        tables=(rows_table(result), mix_table(result)),
        steps=steps(result),
        summary=f"{result.ceu.note} {explanation}",
    )


def figures(result: PlanResult) -> tuple[Figure, ...]:
    ceu, mix = result.ceu, result.delivery
    names = " + ".join(mix.component)
    return (
        Figure("contact_minutes", "Total contact minutes", show(ceu.contact_minutes), "min"),
        Figure("contact_hours", "Total contact hours", show(ceu.contact_hours), "h"),
        Figure("ceus_unrounded", "CEUs before rounding", show(ceu.ceus_unrounded), "CEU"),
        Figure("ceus", "IACET CEUs", str(ceu.ceus), "CEU"),
        Figure("component_minutes", f"Contact minutes of {names}", show(mix.component_minutes), "min"),
        Figure("component_share", f"Share of {names}", percent(mix.component_share), "%"),
        Figure("threshold", "Share required", show(mix.threshold * 100), "%"),
        Figure("delivery_check", f"{show(mix.threshold * 100)}% check", "passes" if mix.passes else "fails"),
    )


def _each(row: PlanRow) -> str:
    return f"{show(row.minutes_each)} min per {row.per}"


def _times(row: PlanRow) -> str:
    return f"{show(row.count)} {row.per}{'' if row.count == 1 else 's'}"


def rows_table(result: PlanResult) -> Table:
    rows = tuple(
        (
            str(total.row.line),
            total.row.activity,
            total.row.delivery,
            f"{_each(total.row)} x {_times(total.row)} = {show(total.minutes)} min",
            hours(total.hours),
            f"{percent(total.share)}%",
        )
        for total in result.rows
    )
    return Table(
        "plan-rows",
        "Each row's contact time and its share of the plan",
        ("Row", "Activity", "Delivery", "Contact time", "Contact hours", "Share"),
        rows,
    )


def mix_table(result: PlanResult) -> Table:
    mix = result.delivery
    rows = tuple(
        (
            mode.mode,
            show(mode.minutes),
            hours(mode.hours),
            f"{percent(mode.share)}%",
            "yes" if mode.mode in mix.component else "no",
        )
        for mode in mix.modes
    )
    return Table(
        "delivery-mix",
        "Delivery mix: contact time per delivery mode",
        (
            "Delivery mode",
            "Contact minutes",
            "Contact hours",
            "Share",
            f"Counts toward {show(mix.threshold * 100)}%",
        ),
        rows,
    )


def steps(result: PlanResult) -> tuple[Step, ...]:
    ceu, mix = result.ceu, result.delivery
    per_row = tuple(
        Step(
            f"Row {total.row.line}, {total.row.activity}: {_each(total.row)} x {_times(total.row)} = "
            f"{show(total.minutes)} contact minutes ({total.row.delivery}).",
            f"Time per week or per instance times the number of weeks or instances; "
            f"an hour is {show(MINUTES_PER_CONTACT_HOUR)} minutes.",
            FORM_SOURCE,
        )
        for total in result.rows
    )
    added = " + ".join(show(total.minutes) for total in result.rows)
    total = Step(
        f"{added} = {show(ceu.contact_minutes)} contact minutes in the plan.",
        "Classroom, distance and self-paced learning all count as contact time; breaks, non-working "
        "meals and promotional content do not belong in the plan.",
        SEED,
    )
    names = " + ".join(mix.component)
    needed = show(mix.threshold * 100)
    check = Step(
        f"{names}: {show(mix.component_minutes)} of {show(ceu.contact_minutes)} contact minutes = "
        f"{percent(mix.component_share)}% ({'passes' if mix.passes else 'fails'}: "
        f"at least {needed}% is required; the comparison is exact).",
        "Instruction/supervision (classroom time) and distance education hours and percentage: "
        f"minimum of {needed}% per unit/course.",
        DELIVERY_SOURCE,
    )
    # The CEU steps are the CEU page's (hours, CEUs before rounding, the one rounding).
    return (*per_row, total, *ceu_page.steps(ceu)[2:], check)


# ---- the form's rows as HTML (the build renders the example plan; the page's template)


def rows_from_csv(text: str) -> list[dict[str, str]]:
    """The rows of a ``ceu plan`` CSV as the form holds them (text as typed, blank rows left out)."""
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
    rows = []
    for record in reader:
        row = {column: (record.get(column) or "").strip() for column in COLUMNS}
        if any(row.values()):
            rows.append(row)
    return rows


def _options(choices: Sequence[str], chosen: str, labels: Mapping[str, str] | None = None) -> str:
    return "".join(
        f'<option value="{escape(choice)}"{" selected" if choice == chosen else ""}>'
        f"{escape(labels[choice] if labels else choice)}</option>"
        for choice in choices
    )


def row_html(number: str, row: Mapping[str, str]) -> str:
    """One row of the form; ``number`` is its position (``__N__`` in the template)."""
    n = escape(number)
    ids = {column: f"{NAME}-row-{n}-{column}" for column in COLUMNS}

    def field(column: str, label: str, control: str, css: str = "") -> str:
        return (
            f'<div class="calc-field{css}"><label for="{ids[column]}">{label}</label>{control}'
            f'<p class="calc-error" id="{NAME}-error-row-{n}-{column}" hidden></p></div>'
        )

    def described(column: str, extra: str = "") -> str:
        return f'aria-describedby="{extra}{NAME}-error-row-{n}-{column}"'

    def text(column: str, mode: str = "") -> str:
        hint = f' inputmode="{mode}"' if mode else ""
        return (
            f'<input id="{ids[column]}" name="{column}" type="text"{hint} '
            f'value="{escape(row.get(column, ""))}" {described(column)}>'
        )

    def select(column: str, choices: Sequence[str], labels: Mapping[str, str] | None = None) -> str:
        return (
            f'<select id="{ids[column]}" name="{column}" {described(column)}>'
            f"{_options(choices, row.get(column, ''), labels)}</select>"
        )

    return (
        f'<fieldset class="calc-row" data-row="{n}" id="{NAME}-row-{n}"><legend>Row {n}</legend>'
        + field("activity", "Activity", text("activity"), " calc-field--activity")
        + field("delivery", "Delivery mode", select("delivery", tuple(DELIVERY_MODES)))
        + field("amount", "Time", text("amount"))  # no decimal keypad: "1h30" is typed with letters
        + field("unit", "Unit of time", select("unit", tuple(UNITS)))
        + field("per", "Per", select("per", PER))
        + field("count", "Weeks or instances", text("count", "decimal"))
        + f'<div class="calc-row-actions"><button type="button" class="calc-button" data-action="remove-row" '
        f'id="{NAME}-row-{n}-remove" aria-labelledby="{NAME}-row-{n}-remove {ids["activity"]}">'
        f"Remove row {n}</button></div></fieldset>"
    )


def component_html(chosen: Sequence[str] = tuple(DEFAULT_COMPONENT)) -> str:
    needed = show(DEFAULT_THRESHOLD * 100)
    boxes = "".join(
        f'<label><input type="checkbox" name="{component_field(mode)}" value="yes"'
        f"{' checked' if mode in chosen else ''}> {escape(meaning[:1].upper() + meaning[1:])}</label>"
        for mode, meaning in DELIVERY_MODES.items()
    )
    return (
        f'<fieldset class="calc-choice" id="{NAME}-component" aria-describedby="{NAME}-component-hint '
        f'{NAME}-error-component"><legend>Which delivery must be at least {needed}% of contact time?</legend>'
        f'<p class="calc-hint" id="{NAME}-component-hint">The seed asks for the "Instruction/Supervision '
        f"(Classroom Time) and distance education hours and percentage (minimum of {needed}% per "
        f'unit/course)" without saying which part; instruction alone is the usual reading.</p>'
        f'{boxes}<p class="calc-error" id="{NAME}-error-component" hidden></p></fieldset>'
    )


def form_html(rows: Sequence[Mapping[str, str]]) -> str:
    """The rows of the form (numbered from 1), the template a new row comes from, and the buttons."""
    return (
        f'<div class="calc-rows" data-rows="{NAME}"><div data-row-list>'
        + "".join(row_html(str(number), row) for number, row in enumerate(rows, start=1))
        + f"</div><template>{row_html('__N__', BLANK_ROW)}</template>"
        f'<p class="calc-error" id="{NAME}-error-rows" hidden></p>'
        '<p><button type="button" class="calc-button" data-action="add-row">Add a row</button></p></div>'
        + component_html()
    )
