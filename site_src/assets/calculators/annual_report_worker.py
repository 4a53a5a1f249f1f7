"""Runs in the annual-report page's Web Worker (Pyodide, no DOM): reads the visitor's file in
blocks with FileReaderSync, posts progress after each block, and returns the result as markup
made by ``calculator_pages.worksheet`` (every value escaped). Wiring only: the rules are the
engine's, the result the page model's (``calculator_pages.annual_report_page``)."""

import datetime

import js
from pyodide.ffi import to_js

from calculator_pages.annual_report_page import file_blocks, report
from calculator_pages.page_session import shown
from calculator_pages.worksheet import worksheet_document, worksheet_fragment


def _plain(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


def handle(message):
    """A "run" message: count ``message.file`` (a JavaScript File) for the 12 months ending on
    ``message.asOf`` (empty: ``message.today``)."""
    if message.type != "run":
        raise ValueError(f"the annual-report page sends no message of type {message.type!r}")
    file, as_of, today, page_url = message.file, message.asOf, message.today, message.url
    reader = js.FileReaderSync.new()

    def read(offset, length):
        return reader.readAsArrayBuffer(file.slice(offset, offset + length)).to_bytes()

    def progress(done, total):
        js.postMessage(_plain({"type": "progress", "done": done, "total": total}))

    day = datetime.date.fromisoformat(today)
    outcome = report(file_blocks(int(file.size), read, progress), str(file.name), int(file.size), as_of, day)
    worksheet = {
        "fragment": worksheet_fragment(outcome, today, page_url) if outcome.ok else "",
        "document": worksheet_document(outcome, today, page_url) if outcome.ok else "",
    }
    return _plain({**shown(outcome), "type": "result", **worksheet})
