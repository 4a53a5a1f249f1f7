"""The credit calculations: iacet, plan, convert, cec, course-number and recert.

Each command's help gives the exact format of the files it reads, built from the
engine's own tables of allowed values so help and rules cannot drift; its handler
returns an :class:`Answer` that ``main`` prints.
"""

from __future__ import annotations

import argparse
import textwrap
from decimal import Decimal

from calc.activities import ACTIVITY_KINDS, activity_ceus, parse_activities
from calc.agenda import agenda_ceus, parse_agenda
from calc.cec import FAILING_GRADES, PASSING_GRADES, ace_cecs, check_course_number
from calc.ceu import CeuResult, iacet_ceus
from calc.dates import parse_date
from calc.delivery import DELIVERY_MODES
from calc.durations import FORMS_HELP
from calc.errors import CreditInputError, quoted
from calc.numbers import OWN_RANGE, parse_quantity, show
from calc.plan import MAX_COUNT, PER, UNITS, parse_plan_csv, parse_plan_json, plan_totals
from calc.policy import figure_under
from calc.recert import KINDS as RECORD_KINDS
from calc.recert import certification, parse_records_csv, parse_tracker_json, track
from calc.serialize import plain
from ceu_cli.exits import NO, Answer, UsageError
from ceu_cli.files import read_text
from ceu_cli.help import Subcommands, json_flag, listed, subcommand
from ceu_cli.policy_commands import RULE_FLAGS, add_rule_flags, chosen_rule, days_of, figure_lines

#: Engine field name -> the CLI flag a user typed, for error messages.
FLAGS = {
    "total_minutes": "--minutes",
    "excluded_minutes": "--excluded",
    "threshold": "--threshold",
    **RULE_FLAGS,
}


def add_credit_commands(commands: Subcommands) -> None:
    for add in (
        _iacet_parser,
        _plan_parser,
        _cec_parser,
        _course_number_parser,
        _recert_parser,
    ):
        json_flag(add(commands))


# --------------------------------------------------------------------------- iacet


def _iacet_parser(commands: Subcommands) -> argparse.ArgumentParser:
    counted = [kind for kind, (counts, _) in ACTIVITY_KINDS.items() if counts]
    not_counted = [kind for kind, (counts, _) in ACTIVITY_KINDS.items() if not counts]
    details = f"""
1.0 IACET CEU = 10 contact hours. CEUs are rounded once, to the nearest tenth,
halves up; under 30 contact minutes earns no CEU. Give --minutes, --agenda or
--activities. With --policy ID (see `ceu policies`) or a custom rule
(--minutes-per-unit, --step, --rounding, ...), the contact time is also counted
under that rule, and the result names the rule and its source.

Times (--minutes, --excluded, and the minutes of an activity list):
{textwrap.fill(FORMS_HELP, width=80, initial_indent="  ", subsequent_indent="  ")}.

--agenda FILE, a timed agenda, one item per line (- reads standard input):
  HH:MM-HH:MM title        e.g. 09:00-10:30 Keynote (24-hour clock; 24:00 may end a day)
  Day N  or  YYYY-MM-DD    starts the next day (optional)
  # comment                ignored, like blank lines
  Breaks, meals that are not working meals, promotional and unsupervised items are
  excluded by their titles; end a line with [counted] or [excluded: reason] to decide.

--activities FILE, a CSV (- reads standard input) with the header kind,minutes,title
(title optional); kind is one of
  counted:     {listed(counted)}
  not counted: {listed(not_counted)}
"""
    parser = subcommand(
        commands,
        "iacet",
        "Contact time to contact hours and IACET CEUs.",
        details,
        "ceu iacet --minutes 6h30 --excluded 0:45 --policy hrci-credit",
        _iacet,
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--minutes", metavar="TIME", help="total time of the event: minutes, or 6h30, 1.5 h ..."
    )
    source.add_argument("--agenda", metavar="FILE", help="a timed agenda (format above)")
    source.add_argument("--activities", metavar="FILE", help="a CSV activity list (format above)")
    parser.add_argument(
        "--excluded",
        metavar="TIME",
        help="with --minutes: time that does not count (breaks, non-working meals, promotions)",
    )
    add_rule_flags(parser)
    return parser


