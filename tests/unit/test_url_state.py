"""A calculator takes back from its URL only its own fields, and only values that fit them
(calculator_pages.url_state; issue 16: a `"` in a parameter name stopped the page, and
`x"],[name="minutes` filled the minutes field)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.delivery import DELIVERY_MODES
from calc.eligibility import CRITERIA, ELIGIBLE_TYPES, INELIGIBLE_TYPES
from calc.plan import PER, UNITS
from calculator_pages import (
    accreditation_page,
    answer_page,
    cec_page,
    ceu_page,
    deadline_page,
    eligibility_page,
    plan_page,
)
from calculator_pages.url_state import (
    CHECKBOX_VALUES,
    MAX_PARAMS,
    MAX_ROWS,
    MAX_VALUE_CHARS,
    Choices,
    Control,
    Restored,
    chosen,
    encode,
    field_choices,
    parse_row_count,
    restore,
    shared_rows,
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


# --------------------------------------------------------------------------- writing the URL (encode)

#: Each calculator's URL fields as its page model names them (name -> what fits), and a row's
#: (None: no row list): the codec must give every one of them back.
PAGE_FIELDS: dict[str, tuple[dict[str, Choices], dict[str, Choices] | None]] = {
    "ceu": (
        {"mode": frozenset(ceu_page.MODES), "rule": None, **dict.fromkeys(ceu_page.FIELDS.values())},
        None,
    ),
    plan_page.NAME: (
        {plan_page.component_field(mode): CHECKBOX_VALUES for mode in DELIVERY_MODES},
        {
            **dict.fromkeys(plan_page.COLUMNS),
            "delivery": frozenset(DELIVERY_MODES),
            "unit": frozenset(UNITS),
            "per": frozenset(PER),
        },
    ),
    eligibility_page.NAME: (
        {
            eligibility_page.TYPE_FIELD: frozenset({*ELIGIBLE_TYPES, *INELIGIBLE_TYPES}),
            **dict.fromkeys(CRITERIA, frozenset(eligibility_page.ANSWERS)),
        },
        None,
    ),
    deadline_page.NAME: (
        {
            **dict.fromkeys(deadline_page.DATE_FIELDS, "date"),
            **dict.fromkeys(deadline_page.LIST_FIELDS),
            deadline_page.TITLE_FIELD: None,
        },
        None,
    ),
    accreditation_page.NAME: (dict.fromkeys(accreditation_page.FIELDS), None),
    cec_page.NAME: (
        {
            **dict.fromkeys(cec_page.AMOUNT_FIELDS),
            "grade": frozenset(cec_page.GRADES),
            **dict.fromkeys(cec_page.SAFETY_FIELDS, CHECKBOX_VALUES),
            cec_page.COURSE_FIELD: None,
        },
        None,
    ),
    answer_page.NAME: (dict.fromkeys((answer_page.BODY, answer_page.PROVIDER, answer_page.TIME)), None),
}

#: Text a form holds (a browser's value has no lone surrogate half: the URL would carry U+FFFD).
typed = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def fitting(allowed: Choices) -> st.SearchStrategy[str]:
    if allowed is None:
        return typed
    if allowed == "date":
        return st.just("") | st.dates(dt.date(1000, 1, 1)).map(dt.date.isoformat)
    return st.sampled_from(sorted(allowed))


@st.composite
def page_values(draw: st.DrawFn) -> tuple[str, dict[str, str], list[dict[str, str]] | None]:
    """A page, some of its fields with values that fit them, and (with a row list) its rows."""
    name = draw(st.sampled_from(sorted(PAGE_FIELDS)))
    fields, row_fields = PAGE_FIELDS[name]
    chosen_names = draw(st.lists(st.sampled_from(sorted(fields)), unique=True))
    values = {key: draw(fitting(fields[key])) for key in chosen_names}
    if row_fields is None:
        return name, values, None
    row = st.fixed_dictionaries({key: fitting(allowed) for key, allowed in row_fields.items()})
    return name, values, draw(st.lists(row, max_size=4))


@given(page_values())
def test_every_pages_fields_come_back_from_the_url_they_are_encoded_in(
    drawn: tuple[str, dict[str, str], list[dict[str, str]] | None],
) -> None:
    name, values, rows = drawn
    fields, row_fields = PAGE_FIELDS[name]
    query = encode(values, rows)
    back = restore(parse_qsl(query, keep_blank_values=True), fields, row_fields)
    assert back == Restored(values, None if rows is None else tuple(rows)), query


@pytest.mark.parametrize(
    ("values", "rows", "query"),
    [
        ({}, None, ""),
        ({"minutes": "340"}, None, "minutes=340"),
        ({"title": "Night class & <kept>"}, None, "title=Night+class+%26+%3Ckept%3E"),
        # URLSearchParams keeps * - . _ and writes ~ ( ) ' ! as %XX (urllib's urlencode differs on ~ and *)
        ({"t": "a*b-c.d_e~f(g)'h!"}, None, "t=a*b-c.d_e%7Ef%28g%29%27h%21"),
        ({"t": "é\n€"}, None, "t=%C3%A9%0A%E2%82%AC"),
        ({"t": "\ud800"}, None, "t=%EF%BF%BD"),  # a lone surrogate half is U+FFFD, as in the browser
        ({"x": ""}, [], "x=&rows=0"),  # an emptied field stays empty; no rows left is rows=0
        ({}, [{"a": "1", "b": ""}, {"a": "2", "b": "y"}], "row.a=1&row.b=&row.a=2&row.b=y"),
    ],
)
def test_the_query_is_written_as_the_browser_writes_it(
    values: dict[str, str], rows: list[dict[str, str]] | None, query: str
) -> None:
    assert encode(values, rows) == query


FORM = (
    Control("mode", "radio", ("minutes",), "yes"),
    Control("mode", "radio", ("agenda",), ""),
    Control("minutes", "text", (), "", ("mode=minutes",)),
    Control("agenda", "textarea", (), "", ("mode=agenda",)),
    Control("excluded", "text", (), "30"),
    Control("rule", "select-one", ("a", "b"), "a"),
    Control("unmarked", "select-one", ("a", "b"), None),
    Control("ticked", "checkbox", (), "yes"),
    Control("secret", "text", (), "", (), True),
)


@pytest.mark.parametrize(
    ("values", "kept"),
    [
        # the page's own choices write nothing but a select with no option marked (the DOM counts it changed)
        (
            {"mode": "minutes", "excluded": "30", "rule": "a", "unmarked": "a", "ticked": "yes"},
            {"unmarked": "a"},
        ),
        # what the visitor changed, in the form's order; a part hidden by another choice is left out
        (
            {
                "mode": "agenda",
                "minutes": "60",
                "agenda": "x",
                "excluded": "30",
                "rule": "b",
                "unmarked": "b",
                "ticked": "",
            },
            {"mode": "agenda", "agenda": "x", "rule": "b", "unmarked": "b", "ticked": ""},
        ),
        # a private field never goes in; a field emptied after the page's own text is kept empty
        (
            {
                "mode": "minutes",
                "minutes": "9",
                "excluded": "",
                "rule": "a",
                "secret": "s",
                "unmarked": "a",
                "ticked": "yes",
            },
            {"minutes": "9", "excluded": "", "unmarked": "a"},
        ),
    ],
)
def test_the_url_keeps_only_what_the_visitor_chose(values: dict[str, str], kept: dict[str, str]) -> None:
    assert chosen(FORM, values) == kept
    assert list(chosen(FORM, values)) == list(kept)


def test_a_rows_private_cells_stay_out_of_the_url() -> None:
    row_controls = (Control("a", "text"), Control("note", "text", private=True))
    assert shared_rows([{"a": "1", "note": "mine"}], row_controls) == [{"a": "1"}]
