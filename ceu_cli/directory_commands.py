"""``ceu directory``: validate, stale, check-sources, synthesize and schema-doc for the directory data.

The work is done by :mod:`directory.commands`, whose tasks return a report that this
module hands to ``main`` as an :class:`~ceu_cli.exits.Answer`: printed as lines, or with
``--json`` (every task takes it, documented in its help) as a JSON object, the way the
engine's commands print theirs. This module parses the arguments, finds the data folder
(the one bundled with ceu unless one is named), loads its ``schema.json`` and turns every
way that can fail into one line with exit status 2.
The directory package is imported only when a task runs, so the engine's commands
need nothing beyond the standard library.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from calc.errors import quoted
from ceu_cli.exits import Answer, OutputFailed, UsageError
from ceu_cli.files import SCHEMA_FILE, bundled_data_dir
from ceu_cli.help import Subcommands, json_flag, subcommand
from directory.build_date import ENV_VAR as TODAY_VAR
from directory.build_date import build_date
from directory.data_files import MAX_TABLE_ROWS, limits_text

if TYPE_CHECKING:
    from directory.commands import TaskReport
    from directory.schema import Schema

#: A table holds at most this many rows (so the data synthesize writes can be validated).
MAX_SYNTHETIC_ROWS = MAX_TABLE_ROWS
#: A century: older than this, every row is stale anyway.
MAX_STALE_DAYS = 36_600
#: The longest a check waits for one response; a source slower than this is unreachable.
MAX_TIMEOUT = 300.0
MAX_PAUSE = 60.0

FOLDER_HELP = f"""\
FOLDER holds {SCHEMA_FILE} and the CSV tables it names; by default it is the data
bundled with ceu (directory_data/ in the repository). `ceu directory schema-doc`
prints every table's columns and allowed values. Dates in the data are YYYY-MM-DD;
{TODAY_VAR}=YYYY-MM-DD sets the day taken as today."""


#: Each task's ``--json`` object, documented in its help (the same facts as its lines).
VALIDATE_JSON = """\
With --json: {"folder", "rows", "errors", "warnings", "problems": [{"file", "line",
"column", "message", "severity" ("error" or "warning"), "count" (how many problems the
line stands for: 1, or more on a "... and N more like this" line)}]}; the same exit status."""
STALE_JSON = """\
With --json: {"as_of" (YYYY-MM-DD), "days", "stale": [{"file", "line", "id",
"verified_on", "days" (how many days ago)}]}, oldest first."""
CHECK_SOURCES_JSON = """\
With --json, no line per row but at the end: {"as_of", "checked": [{"table", "id", "check",
"checked_on", "url", "http_status" (a number), "final_url", "outcome", "detail"; null
where there is none}], "skipped", "outcomes" (outcome -> count), "unread_kept_last"};
data refused: {"as_of", "refused" (why), "problems" (as validate --json gives them)}, exit 2."""
SYNTHESIZE_JSON = """\
With --json: {"out" (the folder written), "providers", "organizations", "seed",
"synthetic": true}."""
SCHEMA_DOC_JSON = """\
With --json: {"limits" (the limits every data file keeps to, as text), "tables": [{"file",
"title", "description", "columns": [{"name", "required", "description", "limits" (what
the validator enforces beyond the description, or "")}]}]}."""


def add_directory_commands(subcommands: Subcommands) -> None:
    directory = subcommands.add_parser(
        "directory",
        help="Check and maintain the directory data (validate, stale, check-sources, synthesize, schema-doc).",
        description="Check and maintain the directory data: its CSV tables and schema.json.\n\n"
        + FOLDER_HELP,
        epilog="Example:\n  ceu directory validate\n\nExit status: see `ceu --help`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tasks = directory.add_subparsers(dest="task", required=True, metavar="TASK")
    for add in (
        _validate_parser,
        _stale_parser,
        _check_sources_parser,
        _synthesize_parser,
        _schema_doc_parser,
    ):
        json_flag(add(tasks))


def _validate_parser(tasks: Subcommands) -> argparse.ArgumentParser:
    validate = subcommand(
        tasks,
        "validate",
        "Check every column and cross-table rule of the directory data.",
        FOLDER_HELP + "\n\nEach problem is printed as FILE:LINE: COLUMN: message; the exit status is 2\n"
        "if any is an error (warnings alone exit 0). Where the site's pages are beside the\n"
        "data (content/ in the repository, or --pages FOLDER), every figure they compute\n"
        "with the data is computed too: data that passes builds.\n\n"
        + VALIDATE_JSON
        + "\n\n"
        + limits_text(),
        "ceu directory validate directory_data",
        _answered(_validate),
    )
    _folder(validate)
    _allow_synthetic(validate)
    validate.add_argument(
        "--pages",
        type=Path,
        metavar="FOLDER",
        help="the site's Markdown pages, whose figures are computed with this data "
        "(default: content/ beside the data folder in the repository)",
    )
    return validate


def _stale_parser(tasks: Subcommands) -> argparse.ArgumentParser:
    stale = subcommand(
        tasks,
        "stale",
        "Rows whose verified_on is older than --days, oldest first.",
        FOLDER_HELP + "\n\n" + STALE_JSON,
        "ceu directory stale --days 365",
        _answered(_stale),
    )
    _folder(stale)
    stale.add_argument("--days", type=int, default=365, help="age limit in days (default 365)")
    return stale


def _check_sources_parser(tasks: Subcommands) -> argparse.ArgumentParser:
    check_sources = subcommand(
        tasks,
        "check-sources",
        "Fetch every row's source and IACET's record for each provider number; write checks.csv.",
        FOLDER_HELP
        + """

