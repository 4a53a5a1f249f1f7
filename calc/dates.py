"""Calendar arithmetic the rules share: reading dates, adding years, months and business days.

Rules about "two years", "four years", "18 months before" and "3 business days"
need one answer for month ends and leap days: adding to 29 February or 31 August
lands on the last day of the target month when that month is shorter.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable

from calc.errors import CreditInputError, quoted

_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
#: Dates these rules deal in. Outside them a date is a typing mistake, and the rules'
#: arithmetic (four years on, 18 months before) stays within what a date can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def parse_date(text: str | dt.date, field: str, *, us_form: bool = False) -> dt.date:
    """An ISO date (YYYY-MM-DD), or with ``us_form`` also MM/DD/YYYY; the date must exist."""
    if isinstance(text, dt.date):
        return text
    value = str(text).strip()
    forms = "YYYY-MM-DD or MM/DD/YYYY" if us_form else "YYYY-MM-DD"
    day = None
    try:
        if us_form and (match := _US_DATE.fullmatch(value)):
            month, number, year = (int(part) for part in match.groups())
            day = dt.date(year, month, number)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
    except ValueError:
        raise CreditInputError(field, f"{quoted(value)} is not a date that exists") from None
    if day is None:
        raise CreditInputError(field, f"{quoted(value)} is not a date in the form {forms}")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CreditInputError(field, f"{quoted(value)} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def is_business_day(day: dt.date, holidays: Iterable[dt.date] = ()) -> bool:
    return day.weekday() < 5 and day not in set(holidays)


def add_business_days(start: dt.date, days: int, holidays: Iterable[dt.date] = ()) -> dt.date:
    """The ``days``-th business day after ``start`` (``start`` itself is not counted)."""
    closed = set(holidays)
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            counted += 1
    return day
