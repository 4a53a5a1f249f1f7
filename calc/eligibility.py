"""Is a program eligible for CEU credit? A checklist from the approval seed.

Source: "CEU Credit Eligibilities" (seed ceu-eligibility-and-approval.txt). Every
non-credit program must meet all six criteria, and its type must be one of the
eligible program types, not an ineligible one. The result is "eligible", "not
eligible" (any criterion answered no, or an ineligible type) or "missing
information" (no criterion failed, but some are unanswered), with a reason for
each item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calc.errors import CreditInputError, quoted
from calc.json_input import load_json

#: The six program criteria, in the seed's words.
CRITERIA: dict[str, str] = {
    "organized-setting": "be held in an organized and structured setting",
    "planned-for-need": "be planned to fulfill a specific educational need",
    "clear-objective": "have a clear purpose and objective",
    "qualified-instructors": "have qualified instructional personnel directly involved in conducting the course",
    "performance-requirements": "have specific performance requirements for awarding CEUs, set before the offering",
    "participant-evaluation": "have a participant evaluation process",
}

ELIGIBLE_TYPES: dict[str, str] = {
    "seminar": "seminar with a scheduled meeting time",
    "workshop": "workshop with a scheduled meeting time",
    "short-course": "short course with a scheduled meeting time",
    "certificate-program": "certificate program with a scheduled meeting time",
    "training": "educational training with a scheduled meeting time",
    "supervised-online-study": "supervised online independent study",
    "directed-reading": "directed reading",
    "project-based": "project-based assignments",
    "license-renewal": "license renewal program",
    "paraprofessional-training": "paraprofessional training program",
}

INELIGIBLE_TYPES: dict[str, str] = {
    "committee-meeting": "committee meetings",
    "business-meeting": "business meeting type activities",
    "entertainment": "entertainment",
    "recreational": "recreational or athletic activities",
    "cultural-performance": "cultural performances",
    "social-event": "social events",
    "work-experience": "work experience",
    "on-the-job-training": "on-the-job training",
    "apprenticeship": "apprenticeships",
}

ELIGIBLE, NOT_ELIGIBLE, MISSING = "eligible", "not eligible", "missing information"


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    requirement: str
    answer: bool | None
    verdict: str
    reason: str


@dataclass(frozen=True)
class EligibilityResult:
    status: str
    program_type: str | None
    items: tuple[ChecklistItem, ...]
    summary: str


def check_eligibility(program_type: str | None, answers: Mapping[str, bool | None]) -> EligibilityResult:
    """Each criterion and the program type, judged with a reason."""
    unknown = sorted(set(answers) - set(CRITERIA))
    if unknown:
        raise CreditInputError(
            "criteria", f"{quoted(unknown[0])} is not a criterion; use one of {', '.join(CRITERIA)}"
        )
    items = [_criterion(key, text, answers.get(key)) for key, text in CRITERIA.items()]
    items.append(_program_type(program_type))
    verdicts = {item.verdict for item in items}
    if "fails" in verdicts:
        status = NOT_ELIGIBLE
        failing = [item.id for item in items if item.verdict == "fails"]
        summary = f"Not eligible: {', '.join(failing)}."
    elif "unanswered" in verdicts:
        status = MISSING
        open_items = [item.id for item in items if item.verdict == "unanswered"]
        summary = f"Missing information: answer {', '.join(open_items)}."
    else:
        status = ELIGIBLE
        summary = "Eligible: every criterion is met and the program type is eligible."
    return EligibilityResult(status, program_type, tuple(items), summary)


def _criterion(key: str, text: str, answer: Any) -> ChecklistItem:
    if answer is None:
        return ChecklistItem(key, text, None, "unanswered", "not answered yet")
    if not isinstance(answer, bool):
        raise CreditInputError(
            "criteria", f"{quoted(key)}: answer true, false or null (got {quoted(answer)})"
        )
    if answer:
        return ChecklistItem(key, text, True, "met", "the program says it does")
    return ChecklistItem(key, text, False, "fails", f"every CEU program must {text}")


def _program_type(program_type: str | None) -> ChecklistItem:
    requirement = "be a seminar, workshop, course, training or other eligible program type"
    if program_type is None or not str(program_type).strip():
        return ChecklistItem("program-type", requirement, None, "unanswered", "program type not given")
    kind = str(program_type).strip().lower()
    if kind in ELIGIBLE_TYPES:
        return ChecklistItem("program-type", requirement, True, "met", f"{ELIGIBLE_TYPES[kind]} is eligible")
    if kind in INELIGIBLE_TYPES:
        return ChecklistItem(
            "program-type", requirement, False, "fails", f"{INELIGIBLE_TYPES[kind]} are not eligible for CEUs"
        )
    known = ", ".join([*ELIGIBLE_TYPES, *INELIGIBLE_TYPES])
    raise CreditInputError("program_type", f"{quoted(kind)} is not a known program type; use one of {known}")


def parse_eligibility_json(text: str) -> EligibilityResult:
    """``{"program_type": "workshop", "criteria": {"organized-setting": true, ...}}``."""
    data = load_json(text, "eligibility")
    if not isinstance(data, Mapping) or not isinstance(data.get("criteria", {}), Mapping):
        raise CreditInputError("eligibility", 'expected {"program_type": ..., "criteria": {...}}')
    return check_eligibility(data.get("program_type"), data.get("criteria", {}))
