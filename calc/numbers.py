"""Reading and showing the engine's decimal quantities.

Inputs arrive as text (CLI flags, form fields); they become ``Decimal`` here, once,
with one message per kind of mistake. Output formatting drops trailing zeros so
5.0 hours shows as ``5`` and 0.50 CEU as ``0.5``, and never shows a negative zero.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction

# ECHO_CHARS is declared with the error type (every message uses it); also importable from here.
from calc.errors import ECHO_CHARS as ECHO_CHARS
from calc.errors import CreditInputError, quoted

#: No quantity in these rules comes near a trillion (minutes, hours, CECs, counts, shares);
#: larger figures, and more decimal places than the engine computes with, are typing
#: mistakes, and refusing them keeps every later step exact and quick. A field with a
#: tighter limit of its own (minutes, hours, counts) passes it to :func:`parse_quantity`,
#: so that one limit is checked and named, with its unit.
MAX_QUANTITY = Decimal(10) ** 12
MAX_PLACES = 28
#: The limit for a field whose caller checks its own range, in its own words (a share from
#: 0 to 1): then that range is the one limit the field names.
OWN_RANGE = Decimal("Infinity")
#: A figure with more whole digits than this is described in a message ("a 401-digit
#: number"), not written out: the limits themselves have at most 13.
SHOWN_DIGITS = 20
#: A comma only groups thousands (1,200 or 1,000,000); in "1,5" it would be a decimal
#: comma, which this grouping rule makes ambiguous ("1,500"), so such a figure is refused.
GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")
DECIMAL_COMMA = "write decimals with a point (1.5); a comma only groups thousands (1,200)"


def parse_quantity(
    text: str | int | Decimal, field: str, limit: Decimal = MAX_QUANTITY, unit: str = ""
) -> Decimal:
    """Turn user input into a finite, non-negative Decimal up to ``limit`` or raise CreditInputError.

    ``unit`` names what the figure counts ("minutes", "hours"), for the message that names
    the limit: "1,000,000,000 minutes is more than the limit of 10,000,000 minutes".
    """
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    elif isinstance(text, str):
        stripped = text.strip()
        if not stripped:
            raise CreditInputError(field, "a number is required")
        if "," in stripped and not GROUPED.fullmatch(stripped):
            raise CreditInputError(field, DECIMAL_COMMA)
        try:
            value = Decimal(stripped.replace(",", ""))
        except InvalidOperation:
            raise CreditInputError(field, f"{quoted(stripped)} is not a number") from None
    else:
        raise CreditInputError(field, f"expected a number, got {type(text).__name__}")
    if not value.is_finite():
        raise CreditInputError(field, "must be a finite number")
    if value < 0:
        raise CreditInputError(field, f"cannot be negative (got {grouped(value)})")
    if value > limit:
        raise CreditInputError(field, over_limit(value, limit, unit))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise CreditInputError(field, f"has more than {MAX_PLACES} decimal places")
    return value.copy_abs() if value.is_zero() else value  # "-0" is zero, shown as 0


def grouped(value: Decimal | int) -> str:
    """A figure for a message: thousands grouped, exact, no exponent: 1E+9 -> '1,000,000,000'.

    Trailing zeros after the point are dropped (no decimal context is used, so no digit is
    lost); a figure of more than SHOWN_DIGITS whole digits is described by its length.
    """
    number = Decimal(value)
    if not number.is_finite():
        return str(number)
    if number.is_zero():
        return "0"
    digits = number.adjusted() + 1
    if digits > SHOWN_DIGITS:
        return f"a {digits:,}-digit number"
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_PLACES + SHOWN_DIGITS:  # -1e-999999999
        return f"a number with {-exponent:,} decimal places"
    text = format(number, ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def over_limit(value: Decimal | int, limit: Decimal | int, unit: str = "") -> str:
    """The one message for a figure over its limit, naming the figure, the limit and the unit."""
    after = f" {unit}" if unit else ""
    figure = grouped(value)
    subject = f"{figure} of{after}" if figure.startswith("a ") and unit else f"{figure}{after}"
    return f"{subject} is more than the limit of {grouped(limit)}{after}"


def show(value: Decimal) -> str:
    """Plain positional notation without trailing zeros: 5.00 -> '5', 0.50 -> '0.5', -0 -> '0'."""
    if value.is_zero():
        return "0"
    # A context as wide as the figure, so normalising drops zeros and never rounds a digit away.
    exact = Context(prec=max(len(value.as_tuple().digits), 1))
    return format(value.normalize(exact), "f")


#: Decimal places a figure for reading keeps before it is abbreviated (the exact value stays in data).
SHOWN_PLACES = 4


def shown(value: str | Decimal) -> str:
    """A figure for reading: exact when short, else rounded to SHOWN_PLACES with '≈'.

    0.4483333333333333333333333333 reads as "≈ 0.4483"; 0.5 stays "0.5". The one formatter of
    figures for reading: the calculators' pages, their worksheets and the guides' figures use it.
    Text that is not a number ("no IACET CEU") is returned as it is; a Decimal is :func:`show`n first.
    """
    text = show(value) if isinstance(value, Decimal) else value
    try:
        number = Decimal(text)
    except ArithmeticError:
        return text
    exponent = number.as_tuple().exponent
    if not number.is_finite() or not isinstance(exponent, int) or exponent >= -SHOWN_PLACES:
        return text
    return "\u2248 " + format(number.quantize(Decimal(1).scaleb(-SHOWN_PLACES), rounding=ROUND_HALF_UP), "f")


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


def approximately(value: Fraction, places: int = SHOWN_PLACES) -> str:
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
