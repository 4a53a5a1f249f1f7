"""Whose rule? ``ceu policies`` lists every body's counting rule, ``ceu convert`` applies them all.

The rules are the rows of ``directory_data/credit_systems.csv`` (or ``--systems FILE``);
``ceu iacet --policy ID`` and the custom-rule flags below reuse :func:`add_rule_flags`
and :func:`chosen_rule`, so every command picks a rule the same way.
"""

from __future__ import annotations

import argparse
import textwrap
from fractions import Fraction

from calc.ceu import parse_minutes
from calc.conversions import (
    MAX_INCREMENT,
    MAX_MINUTES_PER_UNIT,
    MIN_INCREMENT,
    MIN_MINUTES_PER_UNIT,
    ROUNDING_MODES,
    custom_system,
    parse_credit_systems,
)
from calc.durations import FORMS_HELP
from calc.errors import CreditInputError, quoted
from calc.numbers import approximately, parse_quantity, show
from calc.policy import (
    MAX_DAYS,
    AcademicFigure,
    CreditSystem,
    PolicyFigure,
    academic_under,
    convert_all,
    parse_days,
    rule_owner,
    rule_words,
    source_words,
)
from ceu_cli.exits import Answer, UsageError
from ceu_cli.files import SYSTEMS_FILE, bundled_data_dir, read_text
from ceu_cli.help import Subcommands, listed, subcommand

#: Custom-rule flag -> the credit_systems.csv column it sets.
CUSTOM_FLAGS = {
    "--minutes-per-unit": "minutes_per_unit",
    "--step": "increment",
    "--rounding": "rounding",
    "--threshold-minutes": "threshold_minutes",
    "--minimum-minutes": "minimum_minutes",
    "--minimum-award": "minimum_award",
}
#: Engine field -> flag, for error messages.
RULE_FLAGS = {column: flag for flag, column in CUSTOM_FLAGS.items()} | {
    "days": "--days",
    "semester_credits": "--semester-credits",
    "quarter_credits": "--quarter-credits",
}


def systems_help() -> str:
    return f"""--systems FILE: a CSV with the header of directory_data/{SYSTEMS_FILE}
(default: the table bundled with ceu); `ceu directory schema-doc` describes
every column. The counting columns: minutes_per_unit ({show(MIN_MINUTES_PER_UNIT)} to
{show(MAX_MINUTES_PER_UNIT)}; blank: unknown), increment (the step, {show(MIN_INCREMENT)} to {show(MAX_INCREMENT)}),
rounding ({listed(ROUNDING_MODES)}), threshold_minutes, minimum_minutes,
minimum_award, daily_cap, multiplier with multiplier_condition, and
semester_credit_units / quarter_credit_units."""


def add_systems_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--systems", metavar="FILE", help=f"the credit-systems CSV (default: the bundled {SYSTEMS_FILE})"
    )


def add_rule_flags(parser: argparse.ArgumentParser) -> None:
    """--policy ID, or a custom rule from flags; --days and --condition-met for caps and multipliers."""
    add_systems_flag(parser)
    rule = parser.add_argument_group("whose rule (default: IACET's own CEU rounding)")
    rule.add_argument("--policy", metavar="ID", help="a rule from `ceu policies` (e.g. hrci-credit)")
    rule.add_argument("--minutes-per-unit", help="custom rule: minutes that earn one unit")
    rule.add_argument("--step", help="custom rule: the step figures are reported in (e.g. 0.25)")
    rule.add_argument("--rounding", choices=ROUNDING_MODES, help="custom rule: how an unfinished step counts")
    rule.add_argument(
        "--threshold-minutes", help="custom rule, --rounding threshold: minutes that count a step"
    )
    rule.add_argument("--minimum-minutes", help="custom rule: nothing counts for an event shorter than this")
    rule.add_argument("--minimum-award", help="custom rule: a smaller figure earns nothing")
    rule.add_argument("--unit", default="unit", help="custom rule: the unit's name (default: unit)")
    rule.add_argument("--days", help=f"days the event ran, for rules with a daily cap (1 to {MAX_DAYS})")
    rule.add_argument(
        "--condition-met",
        action="store_true",
        help="the condition of the rule's multiplier holds (e.g. NBCOT: an end-of-program assessment)",
    )


def load_systems(path: str | None) -> tuple[CreditSystem, ...]:
    name = path or str(bundled_data_dir() / SYSTEMS_FILE)
    try:
        return parse_credit_systems(read_text(name), name)
    except CreditInputError as error:
        raise UsageError(error.message) from None


def chosen_rule(args: argparse.Namespace) -> CreditSystem | None:
    """The rule the flags name: a listed one, a custom one, or None (the command's default)."""
    custom = {column: getattr(args, flag[2:].replace("-", "_")) for flag, column in CUSTOM_FLAGS.items()}
    custom = {column: value for column, value in custom.items() if value is not None}
    if args.policy and custom:
        flags = ", ".join(RULE_FLAGS[column] for column in custom)
        raise UsageError(
            f"--policy names a listed rule; {flags} describe a custom one: give one or the other"
        )
    if custom:
        return custom_system(custom, args.unit)
    if args.policy:
        systems = load_systems(args.systems)
        found = {system.id: system for system in systems}
        if args.policy not in found:
            raise UsageError(
                f"--policy {quoted(args.policy)} is not a listed rule; `ceu policies` lists them"
            )
        return found[args.policy]
    return None


