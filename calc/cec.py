"""ACE Continuing Education Credits (CECs) and ACE course numbers.

Source: ACE FAQ "Continuing Education Credits (CECs)" (seed ace-cec-faq.txt):

* "For each hour of structured learning, ACE assigns 0.1 CEC."
* "one semester hour is equivalent to 1.0 CECs; a quarter hour equivalent to 0.8
  CECs", and for university classes "a grade report or transcript must reflect at
  least a 'C' grade". Without a grade the hours still count, with a warning to keep
  the transcript; a grade below C (C-, D, F) earns nothing.
* "You can earn 0.2 CEC each for CPR, AED, and First-Aid."
* "Can I get CECs for a workout session or activity course? No."
* Course numbers are "CEP/CP/CA/CS/CL ... followed by five to six numbers".
* Completion dates are entered "in MM/DD/YYYY format"; ISO dates are accepted too.

CECs are exact: the engine never rounds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from calc.durations import as_decimal, duration_words, hours_from_text
from calc.errors import CreditInputError, quoted
from calc.numbers import approximately, parse_quantity

CEC_PER_HOUR = Decimal("0.1")
CEC_PER_SEMESTER_HOUR = Decimal("1.0")
CEC_PER_QUARTER_HOUR = Decimal("0.8")
CEC_PER_SAFETY_COURSE = Decimal("0.2")
SAFETY_COURSES = {"cpr": "CPR", "aed": "AED", "first-aid": "First Aid"}
PASSING_GRADES = ("A+", "A", "A-", "B+", "B", "B-", "C+", "C")
FAILING_GRADES = ("C-", "D+", "D", "D-", "F")
COURSE_NUMBER = re.compile(r"(CEP|CP|CA|CS|CL)[0-9]{5,6}")
SOURCE = 'ACE FAQ "Continuing Education Credits (CECs)"'
#: More than this many hours in one entry is a typing mistake.
MAX_HOURS = Decimal(10_000)


@dataclass(frozen=True)
class CecPart:
    label: str
    quantity: Decimal
    rate: str
    cecs: Decimal


@dataclass(frozen=True)
class CecResult:
    cecs: Decimal
    parts: tuple[CecPart, ...]
    warnings: tuple[str, ...]
    source: str = SOURCE


def check_grade(grade: str | None) -> str | None:
    """A normalised letter grade, or None when none was given."""
    if grade is None or not str(grade).strip():
        return None
    value = str(grade).strip().upper()
    if value not in PASSING_GRADES + FAILING_GRADES:
        raise CreditInputError("grade", f"{quoted(grade)} is not a letter grade such as A, B+, C or F")
    return value


def ace_cecs(
    hours: str | Decimal | int = 0,
    semester_hours: str | Decimal | int = 0,
    quarter_hours: str | Decimal | int = 0,
    grade: str | None = None,
    cpr: bool = False,
    aed: bool = False,
    first_aid: bool = False,
    workout_hours: str | Decimal | int = 0,
) -> CecResult:
    """CECs for structured learning hours, university credit, safety courses and workouts."""
    learning = _time(hours, "hours")
    semester = parse_quantity(semester_hours, "semester_hours", MAX_HOURS, "semester hours")
    quarter = parse_quantity(quarter_hours, "quarter_hours", MAX_HOURS, "quarter hours")
    workouts = _time(workout_hours, "workout_hours")
    letter = check_grade(grade)
    parts: list[CecPart] = []
    warnings: list[str] = []
    if learning:
        parts.append(
            CecPart("structured learning hours", learning, "0.1 CEC per hour", learning * CEC_PER_HOUR)
        )
    for label, amount, rate, unit in (
        ("university semester hours", semester, CEC_PER_SEMESTER_HOUR, "semester hour"),
        ("university quarter hours", quarter, CEC_PER_QUARTER_HOUR, "quarter hour"),
    ):
        if not amount:
            continue
        if letter in FAILING_GRADES:
            parts.append(CecPart(label, amount, f"grade {letter} is below C: no CEC", Decimal(0)))
            continue
        if letter is None:
            warnings.append(
                f"{label}: no grade given; ACE needs a grade report or transcript showing C or better"
            )
        parts.append(CecPart(label, amount, f"{rate} CEC per {unit}", amount * rate))
    for taken, name in zip((cpr, aed, first_aid), SAFETY_COURSES.values(), strict=True):
        if taken:
            parts.append(CecPart(name, Decimal(1), "0.2 CEC each", CEC_PER_SAFETY_COURSE))
    if workouts:
        parts.append(CecPart("workout or activity sessions", workouts, "earn no CEC", Decimal(0)))
    total = sum((part.cecs for part in parts), Decimal(0))
    return CecResult(total, tuple(parts), tuple(warnings))


def _time(value: str | Decimal | int, field: str) -> Decimal:
    """Hours of learning: a number of hours, or a time as people write it ("12h30", "90 min").

    CECs are exact, so the hours must be a decimal: 1 h 10 min (7/6 h) is refused with its
    figure rather than rounded here.
    """
    if not isinstance(value, str):
        return parse_quantity(value, field, MAX_HOURS, "hours")
    hours = hours_from_text(value, field, MAX_HOURS)
    try:
        return as_decimal(hours)
    except ValueError:
        raise CreditInputError(
            field,
            f"{duration_words(hours * 60)} is {approximately(hours)} hours, which no decimal writes "
            "exactly: type the hours as your certificate gives them",
        ) from None


def check_course_number(text: str) -> str:
    """The course number in ACE's form (upper case), or CreditInputError showing that form."""
    value = str(text).strip().upper()
    if COURSE_NUMBER.fullmatch(value):
        return value
    raise CreditInputError(
        "course_number",
        f"{quoted(str(text).strip())} is not an ACE course number: expected CEP, CP, CA, CS or CL "
        "followed by 5 or 6 digits, e.g. CEP123456 or CA23456",
    )
