"""How a ``ceu`` command ends: its exit status, what it found, and the one error for bad usage.

The statuses are the same for every command and documented once, in ``ceu --help``
(``ceu_cli.help.EXIT_STATUS_HELP``), so scripts can rely on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Done; for a yes/no question, the answer is yes.
OK = 0
#: A valid question with a negative answer (not eligible, not a valid course number).
NO = 1
#: Bad input or usage: a flag, a file or a line the command cannot work with.
BAD_INPUT = 2
#: A bug in ceu itself; the message says so instead of printing a traceback.
BUG = 3
#: The output could not be written: standard output, or a file ceu was asked to write (a full
#: disk, a device error). One line on stderr says which (when stderr itself can still be written);
#: a file ceu writes is replaced whole or left as it was.
OUTPUT_LOST = 4
#: The shells' statuses for a command stopped by Ctrl-C (128 + SIGINT) or a closed pipe (128 + SIGPIPE).
INTERRUPTED = 130
PIPE_CLOSED = 141


#: The longest error line printed: past it the line is cut (whatever it quotes, it stays one line).
MAX_MESSAGE_CHARS = 1000


def one_line(message: str) -> str:
    """An error message as one line of at most MAX_MESSAGE_CHARS characters (line breaks shown as \\n)."""
    line = message.replace("\r", "\\r").replace("\n", "\\n")
    if len(line) <= MAX_MESSAGE_CHARS:
        return line
    return f"{line[:MAX_MESSAGE_CHARS]}... (cut: {len(line):,} characters)"


class UsageError(Exception):
    """A problem with the command line or a file that is not the engine's to judge."""


class OutputFailed(Exception):
    """A file the command was asked to write could not be written (its old contents are kept)."""


@dataclass(frozen=True)
class Answer:
    """What an engine command found: data for ``--json``, text for people, and the exit status."""

    data: Any
    text: str
    status: int = OK
