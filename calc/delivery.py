"""The delivery mix of a course, and the 51% rule.

Seed ("Calculating & Awarding CEUs and Course Hours Process"): the supervisor or
educator determines "the Instruction/Supervision (Classroom Time) and distance
education hours and percentage (minimum of 51% per unit/course)".

The seed does not say which part must reach 51%. The default reading, used here:
instruction or supervision must be at least 51% of contact hours. The component
(which delivery modes count towards the share) and the threshold are parameters,
so a provider whose reviewer reads it differently can check that reading instead.
The comparison is exact (no rounded percentages): exactly 51% passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from calc.ceu import CONTEXT, MINUTES_PER_CONTACT_HOUR
from calc.errors import CreditInputError, quoted
from calc.numbers import grouped

#: Delivery modes and what each means, in the order they are reported.
DELIVERY_MODES: dict[str, str] = {
    "instruction": "instruction or supervision with an educator (classroom time, in person or live)",
    "distance": "distance education: instructor and learner apart, interacting through technology",
    "self-paced": "self-paced work with learning materials (reading, modules, reflection)",
}

DEFAULT_COMPONENT = frozenset({"instruction"})
DEFAULT_THRESHOLD = Decimal("0.51")


@dataclass(frozen=True)
class ModeShare:
    mode: str
    minutes: Decimal
    hours: Decimal
    #: minutes / total, to 28 digits (0 when there is no time at all).
    share: Decimal


@dataclass(frozen=True)
class DeliveryMix:
    modes: tuple[ModeShare, ...]
    component: tuple[str, ...]
    threshold: Decimal
    component_minutes: Decimal
    component_share: Decimal
    passes: bool
    explanation: str


def delivery_mix(
    minutes_by_mode: Mapping[str, Decimal],
    component: Iterable[str] = DEFAULT_COMPONENT,
    threshold: Decimal = DEFAULT_THRESHOLD,
) -> DeliveryMix:
    """Hours and share per delivery mode, and whether ``component`` reaches ``threshold``."""
    parts = tuple(sorted(set(component), key=_mode_order))
    for mode in (*minutes_by_mode, *parts):
        if mode not in DELIVERY_MODES:
            raise CreditInputError("delivery", f"{quoted(mode)} is not one of {', '.join(DELIVERY_MODES)}")
    if not Decimal(0) < threshold <= Decimal(1):
        raise CreditInputError("threshold", f"must be a share between 0 and 1 (got {grouped(threshold)})")
    total = sum(minutes_by_mode.values(), Decimal(0))
    modes = tuple(
        ModeShare(
            mode=mode,
            minutes=minutes,
            hours=CONTEXT.divide(minutes, MINUTES_PER_CONTACT_HOUR),
            share=CONTEXT.divide(minutes, total) if total else Decimal(0),
        )
        for mode, minutes in sorted(minutes_by_mode.items(), key=lambda kv: _mode_order(kv[0]))
    )
    part = sum((minutes_by_mode.get(mode, Decimal(0)) for mode in parts), Decimal(0))
    # Exact comparison: part / total >= threshold  <=>  part >= threshold * total.
    passes = total > 0 and part >= threshold * total
    share = CONTEXT.divide(part, total) if total else Decimal(0)
    percent = f"{(share * 100).quantize(Decimal('0.1'))}%"
    needed = f"{(threshold * 100).normalize():f}%"
    names = " + ".join(parts)
    if total == 0:
        explanation = "No contact time, so no delivery mix to check."
    elif passes:
        explanation = f"{names} is {percent} of contact time, at least the {needed} required."
    else:
        explanation = f"{names} is {percent} of contact time, under the {needed} required."
    return DeliveryMix(modes, parts, threshold, part, share, passes, explanation)


def _mode_order(mode: str) -> tuple[int, str]:
    order = list(DELIVERY_MODES)
    return (order.index(mode) if mode in order else len(order), mode)