def days_of(args: argparse.Namespace) -> int | None:
    return None if args.days is None else parse_days(args.days)


def figure_lines(figure: PolicyFigure) -> list[str]:
    """A figure under a rule, its arithmetic, the rule and its source, for reading."""
    policy = figure.policy
    lines = [
        f"Under {rule_owner(policy)}: {figure.shown}",
        f"  {figure.explanation}",
        f"  Rule: {figure.rule}",
    ]
    lines += [f"  Note: {note}" for note in figure.notes]
    if policy.source_url:
        lines.append(f"  Source ({source_words(policy)}): {policy.source_url}")
    return lines


# --------------------------------------------------------------------------- policies


def add_policy_commands(commands: Subcommands) -> list[argparse.ArgumentParser]:
    return [_policies_parser(commands), _convert_parser(commands)]


def _policies_parser(commands: Subcommands) -> argparse.ArgumentParser:
    parser = subcommand(
        commands,
        "policies",
        "Every body's counting rule, with its source and worked example.",
        "A rule's id goes to `ceu iacet --policy ID` and to the calculator page's\n"
        '"whose rule?" choice.\n\n' + systems_help(),
        "ceu policies --json",
        _policies,
    )
    add_systems_flag(parser)
    return parser


def _policies(args: argparse.Namespace) -> Answer:
    systems = load_systems(args.systems)
    lines = []
    for system in systems:
        kind = "convention, not a body's rule" if system.kind == "convention" else "body's rule"
        lines.append(f"{system.id}: {system.name}, {system.unit} ({kind})")
        lines.append(f"  {rule_words(system)}")
        if system.example_minutes is not None and system.example_units is not None:
            lines.append(
                f"  Worked example from the source: {show(system.example_minutes)} minutes = "
                f"{show(system.example_units)} {system.unit}"
            )
        lines.append(f"  Source ({source_words(system)}): {system.source_url}")
    return Answer({"policies": systems}, "\n".join(lines))


# --------------------------------------------------------------------------- convert


def _convert_parser(commands: Subcommands) -> argparse.ArgumentParser:
    details = f"""
Each body's own sourced rule, applied to the same contact time (or academic
credits). "not stated by the source" where a rule is unknown; exact figures are
short decimals or fractions (5/6), never long repeating digits.

--minutes:
{textwrap.fill(FORMS_HELP, width=80, initial_indent="  ", subsequent_indent="  ")}.

{systems_help()}
"""
    parser = subcommand(
        commands,
        "convert",
        "Contact minutes (or academic credits) under every listed body's rule.",
        details,
        "ceu convert --minutes 720",
        _convert,
    )
    parser.add_argument("--minutes", metavar="TIME", help="contact time: minutes, or 6h30, 1.5 h ...")
    parser.add_argument("--semester-credits", help="academic semester credits (semester hours)")
    parser.add_argument("--quarter-credits", help="academic quarter credits (quarter hours)")
    parser.add_argument("--days", help=f"days the event ran, for rules with a daily cap (1 to {MAX_DAYS})")
    parser.add_argument(
        "--condition-met", action="store_true", help="apply multipliers whose condition holds"
    )
    add_systems_flag(parser)
    return parser


def _convert(args: argparse.Namespace) -> Answer:
    academic = args.semester_credits is not None or args.quarter_credits is not None
    if (args.minutes is None) == (not academic):
        raise UsageError("give --minutes, or --semester-credits and/or --quarter-credits (not both kinds)")
    systems = load_systems(args.systems)
    if academic:
        semester = parse_quantity(args.semester_credits or "0", "semester_credits")
        quarter = parse_quantity(args.quarter_credits or "0", "quarter_credits")
        credits = tuple(academic_under(system, semester, quarter) for system in systems)
        heading = f"{show(semester)} semester and {show(quarter)} quarter credits are worth:"
        return Answer(
            {"semester_credits": semester, "quarter_credits": quarter, "conversions": credits},
            "\n".join([heading, *map(_academic_line, credits)]),
        )
    minutes = parse_minutes(args.minutes, "total_minutes")
    figures = convert_all(minutes, systems, days=days_of(args), condition_met=args.condition_met)
    heading = f"{show(minutes)} contact minutes ({approximately(Fraction(minutes) / 60)} h) are worth:"
    return Answer(
        {"contact_minutes": minutes, "conversions": figures}, "\n".join([heading, *map(_line, figures)])
    )


def _line(figure: PolicyFigure) -> str:
    policy = figure.policy
    exact = ""
    if figure.exact is not None and figure.reported is not None and figure.reported != figure.exact:
        exact = f" (exact {approximately(figure.exact)})"
    return (
        f"  {policy.name}: {figure.shown}{exact}\n"
        f"      rule: {figure.rule}\n      source ({source_words(policy) or 'kind not given'}): {policy.source_url}"
    )


def _academic_line(figure: AcademicFigure) -> str:
    policy = figure.policy
    return (
        f"  {policy.name}: {figure.shown}\n      {figure.explanation}\n"
        f"      source ({source_words(policy) or 'kind not given'}): {policy.source_url}"
    )
