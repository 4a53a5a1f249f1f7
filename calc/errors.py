"""The one exception type the engine raises for bad input.

It names the input field (and, for files, the line) so that every front end (CLI
flag, browser form field, build embed) can put the message next to the thing the
user got wrong.
"""

from __future__ import annotations


class CreditInputError(ValueError):
    """An input value that no rule can work with (negative, not a number, a bad line...)."""

    def __init__(self, field: str, message: str, line: int = 0) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.line = line
