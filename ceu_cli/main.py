"""The ``ceu`` command: the engine's rules and the directory tools at the shell.

Human-readable output by default, ``--json`` for machines (Decimals as exact
strings). Whatever the input, a command ends with one of the exit statuses in
``ceu --help``; a problem is one line on stderr, ``ceu COMMAND: error: ...``,
never a traceback: a usage error too (:class:`OneLineParser`), and output that cannot
be written (:mod:`ceu_cli.streams`).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections.abc import Sequence

from calc.errors import CreditInputError
from calc.serialize import plain
from ceu_cli.credential_commands import add_credential_commands
from ceu_cli.credit_commands import FLAGS, add_credit_commands
from ceu_cli.directory_commands import add_directory_commands
from ceu_cli.exits import (
    BAD_INPUT,
    BUG,
    INTERRUPTED,
    OUTPUT_LOST,
    PIPE_CLOSED,
    Answer,
    OutputFailed,
    UsageError,
    one_line,
)
from ceu_cli.help import TOP_LEVEL_EPILOG, OneLineParser, json_flag
from ceu_cli.policy_commands import add_policy_commands
from ceu_cli.program_commands import add_program_commands
from ceu_cli.streams import STDOUT, LostOutput, guarded_streams, silence
from ceu_cli.tracker_commands import add_tracker_commands

#: How much of an unexpected error's text the one-line message keeps.
SHOWN_DETAIL = 300


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="ceu",
        description="Continuing-education credit calculations and the OpenCEU directory tools.",
        epilog=TOP_LEVEL_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_credit_commands(commands)
    for command in add_policy_commands(commands):
        json_flag(command)
    add_program_commands(commands)
    add_tracker_commands(commands)
    add_credential_commands(commands)
    add_directory_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; whatever happens, an exit status from ``ceu --help`` and at most one line."""
    with guarded_streams():
        try:
            return _run(argv)
        except LostOutput as lost:
            failed = lost
    # Outside the guard: the streams are the real ones again, and the lost one is silenced.
    return _lost(failed)


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    name = " ".join(filter(None, (args.command, getattr(args, "task", None))))
    if isinstance(sys.stdout, io.TextIOWrapper):
        # Text from a user's file may hold lone surrogates (JSON "\ud800"): show them escaped.
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        # Every command and directory task answers the same way: text, or with --json its data.
        answer: Answer = args.run(args)
        print(json.dumps(plain(answer.data), indent=2, ensure_ascii=False) if args.json else answer.text)
        sys.stdout.flush()
    except LostOutput as lost:
        lost.command = name
        raise
    except CreditInputError as error:
        return _fail(name, f"{FLAGS.get(error.field, error.field)}: {error.message}")
    except UsageError as error:
        return _fail(name, str(error))
    except OutputFailed as error:
        return _fail(name, str(error), OUTPUT_LOST)
    except BrokenPipeError as error:  # a pipe the guard does not see (a stream replaced mid-run)
        raise LostOutput(STDOUT, error) from None
    except KeyboardInterrupt:
        return INTERRUPTED
    except Exception as error:  # the last guard: a bug still ends in one line, not a traceback
        detail = f"{type(error).__name__}: {error}"[:SHOWN_DETAIL]
        return _fail(name, f"internal error ({detail}); this is a bug in ceu, please report it", BUG)
    return answer.status


def _fail(name: str, message: str, status: int = BAD_INPUT) -> int:
    """Say why in one line on stderr; the status stands even when stderr cannot take the line."""
    try:
        print(f"ceu {name}: error: {one_line(message)}", file=sys.stderr)
    except LostOutput:
        silence(sys.stderr)
    return status


def _lost(lost: LostOutput) -> int:
    """A stream could not be written: quiet for a reader that went away (as ``head`` expects),
    else one line on stderr when stderr can still say it."""
    silence(sys.stdout if lost.stream == STDOUT else sys.stderr)
    if lost.reader_went_away:
        return PIPE_CLOSED
    if lost.stream == STDOUT:
        with contextlib.suppress(OSError):
            where = " ".join(filter(None, ("ceu", lost.command)))
            print(
                f"{where}: error: cannot write the {STDOUT}: {lost.error.strerror or lost.error}",
                file=sys.stderr,
            )
            sys.stderr.flush()
    return OUTPUT_LOST


if __name__ == "__main__":
    sys.exit(main())
