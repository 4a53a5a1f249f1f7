"""The CEU calculator page: minutes, an activity list or a timed agenda in; CEUs out.

Every figure comes from the engine (``calc``); this module only picks the engine
function for the chosen input, maps the engine's field names to the form's, and
lays the result out as an :class:`Outcome` with the worksheet's steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from calc.activities import activity_ceus, parse_activities
from calc.agenda import agenda_ceus, parse_agenda
from calc.ceu import IACET_ROUNDING, IACET_ROUNDING_SOURCE, MINUTES_PER_CEU, CeuResult, iacet_ceus
from calc.durations import duration_hint, duration_words
from calc.errors import CreditInputError, quoted
from calc.numbers import approximately, exact_text, show, shown
from calc.policy import (
    CreditSystem,
    PolicyFigure,
    convert_all,
    figure_under,
    parse_days,
    rule_owner,
    rule_summary,
    source_words,
)
from calculator_pages.outcome import FieldHint, Figure, Outcome, Step, Table, failed

TITLE = "IACET CEU worksheet"
MODES = {"minutes": "Total and excluded time", "activities": "Activity list", "agenda": "Timed agenda"}
#: Where the counting rules come from (the rules page explains and quotes them).
SEED = '"Calculating & Awarding CEUs and Course Hours Process" (quoted on How credit is counted)'
#: The engine's field names -> the form's input names.
FIELDS = {
    "total_minutes": "minutes",
    "excluded_minutes": "excluded",
    "activities": "activities",
    "agenda": "agenda",
    "days": "days",
}
#: The rule a visitor gets until they choose another: IACET's own.
DEFAULT_RULE = "iacet-ceu"
#: The fields that take a length of time (minutes, or "6h30", "1.5 h": calc.durations).
TIME_FIELDS = ("minutes", "excluded")


def inputs_of(values: Mapping[str, str], systems: Sequence[CreditSystem] = ()) -> tuple[tuple[str, str], ...]:
    """The inputs as typed ("6h30" stays "6h30"), for the worksheet."""
    mode = values.get("mode", "minutes")
    shown = [("Input", MODES.get(mode, mode))]
    if mode == "minutes":
        shown += [
            ("Total time", values.get("minutes", "")),
            ("Excluded time", values.get("excluded", "") or "0"),
        ]
    else:
        shown.append((MODES.get(mode, mode), values.get(mode, "")))
    shown.append(("Whose rule", values.get("rule", "") or DEFAULT_RULE))
    if values.get("days", "").strip():
        shown.append(("Days", values.get("days", "").strip()))
    if condition_met(values, systems):
        shown.append(("Multiplier condition", "met"))
    return tuple(shown)


def condition_met(values: Mapping[str, str], systems: Sequence[CreditSystem] = ()) -> bool:
    """The multiplier box is ticked and the chosen rule has a multiplier (the page shows the box only then)."""
    if values.get("condition") != "yes":
        return False
    wanted = values.get("rule", "").strip() or DEFAULT_RULE
    chosen = next((system for system in systems if system.id == wanted), None)
    return chosen is None or chosen.multiplier is not None


def hints(values: Mapping[str, str]) -> tuple[FieldHint, ...]:
    """A figure that looks like hours typed as minutes gets a note beside its field (never an error)."""
    if values.get("mode", "minutes") != "minutes":
        return ()
    found = ((name, duration_hint(values.get(name, ""))) for name in TIME_FIELDS)
    return tuple(FieldHint(name, hint) for name, hint in found if hint)


def compute(values: Mapping[str, str], systems: Sequence[CreditSystem] = ()) -> Outcome:
    """The page's result for the form's values (``mode`` picks which inputs count, ``rule`` whose rule)."""
    return replace(_outcome(values, systems), hints=hints(values))


def _outcome(values: Mapping[str, str], systems: Sequence[CreditSystem]) -> Outcome:
    mode = values.get("mode", "minutes")
    inputs = inputs_of(values, systems)
    if mode not in MODES:
        return failed(TITLE, inputs, "mode", f"{quoted(mode)} is not one of: {', '.join(MODES)}")
    try:
        result = _result(mode, values)
        rule = chosen_rule(values.get("rule", ""), systems)
        days = parse_days(values.get("days", ""))
    except CreditInputError as error:
        name = FIELDS.get(error.field, error.field)
        return failed(TITLE, inputs, name, error.message)
    met = condition_met(values, systems)
    figure = figure_under(rule, result.contact_minutes, days=days, condition_met=met) if rule else None
    return Outcome(
        title=TITLE,
        inputs=inputs,
        figures=_ordered(figures(result), figure),
        tables=(
            *((rule_table(figure),) if figure else ()),
            excluded_table(result),
            compare_table(result, systems, days, met),
        ),
        steps=steps(result) + ((policy_step(figure),) if figure else ()),
        summary=headline(result, figure),
    )


def _another_rule(figure: PolicyFigure | None) -> bool:
    return figure is not None and figure.policy.id != DEFAULT_RULE


def _ordered(iacet: tuple[Figure, ...], figure: PolicyFigure | None) -> tuple[Figure, ...]:
    """The chosen body's figure first (the answer asked for), then IACET's; IACET's own rule last, as before."""
    if figure is None:
        return iacet
    if _another_rule(figure):
        return (policy_figure(figure), *iacet)
    return (*iacet, policy_figure(figure))


