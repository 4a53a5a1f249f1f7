"""`ceu iacet --agenda/--activities`, `ceu plan` and `ceu convert`, run as subprocesses."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import REPO_ROOT
from tests.unit.test_cli import CEU


def ceu(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert CEU
    return subprocess.run(
        [CEU, *args], input=stdin, capture_output=True, text=True, check=False, cwd=REPO_ROOT
    )


AGENDA = """# Seed example: five 60-minute sessions with 10-minute breaks
Day 1
09:00-10:00 Session 1
10:00-10:10 Break
10:10-11:10 Session 2
11:10-11:20 Break
11:20-12:20 Session 3
12:20-12:30 Break
12:30-13:30 Session 4
13:30-13:40 Break
13:40-14:40 Session 5
"""


def test_agenda_file_gives_the_seed_result(tmp_path):
    path = tmp_path / "agenda.txt"
    path.write_text(AGENDA, encoding="utf-8")
    done = ceu("iacet", "--agenda", str(path), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["contact_minutes"], data["ceus"], data["ceus_unrounded"]) == ("300", "0.5", "0.5")
    assert [item["reason"] for item in data["excluded"]] == ["break"] * 4


def test_agenda_from_stdin_and_human_output_lists_exclusions():
    done = ceu("iacet", "--agenda", "-", stdin=AGENDA)
    assert done.returncode == 0
    assert "excluded 10 min, line 4: Day 1 10:00-10:10 Break (break)" in done.stdout


def test_activities_file(tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text("kind,minutes,title\nclassroom,300,Lectures\nbreak,40,Breaks\n", encoding="utf-8")
    data = json.loads(ceu("iacet", "--activities", str(path), "--json").stdout)
    assert (data["contact_minutes"], data["ceus"]) == ("300", "0.5")


def test_plan_csv_and_json(tmp_path):
    csv_plan = tmp_path / "plan.csv"
    csv_plan.write_text(
        "activity,delivery,amount,unit,per,count\nSupervision,instruction,4,hours,week,15\n"
        "Modules,distance,2,hours,week,15\n",
        encoding="utf-8",
    )
    data = json.loads(ceu("plan", str(csv_plan), "--json").stdout)
    assert data["ceu"]["contact_hours"] == "90.00"
    assert data["ceu"]["ceus"] == "9.0"
    assert data["delivery"]["passes"] is True
    json_plan = tmp_path / "plan.json"
    json_plan.write_text(
        '{"weeks": 15, "rows": [{"activity": "Reading", "delivery": "self-paced", "hours": 4, "per": "week"}]}'
    )
    data = json.loads(ceu("plan", str(json_plan), "--json", "--component", "self-paced").stdout)
    assert data["delivery"]["passes"] is True
    assert data["rows"][0]["minutes"] == "3600"


def test_convert_uses_the_published_table():
    done = ceu("convert", "--minutes", "720", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    by_id = {c["policy"]["id"]: c for c in data["conversions"]}
    assert by_id["ace-cec"]["exact"] == by_id["ace-cec"]["reported"] == "1.2"
    assert by_id["iacet-ceu"]["reported"] == "1.2"
    # ABIH's rule: one CM point per 6 hours, exact (issue 36 filled it from ABIH's own page).
    assert by_id["abih-cih-cm"]["reported"] == "2"
    # NCHEC's page states no rate: the conversion says so instead of guessing one.
    assert by_id["nchec-cech"]["reported"] is None
    assert by_id["nchec-cech"]["shown"] == "not stated by the source"
    assert all(c["policy"]["source_url"].startswith(("http://", "https://")) for c in data["conversions"])


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["iacet", "--agenda", "-"],
            "09:00-10:00 A\n09:30-10:30 B\n",
            "-: line 2: 09:30-10:30 overlaps line 1",
        ),
        (["iacet", "--agenda", "missing.txt"], None, "missing.txt: no such file"),
        (["iacet", "--agenda", "-", "--excluded", "5"], "", "--excluded goes with --minutes"),
        (
            ["plan", "-"],
            '{"rows": [{"activity": "A", "delivery": "online", "hours": 1}]}',
            "row 1: delivery 'online' is not one of",
        ),
        (["plan", "-"], "{not json", "-: not valid JSON"),
        (["plan", "-", "--threshold", "2"], '{"rows": []}', "--threshold: must be a share between 0 and 1"),
        (["convert", "--minutes", "-1"], None, "--minutes: cannot be negative"),
        (["convert", "--minutes", "60", "--systems", "nope.csv"], None, "nope.csv: no such file"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(args, stdin, message):
    done = ceu(*args, stdin=stdin)
    assert done.returncode == 2, done.stdout
    assert message in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [[], ["iacet"], ["plan"], ["convert"]])
def test_help_everywhere(command):
    done = ceu(*command, "--help")
    assert done.returncode == 0
    assert "usage: ceu" in done.stdout
