"""Engine results as plain JSON-ready data: Decimals become exact strings.

A Decimal keeps its own precision (``5.00`` hours, ``0.5`` CEU, ``1.0`` CEU) so a
reader sees the step it was reported to; nothing is rounded here. A negative zero
is shown as zero.

Used by ``ceu --json``, so the command's JSON carries the engine's own digits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from calc.numbers import exact_text


def plain(value: Any) -> Any:
    """Dataclasses to dicts, tuples to lists, Decimals to positional strings, Fractions to "5/6"."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return format(value.copy_abs() if value.is_zero() else value, "f")
    if isinstance(value, Fraction):
        return exact_text(value)  # "0.15", or "5/6" where a decimal would repeat for ever
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value
