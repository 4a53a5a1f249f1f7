"""Each `ceu` help page: a one-line summary, the exact formats it reads, an example that runs;
the exit statuses documented once, in `ceu --help`, and kept by every command.

Help pages print the engine's own tables of allowed values, so these tests read
those tables too: help and rules cannot drift apart.
"""

from __future__ import annotations

import argparse
import csv
import json
import shlex
import shutil
from pathlib import Path

import pytest

from calc.activities import ACTIVITY_KINDS
from calc.annual_report import HEADER as ATTENDANCE_HEADER
from calc.delivery import DELIVERY_MODES
from calc.durations import EXAMPLES as TIME_EXAMPLES
from calc.eligibility import CRITERIA, ELIGIBLE_TYPES, INELIGIBLE_TYPES
from calc.plan import PER, UNITS
from calc.recert import KINDS as RECORD_KINDS
from ceu_cli import main as ceu_main
from ceu_cli.exits import BAD_INPUT, BUG, NO, OK, OUTPUT_LOST
from tests.conftest import REPO_ROOT, latest_verification
from tests.unit.test_certificate_cli import write_example_files
from tests.unit.test_cli import run_in_process
from tests.unit.test_source_check import closed_port

#: What each help page must say about the files and values it takes.
FORMATS: dict[str, list[str]] = {
    "iacet": ["HH:MM-HH:MM title", "Day N", "YYYY-MM-DD", "kind,minutes,title", *ACTIVITY_KINDS, *TIME_EXAMPLES],
    "plan": ["activity,delivery,amount,unit,per,count", *DELIVERY_MODES, *UNITS, *PER, '"rows"', '"weeks"'],
    "convert": ["credit_systems.csv", "minutes_per_unit", "1 to\n6000", "0.001 to 100", "down, half-up, threshold", *TIME_EXAMPLES],
    "policies": ["credit_systems.csv", "--policy ID", "minimum_award", "multiplier_condition"],
    "cec": ["0.1 CEC per hour", "C or better", "A+ A A- B+ B B- C+ C C- D+ D D- F"],
    "course-number": ["CEP, CP, CA, CS or CL", "5 or 6 digits", "Exit status 0 when it is valid, 1"],
    "recert": ["kind,course_number,completed_on,cecs,grade", '"certifications"', "YYYY-MM-DD", *RECORD_KINDS],
    "tracker": ['"format": "openceu-tracker"', '"credentials"', '"activities"', "YYYY-MM-DD", "migrated"],
    "eligibility": ['"program_type"', '"criteria"', "true, false or null", *CRITERIA, *ELIGIBLE_TYPES, *INELIGIBLE_TYPES],
    "deadlines": ["YYYY-MM-DD", "14 days", "business days"],
    "accreditation": ["YYYY-MM-DD", "MM-DD"],
    "annual-report": [",".join(ATTENDANCE_HEADER), "YYYY-MM-DD", "0 or more"],
    "directory": ["schema.json", "directory_data/", "YYYY-MM-DD"],
    "directory validate": ["FILE:LINE: COLUMN: message", "schema-doc"],
    "directory stale": ["verified_on", "schema.json"],
    "directory check-sources": ["source_quote", "checks.csv", "robots.txt", "PDF", "exit 2"],
    "directory synthesize": ["source_kind=synthetic", "--allow-synthetic"],
    "directory schema-doc": ["CONTRIBUTING.md", "schema.json"],
    # Issue 33: verifiable certificates (tests/unit/test_certificate_cli.py runs them fully).
    "credential": ["issue", "verify", "Open Badges 3.0"],
    "credential issue": [",".join(ATTENDANCE_HEADER), "--passphrase-file", "OPENCEU_KEY_PASSPHRASE", "links.txt", "iacet-ceu"],
    "credential verify": ["offline", "issuer_did", "--data DIR", "Exit status: 0", "1 when", "2 when"],
}  # fmt: skip

#: The files the examples name, written as their help pages describe them.
EXAMPLE_FILES = {
    "plan.csv": "activity,delivery,amount,unit,per,count\nLectures,instruction,3,hours,week,15\n"
    "Modules,distance,1,hours,week,15\n",
    "records.csv": "kind,course_number,completed_on,cecs,grade\ncourse,CEP123456,2025-03-15,1.2,\n",
    "checklist.json": json.dumps({"program_type": "workshop", "criteria": dict.fromkeys(CRITERIA, True)}),
    "attendance.csv": "learner_id,event_id,date,ceus_awarded\na,e1,2026-01-10,0.5\n",
    "openceu-tracker.json": json.dumps(
        {
            "format": "openceu-tracker",
            "version": 2,
            "credentials": [
                {"name": "ACE", "requirement": "ace-certifications", "cycle_start": "2025-01-01"}
            ],
            "activities": [
                {
                    "title": "CEP123456",
                    "completed_on": "2025-03-15",
                    "credit": "1.2",
                    "credit_unit": "ace-cec",
                }
            ],
        }
    ),
}


