"""The program administration commands: eligibility, deadlines, accreditation and annual-report.

Each command's help gives the exact format of the files it reads, built from the
engine's own tables of allowed values so help and rules cannot drift; its handler
returns an :class:`Answer` that ``main`` prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os

from calc.accreditation import accreditation_cycle, cycle_calendar, parse_anniversary
from calc.annual_report import HEADER as ATTENDANCE_HEADER
from calc.annual_report import annual_statistics
from calc.dates import parse_date
from calc.deadlines import program_calendar, program_deadlines, year_long_batch
from calc.eligibility import CRITERIA, ELIGIBLE, ELIGIBLE_TYPES, INELIGIBLE_TYPES, parse_eligibility_json
from calc.errors import CreditInputError, quoted
from calc.ics import Calendar
from calc.numbers import show
from ceu_cli.exits import NO, OK, Answer, UsageError
from ceu_cli.files import STDIN, read_text, text_lines, write_text_file
from ceu_cli.help import Subcommands, json_flag, subcommand, wrapped


def add_program_commands(commands: Subcommands) -> None:
    for add in (_eligibility_parser, _deadlines_parser, _accreditation_parser, _annual_report_parser):
        json_flag(add(commands))


# --------------------------------------------------------------------------- eligibility


def _eligibility_parser(commands: Subcommands) -> argparse.ArgumentParser:
    details = f"""
Every criterion must be met and the program type must be an eligible one.
Exit status 0 when eligible; 1 when not eligible, or when missing answers leave
it open.

FILE, JSON (- for standard input):
  {{"program_type": "workshop", "criteria": {{"organized-setting": true, ...}}}}
criteria keys, each answered true, false or null (not known yet):
{wrapped(CRITERIA)}
program_type, eligible:
{wrapped(ELIGIBLE_TYPES)}
program_type, not eligible:
{wrapped(INELIGIBLE_TYPES)}
"""
    parser = subcommand(
        commands,
        "eligibility",
        "Is a program eligible for CEU credit? The checklist, item by item.",
        details,
        "ceu eligibility checklist.json",
        _eligibility,
    )
    parser.add_argument("file", metavar="FILE", help="a JSON checklist (- for stdin)")
    return parser


def _eligibility(args: argparse.Namespace) -> Answer:
    try:
        result = parse_eligibility_json(read_text(args.file))
    except CreditInputError as error:
        field = "" if error.field == "eligibility" else f"{error.field}: "
        raise UsageError(f"{args.file}: {field}{error.message}") from None
    lines = [f"{result.status.upper()}: {result.summary}"]
    lines += [f"  [{item.verdict}] {item.requirement}: {item.reason}" for item in result.items]
    return Answer(result, "\n".join(lines), OK if result.status == ELIGIBLE else NO)


# --------------------------------------------------------------------------- deadlines and accreditation


def _deadlines_parser(commands: Subcommands) -> argparse.ArgumentParser:
    details = """
Approval requests are due 14 days before the first offering and reviewed within
3 business days; participants apply within 30 days of the last day or of their
certificate date; credit follows in 7 to 10 business days. Business days skip
weekends and the --holiday dates. All dates are YYYY-MM-DD.
"""
    parser = subcommand(
        commands,
        "deadlines",
        "Approval request, review, application and credit dates for a CEU program.",
        details,
        "ceu deadlines --first-offering 2026-09-14 --last-day 2026-09-16 --holiday 2026-09-07",
        _deadlines,
    )
    date = "YYYY-MM-DD"
    parser.add_argument(
        "--first-offering", required=True, metavar=date, help="first day the program is offered"
    )
    parser.add_argument("--last-day", metavar=date, help="last session day (default: the first offering)")
    parser.add_argument("--submitted", metavar=date, help="the day the approval request was submitted")
    parser.add_argument(
        "--certificate-date", metavar=date, help="the participant's certificate of completion date"
    )
    parser.add_argument("--applied", metavar=date, help="the day the participant applied for CEUs")
    parser.add_argument(
        "--holiday", action="append", default=[], metavar=date, help="a day the office is closed (repeatable)"
    )
    parser.add_argument(
        "--session",
        action="append",
        default=[],
        metavar=date,
        help="a year-long program's session date: which batch it goes in (repeatable)",
    )
    parser.add_argument(
        "--title",
        metavar="TEXT",
        help="the program's name: names the calendar and keeps its events the same when dates move",
    )
    _ics_flag(parser)
    return parser


def _deadlines(args: argparse.Namespace) -> Answer:
    def optional(value: str | None, flag: str) -> dt.date | None:
        return parse_date(value, flag) if value else None

    first_offering = parse_date(args.first_offering, "--first-offering")
    plan = program_deadlines(
        first_offering=first_offering,
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
    answer = Answer({"plan": plan, "batches": batches}, "\n".join(lines))
    return _with_calendar(args, answer, program_calendar(plan, batches, first_offering, args.title or ""))


def _accreditation_parser(commands: Subcommands) -> argparse.ArgumentParser:
    details = """
