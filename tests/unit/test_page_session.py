"""A calculator page's worker side (calculator_pages.page_session; the tracker's session: tests/unit/test_tracker_page.py) in CPython: the
messages the page sends, answered with plain data that survives postMessage."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from calculator_pages import cec_page, plan_page
from calculator_pages.page_session import Session
from calculator_pages.url_state import MAX_VALUE_CHARS

TODAY = dt.date(2026, 12, 4)


def plain(answer: dict) -> dict:
    """What the page receives: only JSON-like data survives the trip (no tuples, no objects)."""
    return json.loads(json.dumps(answer))


def test_a_computed_outcome_comes_back_as_the_page_shows_it() -> None:
    session = Session(cec_page.compute, lambda: TODAY)
    answer = session.handle({"type": "compute", "values": {"hours": "15"}})
    assert answer == plain(answer)
    assert answer["type"] == "outcome" and answer["ok"] is True and answer["errors"] == []
    assert 'data-value="1.5"' in answer["figures"]
    assert answer["calendar"] is False


def test_a_field_in_error_is_named_and_no_figure_is_shown() -> None:
    session = Session(cec_page.compute)
    answer = session.handle({"type": "compute", "values": {"hours": "-2"}})
    assert answer["ok"] is False and answer["figures"] == ""
    assert [field for field, _ in answer["errors"]] == ["hours"]


def test_hostile_text_comes_back_escaped() -> None:
    session = Session(plan_page.compute)
    hostile = "<img src=x onerror=alert(1)>"
    rows = [{**plan_page.BLANK_ROW, "activity": hostile, "amount": "2", "count": "3"}]
    answer = session.handle({"type": "compute", "values": {}, "rows": rows})
    shown = answer["figures"] + answer["tables"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown and hostile not in shown


def test_a_page_without_a_row_list_is_computed_without_rows() -> None:
    seen: list[tuple] = []

    def compute(*args):
        seen.append(args)
        return cec_page.compute(*args)

    Session(compute).handle({"type": "compute", "values": {"hours": "1"}, "rows": None})
    assert seen == [({"hours": "1"},)]


def test_a_url_gives_back_only_the_fields_and_values_that_fit() -> None:
    """The first compute of a visit with a query restores and computes at once (one round trip)."""
    session = Session(cec_page.compute)
    answer = session.handle(
        {
            "type": "compute",
            "values": {"hours": "", "mode": "a", "day": ""},
            "form": {
                "controls": [
                    ["hours", "text", []],
                    ["mode", "radio", ["a"], "yes"],
                    ["mode", "radio", ["b"]],
                    ["day", "date", []],
                ],
            },
            "params": [["hours", "12"], ["mode", "nonsense"], ["unknown", "1"], ["day", "2026-02-30"]],
        }
    )
    assert answer["restored"] == {"values": {"hours": "12"}, "rows": None}
    assert answer["inputs"] == {"values": {"hours": "12", "mode": "a", "day": ""}, "rows": None}
    assert answer["ok"] is True and 'data-value="1.2"' in answer["figures"]  # computed with the URL's hours
    assert answer["query"] == "hours=12"
    assert answer == plain(answer)


def test_rows_come_back_from_a_url_top_to_bottom() -> None:
    session = Session(plan_page.compute)
    answer = session.handle(
        {
            "type": "compute",
            "values": {},
            "rows": [{**plan_page.BLANK_ROW, "activity": "The page's own row"}],
            "form": {
                "controls": [],
                "rowControls": [[column, "text", []] for column in plan_page.BLANK_ROW],
                "blankRow": plan_page.BLANK_ROW,
            },
            "params": [
                ["row.amount", "30"],
                ["row.amount", "x" * (MAX_VALUE_CHARS + 1)],
                ["row.amount", "45"],
            ],
        }
    )
    assert answer["restored"]["rows"] == [{"amount": "30"}, {}, {"amount": "45"}]
    assert answer["inputs"]["rows"] == [
        {**plan_page.BLANK_ROW, "amount": "30"},
        plan_page.BLANK_ROW,  # a cell that does not fit keeps the blank row's value
        {**plan_page.BLANK_ROW, "amount": "45"},
    ]
    assert answer == plain(answer)


def test_a_later_compute_says_nothing_of_the_url_or_the_inputs() -> None:
    session = Session(cec_page.compute)
    session.handle(
        {"type": "compute", "values": {"hours": ""}, "form": {"controls": [["hours", "text", []]]}}
    )
    answer = session.handle({"type": "compute", "values": {"hours": "3"}})
    assert "restored" not in answer and "inputs" not in answer
    assert answer["query"] == "hours=3"  # the form described in the first message still counts


def test_the_compute_reply_carries_the_query_of_what_the_visitor_chose() -> None:
    """The page puts the reply's query into its address as it is: the worker wrote it from the
    values it computed with (only shared, shown fields changed from the page's own; rows whole,
    without their private cells)."""
    session = Session(plan_page.compute)
    form = {
        "controls": [["component-distance", "checkbox", [], "", [], False]],
        "rowControls": [["activity", "text", [], "", [], False], ["note", "text", [], "", [], True]],
    }
    answer = session.handle(
        {
            "type": "compute",
            "values": {"component-distance": "yes"},
            "rows": [{"activity": "Talk & <more>", "note": "mine"}],
            "form": form,
        }
    )
    assert answer["query"] == "component-distance=yes&row.activity=Talk+%26+%3Cmore%3E"
    assert (
        session.handle({"type": "compute", "values": {"component-distance": ""}, "rows": []})["query"]
        == "rows=0"
    )


def test_the_worksheet_and_calendar_are_made_from_the_last_outcome_only_when_it_is_right() -> None:
    session = Session(cec_page.compute, lambda: TODAY)
    assert session.handle({"type": "worksheet", "url": "https://x.test/cec/"})["document"] == ""
    session.handle({"type": "compute", "values": {"hours": "15"}})
    sheet = session.handle({"type": "worksheet", "url": "https://x.test/cec/?hours=15"})
    assert "2026-12-04" in sheet["document"] and "https://x.test/cec/?hours=15" in sheet["document"]
    assert sheet["fragment"].startswith("<h1>ACE CEC calculator</h1>") and "<html" not in sheet["fragment"]
    assert session.handle({"type": "calendar"})["text"] == ""  # no dates: nothing to save
    session.handle({"type": "compute", "values": {"hours": "-1"}})
    assert session.handle({"type": "worksheet", "url": ""})["fragment"] == ""


def test_an_unknown_message_is_a_bug_said_aloud() -> None:
    with pytest.raises(ValueError, match="no message of type 'nonsense'"):
        Session(cec_page.compute).handle({"type": "nonsense"})
