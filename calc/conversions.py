"""The credit-systems table: each body's unit and the rule that turns contact time into it.

The rows live in ``directory_data/credit_systems.csv`` (each one sourced and dated);
this module reads that table's text into :class:`~calc.policy.CreditSystem` values,
refusing a row whose rule cannot be applied (``calc.policy.rule_problems``). The engine runs alone in the browser, so it cannot read ``schema.json``:
the bounds below are the schema's, held equal by a test.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from calc.errors import CreditInputError, quoted
from calc.policy import CreditSystem, rule_problems

#: How an unfinished step counts: only complete steps, the nearest step (halves up), or a
#: step counted whole once it reaches ``threshold_minutes``.
ROUNDING_MODES = ("down", "half-up", "threshold")
KINDS = ("body-rule", "convention")

# Sane bounds for a rule: at least a minute and at most 100 hours per unit (a semester
# credit, about 45 hours, is the largest unit in common use), steps no finer than a
# thousandth of a unit and no coarser than 100 units. Anything outside is a typo or an
# attempt to break the arithmetic (an increment of 1e-28 once made conversions fail).
MIN_MINUTES_PER_UNIT = Decimal(1)
MAX_MINUTES_PER_UNIT = Decimal(6_000)
MIN_INCREMENT = Decimal("0.001")
MAX_INCREMENT = Decimal(100)
#: (low, high) for the other numeric columns, as schema.json declares them.
BOUNDS: dict[str, tuple[Decimal, Decimal]] = {
    "minutes_per_unit": (MIN_MINUTES_PER_UNIT, MAX_MINUTES_PER_UNIT),
    "threshold_minutes": (Decimal(1), Decimal(6_000)),
    "minimum_minutes": (Decimal(1), Decimal(6_000)),
    "minimum_award": (Decimal("0.001"), Decimal(100)),
    "daily_cap": (Decimal("0.001"), Decimal(100)),
    "multiplier": (Decimal("0.01"), Decimal(10)),
    "semester_credit_units": (Decimal("0.001"), Decimal(1_000)),
    "quarter_credit_units": (Decimal("0.001"), Decimal(1_000)),
    "example_minutes": (Decimal(1), Decimal(100_000)),
    "example_units": (Decimal(0), Decimal(100_000)),
}
#: The columns a row cannot do without.
REQUIRED_COLUMNS = ("id", "body", "unit", "source_url")
#: The longest line a credit-systems table may have, in characters: the directory's row limit
#: (directory/data_files.py MAX_ROW_BYTES; the engine imports nothing outside calc, so a test
#: keeps the two equal). A longer line, such as a million commas, is refused before the csv
#: module splits it into values.
MAX_LINE_CHARS = 131_072


def parse_credit_systems(text: str, source_name: str = "credit_systems.csv") -> tuple[CreditSystem, ...]:
    """Read the credit-systems table; the directory validator checks it fully, this reads what it needs.

    Every problem is a CreditInputError naming ``source_name:line``; a table with no
    rows is one too (a conversion list that silently lists nothing helps nobody).
    """
    lines = text.split("\n")
    if len(max(lines, key=len)) > MAX_LINE_CHARS:
        number = next(n for n, line in enumerate(lines, start=1) if len(line) > MAX_LINE_CHARS)
        raise _row_error(
            source_name,
            number,
            f"is over {MAX_LINE_CHARS:,} characters long, far longer than a row; is it the right file?",
        )
    del lines
    reader = csv.DictReader(io.StringIO(text))
    systems = []
    try:
        missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or ())]
        if missing:
            raise _row_error(source_name, 1, f"the header lacks {', '.join(missing)}")
        for record in reader:
            if None in record:  # DictReader keeps the values past the header's columns under None
                columns = len(reader.fieldnames or ())
                raise _row_error(
                    source_name,
                    reader.line_num,
                    f"has {columns + len(record[None]):,} values but the header has {columns} columns; "
                    'put a value that contains a comma in double quotes ("a, b")',
                )
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
        system = system_from_record(record)
    except (ValueError, InvalidOperation) as error:
        raise _row_error(source_name, line, f"cannot read the row: {error}") from None
    for column, message in rule_problems(system):
        raise _row_error(source_name, line, f"cannot read the row: {column}: {message}")
    return system


def system_from_record(record: Mapping[str, Any]) -> CreditSystem:
    """One row's cells as a CreditSystem; ValueError names the first cell that cannot be read.

    The validator uses this too, on rows whose cells it has already checked, so that the
    row-wide rule checks run on exactly what the engine will compute with.
    """

    def text(name: str) -> str:
        return str(record.get(name) or "").strip()

    return CreditSystem(
        id=text("id"),
        body=text("body"),
        credential=text("credential"),
        unit=text("unit"),
        kind=_choice(text("kind") or "body-rule", "kind", KINDS),
        increment=_step(text("increment")),
        rounding=_choice(text("rounding"), "rounding", ROUNDING_MODES) or None,
        multiplier_condition=text("multiplier_condition"),
        requirement_note=text("requirement_note"),
        source_url=text("source_url"),
        source_kind=text("source_kind"),
        source_date=text("source_date"),
        source_quote=text("source_quote"),
        verified_on=text("verified_on"),
        **{name: _bounded(text(name), name) for name in BOUNDS},
    )


def custom_system(settings: Mapping[str, str], unit: str = "unit") -> CreditSystem:
    """A rule given piece by piece (CLI flags), for a body the table does not list.

    ``settings`` maps column names (minutes_per_unit, increment, rounding, ...) to text; a
    bad value raises CreditInputError naming that column, so the caller can name its flag.
    """
    for column, value in settings.items():
        try:
            if column == "increment":
                _step(value.strip())
            elif column in BOUNDS:
                _bounded(value.strip(), column)
            elif column == "rounding":
                _choice(value.strip(), column, ROUNDING_MODES)
        except (ValueError, InvalidOperation) as error:
            raise CreditInputError(column, str(error).removeprefix(f"{column} ")) from None
    system = system_from_record(
        {"id": "custom", "body": "Your rule", "unit": unit, "kind": "convention", **settings}
    )
    if system.minutes_per_unit is None:
        raise CreditInputError("minutes_per_unit", "a custom rule needs the minutes that earn one unit")
    for column, message in rule_problems(system):
        raise CreditInputError(column, message)
    return system


def _row_error(source_name: str, line: int, message: str) -> CreditInputError:
    return CreditInputError("credit_systems", f"{source_name}:{line}: {message}", line=line)


def _decimal(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{quoted(text)} is not a number") from None
    if not value.is_finite() or value < 0 or value.is_signed():
        raise ValueError(f"{quoted(text)} is not a positive number")
    return value


def _bounded(text: str, column: str) -> Decimal | None:
    value = _decimal(text)
    low, high = BOUNDS[column]
    if value is not None and not low <= value <= high:
        raise ValueError(f"{column} {quoted(text)} is outside {low:f} to {high:f}")
    return value


def _step(text: str) -> Fraction | None:
    """The increment: a decimal (0.25) or a fraction of small whole numbers (1/3)."""
    if "/" not in text:
        value = _decimal(text)
        # Bounded before Fraction(): 1e-999999999 as a fraction has a billion-digit denominator.
        if value is not None and not MIN_INCREMENT <= value <= MAX_INCREMENT:
            raise ValueError(f"increment {quoted(text)} is outside {MIN_INCREMENT:f} to {MAX_INCREMENT:f}")
        step = None if value is None else Fraction(value)
    else:
        numerator, _, denominator = text.partition("/")
        if not (
            numerator.isascii() and numerator.isdigit() and denominator.isascii() and denominator.isdigit()
        ):
            raise ValueError(f"increment {quoted(text)} is not a number or a fraction such as 1/3")
        if len(numerator) > 3 or len(denominator) > 3 or int(denominator) == 0:
            raise ValueError(
                f"increment {quoted(text)} is not a fraction of whole numbers up to 999 such as 1/3"
            )
        step = Fraction(int(numerator), int(denominator))
    if step is not None and not MIN_INCREMENT <= step <= MAX_INCREMENT:
        raise ValueError(f"increment {quoted(text)} is outside {MIN_INCREMENT:f} to {MAX_INCREMENT:f}")
    return step


def _choice(text: str, column: str, choices: tuple[str, ...]) -> str:
    if text and text not in choices:
        raise ValueError(f"{column} {quoted(text)} is not one of {', '.join(choices)}")
    return text
