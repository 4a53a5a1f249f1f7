"""A calculator takes back from its URL only its own fields, and only values that fit them
(calculators.url_state; issue 16: a `"` in a parameter name stopped the page, and
`x"],[name="minutes` filled the minutes field)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators.url_state import (
    MAX_PARAMS,
    MAX_ROWS,
    MAX_VALUE_CHARS,
    Choices,
    Control,
    Restored,
    field_choices,
    parse_row_count,
    restore,
)

#: The controls of the three pages, as the page script describes them (see content/*.md and plan_page).
CEU_CONTROLS = (
    Control("mode", "radio", ("minutes",)),
    Control("mode", "radio", ("activities",)),
    Control("mode", "radio", ("agenda",)),
    Control("minutes", "text"),
    Control("excluded", "text"),
    Control("activities", "textarea"),
    Control("agenda", "textarea"),
)
PLAN_CONTROLS = (
    Control("component-instruction", "checkbox"),
    Control("component-distance", "checkbox"),
    Control("component-self-paced", "checkbox"),
)
PLAN_ROW_CONTROLS = (
    Control("activity", "text"),
    Control("delivery", "select-one", ("instruction", "distance", "self-paced")),
    Control("amount", "text"),
    Control("unit", "select-one", ("minutes", "hours")),
    Control("per", "select-one", ("week", "instance")),
    Control("count", "text"),
)
ELIGIBILITY_CONTROLS = (
    Control("program_type", "select-one", ("", "seminar", "workshop")),
    *(Control("clear-objective", "radio", (answer,)) for answer in ("yes", "no", "not-yet")),
)

CEU = field_choices(CEU_CONTROLS)
PLAN = field_choices(PLAN_CONTROLS)
PLAN_ROW = field_choices(PLAN_ROW_CONTROLS)
ELIGIBILITY = field_choices(ELIGIBILITY_CONTROLS)


def from_query(
    query: str, fields: dict[str, Choices], row_fields: dict[str, Choices] | None = None
) -> Restored:
    """What the form takes from ``?query`` (parsed as the browser's URLSearchParams would)."""
    return restore(parse_qsl(query, keep_blank_values=True), fields, row_fields)


# --------------------------------------------------------------------------- the form's fields


def test_field_choices_describe_each_kind_of_control() -> None:
    assert {
        "mode": frozenset({"minutes", "activities", "agenda"}),
        "minutes": None,
        "excluded": None,
        "activities": None,
        "agenda": None,
    } == CEU
    assert (
        dict.fromkeys(
            ("component-instruction", "component-distance", "component-self-paced"), frozenset({"yes", ""})
        )
        == PLAN
    )
    assert PLAN_ROW["unit"] == frozenset({"minutes", "hours"})


@pytest.mark.parametrize(
    "controls",
    [
        pytest.param((Control("x", "file"),), id="a file input"),
        pytest.param((Control("x", "select-multiple", ("a",)),), id="a multiple select"),
        pytest.param((Control("x", "submit"),), id="a submit button"),
        pytest.param((Control("x", "text"), Control("x", "radio", ("a",))), id="two kinds, one name"),
        pytest.param((Control("", "text"),), id="no name"),
    ],
)
def test_controls_a_url_cannot_set_are_left_out(controls: tuple[Control, ...]) -> None:
    assert field_choices(controls) == {}


def test_two_selects_of_one_name_take_only_a_value_both_have() -> None:
    fields = field_choices([Control("s", "select-one", ("a", "b")), Control("s", "select-one", ("b", "c"))])
    assert fields == {"s": frozenset({"b"})}


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "query",
    [
        pytest.param('a"b=1', id="a quote"),
        pytest.param('x"],[name="minutes=5', id="a selector that names another field"),
        pytest.param("[=1", id="a bracket"),
        pytest.param("\0=1", id="NUL"),
        pytest.param("__proto__=1&constructor=1&toString=1", id="object keys"),
        pytest.param("minutes'=1&minutes\\=1&minutes]=1&*=1&:not(=1", id="selector syntax"),
        pytest.param("MINUTES=5&%20minutes=5&minutes%20=5&minut%D0%B5s=5", id="case, space, look-alike"),
        pytest.param("mínutes=5&😀=5&" + "m" * 5000 + "=5", id="unicode, emoji, 5000 characters"),
        pytest.param("=1&minutes_&%&%E0%A4%A&&&", id="empty key, no '=', bad escapes"),
        pytest.param("row.minutes=5&rows=3", id="row params on a form without rows"),
    ],
)
def test_a_name_that_is_not_a_field_is_ignored(query: str) -> None:
    restored = from_query(query, CEU)
    assert restored == Restored({}), restored


