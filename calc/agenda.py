"""Timed agendas: parse, check, classify and total them.

Grammar, one item per line::

    # comments and blank lines are ignored
    Day 1                      (or an ISO date such as 2026-03-14; optional)
    09:00-10:30 Keynote: the new code
    10:30-10:45 Coffee break
    12:00-13:00 Lunch (non-working)
    13:00-14:00 Vendor showcase [counted]
    14:00-15:00 Hands-on lab [excluded: optional, unsupervised]

Times are 24-hour ``HH:MM`` (``24:00`` allowed as an end). Whether an item counts is
decided by the keyword rules in :mod:`calc.activities`, unless a trailing tag says
otherwise. Errors name the line: end not after start (split an event that runs
past midnight into two days), items overlapping within a day, unreadable lines,
dates that do not exist.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from calc.activities import classify_title
from calc.ceu import IACET_ROUNDING, CeuResult, ExcludedItem, RoundingPolicy, ceu_result
from calc.errors import CreditInputError, quoted

_ITEM = re.compile(r"(\d{1,2}):(\d{2})\s*[-\u2013]\s*(\d{1,2}):(\d{2})\s+(.*\S)")
_TAG = re.compile(r"\s*\[(counted|excluded(?::\s*([^\]]*\S))?)\]\s*$", re.IGNORECASE)
_DAY = re.compile(r"day\s+(\d{1,3})\s*:?", re.IGNORECASE)
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*:?")


@dataclass(frozen=True)
class AgendaItem:
    line: int
    day: str
    start: int  # minutes after midnight
    end: int
    title: str
    counted: bool
    reason: str
    #: "counted" or "excluded" when a tag decided, "" when the keywords did.
    tag: str = ""

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Agenda:
    items: tuple[AgendaItem, ...]

    @property
    def days(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(item.day for item in self.items))


def parse_agenda(text: str) -> Agenda:
    """Read an agenda; raise CreditInputError (field ``agenda``) naming the first bad line."""
    items: list[AgendaItem] = []
    day = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if match := _DAY.fullmatch(line):
            day = f"Day {int(match.group(1))}"
            continue
        if match := _DATE.fullmatch(line):
            day = _checked_date(match.group(1), number)
            continue
        items.append(_parse_item(line, number, day))
    _check_overlaps(items)
    return Agenda(tuple(items))


def _parse_item(line: str, number: int, day: str) -> AgendaItem:
    match = _ITEM.fullmatch(line)
    if not match:
        raise _error(
            number,
            f"cannot read {quoted(line)}: expected 'HH:MM-HH:MM title', 'Day N', a date "
            "such as 2026-03-14, or a '# comment'",
        )
    start = _clock(match.group(1), match.group(2), number, allow_24=False)
    end = _clock(match.group(3), match.group(4), number, allow_24=True)
    if end <= start:
        raise _error(
            number,
            f"ends at {_hhmm(end)}, which is not after its start {_hhmm(start)}; split an "
            "event that runs past midnight into two days",
        )
    title = match.group(5)
    tag_match = _TAG.search(title)
    if tag_match:
        title = title[: tag_match.start()].strip()
        if not title:
            raise _error(number, "has a tag but no title")
        if tag_match.group(1).lower() == "counted":
            return AgendaItem(number, day, start, end, title, True, "marked [counted]", "counted")
        reason = tag_match.group(2) or "marked [excluded]"
        return AgendaItem(number, day, start, end, title, False, reason, "excluded")
    decision = classify_title(title)
    return AgendaItem(number, day, start, end, title, decision.counted, decision.reason)


def _clock(hours: str, minutes: str, number: int, *, allow_24: bool) -> int:
    h, m = int(hours), int(minutes)
    if (h == 24 and m == 0 and allow_24) or (h < 24 and m < 60):
        return h * 60 + m
    raise _error(number, f"{hours}:{minutes} is not a time of day (00:00 to 23:59)")


def _checked_date(text: str, number: int) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise _error(number, f"{text} is not a date that exists") from None


def _check_overlaps(items: list[AgendaItem]) -> None:
    by_day: dict[str, list[AgendaItem]] = {}
    for item in items:
        by_day.setdefault(item.day, []).append(item)
    for day_items in by_day.values():
        ordered = sorted(day_items, key=lambda i: (i.start, i.line))
        for earlier, later in itertools.pairwise(ordered):
            if later.start < earlier.end:
                first, second = sorted((earlier, later), key=lambda i: i.line)
                raise _error(
                    second.line,
                    f"{_hhmm(second.start)}-{_hhmm(second.end)} overlaps line {first.line} "
                    f"({_hhmm(first.start)}-{_hhmm(first.end)} {first.title})",
                )


def _error(number: int, message: str) -> CreditInputError:
    return CreditInputError("agenda", f"line {number}: {message}", line=number)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_agenda(agenda: Agenda) -> str:
    """The canonical text of an agenda; parsing it gives the same items back."""
    lines: list[str] = []
    day = ""
    for item in agenda.items:
        if item.day != day:
            day = item.day
            lines.append(day)
        tag = ""
        if item.tag == "counted":
            tag = " [counted]"
        elif item.tag == "excluded":
            tag = f" [excluded: {item.reason}]" if item.reason != "marked [excluded]" else " [excluded]"
        lines.append(f"{_hhmm(item.start)}-{_hhmm(item.end)} {item.title}{tag}")
    return "\n".join(lines) + ("\n" if lines else "")


def agenda_ceus(agenda: Agenda, policy: RoundingPolicy = IACET_ROUNDING) -> CeuResult:
    """Contact time of an agenda: every item's minutes, less the excluded items."""
    total = Decimal(sum(item.minutes for item in agenda.items))
    excluded = (
        ExcludedItem(
            title=f"{item.day + ' ' if item.day else ''}{_hhmm(item.start)}-{_hhmm(item.end)} {item.title}",
            minutes=Decimal(item.minutes),
            reason=item.reason,
            line=item.line,
        )
        for item in agenda.items
        if not item.counted
    )
    return ceu_result(total, excluded, policy)
