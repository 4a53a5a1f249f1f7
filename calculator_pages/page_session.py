"""A calculator page's Python side, as the page's Web Worker runs it: messages in, plain data out.

The page (``assets/calculators/calculator.js``) owns the DOM; Python runs in a Worker so a
calculator never blocks the page while it starts or computes. The two speak in messages of
plain data (what ``postMessage`` copies), handled here:

* ``compute``: the form's ``values`` (name -> text) and, on a page with a row list, its
  ``rows`` (one mapping per row; None without a row list) -> the Outcome as the page shows it:
  ``summary``, ``figures`` and ``tables`` as markup made by :mod:`calculator_pages.worksheet`
  (every value escaped), ``errors`` and ``hints`` (notes beside a field that are not errors)
  as ``[field, message]`` pairs, whether there is a calendar to save, and the ``query`` that
  keeps these inputs in the page's address (:func:`calculator_pages.url_state.encode` of what
  the visitor chose: the page only puts it there). The page's first ``compute`` also carries
  its ``form`` (a description of its controls, kept for every later query) and, on a visit
  with a query, the URL's ``params``: the values and rows that fit them are computed at once
  and come back as ``restored``, for the page to put into its controls, with the ``inputs``
  computed (so the page can tell whether its controls now hold the same): one round trip;
* ``worksheet`` and ``calendar``: the files "Print", "Download worksheet" and "Add to
  calendar" make from the last outcome.

Standard library only and free of the DOM and of Pyodide, so it is tested in CPython.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from calculator_pages.outcome import Outcome
from calculator_pages.url_state import Control, chosen, encode, field_choices, restore, shared_rows
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


def controls(described: Iterable[Sequence[Any]]) -> tuple[Control, ...]:
    """The page's ``[name, type, [options], initial, [when], private]`` lists as :class:`Control` values."""
    return tuple(_control(*item) for item in described)


def _control(
    name: Any,
    kind: Any,
    options: Iterable[Any],
    initial: Any = "",
    when: Iterable[Any] = (),
    private: Any = False,
) -> Control:
    return Control(
        str(name),
        str(kind),
        tuple(str(option) for option in options),
        None if initial is None else str(initial),
        tuple(str(condition) for condition in when),
        bool(private),
    )


def _texts(mapping: Mapping[Any, Any]) -> dict[str, str]:
    return {str(key): str(value) for key, value in mapping.items()}


class Session:
    """One calculator page's Python: its page model, and the last outcome it showed."""

    def __init__(self, compute: Compute, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.compute = compute
        self.today = today
        self.outcome: Outcome | None = None
        #: The form's controls outside the row list, and one row's (None: no row list), as the
        #: page's first message described them; and the values of a new, blank row.
        self.controls: tuple[Control, ...] = ()
        self.row_controls: tuple[Control, ...] | None = None
        self.blank_row: dict[str, str] = {}

    def handle(self, message: Message) -> Reply:
        kind = message.get("type")
        if kind == "compute":
            return self.computed(message)
        if kind == "worksheet":
            return self.worksheet(str(message.get("url", "")))
        if kind == "calendar":
            return self.calendar()
        raise ValueError(f"a calculator page sends no message of type {kind!r}")

    def computed(self, message: Message) -> Reply:
        values = _texts(message["values"])
        given_rows = message.get("rows")
        rows = None if given_rows is None else [_texts(row) for row in given_rows]
        form = message.get("form")
        if form is not None:
            self.described(form)
        restored: Reply | None = None
        if message.get("params") is not None:
            restored = self.restored(message["params"])
            values = {**values, **restored["values"]}
            if restored["rows"] is not None and rows is not None:
                rows = [{**self.blank_row, **cells} for cells in restored["rows"]]
        self.outcome = self.compute(values) if rows is None else self.compute(values, rows)
        query_rows = None if rows is None else shared_rows(rows, self.row_controls or ())
        reply = {**shown(self.outcome), "query": encode(chosen(self.controls, values), query_rows)}
        if form is not None:
            reply["inputs"] = {"values": values, "rows": rows}
        if restored is not None:
            reply["restored"] = restored
        return reply

    def described(self, form: Message) -> None:
        """Keep the form's description (``controls``, ``rowControls``, ``blankRow``) for every query."""
        self.controls = controls(form["controls"])
        row_controls = form.get("rowControls")
        self.row_controls = None if row_controls is None else controls(row_controls)
        self.blank_row = _texts(form.get("blankRow") or {})

    def restored(self, params: Iterable[Sequence[Any]]) -> Reply:
        """The values and rows (each only its cells that fit) the form takes from the URL's params."""
        fields = field_choices(control for control in self.controls if not control.private)
        row_fields = (
            None
            if self.row_controls is None
            else field_choices(control for control in self.row_controls if not control.private)
        )
        found = restore(((str(name), str(value)) for name, value in params), fields, row_fields)
        return {
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
