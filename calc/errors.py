"""The one exception type the engine raises for bad input.

It names the input field (and, for files, the line) so that every front end (CLI
flag, browser form field, build embed) can put the message next to the thing the
user got wrong.
"""

from __future__ import annotations

import reprlib

#: A message quotes at most this much of what was typed or read, so it stays one short line
#: however long the input (a 10 MB value is named by its start and its length, never echoed).
ECHO_CHARS = 40


def _short_repr() -> reprlib.Repr:
    """A container (a JSON list or object where text was expected) is shown by its first items."""
    short = reprlib.Repr()
    short.maxlevel, short.maxlist, short.maxdict = 2, 3, 3
    short.maxstring = short.maxother = ECHO_CHARS
    return short


_SHORT = _short_repr()


class CreditInputError(ValueError):
    """An input value that no rule can work with (negative, not a number, a bad line...)."""

    def __init__(self, field: str, message: str, line: int = 0) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.line = line


def quoted(value: object) -> str:
    """User input for a message: quoted (``repr``), and cut to ECHO_CHARS characters when longer.

    ``'abc'``; ``'aaaa'... (100,000 characters)`` for a long text. Every message that repeats
    what was typed or read goes through here, so no message grows with its input.
    """
    if isinstance(value, str):
        if len(value) <= ECHO_CHARS:
            return repr(value)
        return f"{value[:ECHO_CHARS]!r}... ({len(value):,} characters)"
    try:
        text = _SHORT.repr(value)
    except ValueError:  # an int of more digits than Python will write out
        return "a number too long to show"
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "..."
