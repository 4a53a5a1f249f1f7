"""The annual-report helper: an attendance file in (read in pieces, as the visitor's browser
hands it over); IACET's four annual statistics out, or every bad line with its number and why.

The figures are the engine's (:func:`calc.annual_report.annual_statistics`) over the lines
:func:`calc.text_lines.decoded_lines` makes of the file, as ``ceu annual-report`` reads it,
so a file gives the same figures and the same refusals on the page and at the command line.
The page runs this in a Web Worker, so a file of a million lines never freezes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from calc.annual_report import HEADER, AnnualStatistics, BadAttendanceLines, annual_statistics
from calc.dates import parse_date
from calc.errors import CreditInputError
from calc.text_lines import FileTextError, decoded_lines
from calculator_pages.outcome import FieldError, Figure, Outcome, Step, Table, failed
from calculator_pages.page_session import WorkerIO, shown
from calculator_pages.worksheet import worksheet_document, worksheet_fragment

TITLE = "IACET annual report helper"
NAME = "annual-report"
SOURCE = 'IACET, "Maintaining your accreditation" (2019): Annual Statistics'
#: How much of the file is read at a time (each piece is one step of the progress bar).
BLOCK_BYTES = 1024 * 1024
#: The largest file the page reads, looked at before a byte is read. The engine's memory grows
#: with the distinct learners and events (about 300 bytes a line when every line is new), and a
#: browser tab's Python has far less room than a computer: a million lines is about 45 MB, so
#: this takes twice that and more; ``ceu annual-report`` reads a file of any length.
MAX_FILE_BYTES = 100 * 1024 * 1024
#: Bad lines shown on the page, with their reasons (the engine keeps up to KEPT_BAD_LINES).
SHOWN_BAD_LINES = 200
RULES = {
    "events": "Total of all learning events in the 12 months, whether or not CEUs were issued.",
    "participants": "One participant is one individual in one event: distinct learner and event pairs.",
    "learners_awarded": "An unduplicated count of the individuals to whom IACET CEUs were awarded.",
    "total_ceus": "The sum of all CEUs awarded in the 12 months.",
}
LABELS = {
    "events": "CE/T events conducted",
    "participants": "Participants served",
    "learners_awarded": "Learners awarded IACET CEUs",
    "total_ceus": "IACET CEUs awarded",
}


def file_blocks(
    size: int, read: Callable[[int, int], bytes], progress: Callable[[int, int], None]
) -> Iterator[bytes]:
    """The file's bytes in blocks, ``read(offset, length)`` at a time, saying how far it got."""
    offset = 0
    while offset < size:
        block = read(offset, min(BLOCK_BYTES, size - offset))
        if not block:
            return
        offset += len(block)
        yield block
        progress(offset, size)


def inputs_of(file_name: str, size: int, as_of_text: str, today: dt.date) -> tuple[tuple[str, str], ...]:
    return (
        ("Attendance file", f"{file_name} ({size:,} bytes)"),
        ("Last day of the 12 months", as_of_text or f"today ({today})"),
    )


def report(blocks: Iterator[bytes], file_name: str, size: int, as_of_text: str, today: dt.date) -> Outcome:
    """The four statistics of the file, or what keeps it from being counted, beside its field."""
    inputs = inputs_of(file_name, size, as_of_text.strip(), today)
    try:
        as_of = parse_date(as_of_text.strip(), "as_of") if as_of_text.strip() else today
    except CreditInputError as error:
        return failed(TITLE, inputs, "as_of", error.message)
    if size > MAX_FILE_BYTES:
        return failed(TITLE, inputs, "attendance", too_large(file_name, size))
    try:
        stats = annual_statistics(decoded_lines(blocks), as_of)
    except BadAttendanceLines as error:
        return _bad_lines(error, file_name, inputs)
    except FileTextError as error:
        return failed(TITLE, inputs, "attendance", f"{file_name}: line {error.line}: {error.message}")
    except CreditInputError as error:
        return failed(TITLE, inputs, "attendance", f"{file_name}: {error.message}")
    return outcome_of(stats, inputs)


