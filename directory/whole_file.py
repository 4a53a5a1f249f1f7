"""Writing a file whole or not at all, and only where a file belongs.

The text goes to a temporary file beside the target (same folder, so the final rename is
atomic on one file system), which then replaces the target; on any failure the temporary
file is removed and the target is as it was. Used by ``ceu ... --ics``, by ``ceu directory
check-sources`` (checks.csv) and by ``ceu directory synthesize``.

A rename replaces whatever the name points at, so the target is looked at first
(:func:`check_target`, with ``lstat``, which does not follow a link): only a regular file
or a name that does not exist yet is written. A device (``/dev/full``, ``/dev/null``), a
named pipe, a socket or a folder is refused, and so is a symbolic link, even one to a
regular file: replacing it would replace the link itself with a file and leave what it
points at unchanged, which is never what was asked. The target is looked at again just
before the rename, so only a change made in that instant could slip through.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

#: What each kind of file that is not a regular one is called in a refusal.
_NOT_A_FILE = (
    (stat.S_ISLNK, "a symbolic link; name the file itself, ceu does not write through links"),
    (stat.S_ISDIR, "a folder; give a file name"),
    (stat.S_ISCHR, "a device, not a file; ceu writes only a regular file or a new one"),
    (stat.S_ISBLK, "a device, not a file; ceu writes only a regular file or a new one"),
    (stat.S_ISFIFO, "a named pipe, not a file; ceu writes only a regular file or a new one"),
    (stat.S_ISSOCK, "a socket, not a file; ceu writes only a regular file or a new one"),
)


class RefusedOutput(ValueError):
    """The output path names something that is not a regular file (nothing was written)."""


class WriteFailed(OSError):
    """Writing the file failed part-way (a full disk, a device error): the target is unchanged."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(error.errno, error.strerror)
        self.filename = str(path)
        self.message = f"{path}: cannot write it: {error.strerror or error}"

    def __str__(self) -> str:
        return self.message


def check_target(path: Path) -> None:
    """Raise RefusedOutput unless ``path`` is a regular file or a new name in an existing folder."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise RefusedOutput(f"{path}: the folder {path.parent} does not exist") from None
        return
    except OSError as error:
        raise RefusedOutput(f"{path}: cannot look at it: {error.strerror or error}") from None
    if stat.S_ISREG(mode):
        return
    why = next((words for test, words in _NOT_A_FILE if test(mode)), "not a regular file")
    raise RefusedOutput(f"{path}: is {why}")


@contextmanager
def replaced_whole(path: Path) -> Iterator[IO[str]]:
    """A text handle (UTF-8, newlines as written) whose contents replace ``path`` when the block ends.

    RefusedOutput before anything is written when ``path`` is not a regular file or a new
    name; WriteFailed (naming the file) when writing or renaming fails.
    """
    check_target(path)
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=path.parent, prefix=f".{path.name}.", delete=False
        ) as handle:
            temporary = Path(handle.name)
            yield handle
        temporary.chmod(0o644)
        check_target(path)  # again: what was there may have changed while the text was written
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        if isinstance(error, WriteFailed):
            raise
        raise WriteFailed(path, error) from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(temporary: Path | None) -> None:
    if temporary is not None:
        temporary.unlink(missing_ok=True)
