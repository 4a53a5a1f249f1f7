"""The requirements table read whole: every row checked as the tracker will count it.

:mod:`calc.requirements` reads one row's cells; this module reads ``requirements.csv`` and
checks each row against the rule (:func:`requirement_problems`): its limits hang together and
its worked example, counted by the tracker (:mod:`calc.tracker`), gives the source's own
figures. The directory validator reports the same problems with their lines; the CLI and the
browser refuse the table at the first.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from calc.conversions import parse_credit_systems
from calc.errors import CreditInputError, quoted
from calc.policy import CreditSystem
from calc.requirements import (
    MAX_LINE_CHARS,
    REQUIRED_COLUMNS,
    Requirement,
    parse_example,
    parse_kinds,
    requirement_from_record,
)
from calc.tracker import example_standing


def parse_requirements(
    text: str,
    systems: Sequence[CreditSystem],
    kinds: Mapping[str, str],
    source_name: str = "requirements.csv",
) -> tuple[Requirement, ...]:
    """Read the requirements table; every problem is a CreditInputError naming ``source_name:line``."""
    if any(len(line) > MAX_LINE_CHARS for line in text.split("\n")):
        raise _row_error(
            source_name, 1, f"has a line over {MAX_LINE_CHARS:,} characters; is it the right file?"
        )
    by_id = {system.id: system for system in systems}
    reader = csv.DictReader(io.StringIO(text))
    found = []
    try:
        missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or ())]
        if missing:
            raise _row_error(source_name, 1, f"the header lacks {', '.join(missing)}")
        for record in reader:
            if None in record:
                raise _row_error(source_name, reader.line_num, "has more values than the header has columns")
            try:
                requirement = requirement_from_record(record, by_id, kinds)
            except ValueError as error:
                raise _row_error(source_name, reader.line_num, f"cannot read the row: {error}") from None
            for column, message in requirement_problems(requirement, kinds):
                raise _row_error(source_name, reader.line_num, f"cannot read the row: {column}: {message}")
            found.append(requirement)
    except csv.Error as error:
        raise _row_error(source_name, reader.reader.line_num, f"not valid CSV: {error}") from None
    ids = [requirement.id for requirement in found]
    if len(ids) != len(set(ids)):
        twice = next(name for name in ids if ids.count(name) > 1)
        raise _row_error(source_name, 1, f"the id {quoted(twice)} is given twice")
    return tuple(found)


def requirement_problems(requirement: Requirement, kinds: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(column, why) for each way a row cannot be applied as written, its worked example first of all:
    the example's activities, counted under the row, must give the source's own figures."""
    for limit in requirement.minimums():
        if limit.amount > requirement.amount:
            yield "limits", f"{limit.text}: a minimum above the requirement of {requirement.amount}"
    caps = {limit.kind: limit.amount for limit in requirement.caps()}
    for limit in requirement.minimums():
        if limit.kind in caps and caps[limit.kind] < limit.amount:
            yield "limits", f"{limit.kind}: its cap is below its minimum"
    if requirement.keep_from is not None and requirement.keep_months is None:
        yield "keep_from", "needs keep_months: what to count from without how long"
    given = (requirement.example_activities, requirement.example_earned, requirement.example_remaining)
    if any(value not in ("", None) for value in given) and any(value in ("", None) for value in given):
        yield "example_activities", "example_activities, example_earned and example_remaining go together"
        return
    if not requirement.example_activities:
        return
    try:
        example = parse_example(requirement.example_activities, kinds)
    except ValueError as error:
        yield "example_activities", str(error)
        return
    standing = example_standing(requirement, example)
    if standing.earned != requirement.example_earned or standing.remaining != requirement.example_remaining:
        yield (
            "example_earned",
            f"the worked example gives {requirement.example_earned} earned and {requirement.example_remaining} "
            f"still to earn, but this row's rule counts {standing.earned_text} earned and "
            f"{standing.remaining_text} still to earn",
        )


def _row_error(source_name: str, line: int, message: str) -> CreditInputError:
    return CreditInputError("requirements", f"{source_name}:{line}: {message}", line=line)


@dataclass(frozen=True)
class Tables:
    """What the tracker counts with, read once from the data: the requirements by id, the activity
    kinds' labels (id -> label) and the credit systems the requirements count in."""

    requirements: Mapping[str, Requirement]
    kinds: Mapping[str, str]
    systems: tuple[CreditSystem, ...]

    @property
    def units(self) -> dict[str, str]:
        """Each credit system's unit, by its id (how a certificate's credit is named in reasons)."""
        return {system.id: system.unit for system in self.systems}


def tables_of(
    systems: Sequence[CreditSystem], vocabularies: str, requirements: str, folder: str = ""
) -> Tables:
    """The tracker's tables from credit systems already read and the text of ``vocabularies.csv``
    and ``requirements.csv`` (named in messages as in ``folder``)."""
    kinds = parse_kinds(vocabularies)
    rows = parse_requirements(requirements, systems, kinds, os.path.join(folder, "requirements.csv"))
    return Tables({row.id: row for row in rows}, kinds, tuple(systems))


def read_tables(credit_systems: str, vocabularies: str, requirements: str, folder: str = "") -> Tables:
    """The tracker's tables from the text of ``credit_systems.csv``, ``vocabularies.csv`` and
    ``requirements.csv``: what the CLI, the page's worker and the tests read."""
    systems = parse_credit_systems(credit_systems, os.path.join(folder, "credit_systems.csv"))
    return tables_of(systems, vocabularies, requirements, folder)
