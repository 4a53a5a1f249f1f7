"""Credit under any body's rule: contact minutes (or academic credits) to that body's figure.

One function, :func:`figure_under`, applies a rule row of ``credit_systems.csv`` the same
way in the CLI, the build and the browser, and returns the exact figure, the reported
figure and the rule in words with its source. Arithmetic is exact (``Fraction``): a
figure such as 16/3 is kept as a fraction, never as 28 repeating digits, and no decimal
context can change an answer.

Order of the rule (each part only where the source states it):

1. an event shorter than ``minimum_minutes`` earns nothing;
2. exact = minutes / ``minutes_per_unit``, times ``multiplier`` when its condition holds;
3. reported = exact in ``increment`` steps, rounded ``down``, ``half-up`` or at a
   ``threshold``; with no step, or no rounding where a step is unfinished, the source is
   silent and only the exact figure is given;
4. a reported figure under ``minimum_award`` earns nothing, and says so;
5. with the number of days given, no more than ``daily_cap`` a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from calc.errors import CreditInputError, quoted
from calc.numbers import approximately, exact_text, round_to_step, show


@dataclass(frozen=True)
class CreditSystem:
    """One body's unit for one credential and its counting rule, as its cited source states it.

    A blank column is ``None``: the source does not say, and figures say so instead of
    guessing. ``kind`` is ``convention`` for a way of counting an institution may choose
    (rounding down to the tenth), never presented as a body's rule.
    """

    id: str
    body: str
    unit: str
    source_url: str = ""
    credential: str = ""
    kind: str = "body-rule"
    minutes_per_unit: Decimal | None = None
    #: A Fraction: a decimal step (0.25) or one no decimal writes exactly (1/3 of an hour).
    increment: Fraction | None = None
    rounding: str | None = None
    threshold_minutes: Decimal | None = None
    minimum_minutes: Decimal | None = None
    minimum_award: Decimal | None = None
    daily_cap: Decimal | None = None
    multiplier: Decimal | None = None
    multiplier_condition: str = ""
    semester_credit_units: Decimal | None = None
    quarter_credit_units: Decimal | None = None
    example_minutes: Decimal | None = None
    example_units: Decimal | None = None
    requirement_note: str = ""
    source_kind: str = ""
    source_date: str = ""
    source_quote: str = ""
    verified_on: str = ""

    @property
    def name(self) -> str:
        """The body, and the credential when the row is for one."""
        return f"{self.body} ({self.credential})" if self.credential else self.body


@dataclass(frozen=True)
class PolicyFigure:
    """Contact time under one rule: what the source's arithmetic gives and what is reported."""

    policy: CreditSystem
    contact_minutes: Decimal
    #: minutes / minutes_per_unit (x multiplier); None when the source gives no rate.
    exact: Fraction | None
    #: The figure a certificate would carry (a multiple of the step: 0.25, or 7/3 for thirds);
    #: None when the source does not say how to report it.
    reported: Fraction | None
    #: False when the time earns nothing under this rule (too short, below the minimum award).
    earns: bool
    #: The figure for reading: "1.25 PDU", "no PDU", "not stated by the source".
    shown: str
    #: Why this figure, in a sentence.
    explanation: str
    rule: str
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class AcademicFigure:
    """Academic credit (semester or quarter hours) under one rule."""

    policy: CreditSystem
    semester_credits: Decimal
    quarter_credits: Decimal
    #: Exact; None when the source states no conversion for a kind of credit that was given.
    units: Fraction | None
    shown: str
    explanation: str


