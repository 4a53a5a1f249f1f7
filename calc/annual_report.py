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
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from calc.dates import add_years
from calc.errors import CreditInputError

HEADER = ["learner_id", "event_id", "date", "ceus_awarded"]
#: How many bad line numbers an error message lists before it says "and N more".
SHOWN_BAD_LINES = 50
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


def annual_statistics(lines: Iterable[str], as_of: dt.date) -> AnnualStatistics:
    """Stream an attendance CSV (any iterable of lines, e.g. an open file)."""
    start = add_years(as_of, -1)
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
    events: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    awarded: set[str] = set()
    total = Decimal(0)
    in_window = read = duplicates = 0
    bad: list[int] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            bad.append(reader.line_num)
            continue
        read += 1
        parsed = _row(row)
        if parsed is None:
            bad.append(reader.line_num)
            continue
        learner, event, day, ceus = parsed
        if bad or not (start < day <= as_of):
            continue  # once a line is bad, only the remaining lines' validity matters
        in_window += 1
        events.add(event)
        if (learner, event) in pairs:
            duplicates += 1
        pairs.add((learner, event))
        if ceus > 0:
            awarded.add(learner)
        total += ceus
    if bad:
        shown = ", ".join(str(n) for n in bad[:SHOWN_BAD_LINES])
        more = f" and {len(bad) - SHOWN_BAD_LINES} more" if len(bad) > SHOWN_BAD_LINES else ""
        raise CreditInputError(
            "attendance",
            f"{len(bad)} bad line(s): {shown}{more}; each needs learner_id, event_id (text without control characters), "
            "a date YYYY-MM-DD and ceus_awarded as a number of 0 or more. No figures are given until every line is right.",
            line=bad[0],
        )
    return AnnualStatistics(
        start, as_of, len(events), len(pairs), len(awarded), total, in_window, read, duplicates
    )


def _row(row: list[str]) -> tuple[str, str, dt.date, Decimal] | None:
    if len(row) != len(HEADER):
        return None
    learner, event, date_text, ceus_text = (cell.strip() for cell in row)
    if not learner or not event or _CONTROL.search(learner) or _CONTROL.search(event):
        return None
    try:
        day = dt.date.fromisoformat(date_text) if len(date_text) == 10 else None
        ceus = Decimal(ceus_text)
    except (ValueError, InvalidOperation):
        return None
    if day is None or not ceus.is_finite() or ceus < 0:
        return None
    return learner, event, day, ceus
