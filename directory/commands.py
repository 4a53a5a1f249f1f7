"""The ``ceu directory`` commands: validate, stale, check-sources, synthesize and schema-doc.

Each returns a :class:`TaskReport`: what it found as facts (``ceu directory TASK --json``
prints them), the same as lines for people, and the exit status. The ``ceu`` command line
(``ceu_cli``) parses arguments, finds the data folder, loads its schema, runs the task and
prints its report the way it prints every command's answer. Only check-sources prints while
it works (one line per row as it is checked, through ``progress``): an hour of checks should
not look like a hang.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calc.errors import ECHO_CHARS, quoted
from directory import source_check
from directory.check_report import Check, check_key
from directory.data_files import limits_text
from directory.page_figures import page_problems
from directory.records import Problem, count_problems
from directory.schema import Column, Schema
from directory.synthetic import write_synthetic_dataset
from directory.validate import errors, validate_directory
from directory.whole_file import check_target

#: The exit status of a task that found an error in the data (ceu's "bad input").
FOUND_ERRORS = 2


@dataclass(frozen=True)
class TaskReport:
    """What a directory task found: its facts (a JSON object), the same as lines for people,
    and the exit status (0, or FOUND_ERRORS)."""

    data: dict[str, Any]
    text: str
    status: int = 0


def validate(
    path: Path,
    schema: Schema,
    today: dt.date,
    *,
    allow_synthetic: bool = False,
    pages: Path | None = None,
    annotate: bool = False,
) -> TaskReport:
    """Every problem as file:line: field: message; status 2 on any error.

    With ``pages`` (the site's Markdown pages), data without errors is also checked against
    what the pages compute with it (directory.page_figures): what passes, builds. ``annotate``
    adds a GitHub Actions workflow command after each problem (the text only).
    """
    directory = validate_directory(path, schema, today, allow_synthetic=allow_synthetic)
    problems = [(path.as_posix() + "/", problem) for problem in directory.problems]
    if pages is not None and not errors(directory):
        problems += [
            ("" if problem.file.startswith(pages.as_posix() + "/") else path.as_posix() + "/", problem)
            for problem in page_problems(pages, path, pages.as_posix())
        ]
    lines = []
    for folder, problem in problems:
        lines.append(f"{folder}{problem}")
        if annotate:
            lines.append(_annotation(folder, problem))
    # A summary line stands for the repeated problems it hides (records.ProblemList).
    found = count_problems(problem for _, problem in problems if problem.severity == "error")
    warnings = count_problems(problem for _, problem in problems) - found
    rows = len(directory.entries)
    lines.append(f"{rows} rows checked: {found} error(s), {warnings} warning(s)")
    data = {
        "folder": path.as_posix(),
        "rows": rows,
        "errors": found,
        "warnings": warnings,
        "problems": [_problem(folder, problem) for folder, problem in problems],
    }
    return TaskReport(data, "\n".join(lines), FOUND_ERRORS if found else 0)


def _problem(folder: str, problem: Problem) -> dict[str, Any]:
    """One problem as ``--json`` gives it; ``count`` > 1 on a line that stands for that many."""
    return {
        "file": folder + problem.file,
        "line": problem.line,
        "column": problem.field,
        "message": problem.message,
        "severity": problem.severity,
        "count": problem.count,
    }


def _annotation(folder: str, problem: Problem) -> str:
    """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
    level = "warning" if problem.severity == "warning" else "error"
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} file={folder}{problem.file},line={problem.line},title={problem.field}::{message}"


