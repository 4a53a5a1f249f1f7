"""Standard output and standard error that say so when what is written to them is lost.

Writing to a full disk (``ceu ... > /dev/full``: ENOSPC), a failing device (EIO) or a pipe
whose reader went away (``ceu ... | head -c1``: EPIPE) raises an OSError wherever the
command happens to print. Raised as it is, a command could take it for a problem with one of
its input files, or it ends as an internal error. While a command runs, ``sys.stdout`` and
``sys.stderr`` are wrapped (:func:`guarded_streams`) so that such a failure is
:class:`LostOutput`, naming the stream, which ``ceu_cli.main`` turns into its exit status:
a closed pipe ends quietly as other Unix tools do, anything else is one line on stderr.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO, cast

STDOUT = "standard output"
STDERR = "standard error"


class LostOutput(Exception):
    """Writing ``stream`` failed: ``error`` says why (ENOSPC, EIO, EPIPE, ...)."""

    def __init__(self, stream: str, error: OSError) -> None:
        super().__init__(f"{stream}: {error.strerror or error}")
        self.stream = stream
        self.error = error

    @property
    def reader_went_away(self) -> bool:
        return isinstance(self.error, BrokenPipeError) or self.error.errno == errno.EPIPE


class _Guarded:
    """A text stream whose write and flush raise LostOutput instead of OSError; the rest is the stream's."""

    def __init__(self, stream: TextIO, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            raise LostOutput(self._name, error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise LostOutput(self._name, error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def guarded_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr raise LostOutput while the block runs; restored after it."""
    saved = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, _Guarded(saved[0], STDOUT))
    sys.stderr = cast(TextIO, _Guarded(saved[1], STDERR))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def silence(stream: TextIO) -> None:
    """Point a lost stream's file descriptor at /dev/null, so the interpreter's last flush at exit
    (of text still buffered) cannot fail again and print a traceback of its own."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # not a real file (tests)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
