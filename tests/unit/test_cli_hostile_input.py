"""Hostile input to `ceu` (issue 16, "CLI tracebacks"): each case ends in one line on stderr,
`ceu COMMAND: error: ...`, and exit status 2; never a traceback.

The issue's own cases run the real console script as a subprocess, in a folder
outside the repository; the wider tables of the same kind run ``main()`` in-process
(``fast``), which is quicker and behaves the same. Engine-level guards the CLI
relies on are checked directly at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ceu_cli.files
from calc.conversions import (
    MAX_INCREMENT,
    MAX_MINUTES_PER_UNIT,
    MIN_INCREMENT,
    MIN_MINUTES_PER_UNIT,
    parse_credit_systems,
)
from calc.errors import CreditInputError
from calc.numbers import parse_quantity, show
from calc.policy import CreditSystem, figure_under
from calc.serialize import plain
from ceu_cli.exits import PIPE_CLOSED
from directory.schema import load_schema
from tests.conftest import REPO_ROOT
from tests.unit.test_cli import CEU, run_in_process

SYSTEMS_HEADER = "id,body,credential,unit,minutes_per_unit,increment,rounding,source_url\n"
PLAN_HEADER = "activity,delivery,amount,unit,per,count\n"
ATTENDANCE_HEADER = "learner_id,event_id,date,ceus_awarded\n"
DEEP = "[" * 100_000


def ceu(folder: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    assert CEU
    done = subprocess.run([CEU, *args], input=stdin, capture_output=True, check=False, cwd=folder)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


@pytest.fixture
def fast(capsys, monkeypatch):
    """Like ``ceu`` but in-process: ``main()`` with the working folder and standard input given."""

    def run(folder: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
        monkeypatch.chdir(folder)
        status, out, err = run_in_process(capsys, list(args), stdin)
        return subprocess.CompletedProcess(args, status, out, err)

    return run


def refuse_to_open(name: str, *args: object, **kwargs: object) -> object:
    raise PermissionError(13, "Permission denied", name)


def assert_one_error_line(done: subprocess.CompletedProcess[str], command: str, *words: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert done.stderr.startswith(f"ceu {command}: error: "), done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.endswith("\n"), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    for word in words:
        assert word in done.stderr


def write(folder: Path, name: str, content: str | bytes) -> str:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return name


# --------------------------------------------------------------------------- the issue's vectors


@pytest.mark.parametrize("command", [["plan"], ["eligibility"], ["recert", "--as-of", "2026-01-01"]])
def test_deeply_nested_json(tmp_path, command):
    name = write(tmp_path, "deep.json", DEEP)
    done = ceu(tmp_path, command[0], name, *command[1:])
    assert_one_error_line(done, command[0], "deep.json", "nested far too deeply")


def test_annual_report_given_a_folder(tmp_path):
    done = ceu(tmp_path, "annual-report", ".", "--as-of", "2026-06-30")
    assert_one_error_line(done, "annual-report", ".: is a folder; give a file")


# Each command that reads a file, with the arguments it needs besides the file.
FILE_COMMANDS = [
    ("plan", ("plan", "{}")),
    ("eligibility", ("eligibility", "{}")),
    ("recert", ("recert", "{}", "--as-of", "2026-01-01")),
    ("annual-report", ("annual-report", "{}", "--as-of", "2026-01-01")),
    ("iacet", ("iacet", "--agenda", "{}")),
    ("iacet", ("iacet", "--activities", "{}")),
    ("convert", ("convert", "--minutes", "60", "--systems", "{}")),
]


def command_with(args: tuple[str, ...], name: str) -> list[str]:
    return [name if arg == "{}" else arg for arg in args]


@pytest.mark.parametrize(("command", "args"), FILE_COMMANDS)
def test_a_folder_given_as_a_file(fast, tmp_path, command, args):
    (tmp_path / "folder").mkdir()
    done = fast(tmp_path, *command_with(args, "folder"))
    assert_one_error_line(done, command, "folder: is a folder; give a file")


@pytest.mark.parametrize(("command", "args"), FILE_COMMANDS)
def test_a_missing_file(fast, tmp_path, command, args):
    done = fast(tmp_path, *command_with(args, "missing.txt"))
    assert_one_error_line(done, command, "missing.txt: no such file")


@pytest.mark.parametrize(("command", "args"), FILE_COMMANDS)
def test_a_file_that_is_not_utf8_names_the_line(fast, tmp_path, command, args):
    # The first line is an attendance header, so the streamed annual report reaches line 2 too.
    name = write(tmp_path, "latin1.txt", (ATTENDANCE_HEADER + "caf\xe9\n").encode("latin-1"))
    done = fast(tmp_path, *command_with(args, name))
    assert_one_error_line(done, command, "latin1.txt:2: not UTF-8 text (byte 0xe9)")


@pytest.mark.parametrize(("command", "args"), FILE_COMMANDS)
def test_standard_input_that_is_not_utf8(fast, tmp_path, command, args):
    done = fast(tmp_path, *command_with(args, "-"), stdin=b"\xff\xfe\x00")
    assert_one_error_line(done, command, "-:1: not UTF-8 text (byte 0xff)")


@pytest.mark.parametrize(("command", "args"), FILE_COMMANDS)
def test_an_unreadable_file(fast, tmp_path, monkeypatch, command, args):
    name = write(tmp_path, "secret.txt", "x\n")
    (tmp_path / name).chmod(0)
    if os.geteuid() == 0:  # root reads any file whatever its permissions: refuse it as the system would
        monkeypatch.setattr(ceu_cli.files, "open", refuse_to_open, raising=False)
    done = fast(tmp_path, *command_with(args, name))
    assert_one_error_line(done, command, "secret.txt: permission denied")


@pytest.mark.parametrize(
    ("command", "args", "name", "content", "message"),
    [
        ("plan", (), "plan.csv", PLAN_HEADER + "Lectures,instruction,1,hours,week,3\nA\x00B,instruction,1,hours,week,3\n", "plan.csv:3: contains a NUL byte"),
        ("plan", (), "plan.json", '{"rows": [{"activity": "A\\u0000B", "delivery": "instruction", "hours": 1}]}', "plan.json: row 1: activity contains a control character (U+0000)"),
        ("annual-report", ("--as-of", "2026-06-30"), "attendance.csv", ATTENDANCE_HEADER + "a,e1,2026-01-10,0.5\nb\x00,e1,2026-01-10,0.5\n", "attendance.csv:3: contains a NUL byte"),
        ("iacet", ("--agenda",), "agenda.txt", "09:00-10:00 Talk\x00\n", "agenda.txt:1: contains a NUL byte"),
    ],
)  # fmt: skip
def test_a_nul_byte_is_refused_with_file_and_line(tmp_path, command, args, name, content, message):
    write(tmp_path, name, content)
    arguments = [*args, name] if args[-1:] == ("--agenda",) else [name, *args]
    done = ceu(tmp_path, command, *arguments)
    assert_one_error_line(done, command, message)


def test_an_attendance_id_with_a_control_character_is_a_bad_line(tmp_path):
    name = write(
        tmp_path, "attendance.csv", ATTENDANCE_HEADER + "a,e1,2026-01-10,0.5\nb\x1b,e1,2026-01-10,0.5\n"
    )
    done = ceu(tmp_path, "annual-report", name, "--as-of", "2026-06-30")
    assert_one_error_line(done, "annual-report", "1 bad line(s): 3")


def test_a_systems_file_with_a_huge_field(tmp_path):
    name = write(
        tmp_path, "huge.csv", SYSTEMS_HEADER + "x,Body,," + "u" * 200_000 + ",60,,,https://example.org\n"
    )
    done = ceu(tmp_path, "convert", "--minutes", "60", "--systems", name)
    assert_one_error_line(done, "convert", "huge.csv:2: is over 131,072 characters long")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty.csv:1: the header lacks id, body, unit, source_url"),
        (SYSTEMS_HEADER, "empty.csv:1: lists no credit systems"),
        ("\ufeff" + SYSTEMS_HEADER + "\n\n", "empty.csv:1: lists no credit systems"),
    ],
)
def test_an_empty_systems_file_is_an_error(tmp_path, content, message):
    name = write(tmp_path, "empty.csv", content)
    done = ceu(tmp_path, "convert", "--minutes", "60", "--systems", name)
    assert_one_error_line(done, "convert", message)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,B,,u,1,1e-28,down,https://example.org", "increment '1e-28' is outside 0.001 to 100"),
        ("x,B,,u,1,1000,down,https://example.org", "increment '1000' is outside 0.001 to 100"),
        ("x,B,,u,0.001,,,https://example.org", "minutes_per_unit '0.001' is outside 1 to 6000"),
        ("x,B,,u,1e9,,,https://example.org", "minutes_per_unit '1e9' is outside 1 to 6000"),
        ("x,B,,u,NaN,,,https://example.org", "'NaN' is not a positive number"),
        ("x,B,,u,sixty,,,https://example.org", "'sixty' is not a number"),
        (
            "x,B,,u,60,0.25,sideways,https://example.org",
            "rounding 'sideways' is not one of down, half-up, threshold",
        ),
        (",B,,u,60,,,https://example.org", "id, body, unit, source_url are required"),
    ],
)
def test_absurd_credit_system_rows_are_refused_with_their_line(fast, tmp_path, row, message):
    name = write(
        tmp_path, "systems.csv", SYSTEMS_HEADER + "ok,Body,,unit,60,,,https://example.org\n" + row + "\n"
    )
    done = fast(tmp_path, "convert", "--minutes", "60", "--systems", name)
    assert_one_error_line(done, "convert", f"systems.csv:3: cannot read the row: {message}")


@pytest.mark.parametrize("task", ["validate", "stale", "schema-doc"])
@pytest.mark.parametrize("schema", ["{}", '{"tables": []}'])
def test_the_issues_broken_schemas(tmp_path, task, schema):
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", "schema.json", schema)
    done = ceu(tmp_path, "directory", task, "data")
    assert_one_error_line(done, f"directory {task}", "data/schema.json")


@pytest.mark.parametrize("task", ["validate", "stale", "schema-doc"])
@pytest.mark.parametrize(
    "schema", ["[]", "not json", '{"tables": {"x": 1}}', '{"tables": {"x": {"columns": 1}}}', "\xff"]
)
def test_other_broken_schemas(fast, tmp_path, task, schema):
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", "schema.json", schema.encode("latin-1"))
    done = fast(tmp_path, "directory", task, "data")
    assert_one_error_line(done, f"directory {task}", "data/schema.json")


def test_a_schema_that_is_a_folder(tmp_path):
    (tmp_path / "data" / "schema.json").mkdir(parents=True)
    done = ceu(tmp_path, "directory", "validate", "data")
    assert_one_error_line(done, "directory validate", "data/schema.json: is a folder, not a regular file")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("directory", "stale", "--days", "99999999999"), "--days must be between 0 and 36600"),
        (("directory", "synthesize", "--out", "x", "--providers", "-1"), "--providers must be between 0 and"),
        (("deadlines", "--first-offering", "9999-12-31"), "--first-offering: '9999-12-31' is outside the years"),
        (("accreditation", "--accredited-on", "0001-01-01", "--as-of", "2026-01-01"), "is outside the years 1900 to 2199"),
        (("iacet", "--minutes", "1e-999999999"), "--minutes: has more than 28 decimal places"),
        (("recert", "-", "--as-of", "2026-01-01"), "not valid JSON here"),
    ],
)  # fmt: skip
def test_absurd_flags(fast, tmp_path, args, message):
    stdin = ('{"records": [' + "1" * 5000 + "]}").encode() if args[0] == "recert" else None
    done = fast(tmp_path, *args, stdin=stdin)
    assert_one_error_line(done, " ".join(args[:2]) if args[0] == "directory" else args[0], message)


# --------------------------------------------------------------------------- figures as shown


@pytest.mark.parametrize("minutes", ["-0", "-0.0", "0"])
def test_negative_zero_minutes_show_as_zero(tmp_path, minutes):
    done = ceu(tmp_path, "iacet", "--minutes", minutes)
    assert done.returncode == 0, done.stderr
    assert "-0" not in done.stdout
    assert "Contact minutes: 0 (0 total - 0 excluded)" in done.stdout
    data = json.loads(ceu(tmp_path, "iacet", "--minutes", minutes, "--json").stdout)
    assert not any(str(value).startswith("-") for value in data.values())


def test_convert_shows_long_figures_rounded_and_keeps_them_exact_in_json(tmp_path):
    done = ceu(tmp_path, "convert", "--minutes", "320")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("320 contact minutes (16/3 \u2248 5.3333 h) are worth:")
    assert "8/15 \u2248 0.5333 CEC" in done.stdout
    assert "5.333333" not in done.stdout and "0.53333" not in done.stdout
    data = json.loads(ceu(tmp_path, "convert", "--minutes", "320", "--json").stdout)
    by_id = {c["policy"]["id"]: c for c in data["conversions"]}
    assert (by_id["ace-cec"]["exact"], by_id["ace-cec"]["reported"]) == ("8/15", "8/15")
    assert (by_id["iacet-ceu"]["exact"], by_id["iacet-ceu"]["reported"]) == ("8/15", "0.5")


def test_an_increment_of_1e_28_no_longer_breaks_convert(tmp_path):
    """The issue's row: refused by the parser; and convert() itself cannot fail on it."""
    name = write(tmp_path, "tiny.csv", SYSTEMS_HEADER + "x,B,,u,1,1e-28,down,https://example.org\n")
    done = ceu(tmp_path, "convert", "--minutes", "60", "--systems", name)
    assert_one_error_line(done, "convert", "tiny.csv:2:", "increment")


