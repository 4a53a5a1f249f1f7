"""Every case of the shared table gives its expected figures in CPython."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.cases import CASES
from tests.engine.runner import run_case


def contains(actual: Any, expected: Any) -> bool:
    """``expected`` is a subset of ``actual`` (dicts by key, lists item by item)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and contains(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list) and len(actual) == len(expected) and all(map(contains, actual, expected))
        )
    return bool(actual == expected)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case):
    result = run_case(case)
    assert contains(result, case["expected"]), f"{case['source']}\nexpected {case['expected']}\ngot {result}"


def test_case_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
