"""What counts as contact time: activity kinds and the keywords that exclude agenda items.

Seed ("Calculating & Awarding CEUs and Course Hours Process"):
  Allowed: classroom, self-paced, distance learning, or other projects which
  support a learning outcome.
  Not allowed: unsupervised or unsponsored activities such as breaks,
  non-working lunch, or anything promotional in nature.

Agenda keywords (matched case-insensitively on whole words; the first rule that
matches decides, and a trailing ``[counted]`` or ``[excluded: reason]`` tag on the
line overrides them all):

1. a meal word (breakfast, brunch, lunch, luncheon, dinner, supper, meal) with
   "non-working" / "non working" / "nonworking" -> excluded, non-working meal;
2. a meal word with "working" (e.g. "Working lunch: case review") -> counted;
3. any other meal word -> excluded, a meal is not instruction unless it is a
   working meal (mark it ``[counted]`` if it is);
4. break, coffee break, recess, intermission (but not "breakout"/"break-out
   session", which is instruction) -> excluded, break;
5. promotional, sales pitch, advertising, exhibit hall, exhibitor, vendor or
   sponsor showcase/presentation/demo, product demo -> excluded, promotional;
6. free time, unsupervised, unsponsored, networking, social hour, reception,
   registration, check-in -> excluded, unsupervised or unsponsored time.

"Lunch (non-working)" contains the word "working": rule 1 is tried before rule 2
so it is excluded, while "Working lunch" counts.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from calc.ceu import IACET_ROUNDING, CeuResult, ExcludedItem, RoundingPolicy, ceu_result, parse_minutes
from calc.errors import CreditInputError, quoted

#: Activity kinds accepted in activity lists, with whether they count and why.
ACTIVITY_KINDS: dict[str, tuple[bool, str]] = {
    "classroom": (True, "classroom instruction"),
    "self-paced": (True, "self-paced learning"),
    "distance": (True, "distance learning"),
    "project": (True, "project that supports a learning outcome"),
    "working-meal": (True, "working meal with instruction"),
    "break": (False, "break"),
    "meal": (False, "non-working meal"),
    "promotional": (False, "promotional content"),
    "unsupervised": (False, "unsupervised time"),
    "unsponsored": (False, "unsponsored activity"),
}

_MEAL = r"\b(?:breakfast|brunch|lunch|luncheon|dinner|supper|meals?)\b"
_NON_WORKING = re.compile(r"\bnon[-\s]?working\b", re.IGNORECASE)
_WORKING = re.compile(r"\bworking\b", re.IGNORECASE)
_MEAL_WORD = re.compile(_MEAL, re.IGNORECASE)
_BREAK = re.compile(r"\b(?:coffee\s+break|break(?![-\s]?out)|breaks|recess|intermission)\b", re.IGNORECASE)
_PROMOTIONAL = re.compile(
    r"\b(?:promotional|promotion|sales\s+pitch|advertis\w*|exhibit\s+hall|exhibitors?"
    r"|(?:vendor|sponsor)\s+(?:showcase|presentation|demo|spotlight|session)"
    r"|product\s+(?:demo|demonstration|pitch|showcase))\b",
    re.IGNORECASE,
)
_UNSUPERVISED = re.compile(
    r"\b(?:free\s+time|unsupervised|unsponsored|networking|social\s+hour|reception"
    r"|registration|check[-\s]?in)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Classification:
    counted: bool
    reason: str


def classify_title(title: str) -> Classification:
    """Whether an agenda item's title marks it as contact time, by the keyword rules above."""
    if _MEAL_WORD.search(title):
        if _NON_WORKING.search(title):
            return Classification(False, "non-working meal")
        if _WORKING.search(title):
            return Classification(True, "working meal counts as instruction")
        return Classification(False, "meal (not a working meal)")
    if _BREAK.search(title):
        return Classification(False, "break")
    if _PROMOTIONAL.search(title):
        return Classification(False, "promotional content")
    if _UNSUPERVISED.search(title):
        return Classification(False, "unsupervised or unsponsored time")
    return Classification(True, "instruction")


@dataclass(frozen=True)
class Activity:
    """One line of an activity list: a kind from ACTIVITY_KINDS and its minutes."""

    kind: str
    minutes: Decimal
    title: str = ""
    line: int = 0


def parse_activities(text: str) -> tuple[Activity, ...]:
    """Read an activity list: CSV with a header naming ``kind`` and ``minutes`` (``title`` optional)."""
    rows = csv.reader(io.StringIO(text))
    try:
        header = [name.strip().lower() for name in next(rows)]
    except StopIteration:
        raise CreditInputError(
            "activities", "the file is empty: expected a header 'kind,minutes,title'"
        ) from None
    except csv.Error as error:
        raise CreditInputError("activities", f"line 1: not valid CSV: {error}", line=1) from None
    missing = [name for name in ("kind", "minutes") if name not in header]
    if missing:
        raise CreditInputError(
            "activities",
            f"line 1: the header lacks {', '.join(missing)} (expected 'kind,minutes,title')",
            line=1,
        )
    activities = []
    try:
        for row in rows:
            number = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            values = dict(zip(header, (cell.strip() for cell in row), strict=False))
            kind = values.get("kind", "").lower()
            if kind not in ACTIVITY_KINDS:
                raise CreditInputError(
                    "activities",
                    f"line {number}: kind {quoted(kind)} is not one of {', '.join(ACTIVITY_KINDS)}",
                    line=number,
                )
            try:
                minutes = parse_minutes(values.get("minutes", ""), "minutes")
            except CreditInputError as error:
                raise CreditInputError(
                    "activities", f"line {number}: minutes {error.message}", line=number
                ) from None
            activities.append(Activity(kind, minutes, values.get("title", ""), number))
    except csv.Error as error:
        raise CreditInputError(
            "activities", f"line {rows.line_num}: not valid CSV: {error}", line=rows.line_num
        ) from None
    return tuple(activities)


def activity_ceus(activities: Iterable[Activity], policy: RoundingPolicy = IACET_ROUNDING) -> CeuResult:
    """Contact time of an activity list: the kinds that count, less the ones that do not."""
    items = tuple(activities)
    total = sum((a.minutes for a in items), Decimal(0))
    excluded = (
        ExcludedItem(a.title or a.kind, a.minutes, ACTIVITY_KINDS[a.kind][1], a.line)
        for a in items
        if not ACTIVITY_KINDS[a.kind][0]
    )
    return ceu_result(total, excluded, policy)
