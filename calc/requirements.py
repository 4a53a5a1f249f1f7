"""Recertification requirements: what each body asks of a credential in one cycle, as cited data.

The rows live in ``directory_data/requirements.csv`` (declared in ``schema.json``, each row
sourced and dated); this module reads one row into a :class:`Requirement` for the tracker
(:mod:`calc.tracker`), the CLI, the build and the browser; :mod:`calc.requirement_table`
reads and checks the whole table. A blank cell is ``None``: the
source does not say, and pages say "not stated" instead of guessing.

Category minimums and caps are written in one small language, in the unit of the
requirement's credit system (``credit_systems.csv``)::

    ethics>=1; business>=15; giving-back<=25; cpr=0.2

``kind>=N``: at least N units from activities of that kind; ``kind<=N``: at most N units
of that kind count in a cycle; ``kind=N``: one activity of that kind earns N units whatever
its length (ACE: "0.2 CEC each for CPR, AED, and First-Aid"). Kinds are the terms of the
``activity-kind`` vocabulary (``vocabularies.csv``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from calc.errors import quoted
from calc.policy import CreditSystem

#: How a cycle starts, when the source says (the learner gives the current cycle's first day).
CYCLE_STARTS = {
    "certification-date": "on the day the credential was earned or last renewed",
    "calendar-year": "on 1 January",
    "set-by-body": "on a date the body sets",
}
REPEATS = {
    "once-ever": "the same course counts once, ever",
    "once-per-cycle": "the same course counts once in a cycle",
}
KEEP_FROM = {"completion": "after each activity is completed", "cycle-end": "after the cycle ends"}
REQUIRED_COLUMNS = ("id", "credit_system", "credential", "cycle_months", "amount", "source_url")
#: One limit of the ``limits`` column: a kind, an operator, a number.
_LIMIT = re.compile(r"\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*(>=|<=|=)\s*(\d{1,5}(?:\.\d{1,4})?)\s*")
_EXAMPLE = re.compile(r"\s*(\d{1,5}(?:\.\d{1,4})?)((?:\s+[a-z0-9]+(?:-[a-z0-9]+)*)*)\s*")
MAX_LIMITS = 20
MAX_EXAMPLE_ACTIVITIES = 50
#: The longest line the table may have, as for the credit-systems table.
MAX_LINE_CHARS = 131_072


@dataclass(frozen=True)
class Limit:
    """``kind>=amount`` (a minimum), ``kind<=amount`` (a cap) or ``kind=amount`` (a fixed award)."""

    kind: str
    operator: str
    amount: Decimal

    @property
    def text(self) -> str:
        return f"{self.kind}{self.operator}{self.amount}"


@dataclass(frozen=True)
class Requirement:
    """One credential's recertification requirement, as its cited source states it."""

    id: str
    system: CreditSystem
    credential: str
    cycle_months: int
    amount: Decimal
    source_url: str
    cycle_start: str | None = None
    limits: tuple[Limit, ...] = ()
    repeats: str | None = None
    per_activity_max: Decimal | None = None
    carry_over_max: Decimal | None = None
    keep_months: int | None = None
    keep_from: str | None = None
    example_activities: str = ""
    example_earned: Decimal | None = None
    example_remaining: Decimal | None = None
    source_kind: str = ""
    source_date: str = ""
    source_quote: str = ""
    verified_on: str = ""
    notes: str = ""

    @property
    def body(self) -> str:
        return self.system.body

    @property
    def unit(self) -> str:
        return self.system.unit

    @property
    def name(self) -> str:
        """How pages and lists name it: the body and the credential."""
        return f"{self.system.body}: {self.credential}"

    def minimums(self) -> tuple[Limit, ...]:
        return tuple(limit for limit in self.limits if limit.operator == ">=")

    def caps(self) -> tuple[Limit, ...]:
        return tuple(limit for limit in self.limits if limit.operator == "<=")

    def awards(self) -> tuple[Limit, ...]:
        return tuple(limit for limit in self.limits if limit.operator == "=")


