"""Contact time in other credentialing bodies' units.

The bodies and their rules live in ``directory_data/credit_systems.csv`` (each row
sourced and dated); this module reads that table's text and converts. Where the
source is silent (no rate, no increment, no rounding rule) the result says
"unknown" or shows the exact figure, instead of guessing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from calc.ceu import CONTEXT
from calc.errors import CreditInputError

ROUNDING_MODES = {"down": ROUND_DOWN, "half-up": ROUND_HALF_UP}

# Sane bounds for a body's rule: at least a minute and at most 100 hours per unit (a
# semester credit, about 45 hours, is the largest unit in common use), steps no finer
# than a thousandth of a unit and no coarser than 100 units. Anything outside is a typo
# or an attempt to break the arithmetic (an increment of 1e-28 once made conversions
# fail). directory_data/schema.json gives credit_systems.csv the same minimum and
# maximum, so the validator refuses such rows before a build reads them.
MIN_MINUTES_PER_UNIT = Decimal(1)
MAX_MINUTES_PER_UNIT = Decimal(6_000)
MIN_INCREMENT = Decimal("0.001")
MAX_INCREMENT = Decimal(100)
#: The columns a row cannot do without.
REQUIRED_COLUMNS = ("id", "body", "unit", "source_url")


@dataclass(frozen=True)
class CreditSystem:
    """One body's unit for one credential, as its cited source states it."""

    id: str
    body: str
    credential: str
    unit: str
    minutes_per_unit: Decimal | None
    increment: Decimal | None
    rounding: str | None
    cycle_years: int | None
    units_required: Decimal | None
    requirement_note: str
    source_url: str
    source_kind: str
    source_date: str
    verified_on: str


@dataclass(frozen=True)
class Conversion:
    system: CreditSystem
    #: None when the source gives no rate: the figure is unknown.
    units: Decimal | None
    units_unrounded: Decimal | None
    rule: str


def parse_credit_systems(text: str, source_name: str = "credit_systems.csv") -> tuple[CreditSystem, ...]:
    """Read the credit-systems table; the directory validator checks it fully, this reads what it needs.

    Every problem is a CreditInputError naming ``source_name:line``; a table with no
    rows is one too (a conversion list that silently lists nothing helps nobody).
    """
    reader = csv.DictReader(io.StringIO(text))
    systems = []
    try:
        missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or ())]
        if missing:
            raise _row_error(source_name, 1, f"the header lacks {', '.join(missing)}")
        for record in reader:
            systems.append(_system(record, source_name, reader.line_num))
    except csv.Error as error:
        # The DictReader's own line count stops at the last good row; its reader's does not.
        raise _row_error(source_name, reader.reader.line_num, f"not valid CSV: {error}") from None
    if not systems:
        raise _row_error(source_name, 1, "lists no credit systems (expected a header and one row per body)")
    return tuple(systems)


def _system(record: dict[str | Any, Any], source_name: str, line: int) -> CreditSystem:
    try:
        if any(not (record.get(name) or "").strip() for name in REQUIRED_COLUMNS):
            raise ValueError(f"{', '.join(REQUIRED_COLUMNS)} are required")
        return CreditSystem(
            id=record["id"],
            body=record["body"],
            credential=record.get("credential") or "",
            unit=record["unit"],
            minutes_per_unit=_bounded(
                record.get("minutes_per_unit"), "minutes_per_unit", MIN_MINUTES_PER_UNIT, MAX_MINUTES_PER_UNIT
            ),
            increment=_bounded(record.get("increment"), "increment", MIN_INCREMENT, MAX_INCREMENT),
            rounding=_rounding(record.get("rounding")),
            cycle_years=int(record["cycle_years"]) if record.get("cycle_years") else None,
            units_required=_decimal(record.get("units_required")),
            requirement_note=record.get("requirement_note") or "",
            source_url=record["source_url"],
            source_kind=record.get("source_kind") or "",
            source_date=record.get("source_date") or "",
            verified_on=record.get("verified_on") or "",
        )
    except (ValueError, InvalidOperation) as error:
        raise _row_error(source_name, line, f"cannot read the row: {error}") from None


def _row_error(source_name: str, line: int, message: str) -> CreditInputError:
    return CreditInputError("credit_systems", f"{source_name}:{line}: {message}", line=line)


def _decimal(text: str | None) -> Decimal | None:
    if not text or not text.strip():
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text.strip()[:40]!r} is not a number") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"{text!r} is not a positive number")
    return value


def _bounded(text: str | None, column: str, low: Decimal, high: Decimal) -> Decimal | None:
    value = _decimal(text)
    if value is not None and not low <= value <= high:
        raise ValueError(f"{column} {text!r} is outside {low:f} to {high:f}")
    return value


def _rounding(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    if text.strip() not in ROUNDING_MODES:
        raise ValueError(f"rounding {text!r} is not one of {', '.join(ROUNDING_MODES)}")
    return text.strip()


def convert(contact_minutes: Decimal, system: CreditSystem) -> Conversion:
    """Contact minutes in one body's unit, with the rule that produced the figure."""
    unit = system.unit
    if system.minutes_per_unit is None:
        return Conversion(
            system, None, None, f"unknown: the source does not state how much time earns one {unit}"
        )
    exact = CONTEXT.divide(contact_minutes, system.minutes_per_unit)
    rate = f"1 {unit} per {system.minutes_per_unit.normalize():f} minutes"
    if system.increment is None:
        return Conversion(
            system, exact, exact, f"{rate}; the source gives no increment, so the figure is exact"
        )
    if system.rounding is None:
        return Conversion(
            system,
            exact,
            exact,
            f"{rate}, counted in steps of {system.increment.normalize():f}; the source does not say "
            "how partial steps round, so the exact figure is shown",
        )
    # to_integral_value, unlike quantize, cannot fail however many digits the steps have.
    steps = CONTEXT.divide(exact, system.increment).to_integral_value(
        rounding=ROUNDING_MODES[system.rounding], context=CONTEXT
    )
    units = CONTEXT.multiply(steps, system.increment)
    return Conversion(
        system,
        units,
        exact,
        f"{rate}, counted in steps of {system.increment.normalize():f}, rounded {system.rounding}",
    )


def convert_all(contact_minutes: Decimal, systems: Iterable[CreditSystem]) -> tuple[Conversion, ...]:
    return tuple(convert(contact_minutes, system) for system in systems)
