"""Any bytes as any file `ceu` reads: an answer (exit 0 or 1) or one error line (exit 2), never a traceback.

Hypothesis writes the file; `main()` runs in-process for speed (the subprocess
tests in test_cli_hostile_input.py show the console script behaves the same).
An "internal error" line is the CLI's last guard catching a bug, so it fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.annual_report import HEADER as ATTENDANCE_HEADER
from tests.unit.test_cli import run_in_process

#: What a line of a fuzzed file is made of: separators, quotes, digits, dates, controls, odd letters.
PIECES = st.sampled_from(
    [
        ",", '"', "\n", "\r\n", "\r", "\x00", "\x1b", "\ufeff", "\u202e", "\ud800", " ", "-", ".", ":", "#",
        "0", "1", "60", "-0", "1e-28", "1e400", "NaN", "2026-02-30", "2026-01-10", "9999-12-31", "09:00-10:30",
        "instruction", "hours", "week", "classroom", "break", "course", "CEP12345", "[", "{", "}", "]", '":',
    ]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


def file_contents(header: str) -> st.SearchStrategy[bytes]:
    """Raw bytes, any text, or the command's own header followed by fuzzed lines."""
    return st.one_of(
        st.binary(max_size=300),
        TEXTS.map(lambda text: text.encode("utf-8", "surrogatepass")),
        TEXTS.map(lambda text: (header + "\n" + text).encode("utf-8", "surrogatepass")),
    )


# (the file's name, the arguments with {} for it, the header a real file starts with)
COMMANDS = [
    ("plan.csv", ["plan", "{}"], "activity,delivery,amount,unit,per,count"),
    ("plan.json", ["plan", "{}"], '{"weeks": 3, "rows": [{"activity": "A", "delivery": "instruction", "hours": 1'),
    ("checklist.json", ["eligibility", "{}"], '{"program_type": "workshop", "criteria": {"organized-setting": '),
    ("tracker.json", ["recert", "{}", "--as-of", "2026-11-01"], '{"certifications": [{"name": "A", "period_start": "'),
    ("records.csv", ["recert", "{}", "--certification", "A=2025-01-01", "--as-of", "2026-11-01"], "kind,course_number,completed_on,cecs,grade"),
    ("attendance.csv", ["annual-report", "{}", "--as-of", "2026-06-30"], ",".join(ATTENDANCE_HEADER)),
    ("systems.csv", ["convert", "--minutes", "90", "--systems", "{}"], "id,body,credential,unit,minutes_per_unit,increment,rounding,source_url"),
    ("agenda.txt", ["iacet", "--agenda", "{}"], "Day 1"),
    ("activities.csv", ["iacet", "--activities", "{}"], "kind,minutes,title"),
]  # fmt: skip


def assert_answer_or_one_error(command: str, status: int, out: str, err: str) -> None:
    assert status in (0, 1, 2), (status, err)
    if status == 2:
        assert out == ""
        assert err.startswith(f"ceu {command}: error: "), err
        assert err.count("\n") == 1, err
    else:
        assert err == "", err
    assert "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize(("name", "args", "header"), COMMANDS, ids=[c[0] for c in COMMANDS])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_file_gives_an_answer_or_one_error_line(tmp_path, capsys, name, args, header, data):
    content = data.draw(file_contents(header), label="content")
    path = tmp_path / name
    path.write_bytes(content)
    status, out, err = run_in_process(capsys, [str(path) if arg == "{}" else arg for arg in args])
    assert_answer_or_one_error(args[0], status, out, err)


@pytest.mark.parametrize(
    ("args", "header"),
    [(["plan", "-"], "{"), (["eligibility", "-"], "{"), (["annual-report", "-", "--as-of", "2026-06-30"], ",".join(ATTENDANCE_HEADER)), (["iacet", "--agenda", "-"], "")],
)  # fmt: skip
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_standard_input_gives_an_answer_or_one_error_line(capsys, args, header, data):
    content = data.draw(file_contents(header), label="stdin")
    status, out, err = run_in_process(capsys, args, stdin=content)
    assert_answer_or_one_error(args[0], status, out, err)


FLAG_VALUES = st.one_of(PIECES, st.text(max_size=12)).filter(lambda text: not text.startswith("-"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    flags=st.sampled_from(
        [
            ("iacet", "--minutes"),
            ("iacet", "--excluded"),
            ("convert", "--minutes"),
            ("cec", "--hours"),
            ("cec", "--grade"),
            ("course-number", ""),
            ("deadlines", "--first-offering"),
            ("deadlines", "--holiday"),
            ("accreditation", "--anniversary"),
            ("accreditation", "--as-of"),
            ("plan", "--threshold"),
        ]
    ),
    value=FLAG_VALUES,
)
def test_any_flag_value_gives_an_answer_or_one_error_line(tmp_path, capsys, flags, value):
    command, flag = flags
    required = {
        "iacet": ["--minutes", "100"] if flag != "--minutes" else [],
        "convert": [],
        "cec": [],
        "course-number": [],
        "deadlines": ["--first-offering", "2026-09-14"] if flag != "--first-offering" else [],
        "accreditation": ["--accredited-on", "2022-03-01"]
        + (["--as-of", "2026-01-01"] if flag != "--as-of" else []),
        "plan": [str(Path(tmp_path, "plan.json"))],
    }[command]
    Path(tmp_path, "plan.json").write_text(
        '{"rows": [{"activity": "A", "delivery": "instruction", "hours": 1}]}'
    )
    args = [command, *required, *([flag, value] if flag else [value])]
    status, out, err = run_in_process(capsys, args)
    assert_answer_or_one_error(command, status, out, err)