def _iacet(args: argparse.Namespace) -> Answer:
    if args.excluded is not None and args.minutes is None:
        raise UsageError(
            "--excluded goes with --minutes (agendas and activity lists mark excluded time themselves)"
        )
    rule = chosen_rule(args)
    days = days_of(args)
    if rule is None and (days is not None or args.condition_met):
        raise UsageError(
            "--days and --condition-met go with --policy or a custom rule (IACET's has no cap or multiplier)"
        )
    if args.minutes is not None:
        result = iacet_ceus(args.minutes, args.excluded or "0")
    else:
        name = args.agenda or args.activities
        text = read_text(name)
        try:
            result = agenda_ceus(parse_agenda(text)) if args.agenda else activity_ceus(parse_activities(text))
        except CreditInputError as error:
            raise UsageError(f"{name}: {error.message}") from None
    if rule is None:
        return Answer(result, ceu_text(result))
    figure = figure_under(rule, result.contact_minutes, days=days, condition_met=args.condition_met)
    return Answer(
        {**plain(result), "under_policy": figure}, "\n".join([ceu_text(result), *figure_lines(figure)])
    )


def ceu_text(result: CeuResult) -> str:
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


# --------------------------------------------------------------------------- plan


def _plan_parser(commands: Subcommands) -> argparse.ArgumentParser:
    details = f"""
Each row: an activity, its delivery mode, an amount of time per week or per
instance, and how many weeks or instances. By default instruction must reach
51% of contact time; --component and --threshold check another reading.

CSV (FILE ends in .csv), with the header activity,delivery,amount,unit,per,count:
  activity  any name
  delivery  {listed(DELIVERY_MODES)}
  amount    a number of minutes or hours, 0 or more
  unit      {listed(UNITS)}
  per       {listed(PER)}
  count     how many weeks or instances, at most {MAX_COUNT}

JSON (any other FILE, or - for standard input):
  {{"weeks": 15, "rows": [{{"activity": "Lectures", "delivery": "instruction",
                          "hours": 3, "per": "week"}}]}}
  Each row gives "hours" or "minutes"; "per" is "week" or "instance" (the
  default); "count" defaults to 1, or to "weeks" for a row per week.
"""
    parser = subcommand(
        commands,
        "plan",
        "Total a course plan and check its delivery mix (the 51% rule).",
        details,
        "ceu plan plan.csv --component instruction --component distance",
        _plan,
    )
    parser.add_argument("file", metavar="FILE", help="a .csv or .json course plan (- for JSON on stdin)")
    parser.add_argument(
        "--component",
        action="append",
        choices=list(DELIVERY_MODES),
        help="a delivery mode that counts towards the threshold (repeatable; default: instruction)",
    )
    parser.add_argument("--threshold", default="0.51", help="the share to reach, 0 to 1 (default 0.51)")
    return parser


def _plan(args: argparse.Namespace) -> Answer:
    threshold = parse_quantity(
        args.threshold, "threshold", OWN_RANGE
    )  # a share: 0 to 1, said by delivery_mix
    text = read_text(args.file)
    is_csv = str(args.file).lower().endswith(".csv")
    try:
        rows = parse_plan_csv(text) if is_csv else parse_plan_json(text)
    except CreditInputError as error:
        raise UsageError(f"{args.file}: {error.message}") from None
    result = plan_totals(rows, component=args.component or ("instruction",), threshold=threshold)
    lines = []
    for total in result.rows:
        row = total.row
        lines.append(
            f"{row.activity}: {show(row.minutes_each)} min per {row.per} x {show(row.count)} = "
            f"{show(total.hours.quantize(Decimal('0.01')))} h ({row.delivery}, "
            f"{show((total.share * 100).quantize(Decimal('0.1')))}%)"
        )
    lines += ["", ceu_text(result.ceu), result.delivery.explanation]
    return Answer(result, "\n".join(lines))


# --------------------------------------------------------------------------- cec and course-number


