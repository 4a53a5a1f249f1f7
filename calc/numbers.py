"""Reading and showing the engine's decimal quantities.

Inputs arrive as text (CLI flags, form fields); they become ``Decimal`` here, once,
with one message per kind of mistake. Output formatting drops trailing zeros so
5.0 hours shows as ``5`` and 0.50 CEU as ``0.5``, and never shows a negative zero.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

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
