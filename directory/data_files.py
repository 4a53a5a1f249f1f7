"""The data folder's files: regular files in the folder, bounded in size, read in bounded lines.

schema.json and the tables are what a pull request changes, so a file is not trusted to be
what its name says. Before a byte of it is read, each is looked at without following a
symbolic link (``lstat``), opened once without following one (``O_NOFOLLOW``) and without
waiting for a writer (``O_NONBLOCK``, for a named pipe), and the open descriptor is judged
(``fstat``): anything but a regular file (a link to a file outside the folder or to
``/dev/zero``, a named pipe, a device, a socket, a folder) is refused, and so is a file
larger than its limit. It is then read from that same descriptor, so nothing can be put in
its place between the check and the reading, and a line at a time with each line bounded,
so no input, however large, is held whole. The data folder itself must be the folder that
is named, not a link to one: a link would publish files from wherever it points.

Every limit is declared here, once: the validator enforces them, ``ceu directory validate
--help`` and the column reference (``ceu directory schema-doc``, in CONTRIBUTING.md) state
them. The browser's Suggest page reads schema.json and vocabularies.csv through this module,
so it keeps to the standard library.
"""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path
from typing import BinaryIO

KB = 1024
MB = 1024 * KB
#: The largest table file. The published tables are a few tens of kilobytes; the benchmark's
#: 100,000 generated entries (``make bench``) make a providers.csv of 23.4 MB and a checks.csv
#: of 9.8 MB. A larger file is the wrong file, or an attempt to exhaust the validator.
MAX_TABLE_BYTES = 32 * MB
#: The most rows (lines after the header) a table may have; the benchmark's largest has 80,000.
MAX_TABLE_ROWS = 100_000
#: The longest row, in bytes: one line, or the lines of a row whose quoted value spans lines.
#: A row whose every value keeps to its column's max_length is at most 46 KB (four bytes a
#: character, a comma a column); schema.py refuses column limits that would allow more.
#: The csv module's field limit is the same, so no value can outgrow its row.
MAX_ROW_BYTES = 128 * KB
#: schema.json's size and nesting (published: 33 KB, six levels).
MAX_SCHEMA_BYTES = 1 * MB
MAX_SCHEMA_DEPTH = 16
#: How many problems of one kind one file's column shows; the rest are counted in one line
#: ("... and 99,812 more like this"), so 100,000 bad rows print a screenful, not megabytes.
SHOWN_ALIKE = 20

#: Flags for opening a data file: never through a link, never waiting on a pipe, never
#: becoming the controlling terminal. Where the system lacks one, the lstat and fstat
#: checks below still refuse what it would have.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
#: How much of a link's target a message shows.
_TARGET_SHOWN = 120


def limits_text(width: int = 88) -> str:
    """The limits in a contributor's words, for ``ceu directory validate --help`` and the column reference."""
    text = (
        "The data folder must be the folder itself, not a symbolic link to one, and schema.json and "
        "each table a regular file in it: not a symbolic link, a named pipe or a device. A table may "
        f"be at most {size_text(MAX_TABLE_BYTES)} and {MAX_TABLE_ROWS:,} rows, one row at most "
        f"{MAX_ROW_BYTES:,} bytes; schema.json at most {size_text(MAX_SCHEMA_BYTES)}, nested at most "
        f"{MAX_SCHEMA_DEPTH} levels deep. A file over its limits is refused in one line before it is "
        "read, and a row over them in one line where it is. A mistake repeated on many rows is shown "
        f"{SHOWN_ALIKE} times for each file and column, then counted "
        '("... and 99,812 more like this").'
    )
    return textwrap.fill(text, width=width)


class DataFileError(ValueError):
    """A file of the data folder (or the folder itself) that is refused whole, before it is read.

    ``str()`` is one line, ``path: why``, like every refused input of ``ceu``.
    """

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path.as_posix()}: {why}")
        self.path = path
        self.why = why