def _cec_parser(commands: Subcommands) -> argparse.ArgumentParser:
    details = f"""
0.1 CEC per hour of structured learning; university credit 1.0 CEC per semester
hour and 0.8 per quarter hour with a grade of C or better (grades:
{" ".join(PASSING_GRADES + FAILING_GRADES)}); CPR, AED and First Aid 0.2 CEC each;
workout or activity sessions earn nothing. CECs are exact, never rounded.
"""
    parser = subcommand(
        commands,
        "cec",
        "ACE CECs for hours of learning, university credit and CPR/AED/First Aid.",
        details,
        "ceu cec --hours 12 --semester-hours 3 --grade B --cpr",
        _cec,
    )
    parser.add_argument(
        "--hours", default="0", help="hours of structured learning (0.1 CEC each); 12h30 or 90 min work too"
    )
    parser.add_argument("--semester-hours", default="0", help="university semester hours (1.0 CEC each)")
    parser.add_argument("--quarter-hours", default="0", help="university quarter hours (0.8 CEC each)")
    parser.add_argument("--grade", help="the university course grade (C or better counts)")
    parser.add_argument("--cpr", action="store_true", help="CPR certification (0.2 CEC)")
    parser.add_argument("--aed", action="store_true", help="AED certification (0.2 CEC)")
    parser.add_argument("--first-aid", action="store_true", help="First Aid certification (0.2 CEC)")
    parser.add_argument(
        "--workout-hours",
        default="0",
        help="workout or activity sessions, in hours or as 1h30 (earn nothing)",
    )
    return parser


def _cec(args: argparse.Namespace) -> Answer:
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
    return Answer(result, "\n".join(lines))


def _course_number_parser(commands: Subcommands) -> argparse.ArgumentParser:
    details = """
A valid number is CEP, CP, CA, CS or CL followed by 5 or 6 digits (case does not
matter). Exit status 0 when it is valid, 1 when it is not.
"""
    parser = subcommand(
        commands,
        "course-number",
        "Is this a valid ACE course number?",
        details,
        "ceu course-number CEP123456",
        _course_number,
    )
    parser.add_argument("number", help="the course number, e.g. CEP123456")
    return parser


def _course_number(args: argparse.Namespace) -> Answer:
    try:
        number = check_course_number(args.number)
    except CreditInputError as error:
        given = args.number.strip()
        data = {"course_number": given, "valid": False, "reason": error.message}
        return Answer(data, f"{quoted(given)} is not a valid ACE course number: {error.message}", NO)
    return Answer({"course_number": number, "valid": True}, f"{number}: a valid ACE course number")


# --------------------------------------------------------------------------- recert


def _recert_parser(commands: Subcommands) -> argparse.ArgumentParser:
    details = f"""
A record counts once per course number, only in the period it was completed in,
and for every certification current then. Each record is to be kept four years.

JSON tracker (FILE not ending in .csv, or - for standard input):
  {{"certifications": [{{"name": "Personal Trainer", "period_start": "2025-01-01"}}],
   "records": [{{"kind": "course", "course_number": "CEP123456",
                "completed_on": "2025-03-15", "cecs": "1.2"}}]}}

CSV of records (FILE ends in .csv; name the certifications with --certification),
with the header kind,course_number,completed_on,cecs,grade

Record fields:
  kind           {listed(RECORD_KINDS)} (default course)
  course_number  for a course: CEP, CP, CA, CS or CL and 5 or 6 digits
  completed_on   YYYY-MM-DD (MM/DD/YYYY is read too)
  cecs           a course's CECs as ACE assigned them; for semester-hours and
                 quarter-hours, the hours (an "hours" column may be used instead)
  grade          for university credit: {" ".join(PASSING_GRADES + FAILING_GRADES)}
"""
    parser = subcommand(
        commands,
        "recert",
        "ACE recertification tracker: 2.0 CECs per two-year period.",
        details,
        'ceu recert records.csv --certification "Personal Trainer=2025-01-01" --as-of 2026-11-01',
        _recert,
    )
    parser.add_argument(
        "file", metavar="FILE", help="a .json tracker or a .csv of records (- for JSON on stdin)"
    )
    parser.add_argument(
        "--certification",
        action="append",
        default=[],
        metavar="NAME=YYYY-MM-DD",
        help="a certification and the first day of its period (repeatable; needed with a CSV)",
    )
    parser.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="the date to report on")
    return parser


def _recert(args: argparse.Namespace) -> Answer:
    as_of = parse_date(args.as_of, "--as-of")
    text = read_text(args.file)
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
    return Answer(report, "\n".join(lines))
