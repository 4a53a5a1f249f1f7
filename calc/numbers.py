"""Reading and showing the engine's decimal quantities.

Inputs arrive as text (CLI flags, form fields); they become ``Decimal`` here, once,
with one message per kind of mistake. Output formatting drops trailing zeros so
5.0 hours shows as ``5`` and 0.50 CEU as ``0.5``, and never shows a negative zero.
"""

from __future__ import annotations

import math
from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction

from calc.errors import CreditInputError

#: No quantity in these rules comes near a trillion (minutes, hours, CECs, counts, shares);
#: larger figures, and more decimal places than the engine computes with, are typing
#: mistakes, and refusing them keeps every later step exact and quick.
MAX_QUANTITY = Decimal(10) ** 12
MAX_PLACES = 28


def parse_quantity(text: str | int | Decimal, field: str) -> Decimal:
    """Turn user input into a finite, non-negative Decimal or raise CreditInputError."""
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    elif isinstance(text, str):
        cleaned = text.strip().replace(",", "")
        if not cleaned:
            raise CreditInputError(field, "a number is required")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise CreditInputError(field, f"{text.strip()[:40]!r} is not a number") from None
    else:
        raise CreditInputError(field, f"expected a number, got {type(text).__name__}")
    if not value.is_finite():
        raise CreditInputError(field, "must be a finite number")
    if value < 0:
        raise CreditInputError(field, f"cannot be negative (got {value})")
    if value > MAX_QUANTITY:
        raise CreditInputError(field, f"is more than the limit of {MAX_QUANTITY:f} for any figure")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise CreditInputError(field, f"has more than {MAX_PLACES} decimal places")
    return value.copy_abs() if value.is_zero() else value  # "-0" is zero, shown as 0


def show(value: Decimal) -> str:
    """Plain positional notation without trailing zeros: 5.00 -> '5', 0.50 -> '0.5', -0 -> '0'."""
    if value.is_zero():
        return "0"
    return format(value.normalize(), "f")


#: Wide enough that a whole number of steps times a step is always exact, whatever the caller's context.
_WIDE = Context(prec=60)
#: An exact figure is written as a decimal when it ends within this many places, else as a fraction.
EXACT_PLACES = 6


def exact_text(value: Fraction) -> str:
    """An exact rational figure, short: 0.15, 1.25, or 5/6 where the decimal would repeat for ever."""
    for places in range(EXACT_PLACES + 1):
        scaled = value * 10**places
        if scaled.denominator == 1:
            return show(_WIDE.scaleb(Decimal(scaled.numerator), -places))
    return f"{value.numerator}/{value.denominator}"


def approximately(value: Fraction, places: int = 4) -> str:
    """'5/6 ≈ 0.8333' for a figure that is not a short decimal, else just the decimal."""
    text = exact_text(value)
    if "/" not in text:
        return text
    nearest = math.floor(value * 10**places + Fraction(1, 2))
    return f"{text} \u2248 {show(_WIDE.scaleb(Decimal(nearest), -places))}"


def round_to_step(
    value: Fraction, step: Fraction, mode: str, threshold: Fraction = Fraction(1, 2)
) -> Fraction:
    """``value`` as a whole number of ``step``s, never failing however many digits either has.

    ``down``: only complete steps; ``half-up``: the nearest step, halves up; ``threshold``:
    an unfinished step counts once it reaches ``threshold`` of a step. Exact rational
    arithmetic, so no decimal context or precision can change the answer.
    """
    count = value / step
    whole = math.floor(count)
    part = count - whole
    if mode == "half-up":
        whole += part >= Fraction(1, 2)
    elif mode == "threshold":
        whole += part >= threshold
    elif mode != "down":
        raise ValueError(f"unknown rounding mode {mode!r}")
    return whole * step