def size_text(size: int) -> str:
    """``33,554,432`` bytes as people read it: ``32 MB``, ``23.4 MB``, ``812 KB``, ``17 bytes``."""
    for unit, name in ((MB, "MB"), (KB, "KB")):
        if size >= unit:
            figure = size / unit
            shown = f"{figure:,.0f}" if figure == int(figure) or figure >= 100 else f"{figure:,.1f}"
            return f"{shown} {name}"
    return f"{size} byte{'' if size == 1 else 's'}"


def check_folder(folder: Path) -> None:
    """``folder`` is a folder, and not a symbolic link to one; DataFileError says why not."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        raise DataFileError(folder, "there is no such folder; give the directory data folder") from None
    except OSError as error:
        raise DataFileError(folder, f"cannot be read: {error.strerror or error}") from None
    if stat.S_ISLNK(info.st_mode):
        raise DataFileError(
            folder,
            f"is a symbolic link{_target(folder)}; name the data folder itself, not a link to it "
            "(a link would publish files from wherever it points)",
        )
    if not stat.S_ISDIR(info.st_mode):
        raise DataFileError(folder, f"is {_kind(info.st_mode)}, not a folder; give the directory data folder")


def open_data_file(path: Path, limit: int) -> BinaryIO:
    """``path`` opened for reading, once it is known to be a regular file of at most ``limit`` bytes.

    Raises FileNotFoundError when nothing is there (the caller knows whether the file may be
    absent) and DataFileError for anything that is there but is not such a file. Nothing of
    the file is read here.
    """
    try:
        seen = os.lstat(path)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise DataFileError(path, f"cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(seen.st_mode):  # a pipe or a device is never even opened
        raise DataFileError(path, _not_a_file(path, seen.st_mode))
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as error:
        try:  # put in its place since the lstat above: say what is there now
            now = os.lstat(path).st_mode
        except OSError:
            now = seen.st_mode
        why = (
            _not_a_file(path, now) if not stat.S_ISREG(now) else f"cannot be read: {error.strerror or error}"
        )
        raise DataFileError(path, why) from None
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            raise DataFileError(path, _not_a_file(path, opened.st_mode))
        if opened.st_size > limit:
            raise DataFileError(path, too_large(opened.st_size, limit))
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def too_large(size: int, limit: int) -> str:
    """Why a file of ``size`` bytes is refused (``limit`` is MAX_TABLE_BYTES or MAX_SCHEMA_BYTES)."""
    what = "schema.json" if limit == MAX_SCHEMA_BYTES else "a table file"
    return (
        f"is {size_text(size)} ({size:,} bytes); {what} may be at most {size_text(limit)}, "
        "so it is not read: is it the right file?"
    )


def grew(limit: int) -> str:
    """Why a file that was within ``limit`` when opened, and is read past it, is refused."""
    return (
        f"grew past {size_text(limit)} ({limit:,} bytes) while it was read, so it is not read further; "
        "is something writing to it?"
    )


def read_limited(handle: BinaryIO, path: Path, limit: int) -> bytes:
    """The whole of a small file already opened by open_data_file (schema.json), at most ``limit`` bytes."""
    data = handle.read(limit + 1)
    if len(data) > limit:  # it grew after it was measured
        raise DataFileError(path, grew(limit))
    return data


def _not_a_file(path: Path, mode: int) -> str:
    if stat.S_ISLNK(mode):
        return (
            f"is a symbolic link{_target(path)}; the data folder holds the file itself, not a link "
            "(a link can point outside the folder, or at a device): put the file in its place"
        )
    return f"is {_kind(mode)}, not a regular file; the data folder holds the file itself"


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _target(path: Path) -> str:
    """`` (to '/etc/passwd')``: where a link points, shown short; empty if it cannot be read."""
    try:
        target = os.readlink(path)
    except (OSError, ValueError):
        return ""
    shown = repr(target) if len(target) <= _TARGET_SHOWN else repr(target[:_TARGET_SHOWN]) + "..."
    return f" (to {shown})"
