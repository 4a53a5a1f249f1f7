"""The annual-report helper's page model reads a file in blocks exactly as ``ceu annual-report``
reads it: the same lines, the same refusals, the same four figures; bad lines come back
with their numbers and reasons."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.annual_report import KEPT_BAD_LINES, BadAttendanceLines, annual_statistics
from calc.text_lines import MAX_LINE_BYTES, FileTextError, decoded_lines
from calculator_pages import annual_report_page
from tests.conftest import REPO_ROOT

TODAY = dt.date(2026, 12, 4)
HEADER = "learner_id,event_id,date,ceus_awarded\n"


def in_blocks(data: bytes, cuts: list[int]) -> Iterator[bytes]:
    """The bytes cut at the given offsets (as a browser's slices or a file's reads would cut them)."""
    start = 0
    for cut in sorted({min(max(c, 0), len(data)) for c in cuts}):
        yield data[start:cut]
        start = cut
    yield data[start:]


@given(
    st.text(
        alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00\ufeff"), max_size=300
    ),
    st.lists(st.integers(0, 900)),
)
def test_lines_are_those_of_python_text_mode_wherever_the_blocks_are_cut(text: str, cuts: list[int]) -> None:
    data = text.encode("utf-8")
    assert list(decoded_lines(in_blocks(data, cuts))) == io.StringIO(text, newline="").readlines()


@pytest.mark.parametrize(
    ("data", "line", "why"),
    [
        (b"a\nb\n\xff\n", 3, "not UTF-8 text (byte 0xff)"),
        (b"a\n\xe2\x82", 2, "not UTF-8 text"),
        (b"a\nb\x00c\n", 2, "NUL byte"),
        (b"a\n" + b"x" * (MAX_LINE_BYTES + 1), 2, "a line longer than 1024 KB"),
    ],
)
def test_a_file_that_is_not_text_is_refused_at_its_line(data: bytes, line: int, why: str) -> None:
    with pytest.raises(FileTextError) as raised:
        list(decoded_lines(in_blocks(data, [1, 5, 700])))
    assert raised.value.line == line and why in raised.value.message


def test_a_byte_order_mark_opens_the_file_and_is_skipped() -> None:
    assert list(decoded_lines([b"\xef\xbb", b"\xbfa,b\r\n", b"c"])) == ["a,b\r\n", "c"]


def attendance(rows: int, seed: int = 3) -> bytes:
    rng = random.Random(seed)
    lines = [HEADER]
    for _ in range(rows):
        day = f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        lines.append(f"L{rng.randrange(300)},E{rng.randrange(40)},{day},{rng.choice(['0', '0.1', '1.25'])}\n")
    return "".join(lines).encode()


def test_the_page_gives_the_clis_four_figures_and_reports_progress(tmp_path: Path) -> None:
    data = attendance(5_000)
    path = tmp_path / "attendance.csv"
    path.write_bytes(data)
    seen: list[tuple[int, int]] = []

    def read(offset: int, length: int) -> bytes:
        return data[offset : offset + min(length, 7_000)]  # a reader may hand back less than asked

    blocks = annual_report_page.file_blocks(len(data), read, lambda done, total: seen.append((done, total)))
    outcome = annual_report_page.report(blocks, path.name, len(data), "2026-06-30", TODAY)
    command = [sys.executable, "-m", "ceu_cli", "annual-report", str(path), "--as-of", "2026-06-30", "--json"]
    cli = json.loads(
        subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, check=True).stdout
    )
    assert {key: outcome.figure(key) for key in annual_report_page.LABELS} == {
        key: str(cli[key]) for key in annual_report_page.LABELS
    }
    assert seen[-1] == (len(data), len(data)) and [done for done, _ in seen] == sorted(
        {done for done, _ in seen}
    )
    assert len(outcome.steps) == 4 and all(step.source == annual_report_page.SOURCE for step in outcome.steps)


def test_an_empty_as_of_is_the_visitors_today_and_a_bad_one_is_named() -> None:
    data = HEADER.encode() + b"L1,E1,2026-12-01,1\n"
    outcome = annual_report_page.report(iter([data]), "a.csv", len(data), "", TODAY)
    assert (
        outcome.figure("events") == "1"
        and ("Last day of the 12 months", "today (2026-12-04)") in outcome.inputs
    )
    bad = annual_report_page.report(iter([data]), "a.csv", len(data), "2026-02-30", TODAY)
    assert bad.errors[0].field == "as_of" and "2026-02-30" in bad.errors[0].message


def test_bad_lines_are_listed_with_their_numbers_and_reasons() -> None:
    text = HEADER + "L1,E1,2026-05-01,1\nL2,E1,2026-02-30,1\nL3,,2026-05-01,1\nL4,E2,2026-05-01,-1\nL5,E2\n"
    outcome = annual_report_page.report(iter([text.encode()]), "bad.csv", len(text), "2026-06-30", TODAY)
    assert not outcome.ok and outcome.errors[0].field == "attendance"
    assert "4 bad line(s)" in outcome.summary and not outcome.figures
    (table,) = outcome.tables
    assert [row[0] for row in table.rows] == ["3", "4", "5", "6"]
    reasons = [row[1] for row in table.rows]
    assert "not a day that exists" in reasons[0] and reasons[1] == "event_id is empty"
    assert "not a number of 0 or more" in reasons[2] and reasons[3].startswith("2 field(s); expected 4")


def test_a_million_bad_lines_keep_only_the_first_reasons() -> None:
    lines = iter([HEADER] + ["x\n"] * (KEPT_BAD_LINES * 3))
    with pytest.raises(BadAttendanceLines) as raised:
        annual_statistics(lines, TODAY)
    assert raised.value.count == KEPT_BAD_LINES * 3 and len(raised.value.lines) == KEPT_BAD_LINES
    assert raised.value.message.startswith(f"{KEPT_BAD_LINES * 3} bad line(s): 2, 3, 4,")


def test_a_file_that_is_not_text_is_named_beside_the_file_field() -> None:
    data = HEADER.encode() + b"L1,E1,2026-05-01,\xff\n"
    outcome = annual_report_page.report(iter([data]), "x.csv", len(data), "2026-06-30", TODAY)
    assert outcome.errors[0].field == "attendance"
    assert outcome.errors[0].message == "x.csv: line 2: not UTF-8 text (byte 0xff); save the file as UTF-8"


def test_a_file_over_the_pages_limit_is_refused_before_a_byte_is_read() -> None:
    """Issue 34: a file is bounded in size before it is parsed (the page's Python has little room)."""
    size = annual_report_page.MAX_FILE_BYTES + 1

    def never_read() -> Iterator[bytes]:
        raise AssertionError("the file was read")
        yield b""  # pragma: no cover - makes this a generator

    outcome = annual_report_page.report(never_read(), "huge.csv", size, "2026-06-30", TODAY)
    assert not outcome.ok and outcome.errors[0].field == "attendance"
    assert outcome.summary.startswith("huge.csv: the file is 101 MB; this page reads at most 100 MB.")
    assert "ceu annual-report" in outcome.summary
    at_the_limit = HEADER.encode()
    fine = annual_report_page.report(
        iter([at_the_limit]), "ok.csv", annual_report_page.MAX_FILE_BYTES, "", TODAY
    )
    assert fine.ok


@pytest.mark.parametrize(
    ("ceus", "reason"),
    [
        (
            "1e999999999999",
            "ceus_awarded a 1,000,000,000,000-digit number of CEUs is more than the limit of 1,000,000 CEUs",
        ),
        ("1e400", "more than the limit of 1,000,000 CEUs"),
        ("-1e400", "ceus_awarded '-1e400' is not a number of 0 or more"),
        ("1e-999999999", "(at most 28 decimals)"),
        ("9" * 100_000, "ceus_awarded a 100,000-digit number of CEUs is more than the limit"),
        ("x" * 100_000, "(100,000 characters) is not a number of 0 or more"),
    ],
)
def test_a_huge_figure_is_a_bad_line_on_the_page_and_at_the_shell(ceus: str, reason: str) -> None:
    """The engine refuses it (it was an internal Overflow at the shell): the page lists the line
    with the same reason the CLI gives, and neither repeats a long figure whole."""
    text = HEADER + f"a,e1,2026-01-10,{ceus}\n"
    outcome = annual_report_page.report(iter([text.encode()]), "a.csv", len(text), "2026-06-30", TODAY)
    (table,) = outcome.tables
    assert table.rows[0][0] == "2" and reason in table.rows[0][1] and len(table.rows[0][1]) < 200
