"""Each directory entry's history, from the git history of ``directory_data/`` in one pass.

One ``git log -p --unified=0`` over the data folder (:func:`git_log_command`) gives every
commit's removed and added lines. A row is usually one line: each run of lines is parsed as
CSV rows under its file's header *at that commit*, and keyed by table and row key (``id``,
or vocabulary and id). A value may hold a line break, so a run of lines can also be part
of a row (a line inside a quoted value): it is never read as a row of its own (its text
would become a phantom entry). Where a commit's diff of a file has such a part, the file
is read whole on both sides of the commit (``read_file``) and compared row by row, so the
change is still found; without ``read_file`` only the whole rows count. Per commit:

* a key only among the added lines is **added**; only among the removed lines, **removed**;
* a key on both sides with other values is **changed**, field by field (before -> after);
  a change of ``verified_on`` alone is a **source re-read**, a change that touches
  ``standing`` a **status change**;
* a key on both sides with the same values is a row that moved (re-sorted, or shifted by
  its neighbours): not a change.

Columns added to a header read as empty in older rows, so adding a column is not reported
as a change to every row. :func:`history` is a pure function of the log's text;
:func:`load_history` runs the one git process at the build's edge.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from directory.schema import Schema, Table

#: Separators in the log's format: record (commit) and unit (field) separators.
COMMIT_MARK = "\x1e"
FIELD_MARK = "\x1f"
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
#: Fields whose change alone means the source was read again.
REREAD_FIELDS = frozenset({"verified_on"})
STATUS_FIELDS = frozenset({"standing"})


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str
    #: False when the column's words are not quoted in the history (schema ``history_text``):
    #: ``before`` and ``after`` are then empty and the change is named only.
    quoted: bool = True


@dataclass(frozen=True)
class Change:
    """One commit's change to one entry."""

    table: str
    key: tuple[str, ...]
    commit: str
    #: The commit's date, ISO 8601 with its offset, as git gives it.
    date: str
    subject: str
    #: added, changed, source re-read, status changed or removed.
    kind: str
    fields: tuple[FieldChange, ...] = field(default=())
    #: The row as the commit left it (as it was, when removed): names and places a feed
    #: entry even after the row is gone. Not part of equality: the change is the fields.
    row: Mapping[str, str] = field(default_factory=dict, compare=False)


def git_log_command(data_dir: str) -> list[str]:
    """The one git process the history needs: every commit touching ``data_dir``, oldest first."""
    return [
        "git",
        "-c",
        "core.quotePath=false",
        "log",
        "--reverse",
        "--no-merges",
        "--no-renames",
        "--no-color",
        "--no-ext-diff",
        "--unified=0",
        "-p",
        f"--format={COMMIT_MARK}%H{FIELD_MARK}%cI{FIELD_MARK}%s",
        "--",
        data_dir,
    ]


#: Reads a data file as a commit left it: (commit, path in the repository) -> its text, or ""
#: where the commit has no such file. ``<sha>^`` names the commit before.
ReadFile = Callable[[str, str], str]


def history(
    log: str, schema: Schema, read_file: ReadFile | None = None
) -> dict[tuple[str, tuple[str, ...]], list[Change]]:
    """(table, row key) -> that entry's changes, oldest first, from the log's text (and, for
    a diff that cuts a row with a line break in a value, the files it changed: ``read_file``)."""
    tables = {table.file: table for table in schema.tables}
    headers: dict[str, list[str]] = {}
    changes: dict[tuple[str, tuple[str, ...]], list[Change]] = defaultdict(list)
    for commit, date, subject, files in _commits(log):
        for path, removed, added in files:
            table = tables.get(PurePosixPath(path).name)
            if table is None:
                continue
            old_header = headers.get(path, [])
            new_header = next((text for number, text in added if number == 1), None)
            if new_header is not None:
                headers[path] = _cells(new_header)
            elif any(number == 1 for number, _ in removed):
                headers.pop(path, None)  # the file was emptied or deleted
            before, whole_before = _rows(table, old_header, [line for line in removed if line[0] != 1])
            after, whole_after = _rows(table, headers.get(path, []), [line for line in added if line[0] != 1])
            if not (whole_before and whole_after) and read_file is not None:
                before = _file_rows(table, read_file(f"{commit}^", path))
                after = _file_rows(table, read_file(commit, path))
            for key in sorted(before.keys() | after.keys()):
                change = _change(table, key, before.get(key), after.get(key), commit, date, subject)
                if change is not None:
                    changes[(table.key, key)].append(change)
    return dict(changes)


#: One file's part of a commit: its path, and its removed and added lines as (line number, text).
FileDiff = tuple[str, list[tuple[int, str]], list[tuple[int, str]]]


