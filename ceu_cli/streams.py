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
import io
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
        #: The command that was writing ("iacet", "directory validate"), once known.
        self.command = ""

    @property
    def reader_went_away(self) -> bool:
        return isinstance(self.error, BrokenPipeError) or self.error.errno == errno.EPIPE


class _Guarded:
    """A text stream whose write and flush raise LostOutput instead of OSError; the rest is the stream's.

    Text is encoded here and handed to the stream's binary buffer until every byte is taken:
    the buffer may take fewer bytes than it is given (a file that reached its size limit
    takes a few, then none), and a text stream drops the rest without a word, so
    ``ceu directory schema-doc`` into such a file ended "done" with its output cut short.
    """

    def __init__(self, stream: TextIO, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        try:
            buffer = getattr(self._stream, "buffer", None)
            if not isinstance(self._stream, io.TextIOWrapper) or buffer is None:
                return self._stream.write(text)
            data = text.replace("\n", os.linesep).encode(
                self._stream.encoding, self._stream.errors or "strict"
            )
            view = memoryview(data)
            while view:
                taken = buffer.write(view)
                if not taken:  # a non-blocking stream that is full: nothing more will go
                    raise BlockingIOError(errno.EAGAIN, "the output would block")
                view = view[taken:]
            if self._stream.line_buffering and "\n" in text:
                buffer.flush()
            return len(text)
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
