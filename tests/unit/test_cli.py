"""The `ceu` command, run as a user runs it: a real subprocess (and `run_in_process`, the same in-process)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ceu_cli.main import main

#: The console script installed next to this interpreter (the project's venv).
CEU = shutil.which("ceu", path=str(Path(sys.executable).parent))


def ceu(*args: str) -> subprocess.CompletedProcess[str]:
    assert CEU, "the `ceu` console script is not installed in this environment"
    return subprocess.run([CEU, *args], capture_output=True, text=True, check=False)


def run_in_process(
    capsys: pytest.CaptureFixture[str], args: list[str], stdin: bytes | None = None
) -> tuple[int, str, str]:
    """``main(args)`` as the shell would run it: (exit status, stdout, stderr)."""
    capsys.readouterr()
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        status = main(args)
    except SystemExit as stop:  # argparse's own usage errors
        status = stop.code if isinstance(stop.code, int) else 2
    finally:
        sys.stdin = saved
    out, err = capsys.readouterr()
    return status, out, err


def test_prints_hours_and_ceus():
    done = ceu("iacet", "--minutes", "340", "--excluded", "40")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "Contact hours:   5" in lines
    assert "IACET CEUs:      0.5" in lines


def test_json_output_is_an_object_of_exact_decimals():
    done = ceu("iacet", "--minutes", "340", "--excluded", "40", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["contact_minutes"] == "300"
    assert data["contact_hours"] == "5.00"
    assert data["ceus"] == "0.5"
    assert data["earns_ceu"] is True


def test_short_event_says_no_ceu():
    done = ceu("iacet", "--minutes", "20")
    assert done.returncode == 0
    assert "No IACET CEU" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--minutes", "60", "--excluded", "90"], "--excluded: cannot exceed the total minutes"),
        (["--minutes", "-5"], "--minutes: cannot be negative"),
        (["--minutes", "sixty"], "--minutes: 'sixty' is not a number"),
    ],
)
def test_bad_input_exits_2_naming_the_flag(args, message):
    done = ceu("iacet", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
