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
#: The shells' statuses for a command stopped by Ctrl-C (128 + SIGINT) or a closed pipe (128 + SIGPIPE).
INTERRUPTED = 130
PIPE_CLOSED = 141


class UsageError(Exception):
    """A problem with the command line or a file that is not the engine's to judge."""


@dataclass(frozen=True)
class Answer:
    """What an engine command found: data for ``--json``, text for people, and the exit status."""

    data: Any
    text: str
    status: int = OK