def stale(path: Path, schema: Schema, today: dt.date, days: int) -> TaskReport:
    """Rows whose verified_on is older than ``days``, oldest first."""
    directory = validate_directory(path, schema, today, allow_synthetic=True)
    limit = today - dt.timedelta(days=days)
    old = []
    for entry in directory.entries:
        verified = entry.values.get("verified_on", "")
        try:
            day = dt.date.fromisoformat(verified)
        except ValueError:
            continue  # the validator reports it
        if day < limit:
            old.append((day, schema.table(entry.table).file, entry.line, entry.id))
    old.sort()
    rows = [
        {"file": f, "line": line, "id": i, "verified_on": d.isoformat(), "days": (today - d).days}
        for d, f, line, i in old
    ]
    lines = [
        f"{path.as_posix()}/{file}:{line}: {entry_id}: verified on {day} ({(today - day).days} days ago)"
        for day, file, line, entry_id in old
    ]
    lines.append(f"{len(old)} row(s) verified more than {days} days before {today}")
    return TaskReport({"as_of": today.isoformat(), "days": days, "stale": rows}, "\n".join(lines))


def check_sources(
    path: Path,
    schema: Schema,
    today: dt.date,
    *,
    fetcher: source_check.Fetcher,
    iacet_template: str,
    since: int | None = None,
    only: str | None = None,
    allow_synthetic: bool = False,
    keep_last_reading: bool = False,
    progress: Callable[[str], None] | None = None,
) -> TaskReport:
    """Fetch each row's source (and IACET record) and rewrite checks.csv with what was found.

    Data with errors, and a checks.csv that is not a regular file (directory.whole_file), are
    refused (status 2) before anything is fetched; ``only`` (TABLE/ID)
    limits the run to one row. Rows not checked this time keep their last check; checks of
    rows that no longer exist are dropped. ``allow_synthetic`` accepts test data (rows that
    point at a local test server). ``keep_last_reading``: a check that could not read its
    source keeps the row's previous check of the same address (the deploy's run).
    ``progress`` is given a line for each check as it is made.
    """
    # Where the findings go is looked at first (a device, a pipe or a link there is refused
    # now, not after an hour of checks); replaced_whole looks again when it writes.
    check_target(path / schema.table("checks").file)
    directory = validate_directory(path, schema, today, allow_synthetic=allow_synthetic)
    if found := errors(directory):
        return _refused(path, today, found)
    live = source_check.targets(schema, directory, iacet_template)
    previous = {check_key(c): c for c in map(Check.of, directory.of("checks"))}
    chosen = [t for t in live if only is None or f"{t.table}/{t.id}" == only]
    if only is not None and not chosen:
        shown = only if len(only) <= ECHO_CHARS else quoted(only)
        refused = f"{shown}: no row with a source to check (give TABLE/ID, e.g. providers/some-id)"
        return TaskReport(
            {"as_of": today.isoformat(), "refused": refused, "problems": []}, refused, FOUND_ERRORS
        )
    due = source_check.due(chosen, previous, today, since)

    def report_progress(done: Check) -> None:
        if progress is not None:
            note = f" ({done.detail})" if done.detail else ""
            status = f" HTTP {done.http_status}" if done.http_status else ""
            progress(f"{done.table}/{done.id}: {done.check}: {done.outcome}{status}{note}")

    new = source_check.run(due, fetcher, today, report_progress)
    report = source_check.Report.merged(previous.values(), live, new, keep_last_reading=keep_last_reading)
    kept = [c for c in new if report.rows.get(check_key(c)) is not c and previous.get(check_key(c))]
    table = schema.table("checks")
    report.write(
        path / table.file, table.column_names, {c.name: c.max_length for c in table.columns if c.max_length}
    )
    counts: dict[str, int] = {}
    for done in new:
        counts[done.outcome] = counts.get(done.outcome, 0) + 1
    skipped = len(chosen) - len(due)
    data = {
        "as_of": today.isoformat(),
        "checked": [_check(c) for c in new],
        "skipped": skipped,
        "outcomes": counts,
        "unread_kept_last": len(kept),
    }
    tally = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "nothing fetched"
    recent = f"; {skipped} checked within the last {since} days, kept" if skipped else ""
    unread = f"; {len(kept)} not read this time, last check kept" if kept else ""
    text = f"{len(new)} check(s): {tally}{recent}{unread}; wrote {path.as_posix()}/{table.file}"
    return TaskReport(data, text)


