"""Agenda grammar and keyword rules (issue 4, rule 2), plus its invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.activities import classify_title
from calc.agenda import agenda_ceus, format_agenda, parse_agenda
from calc.errors import CreditInputError


@pytest.mark.parametrize(
    ("title", "counted", "reason"),
    [
        # Seed calculating-awarding-ceus.txt: "breaks, non-working lunch, or anything promotional"
        ("Lunch (non-working)", False, "non-working meal"),
        ("Non working dinner", False, "non-working meal"),
        ("Working lunch: case review", True, "working meal counts as instruction"),
        ("Lunch", False, "meal (not a working meal)"),
        ("Awards luncheon", False, "meal (not a working meal)"),
        ("Coffee break", False, "break"),
        ("Break", False, "break"),
        ("Recess", False, "break"),
        ("Breakout sessions", True, "instruction"),
        ("Break-out session B", True, "instruction"),
        ("Ice-breaker activity", True, "instruction"),
        ("Sponsor showcase", False, "promotional content"),
        ("Vendor presentation", False, "promotional content"),
        ("Product demo", False, "promotional content"),
        ("Exhibit hall open", False, "promotional content"),
        ("Promotional video", False, "promotional content"),
        ("Networking reception", False, "unsupervised or unsponsored time"),
        ("Free time", False, "unsupervised or unsponsored time"),
        ("Registration and check-in", False, "unsupervised or unsponsored time"),
        ("Keynote: ethics in practice", True, "instruction"),
        ("Supervised lab", True, "instruction"),
    ],
)
def test_keyword_rules(title, counted, reason):
    decision = classify_title(title)
    assert (decision.counted, decision.reason) == (counted, reason)


def test_tags_override_keywords_and_are_not_part_of_the_title():
    agenda = parse_agenda("12:00-13:00 Lunch and learn [counted]\n13:00-14:00 Lecture [excluded: optional]\n")
    first, second = agenda.items
    assert (first.title, first.counted, first.reason) == ("Lunch and learn", True, "marked [counted]")
    assert (second.title, second.counted, second.reason) == ("Lecture", False, "optional")


def test_excluded_items_are_listed_with_line_and_reason():
    result = agenda_ceus(parse_agenda("Day 1\n09:00-10:00 Talk\n10:00-10:20 Coffee break\n"))
    assert [(e.line, e.title, e.reason, str(e.minutes)) for e in result.excluded] == [
        (3, "Day 1 10:00-10:20 Coffee break", "break", "20")
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10:00-09:00 Talk", "line 1: ends at 09:00, which is not after its start 10:00"),
        ("10:00-10:00 Talk", "line 1: ends at 10:00, which is not after its start 10:00"),
        ("09:00-10:00 A\n# c\n09:59-11:00 B", "line 3: 09:59-11:00 overlaps line 1 (09:00-10:00 A)"),
        ("09:00-10:00 A\nnot a line", "line 2: cannot read 'not a line'"),
        ("24:00-24:30 Late", "line 1: 24:00 is not a time of day"),
        ("09:60-10:00 A", "line 1: 09:60 is not a time of day"),
        ("2026-02-29\n09:00-10:00 A", "line 1: 2026-02-29 is not a date that exists"),
        ("09:00-10:00 [counted]", "line 1: has a tag but no title"),
    ],
)
def test_errors_name_the_line(text, message):
    with pytest.raises(CreditInputError) as raised:
        parse_agenda(text)
    assert raised.value.field == "agenda"
    assert raised.value.message.startswith(message)


def test_end_of_day_and_blank_agenda():
    assert parse_agenda("23:00-24:00 Late lab").items[0].minutes == 60
    assert agenda_ceus(parse_agenda("# nothing\n\n")).contact_minutes == 0


titles = st.sampled_from(
    [
        "Lecture",
        "Coffee break",
        "Lunch (non-working)",
        "Working lunch",
        "Lab [counted]",
        "Panel [excluded: optional]",
        "Sponsor showcase",
        "Q&A",
    ]
)


@st.composite
def agendas(draw):
    """Non-overlapping items spread over one to three days."""
    lines = []
    for day in range(1, draw(st.integers(1, 3)) + 1):
        lines.append(f"Day {day}")
        clock = draw(st.integers(0, 600))
        for _ in range(draw(st.integers(0, 6))):
            start = clock + draw(st.integers(0, 30))
            end = start + draw(st.integers(1, 120))
            if end > 24 * 60:
                break
            lines.append(f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d} {draw(titles)}")
            clock = end
    return "\n".join(lines)


def without_line_numbers(agenda):
    """Formatting drops comments and blank lines, so only line numbers may differ."""
    return [(i.day, i.start, i.end, i.title, i.counted, i.reason, i.tag) for i in agenda.items]


@given(agendas())
def test_parse_format_parse_round_trips(text):
    agenda = parse_agenda(text)
    again = parse_agenda(format_agenda(agenda))
    assert without_line_numbers(again) == without_line_numbers(agenda)
    assert format_agenda(again) == format_agenda(agenda)


@given(agendas())
def test_splitting_into_days_does_not_change_the_total(text):
    whole = agenda_ceus(parse_agenda(text))
    days = [part for part in text.split("Day ") if part.strip()]
    parts = [agenda_ceus(parse_agenda("Day " + part)) for part in days]
    assert sum(p.contact_minutes for p in parts) == whole.contact_minutes
    assert sum(p.total_minutes for p in parts) == whole.total_minutes


@given(agendas())
def test_excluded_time_never_increases_credit(text):
    agenda = parse_agenda(text)
    result = agenda_ceus(agenda)
    assert result.contact_minutes <= result.total_minutes
    all_counted = agenda_ceus(
        parse_agenda(
            "\n".join(
                line.split(" [")[0] + " [counted]" if line[:1].isdigit() else line
                for line in text.splitlines()
            )
        )
    )
    assert result.ceus <= all_counted.ceus
