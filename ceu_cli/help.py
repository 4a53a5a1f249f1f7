"""How every ``ceu`` help page is laid out, and the exit statuses they all share.

A subcommand's help is a one-line summary, then what it does and the exact format
of the files it reads, then one example. The exit statuses are documented once,
in ``ceu --help``.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from typing import NoReturn, TypeAlias

from calc.errors import ECHO_CHARS, quoted
from ceu_cli.exits import BAD_INPUT, BUG, INTERRUPTED, NO, OK, OUTPUT_LOST, PIPE_CLOSED, Answer, one_line
from ceu_cli.streams import LostOutput, silence

Subcommands: TypeAlias = "argparse._SubParsersAction[OneLineParser]"
#: A command's handler: the Answer ``main`` prints (as text, or with ``--json`` as JSON).
Run: TypeAlias = Callable[[argparse.Namespace], Answer]

EXIT_STATUS_HELP = f"""\
Exit status, the same for every command:
  {OK}  done; for a yes/no question (eligibility, course-number) the answer is yes
  {NO}  the answer is no: not eligible (or answers missing to say yes),
     or not a valid ACE course number
  {BAD_INPUT}  bad input or usage: one line on stderr, "ceu COMMAND: error: ...",
     naming the flag, or the file and line
  {BUG}  a bug in ceu: the one line says "internal error"; please report it
  {OUTPUT_LOST}  the output could not be written (a full disk, a device error): one line on
     stderr names standard output or the file; a file ceu writes (--ics, checks.csv)
     is replaced whole or left as it was, and only a regular file or a new name is
     written (a device, a named pipe, a folder or a symbolic link is bad usage, {BAD_INPUT})
  {INTERRUPTED}, {PIPE_CLOSED}  stopped by Ctrl-C, or the output's reader went away (ceu ... | head)"""

TOP_LEVEL_EPILOG = f"""\
Dates are YYYY-MM-DD. FILE may be - to read standard input. Every command, and
every `ceu directory` task, takes --json to print a JSON object (decimals as exact
strings). `ceu COMMAND --help` shows the files a command reads, their columns, and
an example.

{EXIT_STATUS_HELP}

Example:
  ceu iacet --minutes 340 --excluded 40"""


#: The arguments being parsed, so that a usage error can shorten the long ones it repeats.
_ARGUMENTS: ContextVar[tuple[str, ...]] = ContextVar("arguments", default=())


class OneLineParser(argparse.ArgumentParser):
    """argparse, with a usage error as one line naming the command and where its help is.

    ``ceu plan: error: argument --component: invalid choice: 'x' (...) (see ceu plan --help)``
    and exit status 2, instead of the whole usage block; an argument longer than ECHO_CHARS
    is quoted by its start and length. Subcommands' parsers are of the same class.
    """

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        given = tuple(sys.argv[1:] if args is None else args)
        token = _ARGUMENTS.set(given)
        try:
            parsed, extra = self.parse_known_args(list(given), namespace)
            if extra:  # named for the command they were given to, not for ceu as a whole
                words = (getattr(parsed, "command", None), getattr(parsed, "task", None))
                prog = " ".join([self.prog, *filter(None, words)])
                self._one_line(prog, f"unrecognized arguments: {' '.join(extra)}")
            return parsed
        finally:
            _ARGUMENTS.reset(token)

    def error(self, message: str) -> NoReturn:
        self._one_line(self.prog, message)

    def _one_line(self, prog: str, message: str) -> NoReturn:
        given = _ARGUMENTS.get()
        values = [argument.partition("=")[2] for argument in given if argument.startswith("-")]
        for argument in sorted({*given, *values}, key=len, reverse=True):
            if len(argument) > ECHO_CHARS:
                message = message.replace(repr(argument), quoted(argument)).replace(
                    argument, quoted(argument)
                )
        try:
            sys.stderr.write(f"{prog}: error: {one_line(message)} (see {prog} --help)\n")
        except LostOutput:  # stderr cannot take the line: the status still says bad usage
            silence(sys.stderr)
        raise SystemExit(BAD_INPUT)


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
