"""Whatever a visitor types or picks (any text, any file), the new pages' models answer with a
result or a message beside a field: they never raise. Hypothesis drives the inputs."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from calculator_pages import annual_report_page, cec_page

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
