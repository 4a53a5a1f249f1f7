"""Course plans: activity rows per week or per instance, totalled into contact time.

Modelled on the CPE course form in the seed ("Average Time Per Instance or Week"):
each row names an activity, its delivery mode, an amount of time (a number in the row's
unit, minutes or hours, or a time as people write it: "1h30", :mod:`calc.durations`)
per week or per instance, and how many weeks or instances. Rows become contact
minutes; the plan's CEUs follow the one rounding rule in :mod:`calc.ceu`, and the
delivery mix is checked by :mod:`calc.delivery`.

Input as CSV (header ``activity,delivery,amount,unit,per,count``) or JSON
(``{"rows": [{"activity": ..., "delivery": ..., "hours"|"minutes": ..., "per":
"week"|"instance", "count": ...}], "weeks": N}``). In JSON, a row ``per`` week
may leave out ``count`` and take the plan's ``weeks``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from calc.ceu import CONTEXT, IACET_ROUNDING, MINUTES_PER_CONTACT_HOUR, CeuResult, RoundingPolicy, ceu_result
from calc.delivery import DEFAULT_COMPONENT, DEFAULT_THRESHOLD, DELIVERY_MODES, DeliveryMix, delivery_mix
from calc.durations import as_decimal, duration_from_text
from calc.errors import CreditInputError, quoted
from calc.json_input import load_json
from calc.numbers import parse_quantity

PER = ("week", "instance")
UNITS = {"minutes": Decimal(1), "hours": MINUTES_PER_CONTACT_HOUR}
#: More than this many weeks or instances is a typing mistake, not a course.
MAX_COUNT = Decimal(1000)
#: A row's time per week or per instance: no more than a week holds.
MAX_MINUTES_EACH = Decimal(7 * 24 * 60)
#: Characters no activity name holds: C0 and C1 controls (NUL, escape, ...) and lone surrogates.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class PlanRow:
    activity: str
    delivery: str
    minutes_each: Decimal
    per: str
    count: Decimal
    line: int = 0

    @property
    def minutes(self) -> Decimal:
        return self.minutes_each * self.count


@dataclass(frozen=True)
class RowTotal:
    row: PlanRow
    minutes: Decimal
    hours: Decimal
    #: This row's share of the plan's contact time (28 digits).
    share: Decimal


@dataclass(frozen=True)
class PlanResult:
    rows: tuple[RowTotal, ...]
    ceu: CeuResult
    delivery: DeliveryMix


def plan_row(
    activity: str, delivery: str, amount: Any, unit: str, per: str, count: Any, line: int = 0
) -> PlanRow:
    """One checked row; errors name the row and the column."""
    where = f"row {line}: " if line else ""
    activity = str(activity).strip()
    if not activity:
        raise CreditInputError("plan", f"{where}activity is required", line=line)
    if control := _CONTROL.search(activity):
        raise CreditInputError(
            "plan", f"{where}activity contains a control character (U+{ord(control.group()):04X})", line=line
        )
    delivery = str(delivery).strip().lower()
    if delivery not in DELIVERY_MODES:
        raise CreditInputError(
            "plan", f"{where}delivery {quoted(delivery)} is not one of {', '.join(DELIVERY_MODES)}", line=line
        )
    unit = str(unit).strip().lower()
    if unit not in UNITS:
        raise CreditInputError(
            "plan", f"{where}unit {quoted(unit)} is not one of {', '.join(UNITS)}", line=line
        )
    per = str(per).strip().lower()
    if per not in PER:
        raise CreditInputError("plan", f"{where}per {quoted(per)} is not one of {', '.join(PER)}", line=line)
    try:
        minutes_each = _minutes_each(_text(amount), unit)
        count_value = parse_quantity(_text(count), "count", MAX_COUNT)
    except CreditInputError as error:
        raise CreditInputError("plan", f"{where}{error.field} {error.message}", line=line) from None
    return PlanRow(activity, delivery, minutes_each, per, count_value, line)


def _minutes_each(amount: str | Decimal, unit: str) -> Decimal:
    """The row's time in minutes: a number in the row's unit, or a time as people write it ("1h30")."""
    limit = MAX_MINUTES_EACH / UNITS[unit]
    if isinstance(amount, Decimal):  # a number in a JSON plan
        return parse_quantity(amount, "amount", limit, unit) * UNITS[unit]
    return as_decimal(duration_from_text(amount, "amount", unit=unit, limit=limit))


def _text(value: Any) -> str | Decimal:
    if isinstance(value, bool):
        raise CreditInputError("value", "expected a number, got true/false")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    return value if isinstance(value, Decimal) else str(value)


def plan_totals(
    rows: Iterable[PlanRow],
    policy: RoundingPolicy = IACET_ROUNDING,
    component: Iterable[str] = DEFAULT_COMPONENT,
    threshold: Decimal = DEFAULT_THRESHOLD,
) -> PlanResult:
    """Each row's contact time and share, the plan's CEUs and its delivery mix."""
    items = tuple(rows)
    total = sum((row.minutes for row in items), Decimal(0))
    totals = tuple(
        RowTotal(
            row=row,
            minutes=row.minutes,
            hours=CONTEXT.divide(row.minutes, MINUTES_PER_CONTACT_HOUR),
            share=CONTEXT.divide(row.minutes, total) if total else Decimal(0),
        )
        for row in items
    )
    by_mode: dict[str, Decimal] = {}
    for row in items:
        by_mode[row.delivery] = by_mode.get(row.delivery, Decimal(0)) + row.minutes
    return PlanResult(totals, ceu_result(total, (), policy), delivery_mix(by_mode, component, threshold))


def parse_plan_csv(text: str) -> tuple[PlanRow, ...]:
    reader = csv.DictReader(io.StringIO(text))
    expected = ["activity", "delivery", "amount", "unit", "per", "count"]
    rows = []
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
        if header != expected:
            raise CreditInputError("plan", f"line 1: expected the header {','.join(expected)}", line=1)
        reader.fieldnames = header
        for record in reader:
            if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
                continue
            rows.append(plan_row(**{k: record[k] or "" for k in expected}, line=reader.line_num))
    except csv.Error as error:
        line = reader.reader.line_num  # the DictReader's own count stops at the last good row
        raise CreditInputError("plan", f"line {line}: not valid CSV: {error}", line=line) from None
    return tuple(rows)


def parse_plan_json(text: str) -> tuple[PlanRow, ...]:
    data = load_json(text, "plan")
    if not isinstance(data, Mapping) or not isinstance(data.get("rows"), list):
        raise CreditInputError("plan", 'expected an object with a "rows" list')
    weeks = data.get("weeks")
    rows = []
    for number, row in enumerate(data["rows"], start=1):
        if not isinstance(row, Mapping):
            raise CreditInputError("plan", f"row {number}: expected an object", line=number)
        if ("hours" in row) == ("minutes" in row):
            raise CreditInputError("plan", f'row {number}: give either "hours" or "minutes"', line=number)
        unit = "hours" if "hours" in row else "minutes"
        per = row.get("per", "instance")
        count = row.get("count", weeks if per == "week" else 1)
        if count is None:
            raise CreditInputError(
                "plan", f'row {number}: "count" is missing and the plan has no "weeks"', line=number
            )
        rows.append(
            plan_row(
                row.get("activity", ""), row.get("delivery", ""), row[unit], unit, per, count, line=number
            )
        )
    return tuple(rows)
