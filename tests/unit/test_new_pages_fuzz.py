"""Whatever a visitor types or picks (any text, any file), the new pages' models answer with a
result or a message beside a field: they never raise. Hypothesis drives the inputs."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from calculator_pages import annual_report_page, cec_page, recert_page

TODAY = dt.date(2026, 12, 4)
TEXT = st.text(max_size=40)
FIELD_TEXT = st.one_of(
    TEXT,
    st.sampled_from(
        ["", "0", "-1", "1e9", "NaN", "2025-02-29", "2025-03-01", "03/01/2025", "CEP123456", "yes"]
    ),
)


@given(
    st.dictionaries(
        st.sampled_from([*cec_page.AMOUNT_FIELDS, "grade", "course_number", "cpr", "aed"]), FIELD_TEXT
    )
)
def test_the_cec_page_answers_any_form(values: dict[str, str]) -> None:
    outcome = cec_page.compute(values)
    assert outcome.ok or outcome.errors[0].field in {*cec_page.AMOUNT_FIELDS, "grade", "course_number"}


@settings(max_examples=60)
@given(st.binary(max_size=400), st.lists(st.integers(0, 400), max_size=6), FIELD_TEXT)
def test_the_annual_report_answers_any_file(data: bytes, cuts: list[int], as_of: str) -> None:
    header = b"learner_id,event_id,date,ceus_awarded\n"
    for body in (data, header + data):
        points = sorted({min(c, len(body)) for c in cuts})
        blocks = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
        outcome = annual_report_page.report(iter(blocks), "<b>x</b>.csv", len(body), as_of, TODAY)
        assert outcome.ok or outcome.errors[0].field in {"attendance", "as_of"}


RECORD = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.one_of(st.sampled_from(["course", "cpr", "semester-hours", "quarter-hours", "aed"]), TEXT),
        "course_number": FIELD_TEXT,
        "completed_on": FIELD_TEXT,
        "amount": FIELD_TEXT,
        "grade": FIELD_TEXT,
    },
)


@given(st.lists(st.tuples(TEXT, FIELD_TEXT), max_size=3), st.lists(RECORD, max_size=6), FIELD_TEXT)
def test_the_tracker_answers_any_sequence_of_additions(
    certs: list[tuple[str, str]], records: list[dict[str, str]], as_of: str
) -> None:
    state = recert_page.empty()
    for name, start in certs:
        state = recert_page.add_certification(state, name, start).state
    for values in records:
        state = recert_page.add_record(state, values).state
    outcome = recert_page.compute(state, as_of, TODAY)
    assert outcome.ok or outcome.errors[0].field in {"cert_name", "as_of"}
    # What the tracker keeps is always a file the CLI (and the tracker) reads back the same.
    assert recert_page.load_json(recert_page.state_text(state)) == recert_page.Loaded(state)


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=10,
)


TRACKER = st.fixed_dictionaries(
    {
        "certifications": st.lists(
            st.fixed_dictionaries({"name": TEXT, "period_start": FIELD_TEXT}) | JSON_VALUE, max_size=3
        ),
        "records": st.lists(
            st.dictionaries(
                st.sampled_from(["kind", "course_number", "completed_on", "cecs", "hours", "grade"]),
                JSON_VALUE,
            )
            | JSON_VALUE,
            max_size=4,
        ),
    }
)


@given(st.one_of(TEXT, JSON_VALUE.map(json.dumps), TRACKER.map(json.dumps)))
def test_the_tracker_imports_any_file_or_refuses_it_unchanged(text: str) -> None:
    loaded = recert_page.load_json(text)
    if loaded.error:
        assert loaded.state == recert_page.empty()
    else:  # what was taken in is kept as a file that reads back the same
        assert recert_page.load_json(recert_page.state_text(loaded.state)) == loaded
    kept = recert_page.load_csv(text, recert_page.empty())
    if kept.error:
        assert kept.state == recert_page.empty()