def _refused(path: Path, today: dt.date, found: list[Problem]) -> TaskReport:
    """Data with errors: its problems, and nothing fetched (status 2)."""
    refused = (
        f"{count_problems(found)} error(s): fix the data (ceu directory validate) before checking its sources"
    )
    data = {
        "as_of": today.isoformat(),
        "refused": refused,
        "problems": [_problem(path.as_posix() + "/", problem) for problem in found],
    }
    lines = [f"{path.as_posix()}/{problem}" for problem in found]
    return TaskReport(data, "\n".join([*lines, refused]), FOUND_ERRORS)


def _check(check: Check) -> dict[str, Any]:
    """One check made, as ``--json`` gives it (numbers as numbers, nothing found as null)."""
    return {
        "table": check.table,
        "id": check.id,
        "check": check.check,
        "checked_on": check.checked_on.isoformat(),
        "url": check.url,
        "http_status": int(check.http_status) if check.http_status else None,
        "final_url": check.final_url or None,
        "outcome": check.outcome,
        "detail": check.detail or None,
    }


def synthesize(out_dir: Path, published: Path, providers: int, organizations: int, seed: int) -> TaskReport:
    """Raises RefusedTarget when asked to write into the published folder."""
    write_synthetic_dataset(out_dir, published, providers, organizations, seed)
    data = {
        "out": out_dir.as_posix(),
        "providers": providers,
        "organizations": organizations,
        "seed": seed,
        "synthetic": True,
    }
    return TaskReport(
        data, f"wrote {providers} providers and {organizations} organizations (synthetic) to {out_dir}"
    )


def schema_reference(schema: Schema) -> TaskReport:
    """The column reference: as Markdown for people (schema_doc), and as facts for ``--json``."""
    tables = [
        {
            "file": table.file,
            "title": table.title,
            "description": table.description,
            "columns": [
                {
                    "name": column.name,
                    "required": column.required,
                    "description": column.description,
                    "limits": _limits(column).strip(),
                }
                for column in table.columns
            ],
        }
        for table in schema.tables
    ]
    # print() ends the reference with its one newline.
    return TaskReport({"limits": limits_text(), "tables": tables}, schema_doc(schema).removesuffix("\n"))


def schema_doc(schema: Schema) -> str:
    """The contributor's column reference, rendered from schema.json (CONTRIBUTING.md embeds it),
    after the limits every data file keeps to (data_files.py declares them)."""
    lines: list[str] = ["### What the files may be", "", limits_text(), ""]
    for table in schema.tables:
        lines += [
            f"### `{table.file}`: {table.title}",
            "",
            *([table.description, ""] if table.description else []),
            "| column | required | what it holds |",
            "| --- | --- | --- |",
        ]
        for column in table.columns:
            description = column.description.replace("|", "\\|") + _limits(column)
            lines.append(f"| `{column.name}` | {'yes' if column.required else 'no'} | {description} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


#: Column types whose values are free enough that their length limit is worth stating.
_FREE_TEXT = frozenset({"text", "list", "url", "slug"})


def _limits(column: Column) -> str:
    """What the validator enforces beyond the description, in the reference's words."""
    parts = []
    if column.values:
        parts.append(f"One of: {', '.join(column.values)}.")
    if column.minimum is not None and column.maximum is not None:
        parts.append(f"From {column.minimum} to {column.maximum}.")
    if column.max_places is not None:
        parts.append(f"At most {column.max_places} decimal places.")
    if column.reserved:
        parts.append("Not one of the reserved ids (`reserved_ids` in schema.json).")
    if column.max_length and column.type in _FREE_TEXT:  # the other types have a fixed shape
        parts.append(f"At most {column.max_length} characters.")
    return "".join(f" {part}" for part in parts)