def test_a_real_field_takes_its_value_however_hostile_the_text() -> None:
    query = "minutes=%3Cscript%3Ealert(1)%3C/script%3E&agenda=javascript:alert(1)&excluded=%22%5D"
    assert from_query(query, CEU).values == {
        "minutes": "<script>alert(1)</script>",  # text for the page model to refuse, never markup
        "agenda": "javascript:alert(1)",
        "excluded": '"]',
    }


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("query", "taken"),
    [
        ("mode=agenda", {"mode": "agenda"}),
        ("mode=Agenda&mode=agenda%20", {}),  # a choice is matched exactly
        ('mode=x"&mode=minutes', {"mode": "minutes"}),  # the first value that fits wins
        ("mode=activities&mode=agenda", {"mode": "activities"}),
        ("minutes=1&minutes=2", {"minutes": "1"}),
        ("minutes=", {"minutes": ""}),
    ],
)
def test_a_choice_must_be_one_of_the_choices_and_the_first_usable_value_wins(
    query: str, taken: dict[str, str]
) -> None:
    assert from_query(query, CEU).values == taken


@pytest.mark.parametrize(
    ("query", "taken"),
    [
        (
            "component-distance=yes&component-instruction=",
            {"component-distance": "yes", "component-instruction": ""},
        ),
        ("component-distance=on&component-distance=true&component-distance=1", {}),
    ],
)
def test_a_checkbox_is_ticked_by_yes_and_cleared_by_nothing_else_than_empty(
    query: str, taken: dict[str, str]
) -> None:
    assert from_query(query, PLAN, PLAN_ROW).values == taken


def test_a_select_takes_only_an_option_it_has() -> None:
    assert from_query("program_type=seminar", ELIGIBILITY).values == {"program_type": "seminar"}
    assert from_query("program_type=dinner&program_type=SEMINAR", ELIGIBILITY).values == {}
    assert from_query("program_type=", ELIGIBILITY).values == {"program_type": ""}


def test_a_text_longer_than_the_limit_is_ignored_not_cut() -> None:
    longest = "9" * MAX_VALUE_CHARS
    assert from_query(f"minutes={longest}", CEU).values == {"minutes": longest}
    assert from_query(f"minutes={longest}9&excluded=40", CEU).values == {"excluded": "40"}


# --------------------------------------------------------------------------- rows


def test_row_params_are_the_rows_top_to_bottom() -> None:
    query = "row.activity=A&row.amount=2&row.activity=B&row.amount=3&row.unit=minutes&row.unit=hours"
    assert from_query(query, PLAN, PLAN_ROW).rows == (
        {"activity": "A", "amount": "2", "unit": "minutes"},
        {"activity": "B", "amount": "3", "unit": "hours"},
    )


def test_a_row_cell_that_does_not_fit_keeps_its_place_and_the_blank_rows_choice() -> None:
    query = (
        "row.unit=days&row.unit=minutes&row.activity=A&row.activity=B&row.x%22=1&row.=1&row.row.unit=hours"
    )
    assert from_query(query, PLAN, PLAN_ROW).rows == ({"activity": "A"}, {"activity": "B", "unit": "minutes"})


def test_unknown_row_params_leave_the_page_its_rows() -> None:
    assert from_query('row.x"=1&row.__proto__=1&row.=1&row=1', PLAN, PLAN_ROW).rows is None


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("rows=0", ()),
        ("rows=2", ({}, {})),
        (f"rows={MAX_ROWS}", ({},) * MAX_ROWS),
        (f"rows={MAX_ROWS + 1}", None),
        ("rows=99999999", None),
        ("rows=1e9", None),
        ("rows=-1", None),
        ("rows=-3", None),
        ("rows=abc", None),
        ("rows=", None),
        ("rows=%200", None),
        ("rows=%D9%A3", None),  # an Arabic-Indic 3 is not an ASCII digit
        ("rows=abc&rows=0", ()),  # the first usable count wins
        ("rows=0&row.activity=A", ({"activity": "A"},)),  # row params win over the count
    ],
)
def test_rows_is_a_bounded_whole_number(query: str, rows: tuple[dict[str, str], ...] | None) -> None:
    assert from_query(query, PLAN, PLAN_ROW).rows == rows


