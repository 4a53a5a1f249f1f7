"""IACET Continuing Education Units from contact time.

Rules (seed "Calculating & Awarding CEUs and Course Hours Process"):

* A contact hour is 60 minutes of interaction between a learner and an educator
  or learning materials, in person, at a distance or self-paced.
* Time that is not instruction (breaks, non-working meals, promotional content,
  unsupervised or unsponsored time) is excluded before anything is counted.
* 1.0 IACET CEU = 10 contact hours, so CEU = contact minutes / 600.

Rounding policy (one place, applied once): the CEU figure is computed from
minutes and rounded once at the end, never from rounded hours (269 minutes is
0.448 CEU -> 0.4, whereas rounding 4.48 h to 4.5 h first would give 0.5). The
default follows IACET's published guidance (iacet.org blog, "Six Steps to
Submitting CEU Calculations", 2019): report to the nearest tenth, halves up, and
an event is never worth less than 0.1 CEU. Halves-up makes 30 minutes
(0.05 CEU) worth 0.1; an event under 30 minutes earns no IACET CEU at all, and
the result says so instead of showing a silent 0.0.

The seed's worked example ("300/60 = .5 CEUs") divides minutes by 60 and then by
10 in one breath; the sound reading, used here, is 300 min = 5 h = 0.5 CEU.

Precision: the unrounded figure is minutes / 600 computed in a fixed 28-digit
decimal context (exact whenever the quotient terminates), so CPython and Pyodide
give the same digits whatever the caller's global decimal context is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal

from calc.durations import MAX_MINUTES, as_decimal, minutes_from_text
from calc.errors import CreditInputError
from calc.numbers import grouped, over_limit, parse_quantity

MINUTES_PER_CONTACT_HOUR = Decimal(60)
CONTACT_HOURS_PER_CEU = Decimal(10)
MINUTES_PER_CEU = MINUTES_PER_CONTACT_HOUR * CONTACT_HOURS_PER_CEU

#: Contact hours are shown to the hundredth; they are a display value only.
HOURS_DISPLAY_STEP = Decimal("0.01")

#: The arithmetic context for every division in the engine.
CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)

IACET_ROUNDING_SOURCE = (
    'IACET, "Six Steps to Submitting CEU Calculations" (iacet.org blog, 2019): '
    "report CEUs to the nearest tenth; an event is never worth less than 0.1 CEU."
)


@dataclass(frozen=True)
class RoundingPolicy:
    """How contact minutes become the reported unit figure: unit size, step, mode, minimum."""

    step: Decimal = Decimal("0.1")
    mode: str = ROUND_HALF_UP
    #: The smallest award; a figure that rounds below it earns nothing.
    minimum_award: Decimal = Decimal("0.1")
    #: Minutes in one unit (600 for the IACET CEU).
    minutes_per_unit: Decimal = MINUTES_PER_CEU
    source: str = IACET_ROUNDING_SOURCE

    def apply(self, unrounded: Decimal) -> Decimal:
        rounded = unrounded.quantize(self.step, rounding=self.mode, context=CONTEXT)
        return rounded if rounded >= self.minimum_award else Decimal(0).quantize(self.step)


IACET_ROUNDING = RoundingPolicy()


@dataclass(frozen=True)
class ExcludedItem:
    """Time that was taken out, and why (so a provider can document it)."""

    title: str
    minutes: Decimal
    reason: str
    #: Where it came from: a line of an agenda or activity file, 0 when typed in.
    line: int = 0


@dataclass(frozen=True)
class CeuResult:
    """Every figure a provider needs to document how a CEU award was reached."""

    total_minutes: Decimal
    excluded_minutes: Decimal
    contact_minutes: Decimal
    #: contact_minutes / 60, rounded to the hundredth for display only.
    contact_hours: Decimal
    #: contact_minutes / 600 before the rounding policy.
    ceus_unrounded: Decimal
    ceus: Decimal
    #: False when the time is too short for the minimum award.
    earns_ceu: bool
    note: str
    excluded: tuple[ExcludedItem, ...] = field(default=())


def iacet_ceus(
    total_minutes: str | int | Decimal,
    excluded_minutes: str | int | Decimal = 0,
    policy: RoundingPolicy = IACET_ROUNDING,
) -> CeuResult:
    """Contact minutes, contact hours and IACET CEUs from total and excluded minutes."""
    total = parse_minutes(total_minutes, "total_minutes")
    excluded = parse_minutes(excluded_minutes, "excluded_minutes")
    if excluded > total:
        raise CreditInputError(
            "excluded_minutes",
            f"cannot exceed the total minutes ({grouped(excluded)} > {grouped(total)})",
        )
    items = (ExcludedItem("Excluded time (as entered)", excluded, "entered as not instruction"),)
    return ceu_result(total, items if excluded else (), policy)


def ceu_result(
    total: Decimal, excluded: Iterable[ExcludedItem], policy: RoundingPolicy = IACET_ROUNDING
) -> CeuResult:
    """Apply the rule to time already split into counted and excluded parts."""
    items = tuple(excluded)
    excluded_total = sum((item.minutes for item in items), Decimal(0))
    contact = total - excluded_total
    if contact < 0:
        raise CreditInputError("excluded_minutes", "excluded time cannot exceed the total")
    if contact > MAX_MINUTES:
        raise CreditInputError("total_minutes", over_limit(contact, MAX_MINUTES, "contact minutes"))
    unrounded = CONTEXT.divide(contact, policy.minutes_per_unit)
    ceus = policy.apply(unrounded)
    earns = ceus > 0
    if earns:
        note = (
            f"{ceus} IACET CEU: {contact} contact minutes / {policy.minutes_per_unit}, "
            f"rounded once to {policy.step}."
        )
    else:
        shortest = policy.minutes_per_unit * (policy.minimum_award - policy.step / 2)
        note = (
            f"No IACET CEU: {contact} contact minutes is under the {shortest.normalize():f} "
            f"minutes needed for the minimum award of {policy.minimum_award} CEU."
        )
    return CeuResult(
        total_minutes=total,
        excluded_minutes=excluded_total,
        contact_minutes=contact,
        contact_hours=CONTEXT.divide(contact, MINUTES_PER_CONTACT_HOUR).quantize(
            HOURS_DISPLAY_STEP, rounding=ROUND_HALF_UP
        ),
        ceus_unrounded=unrounded,
        ceus=ceus,
        earns_ceu=earns,
        note=note,
        excluded=items,
    )


def parse_minutes(value: str | int | Decimal, field: str) -> Decimal:
    """A non-negative number of minutes within MAX_MINUTES; text in any form calc.durations reads ("6h30")."""
    if isinstance(value, str):
        return as_decimal(minutes_from_text(value, field))
    return parse_quantity(value, field, MAX_MINUTES, "minutes")