def figure_under(
    policy: CreditSystem,
    contact_minutes: Decimal,
    *,
    days: int | None = None,
    condition_met: bool = False,
) -> PolicyFigure:
    """``contact_minutes`` under ``policy``; ``days`` applies a daily cap, ``condition_met`` a multiplier."""
    rule = rule_words(policy)
    unit = policy.unit
    rate = policy.minutes_per_unit
    if rate is None:
        why = f"the source does not say how much time earns one {unit}"
        return PolicyFigure(policy, contact_minutes, None, None, False, "not stated by the source", why, rule)
    minutes = Fraction(contact_minutes)
    multiplier = policy.multiplier if condition_met else None
    exact = minutes / Fraction(rate) * Fraction(multiplier or 1)
    notes = tuple(_notes(policy, multiplier is not None, days))
    worked = f"{show(contact_minutes)} min / {show(rate)}" + (f" x {show(multiplier)}" if multiplier else "")
    worked += f" = {approximately(exact)} {unit}"

    def nothing(why: str, reported: Fraction | None = Fraction(0)) -> PolicyFigure:
        return PolicyFigure(policy, contact_minutes, exact, reported, False, f"no {unit}", why, rule, notes)

    step = policy.increment
    if policy.minimum_minutes is not None and minutes < policy.minimum_minutes:
        return nothing(
            f"{worked}, but the event is under the minimum length of {show(policy.minimum_minutes)} minutes"
        )
    if step is None or policy.rounding is None:
        # The source is silent on reporting: the exact figure stands only when no rounding could change it.
        reported = exact if step is None or exact % step == 0 else None
        silent = (
            "the source states no step, so the figure is exact"
            if step is None
            else f"the source counts in steps of {exact_text(step)} but does not say how an unfinished step counts"
        )
        if not exact:
            return nothing(f"{worked}; {silent}")
        shown = f"{approximately(exact)} {unit}"
        if reported is None:
            shown += " (exact; the source does not say how it is reported)"
        return PolicyFigure(
            policy, contact_minutes, exact, reported, True, shown, f"{worked}; {silent}", rule, notes
        )
    threshold = Fraction(1, 2)
    if policy.rounding == "threshold" and policy.threshold_minutes is not None:
        threshold = Fraction(policy.threshold_minutes) / (Fraction(rate) * step)
    reported = round_to_step(exact, step, policy.rounding, threshold)
    why = f"{worked}, {ROUNDING_WORDS[policy.rounding](policy)}: {approximately(reported)}"
    if policy.minimum_award is not None and reported < policy.minimum_award:
        return nothing(
            f"{why}, under the minimum award of {show(policy.minimum_award)} {unit}, so it earns nothing"
        )
    if not reported:
        return nothing(f"{why}, so the time earns nothing under this rule")
    if policy.daily_cap is not None and days is not None and reported > policy.daily_cap * days:
        reported = Fraction(policy.daily_cap) * days
        why += f", capped at {show(policy.daily_cap)} a day for {days} day(s): {approximately(reported)}"
    return PolicyFigure(
        policy, contact_minutes, exact, reported, True, f"{approximately(reported)} {unit}", why, rule, notes
    )


#: The longest event a daily cap is applied over: a year of days.
MAX_DAYS = 366


def parse_days(text: str) -> int | None:
    """The number of days an event ran (for a daily cap); blank is None, anything else 1 to MAX_DAYS."""
    text = text.strip()
    if not text:
        return None
    # At most 3 digits before int(): a 5,000-digit run is more than int() will read.
    if not text.isascii() or not text.isdigit() or len(text) > 3 or not 1 <= int(text) <= MAX_DAYS:
        raise CreditInputError("days", f"{quoted(text)} is not a whole number of days from 1 to {MAX_DAYS}")
    return int(text)


def _notes(policy: CreditSystem, applies: bool, days: int | None) -> Iterator[str]:
    if policy.multiplier is not None:
        state = "applied" if applies else "not applied"
        yield f"x{show(policy.multiplier)} when {policy.multiplier_condition} ({state})"
    if policy.daily_cap is not None and days is None:
        yield f"at most {show(policy.daily_cap)} {policy.unit} a day: give the number of days to apply the cap"


def _step(policy: CreditSystem) -> str:
    return exact_text(policy.increment or Fraction(0))


ROUNDING_WORDS = {
    "down": lambda p: f"counting only complete steps of {_step(p)}",
    "half-up": lambda p: f"to the nearest {_step(p)}, halves up",
    "threshold": lambda p: (
        f"in steps of {_step(p)}, an unfinished step counting once it reaches "
        f"{show(p.threshold_minutes or Decimal(0))} minutes"
    ),
}


