"""IACET accreditation cycle and annual report (seed iacet-accreditation-maintenance.txt)."""

from __future__ import annotations

import datetime as dt
import io
import random
import tracemalloc
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.accreditation import accreditation_cycle, parse_anniversary
from calc.annual_report import annual_statistics
from calc.errors import CreditInputError


def dates_of(cycle, words):
    return [e.date for e in cycle.events if words in e.what]


def test_five_year_cycle_dates():
    cycle = accreditation_cycle(dt.date(2022, 3, 1), dt.date(2026, 11, 1))
    assert cycle.expires_on == dt.date(2027, 3, 1)
    assert cycle.year_of_cycle == 5
    assert dates_of(cycle, "application due") == [dt.date(2026, 12, 1)]  # 90 days before expiry
    assert dates_of(cycle, "notice") == [
        dt.date(2025, 9, 1),
        dt.date(2026, 3, 1),
        dt.date(2026, 9, 1),
        dt.date(2026, 12, 1),
    ]
    assert cycle.next_due is not None and "reaccreditation application" in cycle.next_due.what


def test_annual_windows_open_ninety_days_before_each_anniversary_and_none_in_the_reaccreditation_year():
    cycle = accreditation_cycle(dt.date(2022, 3, 1), dt.date(2022, 3, 1))
    assert dates_of(cycle, "annual report due") == [dt.date(y, 3, 1) for y in (2023, 2024, 2025, 2026)]
    assert dates_of(cycle, "window opens") == [
        dt.date(y, 3, 1) - dt.timedelta(days=90) for y in (2023, 2024, 2025, 2026)
    ]
    assert cycle.year_of_cycle == 1
    assert any("Paying dues alone does not renew" in n for n in cycle.notes)


def test_leap_day_accreditation_and_an_explicit_anniversary():
    cycle = accreditation_cycle(dt.date(2024, 2, 29), dt.date(2024, 6, 1))
    assert dates_of(cycle, "annual report due")[0] == dt.date(2025, 2, 28)
    assert cycle.expires_on == dt.date(2029, 2, 28)
    other = accreditation_cycle(dt.date(2024, 2, 29), dt.date(2024, 6, 1), parse_anniversary("07-01"))
    assert dates_of(other, "annual report due")[0] == dt.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("as_of", "year"),
    [(dt.date(2021, 1, 1), 0), (dt.date(2023, 2, 28), 1), (dt.date(2023, 3, 1), 2), (dt.date(2027, 3, 1), 6)],
)
def test_year_of_the_cycle(as_of, year):
    assert accreditation_cycle(dt.date(2022, 3, 1), as_of).year_of_cycle == year


@pytest.mark.parametrize("text", ["3-1-2", "13-01", "02-30", "march"])
def test_bad_anniversary(text):
    with pytest.raises(CreditInputError):
        parse_anniversary(text)


ATTENDANCE = """learner_id,event_id,date,ceus_awarded
ann,ev1,2025-07-01,0.5
ann,ev2,2025-08-01,0
bob,ev1,2025-07-01,0.5
cy,ev3,2025-06-30,1.0
dee,ev4,2026-06-30,0.2
"""


def test_the_four_statistics_over_the_twelve_months():
    stats = annual_statistics(io.StringIO(ATTENDANCE), dt.date(2026, 6, 30))
    # ev3 on 2025-06-30 is outside (as_of - 1 year, as_of]; ev2 counts as an event without CEUs.
    assert (stats.events, stats.participants, stats.learners_awarded, stats.total_ceus) == (3, 4, 3, D("1.2"))


def test_every_bad_line_is_listed_and_no_figures_given():
    text = ATTENDANCE + "eve,ev5,2026-02-30,1\n,ev6,2026-01-01,1\nfay,ev7,2026-01-01,-1\ngus,ev8,2026-01-01\n"
    with pytest.raises(CreditInputError) as raised:
        annual_statistics(io.StringIO(text), dt.date(2026, 6, 30))
    assert raised.value.message.startswith("4 bad line(s): 7, 8, 9, 10;")


@given(st.permutations(ATTENDANCE.splitlines()[1:]))
def test_figures_do_not_depend_on_row_order(rows):
    shuffled = "\n".join([ATTENDANCE.splitlines()[0], *rows]) + "\n"
    a = annual_statistics(io.StringIO(shuffled), dt.date(2026, 6, 30))
    b = annual_statistics(io.StringIO(ATTENDANCE), dt.date(2026, 6, 30))
    assert a == b


def attendance_lines(rows: int):
    """A generated attendance file, produced line by line (never held in memory)."""
    rng = random.Random(7)
    yield "learner_id,event_id,date,ceus_awarded\n"
    for _ in range(rows):
        yield f"l{rng.randrange(50)},e{rng.randrange(10)},2026-0{rng.randrange(1, 7)}-15,{rng.choice(['0', '0.1', '1.5'])}\n"


def peak_memory(rows: int) -> int:
    tracemalloc.start()
    annual_statistics(attendance_lines(rows), dt.date(2026, 6, 30))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


@settings(deadline=None, max_examples=1)
@given(st.just(None))
def test_the_report_streams_memory_does_not_grow_with_rows(_):
    small, large = peak_memory(5_000), peak_memory(100_000)
    # Twenty times the rows over the same 500 learner-event pairs (all seen in the small run): memory stays flat.
    assert large < small * 1.5 + 64_000, (small, large)