def _commits(log: str) -> Iterator[tuple[str, str, str, list[FileDiff]]]:
    """(sha, date, subject, file diffs) per commit, in the log's order."""
    for chunk in log.split(COMMIT_MARK)[1:]:
        head, _, body = chunk.partition("\n")
        sha, date, subject = [*head.split(FIELD_MARK), "", ""][:3]
        files: list[FileDiff] = []
        in_header = False  # between "diff --git" and the file's first hunk
        old_line = new_line = 0
        for line in body.split("\n"):
            if line.startswith("diff --git "):
                files.append(("", [], []))
                in_header = True
            elif in_header and line.startswith(("--- a/", "+++ b/")):
                files[-1] = (line[6:], files[-1][1], files[-1][2])
            elif match := _HUNK.match(line):
                in_header = False
                old_line, new_line = int(match.group(1)), int(match.group(3))
            elif files and not in_header and line.startswith("-"):
                files[-1][1].append((old_line, line[1:]))
                old_line += 1
            elif files and not in_header and line.startswith("+"):
                files[-1][2].append((new_line, line[1:]))
                new_line += 1
        yield sha, date, subject, files


def _cells(text: str) -> list[str]:
    rows = list(csv.reader([text]))
    return rows[0] if rows else []  # a header: names, never a line break


def _rows(
    table: Table, header: list[str], lines: list[tuple[int, str]]
) -> tuple[dict[tuple[str, ...], dict[str, str]], bool]:
    """Row key -> values for the lines of one side of a diff, read under ``header``; and
    whether every line was part of a whole row (False where a run cuts a row in two)."""
    found: dict[tuple[str, ...], dict[str, str]] = {}
    whole = True
    if not header:
        return found, whole
    for run in _runs(lines):
        rows = _whole_rows(table, header, run)
        if rows is None:
            whole = False
            continue
        for values in rows:
            key = tuple(values.get(name, "") for name in table.row_key)
            if any(key):
                found[key] = values
    return found, whole


def _runs(lines: list[tuple[int, str]]) -> Iterator[str]:
    """The text of each run of consecutive lines (a hunk's side, blank lines left out)."""
    run: list[str] = []
    last = None
    for number, text in lines:
        if last is not None and number != last + 1 and run:
            yield "\n".join(run)
            run = []
        last = number
        if text.strip():
            run.append(text)
    if run:
        yield "\n".join(run)


_ROW_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")


def _whole_rows(table: Table, header: list[str], text: str) -> list[dict[str, str]] | None:
    """The rows ``text`` holds, or None when it is not whole rows: an unclosed quote, or a line
    whose cells are not the header's (a line from inside a value with a line break)."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None
    values = [dict(zip(header, row, strict=True)) for row in rows if len(row) == len(header)]
    if len(values) != len(rows) or any(
        not _ROW_KEY.fullmatch(row.get(name, "")) for row in values for name in table.row_key
    ):
        return None
    return values


def _file_rows(table: Table, text: str) -> dict[tuple[str, ...], dict[str, str]]:
    """Row key -> values for a whole file's text."""
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error:
        return {}
    found = {}
    for row in rows:
        values = {
            name: value for name, value in row.items() if isinstance(name, str) and isinstance(value, str)
        }
        key = tuple(values.get(name, "") for name in table.row_key)
        if any(key):
            found[key] = values
    return found


def _change(
    table: Table,
    key: tuple[str, ...],
    before: Mapping[str, str] | None,
    after: Mapping[str, str] | None,
    commit: str,
    date: str,
    subject: str,
) -> Change | None:
    if before is None:
        return Change(table.key, key, commit, date, subject, "added", row=after or {})
    if after is None:
        return Change(table.key, key, commit, date, subject, "removed", row=before)
    columns = [column for column in table.columns if column.name not in table.row_key]
    differing = tuple(
        FieldChange(column.name, before.get(column.name, ""), after.get(column.name, ""))
        if column.history_text
        else FieldChange(column.name, "", "", quoted=False)
        for column in columns
        if before.get(column.name, "") != after.get(column.name, "")
    )
    if not differing:
        return None  # the row moved: re-sorted, or shifted by a neighbour
    changed = {change.name for change in differing}
    if changed <= REREAD_FIELDS:
        kind = "source re-read"
    elif changed & STATUS_FIELDS:
        kind = "status changed"
    else:
        kind = "changed"
    return Change(table.key, key, commit, date, subject, kind, differing, row=after)


def load_history(data_dir: Path, schema: Schema) -> dict[tuple[str, tuple[str, ...]], list[Change]] | None:
    """The history of ``data_dir`` from its git repository, or None where the build has none.

    None, not an empty history, for a folder outside a git repository, a shallow clone (its
    first commit would show every row as added that day), or no git at all: pages then say
    that history is not available in this build. One git process, whatever the size (and one
    more per file version read whole: only for a commit whose diff cuts a row with a line break
    in a value).
    """
    repository = next(
        (folder for folder in (data_dir, *data_dir.parents) if (folder / ".git").exists()), None
    )
    if repository is None or (repository / ".git" / "shallow").exists():
        return None
    try:
        done = subprocess.run(
            git_log_command(str(data_dir.resolve().relative_to(repository.resolve()))),
            cwd=repository,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except (OSError, ValueError):
        return None
    if done.returncode != 0 or not done.stdout:
        return None
    return history(done.stdout, schema, _files_of(repository))


def _files_of(repository: Path) -> ReadFile:
    """A data file as a commit of ``repository`` left it ("" where it had none)."""

    def read(commit: str, path: str) -> str:
        try:
            done = subprocess.run(
                ["git", "show", f"{commit}:{path}"],
                cwd=repository,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                check=False,
            )
        except OSError:
            return ""
        return done.stdout if done.returncode == 0 else ""

    return read
