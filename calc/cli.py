"""The ``ceu`` command: the engine's rules at the shell.

Human-readable output by default, ``--json`` for machines (Decimals as exact
strings). Exit status 0 on success and 2 on bad input, with a message that names
the flag or the file line; never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from calc.accreditation import AccreditationCycle, accreditation_cycle, parse_anniversary
from calc.activities import activity_ceus, parse_activities
from calc.agenda import agenda_ceus, parse_agenda
from calc.annual_report import AnnualStatistics, annual_statistics
from calc.cec import CecResult, ace_cecs, check_course_number
from calc.ceu import CeuResult, iacet_ceus, parse_minutes
from calc.conversions import convert_all, parse_credit_systems
from calc.dates import parse_date
from calc.deadlines import program_deadlines, year_long_batch
from calc.delivery import DELIVERY_MODES
from calc.eligibility import EligibilityResult, parse_eligibility_json
from calc.errors import CreditInputError
from calc.numbers import parse_quantity, show
from calc.plan import PlanResult, parse_plan_csv, parse_plan_json, plan_totals
from calc.recert import RecertReport, certification, parse_records_csv, parse_tracker_json, track
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

    cec = commands.add_parser(
        "cec",
        help="ACE CECs: 0.1 per hour, university credit, CPR/AED/First Aid",
        description="ACE CECs are exact, never rounded. University hours need a grade of C or better.",
    )
    cec.add_argument("--hours", default="0", help="hours of structured learning (0.1 CEC each)")
    cec.add_argument("--semester-hours", default="0", help="university semester hours (1.0 CEC each)")
    cec.add_argument("--quarter-hours", default="0", help="university quarter hours (0.8 CEC each)")
    cec.add_argument("--grade", help="the university course grade (C or better counts)")
    cec.add_argument("--cpr", action="store_true", help="CPR certification (0.2 CEC)")
    cec.add_argument("--aed", action="store_true", help="AED certification (0.2 CEC)")
    cec.add_argument("--first-aid", action="store_true", help="First Aid certification (0.2 CEC)")
    cec.add_argument("--workout-hours", default="0", help="workout or activity sessions (earn nothing)")
    _json_flag(cec)

    number = commands.add_parser(
        "course-number",
        help="check an ACE course number (exit 0 valid, 2 invalid)",
        description="CEP, CP, CA, CS or CL and 5 or 6 digits.",
    )
    number.add_argument("number", help="e.g. CEP123456")
    _json_flag(number)

    recert = commands.add_parser(
        "recert",
        help="ACE recertification tracker: 2.0 CECs per two-year period",
        description="FILE is JSON with certifications and records, or a CSV of records with --certification.",
    )
    recert.add_argument(
        "file", metavar="FILE", help="a .json tracker or a .csv of records (- for JSON on stdin)"
    )
    recert.add_argument(
        "--certification",
        action="append",
        default=[],
        metavar="NAME=YYYY-MM-DD",
        help="with a CSV: a certification and its period start",
    )
    recert.add_argument("--as-of", required=True, help="the date to report on (YYYY-MM-DD)")
    _json_flag(recert)

    eligibility = commands.add_parser(
        "eligibility",
        help="is a program eligible for CEU credit? (checklist)",
        description='FILE: {"program_type": ..., "criteria": {...}}.',
    )
    eligibility.add_argument("file", metavar="FILE", help="a JSON checklist (- for stdin)")
    _json_flag(eligibility)

    deadlines = commands.add_parser(
        "deadlines", help="approval request, review, application and credit dates"
    )
    deadlines.add_argument("--first-offering", required=True, help="first day the program is offered")
    deadlines.add_argument("--last-day", help="last session day (default: the first offering)")
    deadlines.add_argument("--submitted", help="the day the approval request was submitted")
    deadlines.add_argument("--certificate-date", help="the participant's certificate of completion date")
    deadlines.add_argument("--applied", help="the day the participant applied for CEUs")
    deadlines.add_argument(
        "--holiday", action="append", default=[], help="a day the office is closed (repeatable)"
    )
    deadlines.add_argument(
        "--session",
        action="append",
        default=[],
        help="a year-long program's session date: which batch (repeatable)",
    )
    _json_flag(deadlines)

    accreditation = commands.add_parser(
        "accreditation", help="IACET annual cycle and five-year reaccreditation dates"
    )
    accreditation.add_argument("--accredited-on", required=True, help="the accreditation date")
    accreditation.add_argument("--anniversary", help="the dues anniversary as MM-DD, if it differs")
    accreditation.add_argument("--as-of", required=True, help="the date to report on")
    _json_flag(accreditation)

    report = commands.add_parser(
        "annual-report", help="the annual report's four statistics from an attendance CSV"
    )
    report.add_argument(
        "file", metavar="FILE", help="CSV with learner_id,event_id,date,ceus_awarded (- for stdin)"
    )
    report.add_argument("--as-of", required=True, help="the last day of the 12 months reported")
    _json_flag(report)

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
        "cec": _cec,
        "course-number": _course_number,
        "recert": _recert,
        "eligibility": _eligibility,
        "deadlines": _deadlines,
        "accreditation": _accreditation,
        "annual-report": _annual_report,
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


def _cec(args: argparse.Namespace) -> tuple[CecResult, str]:
    result = ace_cecs(
        args.hours,
        args.semester_hours,
        args.quarter_hours,
        args.grade,
        args.cpr,
        args.aed,
        args.first_aid,
        args.workout_hours,
    )
    lines = [f"  {show(p.quantity)} x {p.label}: {p.rate} = {show(p.cecs)} CEC" for p in result.parts]
    lines += [f"ACE CECs: {show(result.cecs)} (exact; source: {result.source})"]
    lines += [f"warning: {w}" for w in result.warnings]
    return result, "\n".join(lines)


def _course_number(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    number = check_course_number(args.number)
    return {"course_number": number, "valid": True}, f"{number}: a valid ACE course number"


def _recert(args: argparse.Namespace) -> tuple[RecertReport, str]:
    as_of = parse_date(args.as_of, "--as-of")
    text = _read(args.file)
    try:
        if str(args.file).lower().endswith(".csv"):
            certs = tuple(certification(spec) for spec in args.certification)
            records = parse_records_csv(text)
        else:
            certs, records = parse_tracker_json(text)
            certs += tuple(certification(spec) for spec in args.certification)
    except CreditInputError as error:
        raise UsageError(f"{args.file}: {error.field}: {error.message}") from None
    report = track(certs, records, as_of)
    lines = [
        f"{c.name} ({c.period_start} to {c.period_end}): {show(c.earned)} of {show(c.required)} CECs; {c.status}"
        for c in report.certifications
    ]
    for item in report.records:
        r = item.record
        applied = ", ".join(item.certifications) or "no certification"
        lines.append(
            f"  {r.completed_on} {r.course_number or r.kind}: {show(item.cecs)} CEC -> {applied}; keep until {item.keep_until}"
        )
    lines += [f"warning: {w}" for w in report.warnings]
    return report, "\n".join(lines)


def _eligibility(args: argparse.Namespace) -> tuple[EligibilityResult, str]:
    result = parse_eligibility_json(_read(args.file))
    lines = [f"{result.status.upper()}: {result.summary}"]
    lines += [f"  [{item.verdict}] {item.requirement}: {item.reason}" for item in result.items]
    return result, "\n".join(lines)


def _deadlines(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    def optional(value: str | None, flag: str) -> dt.date | None:
        return parse_date(value, flag) if value else None

    plan = program_deadlines(
        first_offering=parse_date(args.first_offering, "--first-offering"),
        last_day=optional(args.last_day, "--last-day"),
        submitted_on=optional(args.submitted, "--submitted"),
        certificate_date=optional(args.certificate_date, "--certificate-date"),
        applied_on=optional(args.applied, "--applied"),
        holidays=[parse_date(day, "--holiday") for day in args.holiday],
    )
    batches = [year_long_batch(parse_date(day, "--session")) for day in args.session]
    lines = [f"{d.date}  {d.name} ({d.rule})" for d in plan.deadlines]
    if plan.credit_expected_from:
        lines.append(
            f"{plan.credit_expected_from} to {plan.credit_expected_by}  credit expected (7 to 10 business days)"
        )
    lines += [
        f"session {b.session}: {b.semester}" + (f", submit by {b.submit_by}" if b.submit_by else "")
        for b in batches
    ]
    lines += [f"warning: {w}" for w in (*plan.warnings, *(b.warning for b in batches if b.warning))]
    return {"plan": plan, "batches": batches}, "\n".join(lines)


def _accreditation(args: argparse.Namespace) -> tuple[AccreditationCycle, str]:
    cycle = accreditation_cycle(
        parse_date(args.accredited_on, "--accredited-on"),
        parse_date(args.as_of, "--as-of"),
        parse_anniversary(args.anniversary) if args.anniversary else None,
    )
    year = {0: "not yet accredited", 6: "cycle ended"}.get(
        cycle.year_of_cycle, f"year {cycle.year_of_cycle} of 5"
    )
    lines = [f"Accredited {cycle.accredited_on}, expires {cycle.expires_on}; as of {cycle.as_of}: {year}"]
    if cycle.next_due:
        lines.append(f"Next due: {cycle.next_due.date} {cycle.next_due.what}")
    lines += [f"  {e.date}  {e.what}" for e in cycle.upcoming]
    lines += [f"note: {n}" for n in cycle.notes]
    return cycle, "\n".join(lines)


def _annual_report(args: argparse.Namespace) -> tuple[AnnualStatistics, str]:
    as_of = parse_date(args.as_of, "--as-of")
    try:
        if str(args.file) == "-":
            stats = annual_statistics(sys.stdin, as_of)
        else:
            with Path(args.file).open(encoding="utf-8", newline="") as handle:
                stats = annual_statistics(handle, as_of)
    except FileNotFoundError:
        raise UsageError(f"{args.file}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{args.file}: not UTF-8 text") from None
    except CreditInputError as error:
        raise UsageError(f"{args.file}: {error.message}") from None
    lines = [
        f"12 months after {stats.window_start} up to {stats.window_end}:",
        f"  1. CE/T events conducted:        {stats.events}",
        f"  2. participants served:          {stats.participants}",
        f"  3. learners awarded IACET CEUs:  {stats.learners_awarded}",
        f"  4. IACET CEUs awarded:           {show(stats.total_ceus)}",
    ]
    if stats.duplicate_rows:
        lines.append(
            f"warning: {stats.duplicate_rows} repeated learner-event row(s); their CEUs are all summed"
        )
    return stats, "\n".join(lines)


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