Each row's source_url is fetched and its source_quote looked for in the page's text
(whitespace, case, quote marks and dashes normalised; "..." in a quote skips words;
PDF text is read too). For a provider with an iacet_provider_number, IACET's record
for that number is fetched and its name looked for. The findings replace the old
ones in FOLDER/checks.csv, which the site build reads (a build never fetches).

Politely: robots.txt is obeyed, one request at a time per host with --pause seconds
between them, a user agent naming OpenCEU. Each row is printed as it is checked.
Data with errors is refused (exit 2) before anything is fetched.

"""
        + CHECK_SOURCES_JSON,
        "ceu directory check-sources --since 6",
        _answered(_check_sources),
    )
    _folder(check_sources)
    check_sources.add_argument(
        "--since",
        type=int,
        metavar="DAYS",
        help="skip a check made within the last DAYS days at the same address (default: check all)",
    )
    check_sources.add_argument("--only", metavar="TABLE/ID", help="check one row, e.g. providers/some-id")
    check_sources.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="wait this long for a response (default 20)",
    )
    check_sources.add_argument(
        "--pause",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="between two requests to one host (default 1; a robots.txt Crawl-delay asks for more)",
    )
    check_sources.add_argument(
        "--iacet-provider-url",
        metavar="TEMPLATE",
        help="IACET's record address with {number} for the provider number (default: IACET's own)",
    )
    check_sources.add_argument(
        "--keep-last-reading",
        action="store_true",
        help="when a source cannot be read this time (no answer, a server error, robots.txt, "
        "a file not read), keep the row's last check of the same address (the deploy's run)",
    )
    _allow_synthetic(check_sources)
    return check_sources


def _synthesize_parser(tasks: Subcommands) -> argparse.ArgumentParser:
    synthesize = subcommand(
        tasks,
        "synthesize",
        "Write generated rows for tests and benchmarks into another folder.",
        "Every generated row says source_kind=synthetic and cites example.org, so the\n"
        "validator refuses it unless --allow-synthetic is given. The schema and the\n"
        "vocabularies are copied from the bundled data; the published folder is refused.\n\n"
        + SYNTHESIZE_JSON,
        "ceu directory synthesize --out /tmp/synthetic --providers 1000 --organizations 100",
        _answered(_synthesize),
    )
    synthesize.add_argument("--out", type=Path, required=True, help="folder to write (not directory_data/)")
    synthesize.add_argument("--providers", type=int, default=1000, help="how many providers (default 1000)")
    synthesize.add_argument(
        "--organizations", type=int, default=100, help="how many organizations (default 100)"
    )
    synthesize.add_argument("--seed", type=int, default=0, help="the same seed gives the same rows")
    return synthesize


def _schema_doc_parser(tasks: Subcommands) -> argparse.ArgumentParser:
    schema_doc = subcommand(
        tasks,
        "schema-doc",
        "Print the column reference generated from schema.json (Markdown).",
        FOLDER_HELP
        + "\n\nCONTRIBUTING.md embeds this output; a test keeps the two the same.\n\n"
        + SCHEMA_DOC_JSON,
        "ceu directory schema-doc > columns.md",
        _answered(_schema_doc),
    )
    _folder(schema_doc)
    return schema_doc


def _allow_synthetic(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-synthetic",
        action="store_true",
        help="accept test data: generated rows, and links to example, test or local hosts "
        "such as example.org or a test server on 127.0.0.1 (never for published data)",
    )


def _folder(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", nargs="?", type=Path, metavar="FOLDER", help="the data folder (default: the bundled data)"
    )


def _validate(args: argparse.Namespace) -> TaskReport:
    from directory import commands
    from directory.page_figures import pages_beside

    path, schema = _data(args.path)
    pages = args.pages if args.pages is not None else pages_beside(path)
    if pages is not None and not pages.is_dir():
        raise UsageError(f"--pages {pages}: not a folder of the site's pages")
    return commands.validate(
        path,
        schema,
        _today(),
        allow_synthetic=args.allow_synthetic,
        pages=pages,
        # Annotations are for people reading a GitHub Actions log, not for --json.
        annotate=os.environ.get("GITHUB_ACTIONS") == "true" and not args.json,
    )


def _stale(args: argparse.Namespace) -> TaskReport:
    from directory import commands

    if not 0 <= args.days <= MAX_STALE_DAYS:
        raise UsageError(f"--days must be between 0 and {MAX_STALE_DAYS}")
    path, schema = _data(args.path)
    return commands.stale(path, schema, _today(), args.days)


def _check_sources(args: argparse.Namespace) -> TaskReport:
    from directory import commands
    from directory.check_report import IACET_PROVIDER_URL
    from directory.source_check import Fetcher

    if args.since is not None and not 0 <= args.since <= MAX_STALE_DAYS:
        raise UsageError(f"--since must be between 0 and {MAX_STALE_DAYS} days")
    if not 0 < args.timeout <= MAX_TIMEOUT:
        raise UsageError(f"--timeout must be more than 0 and at most {MAX_TIMEOUT:g} seconds")
    if not 0 <= args.pause <= MAX_PAUSE:
        raise UsageError(f"--pause must be between 0 and {MAX_PAUSE:g} seconds")
    template = args.iacet_provider_url or IACET_PROVIDER_URL
    if not template.startswith(("https://", "http://")) or "{number}" not in template:
        raise UsageError("--iacet-provider-url must be an http(s) address containing {number}")
    path, schema = _data(args.path)
    return commands.check_sources(
        path,
        schema,
        _today(),
        fetcher=Fetcher(timeout=args.timeout, pause=args.pause),
        iacet_template=template,
        since=args.since,
        only=args.only,
        allow_synthetic=args.allow_synthetic,
        keep_last_reading=args.keep_last_reading,
        # A line per row as it is checked; with --json, only the object at the end.
        progress=None if args.json else _print_now,
    )


def _print_now(line: str) -> None:
    print(line, flush=True)


def _synthesize(args: argparse.Namespace) -> TaskReport:
    from directory import commands

    for flag, count in (("--providers", args.providers), ("--organizations", args.organizations)):
        if not 0 <= count <= MAX_SYNTHETIC_ROWS:
            raise UsageError(f"{flag} must be between 0 and {MAX_SYNTHETIC_ROWS}")
    published, _ = _data(None)
    try:
        return commands.synthesize(args.out, published, args.providers, args.organizations, args.seed)
    except OSError as error:
        raise UsageError(f"{error.filename or args.out}: cannot write: {error.strerror or error}") from None


def _schema_doc(args: argparse.Namespace) -> TaskReport:
    from directory import commands

    _, schema = _data(args.path)
    return commands.schema_reference(schema)


def _data(path: Path | None) -> tuple[Path, Schema]:
    """The data folder and its schema, or a UsageError that says what is wrong with them."""
    from directory.schema import load_schema

    folder = bundled_data_dir() if path is None else path
    if not os.path.lexists(folder / SCHEMA_FILE):
        raise UsageError(f"{folder}: no {SCHEMA_FILE} here; give the directory data folder")
    try:
        return folder, load_schema(folder)
    except ValueError as error:  # load_schema's message names the file and what is wrong
        raise UsageError(str(error)) from None
    # KeyError, TypeError and AttributeError are how a schema of the wrong shape failed
    # before load_schema checked the shape itself.
    except (KeyError, TypeError, AttributeError) as error:
        raise UsageError(f"{folder.as_posix()}/{SCHEMA_FILE}: not a usable schema: {quoted(error)}") from None
    except OSError as error:
        raise UsageError(f"{folder.as_posix()}/{SCHEMA_FILE}: cannot read it: {error.strerror}") from None


def _today() -> dt.date:
    try:
        return build_date()
    except ValueError as error:
        raise UsageError(str(error)) from None


def _answered(task: Callable[[argparse.Namespace], TaskReport]) -> Callable[[argparse.Namespace], Answer]:
    """The task, its report as an :class:`Answer` that ``main`` prints (text, or ``--json``) as it
    prints every command's; and what bad data raises in the directory package (a ValueError such
    as RefusedTarget or RefusedOutput, an unreadable file, broken CSV) turned into one line of
    bad input, and a file it could not write into lost output. Standard output that cannot be
    written is not an OSError here (ceu_cli.streams): main says so itself."""

    def run(args: argparse.Namespace) -> Answer:
        from directory.whole_file import WriteFailed

        try:
            report = task(args)
        except (
            WriteFailed
        ) as error:  # a file the task writes (checks.csv): the output is lost, not the input bad
            raise OutputFailed(str(error)) from None
        except (ValueError, OSError, csv.Error) as error:
            raise UsageError(str(error)) from None
        return Answer(report.data, report.text, report.status)

    return run
