"""How every ``ceu`` help page is laid out, and the exit statuses they all share.

A subcommand's help is a one-line summary, then what it does and the exact format
of the files it reads, then one example. The exit statuses are documented once,
in ``ceu --help``.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

from ceu_cli.exits import BAD_INPUT, BUG, INTERRUPTED, NO, OK, PIPE_CLOSED

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
#: A command's handler: an Answer for ``main`` to print, or (directory tasks) an exit status.
Run: TypeAlias = Callable[[argparse.Namespace], Any]

EXIT_STATUS_HELP = f"""\
Exit status, the same for every command:
  {OK}  done; for a yes/no question (eligibility, course-number) the answer is yes
  {NO}  the answer is no: not eligible (or answers missing to say yes),
     or not a valid ACE course number
  {BAD_INPUT}  bad input or usage: one line on stderr, "ceu COMMAND: error: ...",
     naming the flag, or the file and line
  {BUG}  a bug in ceu: the one line says "internal error"; please report it
  {INTERRUPTED}, {PIPE_CLOSED}  stopped by Ctrl-C, or the output's reader went away (ceu ... | head)"""

TOP_LEVEL_EPILOG = f"""\
Dates are YYYY-MM-DD. FILE may be - to read standard input. Every engine command
takes --json to print a JSON object (decimals as exact strings). `ceu COMMAND
--help` shows the files a command reads, their columns, and an example.

{EXIT_STATUS_HELP}

Example:
  ceu iacet --minutes 340 --excluded 40"""


def subcommand(
    commands: Subcommands, name: str, summary: str, details: str, example: str, run: Run
) -> argparse.ArgumentParser:
    """A subcommand whose help is its summary, the formats it reads, and an example."""
    parser = commands.add_parser(
        name,
        help=summary.replace("%", "%%"),  # argparse formats help with %
        description=f"{summary}\n\n{details.strip()}" if details.strip() else summary,
        epilog=f"Example:\n  {example}\n\nExit status: see `ceu --help`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run)
    return parser


def json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON object (decimals as exact strings)")


def listed(values: Iterable[str]) -> str:
    return ", ".join(values)


def wrapped(values: Iterable[str], indent: str = "  ") -> str:
    """A long list of allowed values as indented lines that fit a terminal."""
    return textwrap.fill(
        listed(values), width=80, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )
