"""A calculator page's Python side, as the page's Web Worker runs it: messages in, plain data out.

The page (``assets/calculators/calculator.js``) owns the DOM; Python runs in a Worker so a
calculator never blocks the page while it starts or computes. The two speak in messages of
plain data (what ``postMessage`` copies), handled here:

* ``compute``: the form's ``values`` (name -> text) and, on a page with a row list, its
  ``rows`` (one mapping per row; None without a row list) -> the Outcome as the page shows it:
  ``summary``, ``figures`` and ``tables`` as markup made by :mod:`calculator_pages.worksheet`
  (every value escaped), ``errors`` and ``hints`` (notes beside a field that are not errors)
  as ``[field, message]`` pairs, and whether there is a calendar to save;
* ``restore``: the URL's params and a description of the form's controls -> the values and
  rows that fit them (:mod:`calculator_pages.url_state`; the page sets them as a visitor would);
* ``worksheet`` and ``calendar``: the files "Print", "Download worksheet" and "Add to
  calendar" make from the last outcome.

Standard library only and free of the DOM and of Pyodide, so it is tested in CPython.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from calculator_pages.outcome import Outcome
from calculator_pages.url_state import Control, field_choices, restore
from calculator_pages.worksheet import (
    evidence_html,
    figures_html,
    table_html,
    worksheet_document,
    worksheet_fragment,
)

#: ``compute(values)`` or, on a page with a row list, ``compute(values, rows)``.
Compute = Callable[..., Outcome]
Message = Mapping[str, Any]
Reply = dict[str, Any]


class Handler(Protocol):
    """What a calculator's worker answers with: a message (plain data) in, a reply (plain data) out."""

    def handle(self, message: Message) -> Reply: ...


class WorkerIO(Protocol):
    """What the browser lends a session that reads a visitor's file (the annual report):
    a block of the file, and a message posted to the page unasked (progress)."""

    def read(self, file: Any, offset: int, length: int) -> bytes: ...

    def post(self, message: Message) -> None: ...


def shown(outcome: Outcome) -> Reply:
    """What the page's result panel and messages show of an outcome (markup escaped by the worksheet)."""
    return {
        "type": "outcome",
        "ok": outcome.ok,
        "summary": outcome.summary,
        "figures": figures_html(outcome) if outcome.ok else "",
        "tables": evidence_html(outcome)
        + "".join(table_html(table) for table in outcome.tables if table.rows),
        "verdict": outcome.verdict,
        "errors": [[error.field, error.message] for error in outcome.errors],
        "hints": [[hint.field, hint.message] for hint in outcome.hints],
        "calendar": bool(outcome.ok and outcome.calendar and outcome.calendar.events),
    }


def controls(described: Iterable[Sequence[Any]]) -> list[Control]:
    """The page's ``[name, type, [options]]`` triples as :class:`Control` values."""
    return [
        Control(str(name), str(kind), tuple(str(o) for o in options)) for name, kind, options in described
    ]


class Session:
    """One calculator page's Python: its page model, and the last outcome it showed."""

    def __init__(self, compute: Compute, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.compute = compute
        self.today = today
        self.outcome: Outcome | None = None

    def handle(self, message: Message) -> Reply:
        kind = message.get("type")
        if kind == "compute":
            return self.computed(message["values"], message.get("rows"))
        if kind == "restore":
            return self.restored(message)
        if kind == "worksheet":
            return self.worksheet(str(message.get("url", "")))
        if kind == "calendar":
            return self.calendar()
        raise ValueError(f"a calculator page sends no message of type {kind!r}")

    def computed(self, values: Mapping[str, str], rows: Sequence[Mapping[str, str]] | None) -> Reply:
        values = {str(key): str(value) for key, value in values.items()}
        if rows is None:
            self.outcome = self.compute(values)
        else:
            self.outcome = self.compute(values, [{str(k): str(v) for k, v in row.items()} for row in rows])
        return shown(self.outcome)

    def restored(self, message: Message) -> Reply:
        fields = field_choices(controls(message["controls"]))
        row_controls = message.get("rowControls")
        row_fields = None if row_controls is None else field_choices(controls(row_controls))
        params = ((str(name), str(value)) for name, value in message["params"])
        found = restore(params, fields, row_fields)
        return {
            "type": "restored",
            "values": found.values,
            "rows": None if found.rows is None else [dict(row) for row in found.rows],
        }

    def worksheet(self, page_url: str) -> Reply:
        """The worksheet of the last outcome, to print (fragment) or to save (document)."""
        if self.outcome is None or not self.outcome.ok:
            return {"type": "worksheet", "fragment": "", "document": ""}
        made_on = self.today().isoformat()
        return {
            "type": "worksheet",
            "fragment": worksheet_fragment(self.outcome, made_on, page_url),
            "document": worksheet_document(self.outcome, made_on, page_url),
        }

    def calendar(self) -> Reply:
        """The last outcome's dates as an .ics file stamped now (the same events and UIDs as the CLI's)."""
        if self.outcome is None or not self.outcome.ok or not self.outcome.calendar:
            return {"type": "calendar", "text": "", "filename": ""}
        calendar = self.outcome.calendar
        return {
            "type": "calendar",
            "text": calendar.text(dt.datetime.now(dt.UTC)),
            "filename": calendar.filename,
        }