def test_a_url_never_makes_more_than_max_rows() -> None:
    params = [("row.activity", str(n)) for n in range(MAX_ROWS * 5)]
    rows = restore(params, PLAN, PLAN_ROW).rows
    assert rows is not None and len(rows) == MAX_ROWS
    assert rows[-1] == {"activity": str(MAX_ROWS - 1)}


def test_only_the_first_max_params_are_read() -> None:
    params = [("junk", "")] * MAX_PARAMS + [("minutes", "5")]
    assert restore(iter(params), CEU).values == {}
    assert restore(iter(params[1:]), CEU).values == {"minutes": "5"}


def test_parse_row_count() -> None:
    assert [parse_row_count(text) for text in ("0", "007", str(MAX_ROWS), "1.0", "+1", " 1")] == [
        0,
        7,
        MAX_ROWS,
        None,
        None,
        None,
    ]


# --------------------------------------------------------------------------- anything at all

FORMS = [(CEU, None), (PLAN, PLAN_ROW), (ELIGIBILITY, None)]
#: Names and values drawn from the fields' own (so some match) and from anywhere.
KNOWN_NAMES = sorted({*CEU, *PLAN, *ELIGIBILITY, *(f"row.{key}" for key in PLAN_ROW), "rows"})
KNOWN_VALUES = sorted(
    {
        value
        for fields in (CEU, PLAN, PLAN_ROW, ELIGIBILITY)
        for choices in fields.values()
        for value in choices or ()
    }
)
names = st.one_of(
    st.sampled_from(KNOWN_NAMES), st.text(), st.sampled_from(KNOWN_NAMES).map(lambda n: n + '"')
)
values = st.one_of(st.sampled_from(KNOWN_VALUES), st.text(), st.from_regex(r"-?[0-9]{1,9}", fullmatch=True))


@given(params=st.lists(st.tuples(names, values), max_size=60), form=st.sampled_from(FORMS))
def test_whatever_the_url_only_known_fields_and_fitting_values_come_back(
    params: list[tuple[str, str]], form: tuple[dict[str, Choices], dict[str, Choices] | None]
) -> None:
    fields, row_fields = form
    restored = restore(params, fields, row_fields)
    assert set(restored.values) <= set(fields)
    for name, value in restored.values.items():
        choices = fields[name]
        assert value in choices if choices is not None else len(value) <= MAX_VALUE_CHARS
        assert (name, value) in params
    if row_fields is None:
        assert restored.rows is None
    if restored.rows is not None:
        assert row_fields is not None
        assert len(restored.rows) <= MAX_ROWS
        for row in restored.rows:
            assert set(row) <= set(row_fields)
            for key, value in row.items():
                choices = row_fields[key]
                assert value in choices if choices is not None else len(value) <= MAX_VALUE_CHARS
                assert (f"row.{key}", value) in params


@given(params=st.lists(st.tuples(st.text(), st.text()), max_size=40))
def test_names_that_are_no_field_change_nothing(params: list[tuple[str, str]]) -> None:
    unknown = [(k, v) for k, v in params if k not in CEU]
    assert restore(unknown, CEU) == Restored({})


DEADLINE_CONTROLS = (
    Control("first_offering", "date"),
    Control("title", "text"),
    Control("holidays", "textarea"),
)


@pytest.mark.parametrize(
    ("value", "taken"),
    [
        ("2026-09-14", True),
        ("", True),  # clears the field, as the page writes it
        ("2024-02-29", True),
        ("2026-02-30", False),  # not a day
        ("2026-9-14", False),
        ("14/09/2026", False),
        (" 2026-09-14", False),
        ("2026-09-14T00:00", False),
        ("javascript:alert(1)", False),
        ("\uff12\uff10\uff12\uff16-09-14", False),  # full-width digits: not the browser's format
    ],
)
def test_a_date_field_takes_only_a_day_that_exists_in_the_browsers_format(value: str, taken: bool) -> None:
    """Anything else the browser would drop from the input with a console warning."""
    fields = field_choices(DEADLINE_CONTROLS)
    assert fields["first_offering"] == "date"
    restored = restore([("first_offering", value), ("first_offering", "2027-01-01")], fields)
    assert restored.values["first_offering"] == (value if taken else "2027-01-01")