# --------------------------------------------------------------------------- engine guards


def system(minutes_per_unit: Decimal, increment: Decimal, rounding: str = "down") -> CreditSystem:
    return CreditSystem(
        "x",
        "Body",
        "unit",
        "https://e.org",
        minutes_per_unit=minutes_per_unit,
        increment=Fraction(increment),
        rounding=rounding,
    )


@given(
    minutes=st.decimals(min_value=0, max_value=10_000_000, places=4),
    minutes_per_unit=st.decimals(min_value=Decimal("1e-30"), max_value=Decimal("1e30")),
    increment=st.decimals(min_value=Decimal("1e-40"), max_value=Decimal("1e30")),
    rounding=st.sampled_from(["down", "half-up"]),
)
def test_convert_never_raises_invalid_operation(minutes, minutes_per_unit, increment, rounding):
    """Even a system built without parse_credit_systems' bounds converts without an exception."""
    try:
        result = figure_under(system(minutes_per_unit, increment, rounding), minutes)
    except InvalidOperation as error:  # pragma: no cover - the failure this test exists to catch
        pytest.fail(f"InvalidOperation: {error!r}")
    assert result.reported is not None and result.reported >= 0


@pytest.mark.parametrize(
    ("column", "low", "high"),
    [
        ("minutes_per_unit", MIN_MINUTES_PER_UNIT, MAX_MINUTES_PER_UNIT),
        ("increment", MIN_INCREMENT, MAX_INCREMENT),
    ],
)
def test_the_bounds_themselves_are_accepted(column, low, high):
    for value in (low, high):
        row = {"minutes_per_unit": "60", "increment": "0.25", "rounding": "down", column: f"{value:f}"}
        text = (
            SYSTEMS_HEADER
            + f"x,B,,u,{row['minutes_per_unit']},{row['increment']},{row['rounding']},https://e.org\n"
        )
        (parsed,) = parse_credit_systems(text)
        assert getattr(parsed, column) == value