Where a provider stands in its five-year accreditation: the year of the cycle,
annual dues and reports, and reaccreditation dates. Dates are YYYY-MM-DD.
"""
    parser = subcommand(
        commands,
        "accreditation",
        "IACET annual cycle and five-year reaccreditation dates.",
        details,
        "ceu accreditation --accredited-on 2022-03-01 --as-of 2026-11-01",
        _accreditation,
    )
    parser.add_argument("--accredited-on", required=True, metavar="YYYY-MM-DD", help="the accreditation date")
    parser.add_argument("--anniversary", metavar="MM-DD", help="the dues anniversary, if it differs")
    parser.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="the date to report on")
    _ics_flag(parser)
    return parser


def _accreditation(args: argparse.Namespace) -> Answer:
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
    answer = Answer(cycle, "\n".join(lines))
    return _with_calendar(args, answer, cycle_calendar(cycle))


def _ics_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ics",
        metavar="FILE",
        help="also write the dates as an iCalendar file, one all-day event each (- prints it instead)",
    )


def _with_calendar(args: argparse.Namespace, answer: Answer, calendar: Calendar) -> Answer:
    """The answer, with its dates also written as a calendar when --ics asks for one.

    The file's time stamp is now, or SOURCE_DATE_EPOCH when set (reproducible files).
    """
    if not args.ics:
        return answer
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        stamp = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH={quoted(epoch)} is not a number of seconds since 1970") from None
    text = calendar.text(stamp)
    if args.ics == STDIN:
        if args.json:
            raise UsageError("--ics - prints the calendar; it cannot be combined with --json")
        # print() adds the last line's "\n" after its "\r".
        return Answer(answer.data, text.removesuffix("\n"), answer.status)
    write_text_file(args.ics, text)
    return Answer(
        answer.data,
        f"{answer.text}\ncalendar: {len(calendar.events)} events written to {args.ics}",
        answer.status,
    )


# --------------------------------------------------------------------------- annual-report


def _annual_report_parser(commands: Subcommands) -> argparse.ArgumentParser:
    details = f"""
Events, participants, learners awarded CEUs and CEUs awarded in the 12 months
that end on --as-of. The file is read one line at a time, so it may be long.

FILE, a CSV (- for standard input) with the header {",".join(ATTENDANCE_HEADER)}:
  learner_id    who attended (any text)
  event_id      which event (any text)
  date          the event's date, YYYY-MM-DD
  ceus_awarded  the CEUs awarded, a number of 0 or more
One row per learner per event. If any line is bad, every bad line is listed and
no figures are given.
"""
    parser = subcommand(
        commands,
        "annual-report",
        "The IACET annual report's four statistics from an attendance CSV.",
        details,
        "ceu annual-report attendance.csv --as-of 2026-06-30",
        _annual_report,
    )
    parser.add_argument("file", metavar="FILE", help="the attendance CSV (- for stdin)")
    parser.add_argument(
        "--as-of", required=True, metavar="YYYY-MM-DD", help="the last day of the 12 months reported"
    )
    return parser


def _annual_report(args: argparse.Namespace) -> Answer:
    as_of = parse_date(args.as_of, "--as-of")
    try:
        with text_lines(args.file) as lines:
            stats = annual_statistics(lines, as_of)
    except CreditInputError as error:
        raise UsageError(f"{args.file}: {error.message}") from None
    lines_out = [
        f"12 months after {stats.window_start} up to {stats.window_end}:",
        f"  1. CE/T events conducted:        {stats.events}",
        f"  2. participants served:          {stats.participants}",
        f"  3. learners awarded IACET CEUs:  {stats.learners_awarded}",
        f"  4. IACET CEUs awarded:           {show(stats.total_ceus)}",
    ]
    if stats.duplicate_rows:
        lines_out.append(
            f"warning: {stats.duplicate_rows} repeated learner-event row(s); their CEUs are all summed"
        )
    return Answer(stats, "\n".join(lines_out))
