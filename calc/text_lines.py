"""A long text file's lines from its bytes, read in pieces, as ``ceu`` and the browser both read it.

The CLI hands in blocks read from a file, the browser's worker slices of the visitor's
file; both get the same lines and the same refusals, so a file that one reads the other
reads too. A file is UTF-8 (a byte-order mark at the start is skipped); a line ends at a
line feed, a carriage return and line feed, or a carriage return alone (as Python's text
mode reads it). A file that is not UTF-8, holds a NUL byte (a binary file) or has a line
longer than :data:`MAX_LINE_BYTES` is refused at its line: memory stays flat however long
the file is, but one line is held whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from calc.errors import CreditInputError

#: The longest line read (attendance lists can be long, their lines are not).
MAX_LINE_BYTES = 1024 * 1024
#: The place after a carriage return that is not followed by a line feed.
_CARRIAGE_RETURN_ALONE = re.compile(r"(?<=\r)(?!\n)")
_BOM = b"\xef\xbb\xbf"


class FileTextError(CreditInputError):
    """The file cannot be read as text; ``line`` says where, ``message`` why."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__("file", message, line=line)


def decoded_lines(blocks: Iterable[bytes]) -> Iterator[str]:
    """The text lines (with their endings) of a file given as consecutive blocks of bytes."""
    number = 0
    pending = b""
    for block in blocks:
        pieces = (pending + block).split(b"\n") if pending else block.split(b"\n")
        pending = pieces.pop()
        for raw in pieces:
            number += 1
            yield from _decoded(raw + b"\n", number)
        if len(pending) > MAX_LINE_BYTES:
            raise FileTextError(number + 1, f"a line longer than {MAX_LINE_BYTES // 1024} KB")
    if pending:
        yield from _decoded(pending, number + 1)


def _decoded(raw: bytes, number: int) -> Iterator[str]:
    if len(raw) > MAX_LINE_BYTES:
        raise FileTextError(number, f"a line longer than {MAX_LINE_BYTES // 1024} KB")
    if number == 1 and raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileTextError(
            number, f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8"
        ) from None
    if "\x00" in line:
        raise FileTextError(number, "contains a NUL byte; expected a text file")
    if "\r" in line:
        yield from (piece for piece in _CARRIAGE_RETURN_ALONE.split(line) if piece)
    else:
        yield line