def test_parse_credit_systems_names_the_file_and_line():
    with pytest.raises(CreditInputError) as raised:
        parse_credit_systems(SYSTEMS_HEADER + "x,B,,u,60,0,down,https://e.org\n", "mine.csv")
    assert raised.value.message.startswith("mine.csv:2: cannot read the row:")
    assert raised.value.line == 2


@pytest.mark.parametrize("text", ["-0", "-0.00", "-0e5"])
def test_negative_zero_is_zero_everywhere_it_is_shown(text):
    value = parse_quantity(text, "minutes")
    assert not value.is_signed()
    assert show(Decimal(text)) == "0"
    assert not plain(Decimal(text)).startswith("-")


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path):
    """`ceu ... | head`: the pipe closes before ceu writes; no BrokenPipeError traceback."""
    assert CEU
    process = subprocess.Popen(
        [CEU, "directory", "schema-doc"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    )
    assert process.stdout is not None
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (PIPE_CLOSED, b"")


@pytest.mark.parametrize(
    ("column", "low", "high"),
    [
        ("minutes_per_unit", MIN_MINUTES_PER_UNIT, MAX_MINUTES_PER_UNIT),
        ("increment", MIN_INCREMENT, MAX_INCREMENT),
    ],
)
def test_the_engine_and_the_validator_share_the_bounds(column, low, high):
    """The engine cannot read schema.json (it runs alone in the browser), so the twins are held equal here."""
    declared = load_schema(REPO_ROOT / "directory_data").table("credit_systems")
    spec = next(c for c in declared.columns if c.name == column)
    assert (spec.minimum, spec.maximum) == (low, high)