def headline(result: CeuResult, figure: PolicyFigure | None) -> str:
    """The result's first sentence names the chosen rule's unit: "Under NBCOT's rule: 7.5 PDU." first."""
    if figure is None:
        return result.note
    if _another_rule(figure):
        return f"{figure_sentence(figure)} {result.note}"
    return f"{result.note} {figure_sentence(figure)}"


def chosen_rule(rule_id: str, systems: Sequence[CreditSystem]) -> CreditSystem | None:
    """The rule the visitor chose; None (IACET's CEU only) when the page has no rules to choose from."""
    found = {system.id: system for system in systems}
    wanted = rule_id.strip() or DEFAULT_RULE
    if wanted in found:
        return found[wanted]
    if not systems or (wanted == DEFAULT_RULE and not rule_id.strip()):
        return None
    raise CreditInputError("rule", f"{quoted(wanted)} is not one of the listed rules")


def policy_figure(figure: PolicyFigure) -> Figure:
    value = exact_text(figure.reported) if figure.reported is not None and figure.earns else figure.shown
    unit = figure.policy.unit if figure.reported is not None and figure.earns else ""
    return Figure("policy", f"Under {rule_owner(figure.policy)}", value, unit)


def figure_sentence(figure: PolicyFigure) -> str:
    return f"Under {rule_owner(figure.policy)}: {figure.shown}."


def rule_table(figure: PolicyFigure) -> Table:
    policy = figure.policy
    return Table(
        "rule",
        f"Whose rule: {rule_owner(policy)}. {figure.rule}",
        ("Figure", "How", "Source"),
        ((with_exact(figure), "; ".join((figure.explanation, *figure.notes)), policy.source_url),),
    )


def with_exact(figure: PolicyFigure) -> str:
    """The figure, and the exact one beside it where rounding changed it: "0.75 PDC (exact 5/6 ≈ 0.8333)"."""
    if figure.exact is None or figure.reported is None or figure.reported == figure.exact:
        return figure.shown
    return f"{figure.shown} (exact {approximately(figure.exact)})"


def policy_step(figure: PolicyFigure) -> Step:
    policy = figure.policy
    quote = f' The source says: "{policy.source_quote}"' if policy.source_quote else ""
    return Step(
        f"Under {rule_owner(policy)}: {figure.explanation}.",
        figure.rule + quote,
        f"{policy.source_url} ({source_words(policy)})",
    )


