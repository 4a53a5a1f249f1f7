"""JSON that users give is refused in one line when it nests deeper than any of the tools'
files, before the parser recurses into it (in the browser, deep recursion ends the page's Python)."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from calc.errors import CreditInputError
from calc.json_input import MAX_NESTING, load_json


@pytest.mark.parametrize("depth", [1, MAX_NESTING])
def test_nesting_up_to_the_bound_is_read(depth: int) -> None:
    assert load_json("[" * depth + "]" * depth, "f") == json.loads("[" * depth + "]" * depth)


@pytest.mark.parametrize("text", ["[" * (MAX_NESTING + 1), "{" + '"a":[' * 100_000, "[" * 100_000])
def test_deeper_nesting_is_refused_unparsed(text: str) -> None:
    with pytest.raises(CreditInputError, match=f"nested far too deeply \\(over {MAX_NESTING} levels\\)"):
        load_json(text, "f")


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"note": "[" * 1000 + '\\"{' * 500, "list": [[["x"]]]})
    assert load_json(text, "f") == json.loads(text)


def depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@given(
    st.recursive(
        st.none() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_what_json_writes_within_the_bound_reads_back(value: object) -> None:
    assume(depth(value) <= MAX_NESTING)
    assert load_json(json.dumps(value), "f") == value