def offline_copy(folder: Path, base: str) -> Path:
    """The bundled data, every source address pointed at ``base``."""
    shutil.copytree(REPO_ROOT / "directory_data", folder)
    for table in folder.glob("*.csv"):
        with table.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows, header = list(reader), list(reader.fieldnames or [])
        if "source_url" in header:
            with table.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
                writer.writeheader()
                # One address per row of each table: an additional source may not repeat its row's.
                writer.writerows(
                    {**row, "source_url": f"{base}/{table.stem}/{n}/{row.get('id', 'row')}"}
                    for n, row in enumerate(rows)
                )
    return folder


def subcommand_names() -> list[str]:
    names = []
    for action in ceu_main.build_parser()._subparsers._group_actions:
        assert isinstance(action, argparse._SubParsersAction)
        for name, parser in action.choices.items():
            names.append(name)
            if parser._subparsers is not None:
                names += [f"{name} {task}" for task in parser._subparsers._group_actions[0].choices]
    return names


def help_text(capsys: pytest.CaptureFixture[str], command: str) -> str:
    status, out, err = run_in_process(capsys, [*command.split(), "--help"])
    assert (status, err) == (0, "")
    return out


def test_every_subcommand_is_checked():
    assert sorted(subcommand_names()) == sorted(FORMATS)


@pytest.mark.parametrize("command", FORMATS)
def test_help_has_a_summary_the_formats_and_an_example(capsys, command):
    text = help_text(capsys, command)
    description = text.split("\n\n")[1]
    assert description.endswith((".", "?")) and "\n" not in description, "the first paragraph is one line"
    missing = [words for words in FORMATS[command] if words not in text]
    assert not missing, f"`ceu {command} --help` does not say {missing}"
    example = text.split("Example:\n  ")[1].splitlines()[0]
    assert example.startswith(f"ceu {command}")
    assert "see `ceu --help`" in text


@pytest.mark.parametrize("command", FORMATS)
def test_the_example_runs(capsys, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENCEU_TODAY", latest_verification())
    for name, content in EXAMPLE_FILES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    example = help_text(capsys, command).split("Example:\n  ")[1].splitlines()[0]
    args = shlex.split(example)[1:]
    if args[-2:] == [">", "columns.md"]:
        args = args[:-2]
    if args[:2] == ["directory", "synthesize"]:
        args[args.index("--out") + 1] = str(tmp_path / "synthetic")
    if args[:2] == ["directory", "validate"]:
        args = args[:2]  # the bundled data, wherever the test runs
    if args[:2] == ["directory", "check-sources"]:  # never the internet, never the bundled report
        nowhere = f"http://127.0.0.1:{closed_port()}"
        args += [str(offline_copy(tmp_path / "data", nowhere)), "--pause", "0", "--allow-synthetic"]
        args += [f"--iacet-provider-url={nowhere}/?id={{number}}"]
    if args[:1] == ["credential"]:  # issue 33: a key file, names and a signed certificate
        monkeypatch.setenv("OPENCEU_KEY_PASSPHRASE", write_example_files(tmp_path))
    status, out, err = run_in_process(capsys, args)
    assert status == OK, err
    assert out


def test_exit_statuses_are_documented_once_at_the_top(capsys):
    top = help_text(capsys, "")
    section = top.split("Exit status")[1]
    for status in (OK, NO, BAD_INPUT, BUG, OUTPUT_LOST):
        assert f"\n  {status}  " in section
    assert "Example:\n  ceu " in top
    for command in FORMATS:
        assert "Exit status, the same" not in help_text(capsys, command)


@pytest.mark.parametrize(
    ("args", "stdin", "status"),
    [
        (["course-number", "CEP123456"], None, OK),
        (["course-number", "XX1"], None, NO),
        (["eligibility", "-"], b'{"program_type": "workshop", "criteria": {}}', NO),
        (["eligibility", "-"], b'{"program_type": "social-event"}', NO),
        (["eligibility", "-"], b'{"program_type": "party"}', BAD_INPUT),
        (["iacet", "--minutes", "sixty"], None, BAD_INPUT),
        (["iacet"], None, BAD_INPUT),
        (["no-such-command"], None, BAD_INPUT),
    ],
)
def test_exit_statuses(capsys, args, stdin, status):
    assert run_in_process(capsys, args, stdin)[0] == status


def test_a_bug_is_one_line_with_status_3(capsys, monkeypatch):
    def broken(args: argparse.Namespace) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("ceu_cli.credit_commands._cec", broken)
    parser = ceu_main.build_parser()
    monkeypatch.setattr(ceu_main, "build_parser", lambda: parser)
    status, out, err = run_in_process(capsys, ["cec", "--hours", "1"])
    assert status == BUG
    assert out == ""
    assert err == (
        "ceu cec: error: internal error (ZeroDivisionError: a bug); this is a bug in ceu, please report it\n"
    )
