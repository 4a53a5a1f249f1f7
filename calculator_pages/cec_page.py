"""The ACE CEC calculator: hours of learning, university credit with its grade and the
CPR/AED/First Aid courses in; the CECs out, each part with its rule; an ACE course
number checked as it is typed.

Every figure is the engine's (:func:`calc.cec.ace_cecs`, :func:`calc.cec.check_course_number`),
the same as ``ceu cec``; the form's field names are the engine's parameter names.
"""

from __future__ import annotations

from collections.abc import Mapping

from calc.cec import FAILING_GRADES, PASSING_GRADES, CecResult, ace_cecs, check_course_number
from calc.errors import CreditInputError
from calculator_pages.outcome import Figure, Outcome, Step, Table, failed

TITLE = "ACE CEC calculator"
NAME = "cec"
#: Amounts typed as numbers, in the form's order.
AMOUNT_FIELDS = {
    "hours": "Hours of structured learning",
    "semester_hours": "University semester hours",
    "quarter_hours": "University quarter hours",
    "workout_hours": "Workout or activity sessions (hours)",
}
#: Checkboxes ("yes" when ticked), named as the engine's flags.
SAFETY_FIELDS = {"cpr": "CPR", "aed": "AED", "first_aid": "First Aid"}
GRADES = PASSING_GRADES + FAILING_GRADES
COURSE_FIELD = "course_number"


def inputs_of(values: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    shown = [(label, values.get(key, "").strip() or "0") for key, label in AMOUNT_FIELDS.items()]
    shown.append(("Grade", values.get("grade", "").strip() or "not given"))
    shown += [(label, "yes" if values.get(key) == "yes" else "no") for key, label in SAFETY_FIELDS.items()]
    shown.append(("ACE course number", values.get(COURSE_FIELD, "").strip() or "not given"))
    return tuple(shown)


def compute(values: Mapping[str, str]) -> Outcome:
    """The page's result for the form's values."""
    inputs = inputs_of(values)
    amount = {key: values.get(key, "").strip() or "0" for key in AMOUNT_FIELDS}
    ticked = {key: values.get(key) == "yes" for key in SAFETY_FIELDS}
    try:
        course = values.get(COURSE_FIELD, "").strip()
        number = check_course_number(course) if course else ""
        result = ace_cecs(
            hours=amount["hours"],
            semester_hours=amount["semester_hours"],
            quarter_hours=amount["quarter_hours"],
            workout_hours=amount["workout_hours"],
            grade=values.get("grade", ""),
            cpr=ticked["cpr"],
            aed=ticked["aed"],
            first_aid=ticked["first_aid"],
        )
    except CreditInputError as error:
        return failed(TITLE, inputs, error.field, error.message)
    if not result.parts:
        return failed(
            TITLE,
            inputs,
            "hours",
            "enter hours of learning, university credit or a safety course (CPR, AED, First Aid)",
        )
    return outcome_of(result, number, inputs)


def outcome_of(
    result: CecResult, course_number: str = "", inputs: tuple[tuple[str, str], ...] = ()
) -> Outcome:
    figures = [Figure("cecs", "ACE CECs", format(result.cecs, "f"), "CEC")]
    if course_number:
        figures.append(Figure("course-number", "ACE course number", course_number))
    parts = Table(
        "parts",
        "How each part counts",
        ("What", "Amount", "Rule", "CECs"),
        tuple(
            (part.label, format(part.quantity, "f"), part.rate, format(part.cecs, "f"))
            for part in result.parts
        ),
    )
    warnings = Table("warnings", "Warnings", ("Warning",), tuple((text,) for text in result.warnings))
    steps = tuple(
        Step(f"{part.label}: {part.quantity} gives {part.cecs} CEC.", part.rate, result.source)
        for part in result.parts
    )
    return Outcome(
        title=TITLE,
        inputs=inputs,
        figures=tuple(figures),
        tables=(parts, warnings),
        steps=steps,
        summary=f"{format(result.cecs, 'f')} ACE CECs.",
    )
