"""The ``ceu directory`` commands: validate, stale, check-sources, synthesize and schema-doc.

Each returns an exit status and prints its own output, so the ``ceu`` command line
(``ceu_cli``) only parses arguments, finds the data folder, loads its schema and
dispatches.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import TextIO

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


def validate(
    path: Path,
    schema: Schema,
    today: dt.date,
    out: TextIO,
    *,
    allow_synthetic: bool = False,
    pages: Path | None = None,
) -> int:
    """Print every problem as file:line: field: message; exit 2 on any error.

    With ``pages`` (the site's Markdown pages), data without errors is also checked against
    what the pages compute with it (directory.page_figures): what passes, builds.
    """
    directory = validate_directory(path, schema, today, allow_synthetic=allow_synthetic)
    problems = [(path.as_posix() + "/", problem) for problem in directory.problems]
    if pages is not None and not errors(directory):
        problems += [
            ("" if problem.file.startswith(pages.as_posix() + "/") else path.as_posix() + "/", problem)
            for problem in page_problems(pages, path, pages.as_posix())
        ]
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for folder, problem in problems:
        print(f"{folder}{problem}", file=out)
        if annotate:
            print(_annotation(folder, problem), file=out)
    # A summary line stands for the repeated problems it hides (records.ProblemList).
    found = count_problems(problem for _, problem in problems if problem.severity == "error")
    warnings = count_problems(problem for _, problem in problems) - found
    rows = len(directory.entries)
    print(f"{rows} rows checked: {found} error(s), {warnings} warning(s)", file=out)
    return 2 if found else 0


def _annotation(folder: str, problem: Problem) -> str:
    """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
    level = "warning" if problem.severity == "warning" else "error"
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} file={folder}{problem.file},line={problem.line},title={problem.field}::{message}"


def stale(
    path: Path, schema: Schema, today: dt.date, days: int, out: TextIO, *, as_json: bool = False
) -> int:
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
    if as_json:
        rows = [
            {"file": f, "line": line, "id": i, "verified_on": d.isoformat(), "days": (today - d).days}
            for d, f, line, i in old
        ]
        print(json.dumps({"as_of": today.isoformat(), "days": days, "stale": rows}, indent=2), file=out)
    else:
        for day, file, line, entry_id in old:
            print(
                f"{path.as_posix()}/{file}:{line}: {entry_id}: verified on {day} ({(today - day).days} days ago)",
                file=out,
            )
        print(f"{len(old)} row(s) verified more than {days} days before {today}", file=out)
    return 0


def check_sources(
    path: Path,
    schema: Schema,
    today: dt.date,
    out: TextIO,
    *,
    fetcher: source_check.Fetcher,
    iacet_template: str,
    since: int | None = None,
    only: str | None = None,
    as_json: bool = False,
    allow_synthetic: bool = False,
    keep_last_reading: bool = False,
) -> int:
    """Fetch each row's source (and IACET record) and rewrite checks.csv with what was found.

    Data with errors, and a checks.csv that is not a regular file (directory.whole_file), are
    refused (exit 2) before anything is fetched; ``only`` (TABLE/ID)
    limits the run to one row. Rows not checked this time keep their last check; checks of
    rows that no longer exist are dropped. ``allow_synthetic`` accepts test data (rows that
    point at a local test server). ``keep_last_reading``: a check that could not read its
    source keeps the row's previous check of the same address (the deploy's run).
    """
    # Where the findings go is looked at first (a device, a pipe or a link there is refused
    # now, not after an hour of checks); replaced_whole looks again when it writes.
    check_target(path / schema.table("checks").file)
    directory = validate_directory(path, schema, today, allow_synthetic=allow_synthetic)
    if found := errors(directory):
        for problem in found:
            print(f"{path.as_posix()}/{problem}", file=out)
        print(
            f"{count_problems(found)} error(s): fix the data (ceu directory validate) before checking its sources",
            file=out,
        )
        return 2
    live = source_check.targets(schema, directory, iacet_template)
    previous = {check_key(c): c for c in map(Check.of, directory.of("checks"))}
    chosen = [t for t in live if only is None or f"{t.table}/{t.id}" == only]
    if only is not None and not chosen:
        print(
            f"{only if len(only) <= ECHO_CHARS else quoted(only)}: no row with a source to check (give TABLE/ID, e.g. providers/some-id)",
            file=out,
        )
        return 2
    due = source_check.due(chosen, previous, today, since)

    def progress(done: Check) -> None:
        if not as_json:
            note = f" ({done.detail})" if done.detail else ""
            status = f" HTTP {done.http_status}" if done.http_status else ""
            print(f"{done.table}/{done.id}: {done.check}: {done.outcome}{status}{note}", file=out, flush=True)

    new = source_check.run(due, fetcher, today, progress)
    report = source_check.Report.merged(previous.values(), live, new, keep_last_reading=keep_last_reading)
    kept = [c for c in new if report.rows.get(check_key(c)) is not c and previous.get(check_key(c))]
    table = schema.table("checks")
    report.write(
        path / table.file, table.column_names, {c.name: c.max_length for c in table.columns if c.max_length}
    )
    counts: dict[str, int] = {}
    for done in new:
        counts[done.outcome] = counts.get(done.outcome, 0) + 1
    if as_json:
        rows = [
            {
                "table": c.table,
                "id": c.id,
                "check": c.check,
                "checked_on": c.checked_on.isoformat(),
                "url": c.url,
                "http_status": int(c.http_status) if c.http_status else None,
                "final_url": c.final_url or None,
                "outcome": c.outcome,
                "detail": c.detail or None,
            }
            for c in new
        ]
        summary = {
            "as_of": today.isoformat(),
            "checked": rows,
            "skipped": len(chosen) - len(due),
            "outcomes": counts,
            "unread_kept_last": len(kept),
        }
        print(json.dumps(summary, indent=2, ensure_ascii=False), file=out)
    else:
        tally = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "nothing fetched"
        skipped = len(chosen) - len(due)
        recent = f"; {skipped} checked within the last {since} days, kept" if skipped else ""
        unread = f"; {len(kept)} not read this time, last check kept" if kept else ""
        print(f"{len(new)} check(s): {tally}{recent}{unread}; wrote {path.as_posix()}/{table.file}", file=out)
    return 0


def synthesize(
    out_dir: Path, published: Path, providers: int, organizations: int, seed: int, out: TextIO
) -> int:
    """Raises RefusedTarget when asked to write into the published folder."""
    write_synthetic_dataset(out_dir, published, providers, organizations, seed)
    print(f"wrote {providers} providers and {organizations} organizations (synthetic) to {out_dir}", file=out)
    return 0


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
