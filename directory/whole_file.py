"""Writing a file whole or not at all: a failure part-way leaves the previous file as it was.

The text goes to a temporary file beside the target (same folder, so the final rename is
atomic on one file system), which then replaces the target; on any failure the temporary
file is removed. Used by ``ceu directory check-sources`` (checks.csv) and by ``ceu ... --ics``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def replaced_whole(path: Path) -> Iterator[IO[str]]:
    """A text handle (UTF-8, newlines as written) whose contents replace ``path`` when the block ends."""
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=path.parent, prefix=f".{path.name}.", delete=False
        ) as handle:
            temporary = Path(handle.name)
            yield handle
        temporary.chmod(0o644)
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
