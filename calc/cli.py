"""The ``ceu`` command: the engine's rules at the shell.

Exit status 0 on success, 2 on bad input (the message names the flag), so
scripts and CI can rely on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from decimal import Decimal

from calc.ceu import iacet_ceus
from calc.errors import CreditInputError
from calc.numbers import show

#: Engine field name -> the CLI flag a user typed, for error messages.
_FLAGS = {"total_minutes": "--minutes", "excluded_minutes": "--excluded"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ceu", description="Continuing-education credit calculations (OpenCEU)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    iacet = commands.add_parser(
        "iacet",
        help="contact minutes to contact hours and IACET CEUs",
        description="1.0 IACET CEU = 10 contact hours; CEUs are rounded once, to the "
        "nearest tenth, halves up.",
    )
    iacet.add_argument("--minutes", required=True, help="total minutes of the event")
    iacet.add_argument(
        "--excluded",
        default="0",
        help="minutes that do not count: breaks, non-working meals, promotional content",
    )
    iacet.add_argument("--json", action="store_true", help="print a JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = iacet_ceus(args.minutes, args.excluded)
    except CreditInputError as error:
        print(f"ceu: error: {_FLAGS.get(error.field, error.field)}: {error.message}", file=sys.stderr)
        return 2
    if args.json:
        fields = {k: (show(v) if isinstance(v, Decimal) else v) for k, v in asdict(result).items()}
        print(json.dumps(fields, indent=2))
    else:
        print(
            f"Contact minutes: {show(result.contact_minutes)} "
            f"({show(result.total_minutes)} total - {show(result.excluded_minutes)} excluded)"
        )
        print(f"Contact hours:   {show(result.contact_hours)}")
        print(f"IACET CEUs:      {result.ceus}")
        print(result.note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
