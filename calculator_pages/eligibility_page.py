"""The eligibility page: a program type and six yes/no/not-yet answers in; eligible, not
eligible or missing information out, with a reason for every item.

The judgement is the engine's (:func:`calc.eligibility.check_eligibility`); this
module turns the form's radio values into the engine's answers, lays the result
out as an :class:`Outcome`, and writes the questions as HTML from the engine's own
wording and program types, so the page and the engine cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from calc.eligibility import (
    CRITERIA,
    ELIGIBLE,
    ELIGIBLE_TYPES,
    INELIGIBLE_TYPES,
    ChecklistItem,
    EligibilityResult,
    check_eligibility,
)
from calc.errors import CreditInputError, quoted
from calculator_pages.outcome import Figure, Outcome, Step, Table, failed

TITLE = "CEU eligibility checklist"
NAME = "eligibility"
SEED = '"CEU Credit Eligibilities" (quoted on How credit is counted)'
#: The form's radio values -> the engine's answers.
ANSWERS: dict[str, bool | None] = {"yes": True, "no": False, "not-yet": None, "": None}
SHOWN = {True: "yes", False: "no", None: "not yet"}
TYPE_FIELD = "program_type"
NOT_CHOSEN = "not chosen"


def type_label(kind: str) -> str:
    return ELIGIBLE_TYPES.get(kind) or INELIGIBLE_TYPES.get(kind) or kind


def inputs_of(values: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    kind = values.get(TYPE_FIELD, "").strip()
    shown = [("Program type", type_label(kind) if kind else NOT_CHOSEN)]
    for key, text in CRITERIA.items():
        answer = values.get(key, "")
        shown.append((_sentence(text), SHOWN[ANSWERS[answer]] if answer in ANSWERS else answer))
    return tuple(shown)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def compute(values: Mapping[str, str]) -> Outcome:
    """The page's result for the form's values (criteria by key, ``program_type``)."""
    inputs = inputs_of(values)
    answers: dict[str, bool | None] = {}
    for key in CRITERIA:
        answer = values.get(key, "").strip()
        if answer not in ANSWERS:
            return failed(TITLE, inputs, key, f"answer yes, no or not yet (got {quoted(answer)})")
        answers[key] = ANSWERS[answer]
    kind = values.get(TYPE_FIELD, "").strip() or None
    try:
        result = check_eligibility(kind, answers)
    except CreditInputError as error:
        return failed(
            TITLE, inputs, TYPE_FIELD if error.field == "program_type" else "criteria", error.message
        )
    return outcome_of(result, inputs)


def outcome_of(result: EligibilityResult, inputs: tuple[tuple[str, str], ...] = ()) -> Outcome:
    return Outcome(
        title=TITLE,
        inputs=inputs,
        figures=figures(result),
        tables=(checklist_table(result),),
        steps=steps(result),
        summary=result.summary,
    )


def _count(result: EligibilityResult, verdict: str) -> str:
    return str(sum(1 for item in result.items if item.verdict == verdict))


def figures(result: EligibilityResult) -> tuple[Figure, ...]:
    return (
        Figure("status", "Result", result.status),
        Figure("met", "Items met", _count(result, "met"), f"of {len(result.items)}"),
        Figure("fails", "Items not met", _count(result, "fails"), f"of {len(result.items)}"),
        Figure("unanswered", "Items not answered", _count(result, "unanswered"), f"of {len(result.items)}"),
    )


def _answer(item: ChecklistItem, result: EligibilityResult) -> str:
    if item.id == "program-type":
        return type_label(result.program_type) if result.program_type else NOT_CHOSEN
    return SHOWN[item.answer]


def checklist_table(result: EligibilityResult) -> Table:
    rows = tuple(
        (item.id, _sentence(item.requirement), _answer(item, result), item.verdict, item.reason)
        for item in result.items
    )
    return Table(
        "checklist",
        "Each item, its answer and the reason for its verdict",
        ("Item", "Requirement", "Answer", "Verdict", "Reason"),
        rows,
    )


def steps(result: EligibilityResult) -> tuple[Step, ...]:
    criteria = tuple(
        Step(
            f"{_sentence(item.requirement)}: {_answer(item, result)}, so {item.verdict} ({item.reason}).",
            "All non-credit courses and programs submitted for CEU approval must meet every criterion.",
            SEED,
        )
        for item in result.items
        if item.id in CRITERIA
    )
    kind = next(item for item in result.items if item.id == "program-type")
    program = Step(
        f"Program type: {_answer(kind, result)}, so {kind.verdict} ({kind.reason}).",
        f"Eligible program types: {'; '.join(ELIGIBLE_TYPES.values())}. "
        f"Not eligible: {'; '.join(INELIGIBLE_TYPES.values())}.",
        SEED,
    )
    verdict = Step(
        f"Result: {result.status}. {result.summary}",
        "A program must meet every item: one item not met makes it not eligible; with none failing, "
        f"an item not answered leaves information missing; otherwise it is {ELIGIBLE}.",
        SEED,
    )
    return (*criteria, program, verdict)


# ---- the questions as HTML, from the engine's wording


def questions_html(values: Mapping[str, str] | None = None) -> str:
    """The program-type select and one yes/no/not-yet group per criterion (``values`` preset them)."""
    chosen = values or {}
    kind = chosen.get(TYPE_FIELD, "")

    def options(types: Mapping[str, str]) -> str:
        return "".join(
            f'<option value="{escape(key)}"{" selected" if key == kind else ""}>{escape(_sentence(text))}</option>'
            for key, text in types.items()
        )

    select = (
        f'<div class="calc-field"><label for="{NAME}-{TYPE_FIELD}">Program type</label>'
        f'<select id="{NAME}-{TYPE_FIELD}" name="{TYPE_FIELD}" aria-describedby="{NAME}-error-{TYPE_FIELD}">'
        f'<option value=""{" selected" if not kind else ""}>Not chosen</option>'
        f'<optgroup label="Eligible for CEU credit">{options(ELIGIBLE_TYPES)}</optgroup>'
        f'<optgroup label="Not eligible for CEU credit">{options(INELIGIBLE_TYPES)}</optgroup></select>'
        f'<p class="calc-error" id="{NAME}-error-{TYPE_FIELD}" hidden></p></div>'
    )
    groups = []
    for number, (key, text) in enumerate(CRITERIA.items(), start=1):
        answer = chosen.get(key, "not-yet")
        radios = "".join(
            f'<label><input type="radio" name="{key}" value="{value}" id="{NAME}-{key}-{value}"'
            f"{' checked' if value == answer else ''}> {label}</label>"
            for value, label in (("yes", "Yes"), ("no", "No"), ("not-yet", "Not yet known"))
        )
        groups.append(
            f'<fieldset class="calc-choice calc-criterion" id="{NAME}-{key}" '
            f'aria-describedby="{NAME}-error-{key}"><legend>{number}. The program will '
            f"{escape(text)}</legend>{radios}"
            f'<p class="calc-error" id="{NAME}-error-{key}" hidden></p></fieldset>'
        )
    return select + "".join(groups)
