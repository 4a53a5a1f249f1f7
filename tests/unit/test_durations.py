"""Lengths of time as people write them (issue 30, "Time as people write it"): one reader,
``calc.durations``, for the CEU page and ``ceu``; every form gives the same minutes in both.

The forms are the issue's own ("6h30", "6:30", "6 h 30 min", "1.5 h", "90 min") and the
brief's; the refusals are its list (negative, minutes of 60 or more after hours, seconds,
not finite, absurd length, non-ASCII digits, hostile strings), each one short line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.activities import parse_activities
from calc.cec import ace_cecs
from calc.ceu import iacet_ceus
from calc.conversions import parse_credit_systems
from calc.durations import (
    ECHO_CHARS,
    MAX_MINUTES,
    MAX_TEXT_CHARS,
    as_decimal,
    duration_hint,
    duration_words,
    hours_from_text,
    minutes_from_text,
)
from calc.errors import CreditInputError
from calc.numbers import grouped, over_limit, parse_quantity, show, shown
from calc.plan import plan_row
from calculator_pages import ceu_page
from calculator_pages.url_state import Control, field_choices, restore
from tests.conftest import REPO_ROOT
from tests.unit.test_cli import CEU

SYSTEMS = parse_credit_systems((REPO_ROOT / "directory_data/credit_systems.csv").read_text(encoding="utf-8"))

# --------------------------------------------------------------------------- the forms

#: (as typed, minutes). The issue's forms first, then the brief's, then spacing and case.
FORMS = [
    ("6h30", 390),
    ("6:30", 390),
    ("6 h 30 min", 390),
    ("1.5 h", 90),
    ("90 min", 90),
    ("90", 90),
    ("90 minutes", 90),
    ("6 h 30", 390),
    ("6 hours 30 minutes", 390),
    ("2h", 120),
    ("45m", 45),
    ("6H30M", 390),
    ("6 hrs 5 mins", 365),
    ("1 hour 1 minute", 61),
    ("0:45", 45),
    ("10:00", 600),
    ("0h30", 30),
    ("6h0", 360),
    ("6h 30.5m", Fraction(781, 2)),
    ("90.5", Fraction(181, 2)),
    ("1,200", 1200),  # a comma groups thousands
    ("1,000 h", 60_000),
    ("0.25 h", 15),
    (".5 h", 30),
    ("  6 h  30  ", 390),  # spaces at the ends and between the parts do not matter
    ("6\u00a0h\u202f30", 390),  # a no-break space and a narrow no-break space are spaces
    ("-0", 0),  # minus zero is zero
    ("1e3", 1000),  # a bare number in exponent form, as every number field reads it
]


@pytest.mark.parametrize(("text", "minutes"), FORMS)
def test_each_form_is_read_as_exact_minutes(text: str, minutes: int | Fraction) -> None:
    assert minutes_from_text(text) == minutes


#: The issue's forms, typed on the CEU page and given to `ceu iacet --minutes`: the same minutes.
PARITY = ["6h30", "6:30", "6 h 30 min", "1.5 h", "90 min", "90", "6 hours 30 minutes", "45m", "1,200"]


def cli_minutes(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ceu_cli", *args, "--json"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )


@pytest.mark.parametrize("text", PARITY)
def test_the_page_and_the_cli_read_each_form_the_same(text: str) -> None:
    outcome = ceu_page.compute({"mode": "minutes", "minutes": text, "excluded": "0:30"}, SYSTEMS)
    assert outcome.ok, outcome.errors
    done = cli_minutes("iacet", "--minutes", text, "--excluded", "0:30")
    assert done.returncode == 0, done.stderr
    cli = json.loads(done.stdout)
    expected = minutes_from_text(text)
    for key in ("total_minutes", "contact_minutes", "ceus"):
        assert Decimal(outcome.figure(key)) == Decimal(cli[key]), key
    assert Fraction(Decimal(cli["total_minutes"])) == expected
    assert Fraction(Decimal(cli["contact_minutes"])) == expected - 30
    converted = json.loads(cli_minutes("convert", "--minutes", text).stdout)
    assert Fraction(Decimal(converted["contact_minutes"])) == expected


def test_6h30_is_390_minutes_everywhere() -> None:
    """The browser test types "6h30"; this is the figure it must match (`ceu iacet --minutes 390`)."""
    assert iacet_ceus("6h30") == iacet_ceus(390)
    page = ceu_page.compute({"mode": "minutes", "minutes": "6h30"}, SYSTEMS)
    assert page.figure("contact_minutes") == "390" and page.figure("ceus") == "0.7"
    assert "390 minutes (6 h 30 min)" in page.steps[0].text


def test_the_worksheet_keeps_the_time_as_typed() -> None:
    page = ceu_page.compute({"mode": "minutes", "minutes": "6h30", "excluded": "0:40"}, SYSTEMS)
    assert ("Total time", "6h30") in page.inputs and ("Excluded time", "0:40") in page.inputs


@pytest.mark.parametrize("text", ["6h30", "6:30", "1.5 h", "6 h 30 min"])
def test_the_url_keeps_the_text_as_typed_and_gives_it_back(text: str) -> None:
    fields = field_choices([Control("minutes", "text"), Control("excluded", "text")])
    assert restore([("minutes", text), ("excluded", text)], fields).values == {
        "minutes": text,
        "excluded": text,
    }


# --------------------------------------------------------------------------- refusals

#: (as typed, words the one-line message holds).
REFUSED = [
    ("", "a number is required"),
    ("   ", "a number is required"),
    ("-5", "cannot be negative"),
    ("-6h30", "cannot be negative"),
    ("6h75", "under 60 (6 h 75 min is 7 h 15 min)"),
    ("6:75", "under 60"),
    ("6:30:00", "seconds"),
    ("6:5", "two digits of minutes"),
    ("1.5h30", "whole number"),
    ("1,5 h", "a point"),
    ("1,5", "a point"),
    ("12,34", "a comma only groups thousands"),
    ("NaN", "finite"),
    ("-Infinity", "finite"),
    ("inf", "finite"),
    ("1e9", "1,000,000,000 minutes is more than the limit of 10,000,000 minutes"),
    ("1e13", "10,000,000,000,000 minutes is more than the limit of 10,000,000 minutes"),
    ("1e400", "401-digit number of minutes is more than the limit of 10,000,000 minutes"),
    ("200000 h", "12,000,000 minutes is more than the limit of 10,000,000 minutes"),
    ("1e" + "9" * 40, "a number with a 40-digit exponent is more than the limit of 10,000,000 minutes"),
    ("1e-999999999", "has more than 28 decimal places"),
    ("0." + "0" * 28 + "1", "has more than 28 decimal places"),
    ("abc", "is not a number"),
    ("6 days", "is not a number of minutes or a time such as 6h30"),
    ("h30", "is not a number"),
    ("30 min 6 h", "is not a number"),
    ("1 000", "is not a number"),
    ("<script>alert(1)</script>", "is not a number"),
    ("6h30<img src=x onerror=alert(1)>", "is not a number"),
    ("\u202e90", "U+202E"),  # right-to-left override
    ("90\u200f", "U+200F"),  # right-to-left mark
    ("\u200b60", "U+200B"),  # zero-width space
    ("\ufeff60", "U+FEFF"),  # byte-order mark
    ("6\x00h30", "U+0000"),
    ("6h30\x1b[31m", "U+001B"),  # a terminal escape
    ("6\nh30", "U+000A"),
    ("\u0666\u0660", "the digit U+0666"),  # Arabic-Indic digits
    ("\uff16h30", "the digit U+FF16"),  # a full-width digit
    ("\u096c", "the digit U+096C"),  # Devanagari
    ("6\u00b2", "the digit U+00B2"),  # a superscript two
    ("\u22126", "U+2212"),  # a minus sign that is not ASCII
    ("x" * (MAX_TEXT_CHARS + 1), f"a time is at most {MAX_TEXT_CHARS}"),
    ("9" * 1_000_000, "1,000,000 characters long"),
]


@pytest.mark.parametrize(("text", "words"), REFUSED, ids=lambda value: repr(value)[:30])
def test_a_mistake_is_one_short_line_naming_the_field(text: str, words: str) -> None:
    with pytest.raises(CreditInputError) as raised:
        minutes_from_text(text, "total_minutes")
    message = raised.value.message
    assert raised.value.field == "total_minutes"
    assert words in message
    assert "\n" not in message and "\r" not in message and len(message) <= 120, message
    assert message.isascii() and message.isprintable(), message  # no hostile character echoed
    assert "e+" not in message.lower(), message  # figures are written out, grouped: 1,000,000,000
    long_run = max(text.split() or [""], key=len)
    if len(long_run) > ECHO_CHARS:
        assert long_run not in message  # a long input is never echoed back whole


def test_each_limit_is_named_once_with_its_subject() -> None:
    """1e9 and a larger figure meet the same limit, named with its unit, grouped (issue 30)."""
    messages = set()
    for text in ("1e9", "1e13", "99999999999999"):
        with pytest.raises(CreditInputError) as raised:
            iacet_ceus(text)
        messages.add(raised.value.message.partition(" is more than ")[2])
    assert messages == {"the limit of 10,000,000 minutes"}
    for value in (Decimal("1e9"), Decimal("1e13")):  # the same for a figure given as a number
        with pytest.raises(CreditInputError) as raised:
            iacet_ceus(value)
        assert raised.value.message.endswith("is more than the limit of 10,000,000 minutes")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1E+9"), "1,000,000,000"),
        (Decimal("1234.500"), "1,234.5"),
        (Decimal("0.0000000000000000000000000001"), "0.0000000000000000000000000001"),
        (Decimal("-2500"), "-2,500"),
        (Decimal("0E+5"), "0"),
        (Decimal("1e400"), "a 401-digit number"),
        (10_000_000, "10,000,000"),
        (Decimal("-1e-999999999"), "a number with 999,999,999 decimal places"),  # never written out
    ],
)
def test_figures_in_messages_are_grouped_and_exact(value: Decimal | int, shown: str) -> None:
    assert grouped(value) == shown


@pytest.mark.parametrize(
    ("value", "reads"),
    [
        ("0.5", "0.5"),
        ("0.4483", "0.4483"),  # four places: exact
        ("0.4483333333333333333333333333", "\u2248 0.4483"),
        ("0.44835", "\u2248 0.4484"),  # halves up
        (Decimal("0.50"), "0.5"),  # a Decimal is shown (no trailing zeros) first
        (Decimal("0.44835"), "\u2248 0.4484"),
        ("no IACET CEU", "no IACET CEU"),  # text that is not a figure stays as it is
        ("Infinity", "Infinity"),
    ],
)
def test_a_figure_for_reading_is_exact_when_short_else_about_four_places(
    value: str | Decimal, reads: str
) -> None:
    """calc.numbers.shown, the one formatter of figures for reading (pages, worksheets, guides)."""
    assert shown(value) == reads
    if isinstance(value, Decimal):
        assert shown(value) == shown(show(value))


def test_a_field_with_its_own_limit_names_that_one_only() -> None:
    assert over_limit(Decimal(12_000), Decimal(10_000), "hours") == (
        "12,000 hours is more than the limit of 10,000 hours"
    )
    with pytest.raises(CreditInputError) as raised:
        parse_quantity("1e15", "hours", Decimal(10_000), "hours")
    assert raised.value.message == "1,000,000,000,000,000 hours is more than the limit of 10,000 hours"
    with pytest.raises(CreditInputError) as raised:
        parse_quantity("1e15", "threshold")  # no limit of its own: the engine's, with no unit to name
    assert raised.value.message == "1,000,000,000,000,000 is more than the limit of 1,000,000,000,000"
    with pytest.raises(CreditInputError) as raised:
        parse_quantity("1,5", "threshold")  # a decimal comma is refused, not read as 15
    assert "a point" in raised.value.message


@pytest.mark.parametrize("text", ["-1e-999999999", "-1e999999999", "1e-999999999"])
def test_a_figure_with_a_huge_exponent_is_refused_at_once(text: str) -> None:
    for read in (lambda: parse_quantity(text, "threshold"), lambda: minutes_from_text(text)):
        started = time.perf_counter()
        with pytest.raises(CreditInputError) as raised:
            read()
        assert time.perf_counter() - started < 0.1 and len(raised.value.message) < 120


def test_a_megabyte_is_refused_at_once() -> None:
    for text in ("9" * 1_000_000, " " * 999_990 + "6h30", "6h30" * 250_000, "\u202e" * 1_000_000):
        started = time.perf_counter()
        with pytest.raises(CreditInputError) as raised:
            minutes_from_text(text)
        assert time.perf_counter() - started < 0.1, "the length is checked before any other work"
        assert "characters long" in raised.value.message and len(raised.value.message) < 80
        assert duration_hint(text) == ""


HOSTILE_FOR_THE_CLI = [
    "\u202e90",
    "6h30\x1b[31m",
    "<script>alert(1)</script>",
    "\u0666\u0660",
    "9" * 100_000,
    "6h75",
    "1e9",
    "1,5 h",
]


@pytest.mark.parametrize("text", HOSTILE_FOR_THE_CLI, ids=lambda text: repr(text)[:20])
def test_the_cli_refuses_with_one_line_and_status_2(text: str) -> None:
    assert CEU
    for args in (
        ["iacet", "--minutes", text],
        ["convert", "--minutes", text],
        ["iacet", "--minutes", "600", "--excluded", text],
    ):
        done = subprocess.run([CEU, *args], capture_output=True, text=True, check=False)
        flag = args[-2]
        assert done.returncode == 2, (args, done.stdout)
        assert done.stdout == ""
        assert done.stderr.startswith(f"ceu {args[0]}: error: {flag}: "), done.stderr
        assert done.stderr.count("\n") == 1 and len(done.stderr) < 200, done.stderr
        assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------- properties


@given(st.text())
def test_any_text_is_minutes_or_one_credit_input_error(text: str) -> None:
    try:
        minutes = minutes_from_text(text)
    except CreditInputError as error:
        assert "\n" not in error.message and len(error.message) <= 120
    else:
        assert 0 <= minutes <= MAX_MINUTES
        assert as_decimal(minutes) == minutes  # a decimal writes it exactly
    hint = duration_hint(text)
    assert hint == "" or ("\n" not in hint and hint.isascii())


#: Text made of what lengths of time are made of, so the properties reach past the first refusal.
TIME_TEXT = st.text(alphabet="0123456789hminutesor:.,+- e", max_size=30)


@given(TIME_TEXT)
def test_text_that_looks_like_time_is_minutes_or_one_credit_input_error(text: str) -> None:
    try:
        minutes = minutes_from_text(text)
    except CreditInputError as error:
        assert "\n" not in error.message and len(error.message) <= 120
    else:
        assert 0 <= minutes <= MAX_MINUTES
        assert minutes_from_text(duration_words(minutes)) == minutes


MINUTES = st.decimals(min_value=0, max_value=MAX_MINUTES, places=4, allow_nan=False, allow_infinity=False)


@given(MINUTES)
def test_every_figure_reads_back_from_its_words(minutes: Decimal) -> None:
    words = duration_words(Fraction(minutes))
    assert minutes_from_text(words) == Fraction(minutes)
    assert minutes_from_text(words.upper()) == Fraction(minutes)


@given(st.decimals(min_value=0, max_value=10_000, places=28, allow_nan=False, allow_infinity=False))
def test_words_keep_every_decimal_place(minutes: Decimal) -> None:
    assert minutes_from_text(duration_words(Fraction(minutes))) == Fraction(minutes)


HOURS = st.integers(min_value=0, max_value=int(MAX_MINUTES) // 60 - 1)
UNDER_AN_HOUR = st.integers(min_value=0, max_value=59)


@given(HOURS, UNDER_AN_HOUR)
def test_every_form_gives_the_same_minutes(hours: int, minutes: int) -> None:
    total = hours * 60 + minutes
    forms = [
        f"{hours}h{minutes:02d}",
        f"{hours}h{minutes}",
        f"{hours} h {minutes}",
        f"{hours} h {minutes} min",
        f"{hours} hours {minutes} minutes",
        f"{hours}:{minutes:02d}",
        f"{hours:,} h {minutes}m",
        f"{total} min",
        f"{total}",
        f"{total:,}",
        duration_words(Fraction(total)),
    ]
    for text in forms:
        assert minutes_from_text(text) == total, text


@given(st.decimals(min_value=0, max_value=100_000, places=6, allow_nan=False, allow_infinity=False))
def test_decimal_hours_are_exact_minutes(hours: Decimal) -> None:
    assert minutes_from_text(f"{hours:f} h") == Fraction(hours) * 60
    assert hours_from_text(f"{hours:f}") == Fraction(hours)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (Fraction(390), "6 h 30 min"),
        (Fraction(45), "45 min"),
        (Fraction(360), "6 h"),
        (Fraction(0), "0 min"),
        (Fraction(61, 2), "30.5 min"),
        (Fraction(3601, 2), "30 h 0.5 min"),
        (Fraction(10_000_000), "166,666 h 40 min"),
    ],
)
def test_duration_words(minutes: Fraction, words: str) -> None:
    assert duration_words(minutes) == words
    assert minutes_from_text(words) == minutes


@pytest.mark.parametrize("minutes", [Fraction(-1), Fraction(1, 3)])
def test_duration_words_refuses_what_no_text_gives(minutes: Fraction) -> None:
    with pytest.raises(ValueError):
        duration_words(minutes)


# --------------------------------------------------------------------------- the hint

#: (as typed, whether a hint shows). A bare figure under 24 that is not whole, or a whole one up to 12.
HINTS = [
    ("6.5", True),
    ("0.5", True),
    ("1", True),
    ("7.25", True),
    ("12", True),
    ("23.5", True),
    (" 8 ", True),
    ("13", False),  # a quarter-hour break and the like are minutes people type
    ("15", False),
    ("24", False),
    ("24.5", False),
    ("90", False),
    ("0", False),
    ("6.5 h", False),  # a unit says what was meant
    ("6.5 min", False),
    ("6h30", False),
    ("6:30", False),
    ("1e1", False),
    ("-6.5", False),
    ("abc", False),
    ("", False),
]


@pytest.mark.parametrize(("text", "shown"), HINTS)
def test_a_bare_figure_that_looks_like_hours_gets_a_hint(text: str, shown: bool) -> None:
    assert bool(duration_hint(text)) is shown


def test_the_hint_says_how_it_was_read_and_what_to_type() -> None:
    assert duration_hint("6.5") == '6.5 is read as 6.5 minutes. Did you mean 6.5 hours? Type "6.5 h".'
    assert duration_hint("1") == '1 is read as 1 minute. Did you mean 1 hour? Type "1 h".'
    typed = duration_hint("6.5").rpartition('Type "')[2].rstrip('".')
    assert minutes_from_text(typed) == 390  # what it says to type is read as the hours


def test_the_page_shows_the_hint_beside_the_field_not_as_an_error() -> None:
    outcome = ceu_page.compute({"mode": "minutes", "minutes": "6.5", "excluded": "0.5"}, SYSTEMS)
    assert outcome.ok  # 6.5 minutes is a valid (if unlikely) length: the result stands
    assert [(hint.field, hint.message[:18]) for hint in outcome.hints] == [
        ("minutes", "6.5 is read as 6.5"),
        ("excluded", "0.5 is read as 0.5"),
    ]
    assert ceu_page.compute({"mode": "minutes", "minutes": "6.5 h"}, SYSTEMS).hints == ()
    assert (
        ceu_page.compute({"mode": "agenda", "agenda": "09:00-10:00 A", "minutes": "6.5"}, SYSTEMS).hints == ()
    )


# --------------------------------------------------------------------------- the other fields that take a time


def test_an_activity_lists_minutes_take_the_same_forms() -> None:
    activities = parse_activities(
        "kind,minutes,title\nclassroom,1h30,Lectures\nbreak,0:15,Coffee\nself-paced,45 min,Reading\n"
    )
    assert [activity.minutes for activity in activities] == [90, 15, 45]
    with pytest.raises(CreditInputError) as raised:
        parse_activities("kind,minutes\nclassroom,1h75\n")
    assert raised.value.message.startswith("line 2: minutes the minutes after the hours must be under 60")


@pytest.mark.parametrize(
    ("amount", "unit", "minutes"),
    [
        ("1h30", "hours", 90),
        ("1h30", "minutes", 90),
        ("1.5", "hours", 90),
        ("90", "minutes", 90),
        ("0:45", "hours", 45),
    ],
)
def test_a_plan_rows_time_is_a_number_in_its_unit_or_hours_and_minutes(
    amount: str, unit: str, minutes: int
) -> None:
    assert plan_row("Lectures", "instruction", amount, unit, "week", "10").minutes_each == minutes


def test_a_plan_row_names_its_one_limit() -> None:
    with pytest.raises(CreditInputError) as raised:
        plan_row("Internship", "instruction", "200", "hours", "week", "15", line=1)
    assert raised.value.message == "row 1: amount 200 hours is more than the limit of 168 hours"
    with pytest.raises(CreditInputError) as raised:
        plan_row("Reading", "self-paced", "1", "hours", "week", "1e13", line=1)
    assert raised.value.message == "row 1: count 10,000,000,000,000 is more than the limit of 1,000"


@pytest.mark.parametrize(
    ("hours", "cecs"), [("12h30", "1.25"), ("90 min", "0.15"), ("6:30", "0.65"), ("12.5", "1.25")]
)
def test_ace_hours_of_learning_take_the_same_forms(hours: str, cecs: str) -> None:
    assert format(ace_cecs(hours).cecs, "f") == cecs


def test_ace_hours_no_decimal_writes_are_refused_not_rounded() -> None:
    with pytest.raises(CreditInputError) as raised:
        ace_cecs("1h10")
    assert raised.value.message.startswith("1 h 10 min is 7/6")
    with pytest.raises(CreditInputError) as raised:
        ace_cecs("20000")
    assert raised.value.message == "20,000 hours is more than the limit of 10,000 hours"


@pytest.mark.parametrize("threshold", ["2", "1e13", "1e999999"])
def test_a_share_names_its_one_range_however_large_the_figure(threshold: str) -> None:
    done = subprocess.run(
        [CEU or "ceu", "plan", "-", "--threshold", threshold],
        input='{"rows": [{"activity": "Lectures", "delivery": "instruction", "hours": 1}]}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "--threshold: must be a share between 0 and 1 (got " in done.stderr
    assert "E+" not in done.stderr and "limit of" not in done.stderr
