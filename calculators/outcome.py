"""What a calculator page shows: one shape for every calculator, built by pure functions.

A page model turns the form's values into an :class:`Outcome`; the page script
(``calculator.js``, fed by :mod:`calculators.page_session`) renders any Outcome the
same way (figures, tables, steps, field messages), the worksheet prints it, and tests compare it with the CLI. Values are display strings
computed by the engine (exact decimals), never re-computed by the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from calc.ics import Calendar

#: Decimal places shown before a long figure is abbreviated (the exact value stays in data).
SHOWN_PLACES = 4


def shown(value: str) -> str:
    """A figure for reading: exact when short, else rounded to SHOWN_PLACES with '≈'.

    0.4483333333333333333333333333 reads as "≈ 0.4483"; 0.5 stays "0.5".
    """
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    exponent = number.as_tuple().exponent
    if not number.is_finite() or not isinstance(exponent, int) or exponent >= -SHOWN_PLACES:
        return value
    return "\u2248 " + format(number.quantize(Decimal(1).scaleb(-SHOWN_PLACES), rounding=ROUND_HALF_UP), "f")


@dataclass(frozen=True)
class Figure:
    """One result: ``key`` is stable (tests and the page find it by key), ``value`` exact."""

    key: str
    label: str
    value: str
    unit: str = ""


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Shown folded on the page (a long reference table a visitor opens when they want it);
    #: a worksheet always shows it open.
    folded: bool = False


@dataclass(frozen=True)
class Step:
    """One line of the worksheet: the arithmetic, the rule it applies and where the rule comes from."""

    text: str
    rule: str
    source: str


@dataclass(frozen=True)
class FieldError:
    """A message shown beside the field it is about (``field`` is the input's name)."""

    field: str
    message: str


@dataclass(frozen=True)
class FieldHint:
    """A note beside a field that is not an error: the result stands, but the input may not
    say what the visitor meant ("6.5 is read as 6.5 minutes. Did you mean 6.5 hours?")."""

    field: str
    message: str


@dataclass(frozen=True)
class Outcome:
    title: str
    #: The inputs as the visitor gave them, (label, value), for the worksheet.
    inputs: tuple[tuple[str, str], ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    steps: tuple[Step, ...] = ()
    #: One sentence that sums the result up; screen readers hear it.
    summary: str = ""
    errors: tuple[FieldError, ...] = field(default=())
    #: Dates a visitor can take to their calendar; the page stamps and writes it when asked.
    calendar: Calendar | None = None
    #: Notes beside fields, shown whether or not the outcome is an error.
    hints: tuple[FieldHint, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.errors

    def figure(self, key: str) -> str:
        for item in self.figures:
            if item.key == key:
                return item.value
        raise KeyError(key)


def failed(title: str, inputs: tuple[tuple[str, str], ...], field_name: str, message: str) -> Outcome:
    """An outcome that only says what is wrong with one field."""
    return Outcome(title, inputs, summary=message, errors=(FieldError(field_name, message),))