def _result(mode: str, values: Mapping[str, str]) -> CeuResult:
    if mode == "minutes":
        minutes = values.get("minutes", "").strip()
        if not minutes:
            raise CreditInputError(
                "total_minutes",
                "enter the total time of the event: minutes, or hours and minutes such as 6h30",
            )
        return iacet_ceus(minutes, values.get("excluded", "").strip() or "0")
    text = values.get(mode, "")
    if not text.strip():
        raise CreditInputError(mode, f"paste or type the {MODES[mode].lower()}")
    if mode == "activities":
        return activity_ceus(parse_activities(text))
    return agenda_ceus(parse_agenda(text))


def figures(result: CeuResult) -> tuple[Figure, ...]:
    return (
        Figure("total_minutes", "Total minutes", show(result.total_minutes), "min"),
        Figure("excluded_minutes", "Excluded minutes", show(result.excluded_minutes), "min"),
        Figure("contact_minutes", "Contact minutes", show(result.contact_minutes), "min"),
        Figure("contact_hours", "Contact hours", show(result.contact_hours), "h"),
        Figure("ceus_unrounded", "CEUs before rounding", show(result.ceus_unrounded), "CEU"),
        Figure("ceus", "IACET CEUs", str(result.ceus), "CEU"),
    )


def excluded_table(result: CeuResult) -> Table:
    rows = tuple(
        (str(item.line) if item.line else "", item.title, show(item.minutes), item.reason)
        for item in result.excluded
    )
    return Table("excluded", "Time that does not count, and why", ("Line", "Item", "Minutes", "Why"), rows)


def compare_table(
    result: CeuResult,
    systems: Sequence[CreditSystem],
    days: int | None = None,
    condition_met: bool = False,
    *,
    folded: bool = True,
) -> Table:
    """The same contact time under every listed rule, each row with its rule and source."""
    rows = tuple(
        (
            figure.policy.name + (" (convention)" if figure.policy.kind == "convention" else ""),
            with_exact(figure),
            rule_summary(figure.policy),
            figure.policy.source_url,
        )
        for figure in convert_all(result.contact_minutes, systems, days=days, condition_met=condition_met)
    )
    return Table(
        "conversions",
        "Compare: the same contact time under every body's rule (confirm with the body)",
        ("Rule of", "Figure", "Rule", "Source"),
        rows,
        folded=folded,
    )


def _words(minutes: Decimal) -> str:
    """The time in hours and minutes, " (6 h 30 min)", beside a figure of an hour or more."""
    return f" ({duration_words(Fraction(minutes))})" if minutes >= 60 else ""


def _equals(value: str) -> str:
    """'= 0.5', or '≈ 0.4483' when the exact figure is too long to read."""
    text = shown(value)
    return text if text.startswith("\u2248") else f"= {text}"


def steps(result: CeuResult) -> tuple[Step, ...]:
    policy = IACET_ROUNDING
    return (
        Step(
            f"Total time of all activities: {show(result.total_minutes)} minutes"
            f"{_words(result.total_minutes)}.",
            "Count every scheduled activity first.",
            SEED,
        ),
        Step(
            f"{show(result.total_minutes)} - {show(result.excluded_minutes)} excluded = "
            f"{show(result.contact_minutes)} contact minutes.",
            "Breaks, non-working meals, promotional content and unsupervised or unsponsored time do not count.",
            SEED,
        ),
        Step(
            f"{show(result.contact_minutes)} / 60 = {show(result.contact_hours)} contact hours (shown to the hundredth).",
            "A contact hour is 60 minutes of interaction between a learner and an educator or learning materials.",
            SEED,
        ),
        Step(
            f"{show(result.contact_minutes)} / {show(MINUTES_PER_CEU)} {_equals(show(result.ceus_unrounded))} CEU "
            "before rounding.",
            "1.0 IACET CEU = 10 contact hours = 600 contact minutes; CEUs are computed from minutes, not rounded hours.",
            SEED,
        ),
        Step(
            f"Rounded once to {policy.step}: {result.ceus} CEU."
            + (
                ""
                if result.earns_ceu
                else f" Under the minimum award of {policy.minimum_award} CEU: no IACET CEU."
            ),
            f"Report to the nearest {policy.step}, halves up; an event is never worth less than {policy.minimum_award} CEU.",
            IACET_ROUNDING_SOURCE,
        ),
    )
