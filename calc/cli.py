"""The ``ceu`` command: the engine's rules at the shell.

Human-readable output by default, ``--json`` for machines (Decimals as exact
strings). Exit status 0 on success and 2 on bad input, with a message that names
the flag or the file line; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from calc.activities import activity_ceus, parse_activities
from calc.agenda import agenda_ceus, parse_agenda
from calc.ceu import CeuResult, iacet_ceus, parse_minutes
from calc.conversions import convert_all, parse_credit_systems
from calc.delivery import DELIVERY_MODES
from calc.errors import CreditInputError
from calc.numbers import parse_quantity, show
from calc.plan import PlanResult, parse_plan_csv, parse_plan_json, plan_totals
from calc.serialize import plain

#: Engine field name -> the CLI flag a user typed, for error messages.
_FLAGS = {"total_minutes": "--minutes", "excluded_minutes": "--excluded", "threshold": "--threshold"}
DATA_DIR = Path("directory_data")
DEFAULT_SYSTEMS = DATA_DIR / "credit_systems.csv"


class UsageError(Exception):
    """A problem with the command line or a file that is not the engine's to judge."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ceu", description="Continuing-education credit calculations (OpenCEU)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    iacet = commands.add_parser(
        "iacet",
        help="contact time to contact hours and IACET CEUs",
        description="1.0 IACET CEU = 10 contact hours. CEUs are rounded once, to the nearest tenth, "
        "halves up; under 30 contact minutes earns no CEU. Give minutes, an agenda or an activity list.",
    )
    source = iacet.add_mutually_exclusive_group(required=True)
    source.add_argument("--minutes", help="total minutes of the event")
    source.add_argument(
        "--agenda", metavar="FILE", help="a timed agenda ('HH:MM-HH:MM title' lines; - for stdin)"
    )
    source.add_argument("--activities", metavar="FILE", help="a CSV with columns kind,minutes[,title]")
    iacet.add_argument(
        "--excluded", help="with --minutes: minutes that do not count (breaks, non-working meals, promotions)"
    )
    _json_flag(iacet)

    plan = commands.add_parser(
        "plan",
        help="total a course plan (CSV or JSON) and check its delivery mix",
        description="Rows of activity, delivery mode, time per week or per instance, and a count.",
    )
    plan.add_argument("file", metavar="FILE", help="a .csv or .json course plan (- for JSON on stdin)")
    plan.add_argument(
        "--component",
        action="append",
        choices=list(DELIVERY_MODES),
        help="delivery mode(s) that must reach the threshold (default: instruction)",
    )
    plan.add_argument("--threshold", default="0.51", help="the share the component must reach (default 0.51)")
    _json_flag(plan)

    convert = commands.add_parser(
        "convert",
        help="contact minutes in every listed body's unit",
        description="Converts contact minutes with each body's sourced rule; 'unknown' where the source is silent.",
    )
    convert.add_argument("--minutes", required=True, help="contact minutes")
    convert.add_argument(
        "--systems",
        type=Path,
        default=DEFAULT_SYSTEMS,
        help=f"the credit-systems CSV (default {DEFAULT_SYSTEMS})",
    )
    _json_flag(convert)

    directory = commands.add_parser(
        "directory",
        help="check and maintain the directory data (directory_data/)",
        description="Validate the directory CSVs, list stale rows, generate synthetic test data.",
    )
    tasks = directory.add_subparsers(dest="task", required=True, metavar="TASK")
    validate = tasks.add_parser("validate", help="check every schema and cross-table rule (exit 2 on errors)")
    validate.add_argument(
        "path", nargs="?", type=Path, default=DATA_DIR, help=f"data folder (default {DATA_DIR})"
    )
    validate.add_argument(
        "--allow-synthetic", action="store_true", help="accept generated rows (test and benchmark data only)"
    )
    stale = tasks.add_parser("stale", help="rows whose verified_on is older than --days, oldest first")
    stale.add_argument(
        "path", nargs="?", type=Path, default=DATA_DIR, help=f"data folder (default {DATA_DIR})"
    )
    stale.add_argument("--days", type=int, default=365, help="age limit in days (default 365)")
    _json_flag(stale)
    synthesize = tasks.add_parser(
        "synthesize", help="write generated rows for tests and benchmarks elsewhere"
    )
    synthesize.add_argument("--out", type=Path, required=True, help="folder to write (not directory_data/)")
    synthesize.add_argument("--providers", type=int, default=1000)
    synthesize.add_argument("--organizations", type=int, default=100)
    synthesize.add_argument("--seed", type=int, default=0)
    schema_doc = tasks.add_parser("schema-doc", help="print the column reference generated from schema.json")
    schema_doc.add_argument(
        "path", nargs="?", type=Path, default=DATA_DIR, help=f"data folder (default {DATA_DIR})"
    )
    return parser


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON object")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "directory":
        return _directory(args)
    handlers: dict[str, Callable[[argparse.Namespace], tuple[Any, str]]] = {
        "iacet": _iacet,
        "plan": _plan,
        "convert": _convert,
    }
    try:
        data, text = handlers[args.command](args)
    except CreditInputError as error:
        flag = _FLAGS.get(error.field, error.field)
        print(f"ceu {args.command}: error: {flag}: {error.message}", file=sys.stderr)
        return 2
    except UsageError as error:
        print(f"ceu {args.command}: error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(plain(data), indent=2, ensure_ascii=False) if args.json else text)
    return 0


def _read(path: str | Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None


def _iacet(args: argparse.Namespace) -> tuple[CeuResult, str]:
    if args.excluded is not None and args.minutes is None:
        raise UsageError(
            "--excluded goes with --minutes (agendas and activity lists mark excluded time themselves)"
        )
    try:
        if args.agenda:
            result = agenda_ceus(parse_agenda(_read(args.agenda)))
        elif args.activities:
            result = activity_ceus(parse_activities(_read(args.activities)))
    except CreditInputError as error:
        raise UsageError(f"{args.agenda or args.activities}: {error.message}") from None
    if not (args.agenda or args.activities):
        result = iacet_ceus(args.minutes, args.excluded or "0")
    return result, _ceu_text(result)


def _ceu_text(result: CeuResult) -> str:
    lines = [
        f"Contact minutes: {show(result.contact_minutes)} "
        f"({show(result.total_minutes)} total - {show(result.excluded_minutes)} excluded)",
        f"Contact hours:   {show(result.contact_hours)}",
        f"IACET CEUs:      {result.ceus}",
    ]
    for item in result.excluded:
        where = f"line {item.line}: " if item.line else ""
        lines.append(f"  excluded {show(item.minutes)} min, {where}{item.title} ({item.reason})")
    lines.append(result.note)
    return "\n".join(lines)


def _plan(args: argparse.Namespace) -> tuple[PlanResult, str]:
    text = _read(args.file)
    is_csv = str(args.file).lower().endswith(".csv")
    try:
        rows = parse_plan_csv(text) if is_csv else parse_plan_json(text)
    except CreditInputError as error:
        raise UsageError(f"{args.file}: {error.message}") from None
    threshold = parse_quantity(args.threshold, "threshold")
    result = plan_totals(rows, component=args.component or ("instruction",), threshold=threshold)
    lines = []
    for total in result.rows:
        row = total.row
        lines.append(
            f"{row.activity}: {show(row.minutes_each)} min per {row.per} x {show(row.count)} = "
            f"{show(total.hours.quantize(Decimal('0.01')))} h ({row.delivery}, "
            f"{show((total.share * 100).quantize(Decimal('0.1')))}%)"
        )
    lines += ["", _ceu_text(result.ceu), result.delivery.explanation]
    return result, "\n".join(lines)


def _convert(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    minutes = parse_minutes(args.minutes, "total_minutes")
    systems = parse_credit_systems(_read(args.systems), str(args.systems))
    conversions = convert_all(minutes, systems)
    lines = [f"{show(minutes)} contact minutes ({show(minutes / 60)} h) is worth:"]
    for conversion in conversions:
        system = conversion.system
        name = f"{system.body}{' - ' + system.credential if system.credential else ''}"
        figure = "unknown" if conversion.units is None else f"{show(conversion.units)} {system.unit}"
        lines.append(
            f"  {name}: {figure}  [{conversion.rule}; {system.source_kind} source: {system.source_url}]"
        )
    return {"contact_minutes": minutes, "conversions": conversions}, "\n".join(lines)


def _directory(args: argparse.Namespace) -> int:
    """The directory tools live in the ``directory`` package, imported only when asked for."""
    from directory import commands
    from directory.build_date import build_date

    try:
        if args.task == "synthesize":
            return commands.synthesize(
                args.out, DATA_DIR, args.providers, args.organizations, args.seed, sys.stdout
            )
        if not (args.path / "schema.json").is_file():
            raise UsageError(f"{args.path}: no schema.json here; give the directory data folder")
        if args.task == "validate":
            return commands.validate(
                args.path, build_date(), sys.stdout, allow_synthetic=args.allow_synthetic
            )
        if args.task == "stale":
            if args.days < 0:
                raise UsageError("--days cannot be negative")
            return commands.stale(args.path, build_date(), args.days, sys.stdout, as_json=args.json)
        from directory.schema import load_schema

        print(commands.schema_doc(load_schema(args.path)), end="")
        return 0
    except (UsageError, ValueError) as error:
        print(f"ceu directory {args.task}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