def rule_words(policy: CreditSystem) -> str:
    """The whole rule in one sentence, from the row's own columns."""
    unit = policy.unit
    if policy.minutes_per_unit is None:
        return f"The source does not say how much time earns one {unit}."
    hours = Fraction(policy.minutes_per_unit) / 60  # exact: a Decimal % or / could fail on a huge rate
    rate = f"1 {unit} per {show(policy.minutes_per_unit)} minutes"
    if hours.denominator == 1 and hours != 1:
        rate += f" ({hours} hours)"
    parts = [rate]
    if policy.multiplier is not None:
        parts.append(f"x{show(policy.multiplier)} when {policy.multiplier_condition}")
    if policy.minimum_minutes is not None:
        parts.append(f"nothing for an event under {show(policy.minimum_minutes)} minutes")
    if policy.increment is None:
        parts.append("no step or rounding stated: the figure is exact")
    elif policy.rounding is None:
        parts.append(f"steps of {exact_text(policy.increment)}; how an unfinished step counts is not stated")
    else:
        parts.append(ROUNDING_WORDS[policy.rounding](policy))
    if policy.minimum_award is not None:
        parts.append(f"less than {show(policy.minimum_award)} {unit} earns nothing")
    if policy.daily_cap is not None:
        parts.append(f"at most {show(policy.daily_cap)} {unit} a day")
    for kind, value in (("semester", policy.semester_credit_units), ("quarter", policy.quarter_credit_units)):
        if value is not None:
            parts.append(f"1 academic {kind} credit = {show(value)} {unit}")
    return "; ".join(parts) + "."


def rule_owner(policy: CreditSystem) -> str:
    """Whose rule, for a label: "NBCOT's rule", "the convention CEU Plan (...)", "your rule"."""
    if policy.id == "custom":
        return "your rule"
    if policy.kind == "convention":
        return f"the convention {policy.name}"
    return f"{policy.body}'s rule" + (f" ({policy.credential})" if policy.credential else "")


def source_words(policy: CreditSystem) -> str:
    """The source's kind and date, as every front end prints them: "official, dated 2019-10-24"."""
    return ", ".join(filter(None, (policy.source_kind, policy.source_date and f"dated {policy.source_date}")))


def rule_summary(policy: CreditSystem) -> str:
    """The rule in a few words, for a table of every rule: "1 per 50 min; steps of 0.2, down; at least 1"."""
    if policy.minutes_per_unit is None:
        return "rate not stated"
    parts = [f"1 per {show(policy.minutes_per_unit)} min"]
    if policy.multiplier is not None:
        parts.append(f"x{show(policy.multiplier)} if its condition is met")
    if policy.minimum_minutes is not None:
        parts.append(f"nothing under {show(policy.minimum_minutes)} min")
    if policy.increment is None:
        parts.append("exact")
    else:
        how = {
            "down": "down",
            "half-up": "nearest",
            "threshold": f"a step counts from {show(policy.threshold_minutes or Decimal(0))} min",
            None: "rounding not stated",
        }[policy.rounding]
        parts.append(f"steps of {exact_text(policy.increment)}, {how}")
    if policy.minimum_award is not None:
        parts.append(f"at least {show(policy.minimum_award)}")
    if policy.daily_cap is not None:
        parts.append(f"at most {show(policy.daily_cap)} a day")
    return "; ".join(parts)


