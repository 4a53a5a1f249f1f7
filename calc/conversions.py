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

from calc.ceu import CONTEXT
from calc.errors import CreditInputError

ROUNDING_MODES = {"down": ROUND_DOWN, "half-up": ROUND_HALF_UP}


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
    """Read the credit-systems table; the directory validator checks it fully, this reads what it needs."""
    reader = csv.DictReader(io.StringIO(text))
    systems = []
    for record in reader:
        line = reader.line_num
        try:
            systems.append(
                CreditSystem(
                    id=record["id"],
                    body=record["body"],
                    credential=record.get("credential") or "",
                    unit=record["unit"],
                    minutes_per_unit=_decimal(record.get("minutes_per_unit")),
                    increment=_decimal(record.get("increment")),
                    rounding=_rounding(record.get("rounding")),
                    cycle_years=int(record["cycle_years"]) if record.get("cycle_years") else None,
                    units_required=_decimal(record.get("units_required")),
                    requirement_note=record.get("requirement_note") or "",
                    source_url=record["source_url"],
                    source_kind=record.get("source_kind") or "",
                    source_date=record.get("source_date") or "",
                    verified_on=record.get("verified_on") or "",
                )
            )
        except (KeyError, ValueError, InvalidOperation) as error:
            raise CreditInputError(
                "credit_systems", f"{source_name}:{line}: cannot read the row: {error}", line=line
            ) from None
    return tuple(systems)


def _decimal(text: str | None) -> Decimal | None:
    if not text or not text.strip():
        return None
    value = Decimal(text.strip())
    if not value.is_finite() or value <= 0:
        raise ValueError(f"{text!r} is not a positive number")
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
    steps = CONTEXT.divide(exact, system.increment).quantize(
        Decimal(1), rounding=ROUNDING_MODES[system.rounding]
    )
    units = steps * system.increment
    return Conversion(
        system,
        units,
        exact,
        f"{rate}, counted in steps of {system.increment.normalize():f}, rounded {system.rounding}",
    )


def convert_all(contact_minutes: Decimal, systems: Iterable[CreditSystem]) -> tuple[Conversion, ...]:
    return tuple(convert(contact_minutes, system) for system in systems)
