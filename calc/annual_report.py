"""The four annual statistics of IACET's annual report, from an attendance file.

Source: IACET, "Maintaining your accreditation" (2019; seed
iacet-accreditation-maintenance.txt), "Annual Statistics":

1. events: "Total of all learning events (regardless of CEU issuance)";
2. participants: "a single individual participating in a unique learning event",
   counted once per event: distinct (learner, event) pairs;
3. learners awarded: "an unduplicated count ... of the number of individuals to
   whom IACET CEUs were awarded": distinct learners with CEUs > 0;
4. total CEUs: "The sum of all CEUs awarded ... in the past 12 months".

The window is the 12 months ending on the as-of date: (as_of - 1 year, as_of].

Input: CSV with header ``learner_id,event_id,date,ceus_awarded``, read one row
at a time: memory grows with the number of distinct learners, events and pairs,
never with the number of rows. Every bad line is collected; if there is any,
no figures are given at all (a report from part of the file would be wrong).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow
from typing import TYPE_CHECKING

from calc.dates import add_years
from calc.errors import CreditInputError, quoted
from calc.numbers import MAX_PLACES, OWN_RANGE, over_limit, parse_quantity

if TYPE_CHECKING:
    from _csv import Reader as _csv_reader

HEADER = ["learner_id", "event_id", "date", "ceus_awarded"]
#: How many bad line numbers an error message lists before it says "and N more".
SHOWN_BAD_LINES = 50
#: How many bad lines are kept with their reasons (the rest are counted): a file of a
#: million bad lines must not fill the memory with them.
KEPT_BAD_LINES = 1000
#: The most CEUs one row may award. IACET awards 0.1 CEU per 10 contact hours, so a million is
#: far past any learner's event; a larger figure is a typing or export mistake (1e999999999
#: would overflow the sum), refused at its line like any other bad value.
MAX_CEUS = Decimal(1_000_000)
#: Digits the total may need: MAX_CEUS's 7 whole digits, MAX_PLACES decimals, and 20 more for
#: up to 10**20 rows.
_SUM_DIGITS = 7 + MAX_PLACES + 20
#: Characters no id holds: C0 and C1 controls (NUL, escape, ...) and lone surrogates.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class AnnualStatistics:
    window_start: dt.date  # exclusive
    window_end: dt.date  # inclusive
    events: int
    participants: int
    learners_awarded: int
    total_ceus: Decimal
    rows_in_window: int
    rows_read: int
    duplicate_rows: int


@dataclass(frozen=True)
class BadLine:
    number: int
    reason: str


class BadAttendanceLines(CreditInputError):
    """Some lines cannot be counted: the first KEPT_BAD_LINES with their number and why
    (``lines``), and how many there are (``count``)."""

    def __init__(self, lines: tuple[BadLine, ...], count: int) -> None:
        shown = ", ".join(str(line.number) for line in lines[:SHOWN_BAD_LINES])
        more = f" and {count - SHOWN_BAD_LINES} more" if count > SHOWN_BAD_LINES else ""
        super().__init__(
            "attendance",
            f"{count} bad line(s): {shown}{more}; each needs learner_id, event_id (text without control "
            "characters), a date YYYY-MM-DD and ceus_awarded as a number of 0 or more. No figures are given "
            f"until every line is right. Line {lines[0].number}: {lines[0].reason}.",
            line=lines[0].number,
        )
        self.lines = lines
        self.count = count


def annual_statistics(lines: Iterable[str], as_of: dt.date) -> AnnualStatistics:
    """Stream an attendance CSV (any iterable of lines, e.g. an open file)."""
    start = add_years(as_of, -1)
    rows = _CheckedRows(lines)
    # Each row's CEUs are at most MAX_CEUS with at most MAX_PLACES decimals: this context sums
    # them exactly (Inexact would raise) for more rows than any file can hold.
    exact = Context(prec=_SUM_DIGITS, traps=[Inexact, Overflow, InvalidOperation])
    events: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    awarded: set[str] = set()
    total = Decimal(0)
    in_window = duplicates = 0
    for learner, event, day, ceus in rows:
        if not (start < day <= as_of):
            continue
        in_window += 1
        events.add(event)
        if (learner, event) in pairs:
            duplicates += 1
        pairs.add((learner, event))
        if ceus > 0:
            awarded.add(learner)
        total = exact.add(total, ceus)
    return AnnualStatistics(
        start, as_of, len(events), len(pairs), len(awarded), total, in_window, rows.read, duplicates
    )


@dataclass(frozen=True)
class EventAttendance:
    """One event of an attendance file, for its certificates (issue 33): the learners awarded
    CEUs (``awarded``, each once, in the file's order), those on its lines with 0 CEUs only
    (``not_awarded``), and its first and last day in the file."""

    event: str
    first_day: dt.date
    last_day: dt.date
    awarded: tuple[str, ...]
    not_awarded: tuple[str, ...]


def event_attendance(lines: Iterable[str]) -> dict[str, EventAttendance]:
    """Every event of an attendance file, by event id in the file's order; the file is checked
    line by line as :func:`annual_statistics` checks it (BadAttendanceLines, CreditInputError)."""
    days: dict[str, list[dt.date]] = {}
    learners: dict[str, dict[str, bool]] = {}  # event -> learner -> awarded CEUs on some line
    for learner, event, day, ceus in _CheckedRows(lines):
        first_last = days.setdefault(event, [day, day])
        first_last[:] = [min(first_last[0], day), max(first_last[1], day)]
        seen = learners.setdefault(event, {})
        seen[learner] = seen.get(learner, False) or ceus > 0
    return {
        event: EventAttendance(
            event,
            days[event][0],
            days[event][1],
            tuple(name for name, awarded in seen.items() if awarded),
            tuple(name for name, awarded in seen.items() if not awarded),
        )
        for event, seen in learners.items()
    }


class _CheckedRows:
    """An attendance file's good rows, in order, until its first bad line; the lines after it
    are still checked (never counted), and once the whole file is read the bad ones raise
    :class:`BadAttendanceLines`: no figure is given until every line is right. ``read`` counts
    the data lines read so far."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = lines
        self.read = 0

    def __iter__(self) -> Iterator[tuple[str, str, dt.date, Decimal]]:
        reader = _reader(self._lines)
        bad: list[BadLine] = []
        bad_count = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                parsed: tuple[str, str, dt.date, Decimal] | str = f"not valid CSV: {error}"
            else:
                self.read += 1
                parsed = _row(row)
            if isinstance(parsed, str):
                bad_count += 1
                if len(bad) < KEPT_BAD_LINES:
                    bad.append(BadLine(reader.line_num, parsed))
            elif not bad_count:
                yield parsed
        if bad:
            raise BadAttendanceLines(tuple(bad), bad_count)


def _reader(lines: Iterable[str]) -> _csv_reader:
    """A CSV reader past the file's header, which must be :data:`HEADER`."""
    reader = csv.reader(lines)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise CreditInputError(
            "attendance", f"the file is empty: expected the header {','.join(HEADER)}"
        ) from None
    except csv.Error as error:
        raise CreditInputError("attendance", f"line 1: not valid CSV: {error}", line=1) from None
    if header != HEADER:
        raise CreditInputError("attendance", f"line 1: expected the header {','.join(HEADER)}", line=1)
    return reader


def _row(row: list[str]) -> tuple[str, str, dt.date, Decimal] | str:
    """The row's values, or why it is bad (in words a person fixing the file can act on)."""
    if len(row) != len(HEADER):
        return f"{len(row)} field(s); expected {len(HEADER)}: {','.join(HEADER)}"
    learner, event, date_text, ceus_text = (cell.strip() for cell in row)
    for name, value in (("learner_id", learner), ("event_id", event)):
        if not value:
            return f"{name} is empty"
        if _CONTROL.search(value):
            return f"{name} holds a control character"
    try:
        day = dt.date.fromisoformat(date_text) if len(date_text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return f"date {quoted(date_text)} is not a day that exists, written YYYY-MM-DD"
    try:
        ceus = parse_quantity(ceus_text, "ceus_awarded", OWN_RANGE)
    except CreditInputError:
        return (
            f"ceus_awarded {quoted(ceus_text)} is not a number of 0 or more (at most {MAX_PLACES} decimals)"
        )
    if ceus > MAX_CEUS:
        return f"ceus_awarded {over_limit(ceus, MAX_CEUS, 'CEUs')}"
    return learner, event, day, ceus
