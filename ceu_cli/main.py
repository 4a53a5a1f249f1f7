"""The ``ceu`` command: the engine's rules and the directory tools at the shell.

Human-readable output by default, ``--json`` for machines (Decimals as exact
strings). Whatever the input, a command ends with one of the exit statuses in
``ceu --help``; a problem is one line on stderr, ``ceu COMMAND: error: ...``,
never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from collections.abc import Sequence

from calc.errors import CreditInputError
from calc.serialize import plain
from ceu_cli.credit_commands import FLAGS, add_credit_commands
from ceu_cli.directory_commands import add_directory_commands
from ceu_cli.exits import BAD_INPUT, BUG, INTERRUPTED, PIPE_CLOSED, Answer, UsageError
from ceu_cli.help import TOP_LEVEL_EPILOG, json_flag
from ceu_cli.policy_commands import add_policy_commands
from ceu_cli.program_commands import add_program_commands

#: How much of an unexpected error's text the one-line message keeps.
SHOWN_DETAIL = 300


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    add_directory_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    name = " ".join(filter(None, (args.command, getattr(args, "task", None))))
    if isinstance(sys.stdout, io.TextIOWrapper):
        # Text from a user's file may hold lone surrogates (JSON "\ud800"): show them escaped.
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        outcome = args.run(args)
        if isinstance(outcome, Answer):
            print(
                json.dumps(plain(outcome.data), indent=2, ensure_ascii=False) if args.json else outcome.text
            )
            outcome = outcome.status
        sys.stdout.flush()
    except CreditInputError as error:
        return _fail(name, f"{FLAGS.get(error.field, error.field)}: {error.message}")
    except UsageError as error:
        return _fail(name, str(error))
    except BrokenPipeError:
        # The reader went away (`ceu ... | head`): stop quietly, as other shell tools do.
        with contextlib.suppress(OSError, ValueError):  # stdout may not be a real file
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return PIPE_CLOSED
    except KeyboardInterrupt:
        return INTERRUPTED
    except Exception as error:  # the last guard: a bug still ends in one line, not a traceback
        detail = f"{type(error).__name__}: {error}"[:SHOWN_DETAIL]
        return _fail(name, f"internal error ({detail}); this is a bug in ceu, please report it", BUG)
    return int(outcome)


def _fail(name: str, message: str, status: int = BAD_INPUT) -> int:
    one_line = message.replace("\r", "\\r").replace("\n", "\\n")
    print(f"ceu {name}: error: {one_line}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