def academic_under(
    policy: CreditSystem, semester_credits: Decimal = Decimal(0), quarter_credits: Decimal = Decimal(0)
) -> AcademicFigure:
    """Semester and quarter credits in the policy's unit; unknown where its source gives no conversion."""
    missing = [
        kind
        for kind, given, rate in (
            ("semester", semester_credits, policy.semester_credit_units),
            ("quarter", quarter_credits, policy.quarter_credit_units),
        )
        if given and rate is None
    ]
    if missing:
        why = f"the source states no conversion for {' or '.join(missing)} credits"
        return AcademicFigure(
            policy, semester_credits, quarter_credits, None, "not stated by the source", why
        )
    units = Fraction(semester_credits) * Fraction(policy.semester_credit_units or 0) + Fraction(
        quarter_credits
    ) * Fraction(policy.quarter_credit_units or 0)
    terms = [
        f"{show(given)} x {show(rate)}"
        for given, rate in (
            (semester_credits, policy.semester_credit_units),
            (quarter_credits, policy.quarter_credit_units),
        )
        if given and rate is not None
    ]
    total = f"{approximately(units)} {policy.unit}"
    why = " + ".join(terms) + f" = {total}" if terms else "no academic credit given"
    return AcademicFigure(policy, semester_credits, quarter_credits, units, total, why)


def convert_all(
    contact_minutes: Decimal,
    policies: Iterable[CreditSystem],
    *,
    days: int | None = None,
    condition_met: bool = False,
) -> tuple[PolicyFigure, ...]:
    """The same contact time under every rule (the compare table)."""
    return tuple(figure_under(p, contact_minutes, days=days, condition_met=condition_met) for p in policies)


def rule_problems(system: CreditSystem) -> Iterator[tuple[str, str]]:
    """(column, why) for each way a row's rule cannot be applied as written.

    Each cell may be fine on its own (the schema checks that) while the row as a whole
    cannot work: a rounding mode with no step, a minimum award no step can reach, a
    minimum above the daily cap, a worked example the rule does not reproduce. The
    validator reports every one with its line; the CLI refuses the file at the first.
    """
    rate, step, rounding = system.minutes_per_unit, system.increment, system.rounding
    if rate is None:
        for column in ("increment", "minimum_award", "daily_cap", "multiplier", "example_minutes"):
            if getattr(system, column) is not None:
                yield column, "needs minutes_per_unit: without a rate no figure can be computed"
    if rounding is not None and step is None:
        yield "rounding", "needs an increment: a rounding mode rounds to a step"
    if (rounding == "threshold") != (system.threshold_minutes is not None):
        yield "threshold_minutes", "is given exactly when rounding is 'threshold'"
    elif rounding == "threshold" and rate is not None and step is not None and system.threshold_minutes:
        step_minutes = Fraction(rate) * step
        if system.threshold_minutes >= step_minutes:
            yield "threshold_minutes", f"must be less than the {exact_text(step_minutes)} minutes of one step"
    award, cap = system.minimum_award, system.daily_cap
    if award is not None and rounding is None:
        yield "minimum_award", "needs a rounding mode: without one no figure can be compared with the minimum"
    if award is not None and step is not None and Fraction(award) % step:
        yield (
            "minimum_award",
            f"{show(award)} is not a whole number of {exact_text(step)} steps, so no figure equals it",
        )
    if award is not None and cap is not None and award > cap:
        yield "minimum_award", f"{show(award)} is above the daily cap of {show(cap)}: no event could earn it"
    shortest = system.minimum_minutes
    if shortest is not None and rate is not None and cap is not None and shortest > rate * cap:
        yield (
            "minimum_minutes",
            f"{show(shortest)} minutes earns more than the daily cap of {show(cap)} before it earns anything",
        )
    if (system.multiplier is None) != (not system.multiplier_condition):
        yield (
            "multiplier_condition",
            "is given exactly when a multiplier is (it says when the multiplier applies)",
        )
    if (system.example_minutes is None) != (system.example_units is None):
        yield "example_units", "example_minutes and example_units go together"
    elif system.example_minutes is not None and system.example_units is not None and rate is not None:
        figure = figure_under(system, system.example_minutes)
        if figure.reported is None or figure.reported != system.example_units:
            got = "no reported figure" if figure.reported is None else exact_text(figure.reported)
            yield (
                "example_units",
                f"the source's worked example gives {show(system.example_units)} for "
                f"{show(system.example_minutes)} minutes, but this row's rule gives {got}",
            )