def too_large(file_name: str, size: int) -> str:
    """Why a file over MAX_FILE_BYTES is not read (nothing of it has been read)."""
    mb = 1024 * 1024
    return (
        f"{file_name}: the file is {-(-size // mb):,} MB; this page reads at most {MAX_FILE_BYTES // mb} MB. "
        "Count a larger file with ceu annual-report FILE --as-of YYYY-MM-DD, which reads any length."
    )


def _bad_lines(error: BadAttendanceLines, file_name: str, inputs: tuple[tuple[str, str], ...]) -> Outcome:
    shown = error.lines[:SHOWN_BAD_LINES]
    more = f" (the first {len(shown)} are listed)" if error.count > len(shown) else ""
    message = (
        f"{file_name}: {error.count:,} bad line(s){more}. Each line needs {','.join(HEADER)}: "
        "an id for the learner and the event, a date YYYY-MM-DD and the CEUs as a number of 0 "
        "or more. No figures are given until every line is right."
    )
    table = Table(
        "bad-lines",
        f"Bad lines in {file_name}",
        ("Line", "Why"),
        tuple((str(line.number), line.reason) for line in shown),
    )
    return Outcome(
        TITLE, inputs, tables=(table,), summary=message, errors=(FieldError("attendance", message),)
    )


def outcome_of(stats: AnnualStatistics, inputs: tuple[tuple[str, str], ...] = ()) -> Outcome:
    values = {
        "events": str(stats.events),
        "participants": str(stats.participants),
        "learners_awarded": str(stats.learners_awarded),
        "total_ceus": format(stats.total_ceus, "f"),
    }
    window = f"after {stats.window_start} up to {stats.window_end}"
    figures = tuple(Figure(key, LABELS[key], value) for key, value in values.items())
    details = (
        ("Lines read (after the header)", f"{stats.rows_read:,}"),
        (f"Lines in the 12 months {window}", f"{stats.rows_in_window:,}"),
        ("Repeated learner-event lines (their CEUs are all summed)", f"{stats.duplicate_rows:,}"),
    )
    steps = tuple(
        Step(f"{LABELS[key]}: {value} (12 months {window}).", RULES[key], SOURCE)
        for key, value in values.items()
    )
    return Outcome(
        title=TITLE,
        inputs=inputs,
        figures=figures,
        tables=(Table("details", "What was read", ("What", "Lines"), details),),
        steps=steps,
        summary=(
            f"12 months {window}: {stats.events} events, {stats.participants} participants, "
            f"{stats.learners_awarded} learners awarded {values['total_ceus']} IACET CEUs."
        ),
    )


class FileSession:
    """The helper's worker: counts the file a "run" message names, a block at a time.

    ``message["file"]`` is the visitor's file as the browser hands it over (it has ``size`` and
    ``name``; ``io.read`` gives its bytes); ``asOf`` the last day of the 12 months (empty: ``today``,
    the visitor's own day). Progress is posted after each block; the reply is the result as the
    page shows it, with the worksheet's markup (every value escaped).
    """

    def __init__(self, io: WorkerIO) -> None:
        self.io = io

    def handle(self, message: Mapping[str, Any]) -> dict[str, Any]:
        if message.get("type") != "run":
            raise ValueError(f"the annual-report page sends no message of type {message.get('type')!r}")
        file, today, page_url = message["file"], str(message["today"]), str(message.get("url", ""))

        def read(offset: int, length: int) -> bytes:
            return self.io.read(file, offset, length)

        def progress(done: int, total: int) -> None:
            self.io.post({"type": "progress", "done": done, "total": total})

        size = int(file.size)
        blocks = file_blocks(size, read, progress)
        outcome = report(
            blocks, str(file.name), size, str(message.get("asOf", "")), dt.date.fromisoformat(today)
        )
        worksheet = {
            "fragment": worksheet_fragment(outcome, today, page_url) if outcome.ok else "",
            "document": worksheet_document(outcome, today, page_url) if outcome.ok else "",
        }
        return {**shown(outcome), "type": "result", **worksheet}
