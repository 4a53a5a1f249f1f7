"""The files ``ceu`` reads: the user's input files, and the data bundled with OpenCEU.

An input file is UTF-8 text (a leading byte-order mark is allowed). Every way one
can be unusable (missing, a folder, unreadable, not UTF-8, binary, far too big)
becomes one :class:`UsageError` that names the file, and the line where there is one.

The bundled data, ``directory_data/`` (the credit-systems table, the directory's
schema and tables), is package data found with :mod:`importlib.resources`, so
``ceu`` works from any folder: in an editable install it is the repository's own
folder, in a wheel the copy installed beside the packages.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from calc.text_lines import FileTextError, decoded_lines
from ceu_cli.exits import OutputFailed, UsageError

#: The importable name of the bundled data folder (``directory_data/`` at the repository root).
BUNDLED_DATA = "directory_data"
SCHEMA_FILE = "schema.json"
SYSTEMS_FILE = "credit_systems.csv"
#: Larger than any hand-made plan, agenda or record list; a bigger file is the wrong file
#: (or a device such as /dev/zero), refused before it fills the memory.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: How much of a streamed file is read at a time.
READ_BYTES = 256 * 1024
STDIN = "-"


def bundled_data_dir() -> Path:
    """The ``directory_data`` folder installed with ceu.

    Shown relative to the working folder when it is inside it, so messages read
    ``directory_data/providers.csv:2`` from the repository root, as before.
    """
    try:
        schema = resources.files(BUNDLED_DATA) / SCHEMA_FILE
    except ModuleNotFoundError:
        schema = None
    if not isinstance(schema, Path) or not schema.is_file():
        raise UsageError(
            "the directory data bundled with ceu is missing (reinstall OpenCEU), or name a data folder"
        )
    folder = schema.parent
    try:
        return folder.relative_to(Path.cwd())
    except (ValueError, OSError):  # outside the working folder, or the working folder is gone
        return folder


def read_text(name: str) -> str:
    """A whole input file (``-`` for standard input) as text."""
    try:
        if name == STDIN:
            data = _stdin().read(MAX_FILE_BYTES + 1)
        else:
            with _open(name) as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise UsageError(f"{name}: cannot read it: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise UsageError(f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; is it the right file?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UsageError(_not_utf8(name, line, data[error.start])) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UsageError(_binary(name, line))
    return text


@contextmanager
def text_lines(name: str) -> Iterator[Iterator[str]]:
    """An input file's lines, decoded one at a time: memory stays flat however long the file is."""
    if name == STDIN:
        yield _lines(_stdin(), name)
        return
    with _open(name) as handle:
        yield _lines(handle, name)


def write_text_file(name: str, text: str) -> None:
    """Write a whole output file, or nothing: a half-written file never replaces a good one.

    Only a regular file or a new name is written (directory.whole_file says why): a device
    such as /dev/full, a named pipe, a folder or a symbolic link is refused as bad usage.
    """
    from directory.whole_file import RefusedOutput, WriteFailed, replaced_whole  # only writers load it

    try:
        with replaced_whole(Path(name)) as handle:
            handle.write(text)
    except RefusedOutput as error:
        raise UsageError(str(error)) from None
    except WriteFailed as error:
        raise OutputFailed(str(error)) from None


def _lines(handle: BinaryIO, name: str) -> Iterator[str]:
    try:
        yield from decoded_lines(_blocks(handle, name))
    except FileTextError as error:
        raise UsageError(f"{name}:{error.line}: {error.message}") from None


def _blocks(handle: BinaryIO, name: str) -> Iterator[bytes]:
    while True:
        try:
            block = handle.read(READ_BYTES)
        except OSError as error:
            raise UsageError(f"{name}: cannot read it: {error.strerror or error}") from None
        if not block:
            return
        yield block


def _open(name: str) -> BinaryIO:
    try:
        return open(name, "rb")  # the callers close it
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{name}: is a folder; give a file") from None
    except PermissionError:
        raise UsageError(f"{name}: permission denied") from None
    except OSError as error:
        raise UsageError(f"{name}: cannot read it: {error.strerror or error}") from None


def _stdin() -> BinaryIO:
    buffer: BinaryIO | None = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        raise UsageError("-: standard input cannot be read as bytes")
    return buffer


def _not_utf8(name: str, line: int, byte: int) -> str:
    return f"{name}:{line}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"


def _binary(name: str, line: int) -> str:
    return f"{name}:{line}: contains a NUL byte; expected a text file"