def parse_limits(text: str, kinds: Mapping[str, str]) -> tuple[Limit, ...]:
    """The ``limits`` cell; ValueError says what is wrong (an unknown kind, a kind limited twice)."""
    if not text.strip():
        return ()
    parts = text.split(";")
    if len(parts) > MAX_LIMITS:
        raise ValueError(f"{len(parts)} limits; at most {MAX_LIMITS}")
    limits = []
    seen: set[tuple[str, str]] = set()
    for part in parts:
        match = _LIMIT.fullmatch(part)
        if not match:
            raise ValueError(
                f"{quoted(part.strip())} is not a limit written like ethics>=1, giving-back<=25 or cpr=0.2"
            )
        kind, operator, number = match.groups()
        if kind not in kinds:
            raise ValueError(f"{quoted(kind)} is not a term of the activity-kind vocabulary")
        if (kind, operator) in seen:
            raise ValueError(f"{kind}{operator} is given twice")
        seen.add((kind, operator))
        amount = Decimal(number)
        if amount <= 0:
            raise ValueError(f"{part.strip()}: a limit is more than 0")
        limits.append(Limit(kind, operator, amount))
    return tuple(limits)


@dataclass(frozen=True)
class ExampleActivity:
    units: Decimal
    kinds: tuple[str, ...]


def parse_example(text: str, kinds: Mapping[str, str]) -> tuple[ExampleActivity, ...]:
    """The worked example's activities: ``12 giving-back; 35 ways-of-working``."""
    parts = [part for part in text.split(";") if part.strip()]
    if len(parts) > MAX_EXAMPLE_ACTIVITIES:
        raise ValueError(f"{len(parts)} activities; at most {MAX_EXAMPLE_ACTIVITIES}")
    activities = []
    for part in parts:
        match = _EXAMPLE.fullmatch(part)
        if not match:
            raise ValueError(
                f"{quoted(part.strip())} is not an activity written like '12 giving-back' or '1.5'"
            )
        named = tuple(match.group(2).split())
        unknown = [kind for kind in named if kind not in kinds]
        if unknown:
            raise ValueError(f"{quoted(unknown[0])} is not a term of the activity-kind vocabulary")
        activities.append(ExampleActivity(Decimal(match.group(1)), named))
    return tuple(activities)


def parse_kinds(vocabularies_text: str) -> dict[str, str]:
    """The activity-kind vocabulary (id -> label) from ``vocabularies.csv``."""
    reader = csv.DictReader(io.StringIO(vocabularies_text))
    return {
        row["id"].strip(): row["label"].strip()
        for row in reader
        if (row.get("vocabulary") or "").strip() == "activity-kind" and row.get("id") and row.get("label")
    }


def requirement_from_record(
    record: Mapping[str, str | None], systems: Mapping[str, CreditSystem], kinds: Mapping[str, str]
) -> Requirement:
    """One row's cells as a Requirement; ValueError names the first cell that cannot be read."""

    def text(name: str) -> str:
        return str(record.get(name) or "").strip()

    def number(name: str) -> Decimal | None:
        value = text(name)
        if not value:
            return None
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{name}: {quoted(value)} is not a number") from None
        if not parsed.is_finite() or parsed < 0 or parsed > 10_000:
            raise ValueError(f"{name}: {quoted(value)} is not a number from 0 to 10,000")
        return parsed

    def whole(name: str) -> int | None:
        value = text(name)
        if not value:
            return None
        if not value.isdigit() or not 1 <= int(value) <= 240:
            raise ValueError(f"{name}: {quoted(value)} is not a whole number from 1 to 240")
        return int(value)

    def choice(name: str, allowed: Mapping[str, str]) -> str | None:
        value = text(name)
        if value and value not in allowed:
            raise ValueError(f"{name}: {quoted(value)} is not one of {', '.join(allowed)}")
        return value or None

    system = systems.get(text("credit_system"))
    if system is None:
        raise ValueError(f"credit_system: {quoted(text('credit_system'))} is not a row of credit_systems.csv")
    months, amount = whole("cycle_months"), number("amount")
    if months is None or not amount:
        raise ValueError("cycle_months and amount are required")
    try:
        limits = parse_limits(text("limits"), kinds)
    except ValueError as error:
        raise ValueError(f"limits: {error}") from None
    return Requirement(
        id=text("id"),
        system=system,
        credential=text("credential"),
        cycle_months=months,
        amount=amount,
        source_url=text("source_url"),
        cycle_start=choice("cycle_start", CYCLE_STARTS),
        limits=limits,
        repeats=choice("repeats", REPEATS),
        per_activity_max=number("per_activity_max"),
        carry_over_max=number("carry_over_max"),
        keep_months=whole("keep_months"),
        keep_from=choice("keep_from", KEEP_FROM),
        example_activities=text("example_activities"),
        example_earned=number("example_earned"),
        example_remaining=number("example_remaining"),
        source_kind=text("source_kind"),
        source_date=text("source_date"),
        source_quote=text("source_quote"),
        verified_on=text("verified_on"),
        notes=text("notes"),
    )
