"""The calculator pages' one worker entry: runs in a page's Web Worker (Pyodide, no DOM).

python-worker.js runs this file, then calls :func:`start` with the page's calculator name; what
it returns answers every later message. Which model, which data files and which session are the
registry's (:mod:`calculator_pages.registry`); this file only lends the browser's side: the data
files the worker wrote into Python's working folder, a visitor's file read in blocks, and
messages posted to the page unasked (progress).
"""

import js
from pyodide.ffi import to_js

from calculator_pages.registry import calculator


class BrowserIO:
    """The worker's file reading (FileReaderSync, only in a worker) and unasked messages."""

    def __init__(self):
        self.reader = None

    def read(self, file, offset, length):
        if self.reader is None:
            self.reader = js.FileReaderSync.new()
        return self.reader.readAsArrayBuffer(file.slice(offset, offset + length)).to_bytes()

    def post(self, message):
        js.postMessage(to_js(message, dict_converter=js.Object.fromEntries))


def start(name):
    """The answerer of calculator ``name``: a function of one message (a JavaScript object)."""
    chosen = calculator(name)
    files = {}
    for file_name in chosen.file_names:
        with open(file_name, encoding="utf-8") as handle:
            files[file_name] = handle.read()
    session = chosen.session(files, BrowserIO())

    def handle(message):
        return session.handle(message.to_py())

    return handle
