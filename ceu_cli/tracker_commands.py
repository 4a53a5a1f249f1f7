"""``ceu tracker``: the browser tracker's export, counted toward every credential it holds.

It reads the file the recertification page exports (or today's ACE-only file, migrated as the
page migrates it) and prints, per credential, the same figures the page shows, and with
``--json`` the same data (:func:`calc.tracker.standing_data`). The requirements and counting
rules are the bundled tables (``requirements.csv``, ``credit_systems.csv``, ``vocabularies.csv``),
or those of ``--data DIR``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from calc.dates import parse_date
from calc.errors import CreditInputError
from calc.requirement_table import read_tables
from calc.tracker import count, parse_tracker, standing_data
from ceu_cli.exits import Answer, UsageError
from ceu_cli.files import SYSTEMS_FILE, bundled_data_dir, read_text
from ceu_cli.help import Subcommands, json_flag, subcommand

REQUIREMENTS_FILE = "requirements.csv"
VOCABULARIES_FILE = "vocabularies.csv"


def add_tracker_commands(commands: Subcommands) -> None:
    details = """
FILE is what the recertification page's Export (JSON) saves:
  {"format": "openceu-tracker", "version": 2,
   "credentials": [{"name": "PMP", "requirement": "pmi-pmp", "cycle_start": "2025-03-01"}],
   "activities": [{"title": "...", "completed_on": "2026-01-10", "minutes": "90",
                   "kinds": ["ethics"], "credentials": []}]}
An activity the page made from a signed certificate also keeps the certificate itself
("credential": the Open Badges credential, proof and all; `ceu credential verify` checks
one saved as its own file, as the audit bundle saves each); it counts by its fields.
Today's ACE-only tracker file (certifications and records, as `ceu recert` reads) is
read too, migrated as the page migrates it: every certification becomes an ACE
credential and every record an activity.

Each activity counts toward every credential whose cycle holds its completion day
(or the ones it names), under that body's requirement and counting rule; the output
gives every figure with its reason (counted, capped, not counted and why).
"""
    parser = subcommand(
        commands,
        "tracker",
        "Every credential in one tracker: earned, still to earn and why, per credential.",
        details,
        "ceu tracker openceu-tracker.json --as-of 2026-12-01",
        _tracker,
    )
    parser.add_argument("file", metavar="FILE", help="the tracker file (- for standard input)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date to report on (default: today)")
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="a folder with requirements.csv, credit_systems.csv and vocabularies.csv",
    )
    json_flag(parser)


def _tracker(args: argparse.Namespace) -> Answer:
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else dt.date.today()
    folder = Path(args.data) if args.data else bundled_data_dir()
    try:
        tables = read_tables(
            read_text(str(folder / SYSTEMS_FILE)),
            read_text(str(folder / VOCABULARIES_FILE)),
            read_text(str(folder / REQUIREMENTS_FILE)),
            folder=str(folder),
        )
    except CreditInputError as error:
        raise UsageError(error.message) from None
    try:
        tracker = parse_tracker(read_text(args.file), tables.requirements)
    except CreditInputError as error:
        raise UsageError(f"{args.file}: {error.field}: {error.message}") from None
    if not tracker.credentials:
        raise UsageError(f"{args.file}: no credential to count toward; add one on the page first")
    standings = count(tracker, as_of, tables.kinds, tables.units)
    credentials = [standing_data(s) for s in standings]
    return Answer({"as_of": as_of.isoformat(), "credentials": credentials}, "\n".join(_lines(credentials)))


def _lines(credentials: list[dict[str, Any]]) -> list[str]:
    lines = []
    for item in credentials:
        lines.append(
            f"{item['name']} ({item['body']}: {item['credential']}), cycle {item['cycle_start']} to "
            f"{item['cycle_end']}: {item['earned_shown']} of {item['required']} {item['unit']}; {item['status']}"
        )
        lines += [f"  still missing: {words}" for words in item["missing"]]
        for category in item["categories"]:
            bound = " ".join(
                filter(
                    None,
                    (
                        category["minimum"] and f"at least {category['minimum']}",
                        category["cap"] and f"at most {category['cap']}",
                    ),
                )
            )
            lines.append(f"  {category['label']} ({bound}): {category['counted']}")
        for use in item["activities"]:
            keep = f"; keep until {use['keep_until']}" if use["keep_until"] else ""
            lines.append(
                f"  {use['completed_on']} {use['title']}: {use['outcome']}, {use['counted_shown']} {item['unit']} "
                f"({use['reason']}){keep}"
            )
    return lines
