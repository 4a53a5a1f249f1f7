"""A real git repository made by a test, holding a data folder, one dated commit at a time.

The history of ``directory_data/`` is read from git, so tests of it make a repository of their
own: commits with known dates and subjects, isolated from the user's and the system's git
configuration.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from directory.schema import Schema


class Repository:
    """A git repository with a data folder ``data/``; each commit gets the next day as its date."""

    def __init__(self, root: Path, schema: Schema) -> None:
        self.root = root
        self.data = root / "data"
        self.schema = schema
        self.day = 0
        self.data.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, **env: str) -> str:
        """git in the repository, with no user or system configuration and ``env`` added."""
        isolated = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", **env}
        return subprocess.run(
            ["git", *args], cwd=self.root, env=isolated, capture_output=True, text=True, check=True
        ).stdout

    def write(
        self, rows: Sequence[dict[str, str]], table: str = "providers", columns: Sequence[str] | None = None
    ) -> None:
        """The table's file with exactly these rows, in this order (unsorted on purpose, if so given)."""
        spec = self.schema.table(table)
        out = io.StringIO()
        writer = csv.DictWriter(
            out,
            fieldnames=list(columns or spec.column_names),
            lineterminator="\n",
            restval="",
            extrasaction="ignore",
        )
        writer.writeheader()
        writer.writerows(rows)
        (self.data / spec.file).write_text(out.getvalue(), encoding="utf-8")

    def commit(self, subject: str) -> str:
        """Commit everything as the next day of March 2026, noon UTC; the new commit's sha."""
        self.day += 1
        stamp = f"2026-03-{self.day:02d}T12:00:00+00:00"
        self.git("add", "-A")
        self.git(
            "commit", "-q", "-m", subject,
            GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org", GIT_AUTHOR_DATE=stamp,
            GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.org", GIT_COMMITTER_DATE=stamp,
        )  # fmt: skip
        return self.git("rev-parse", "HEAD").strip()
