"""Status rules: good standing needs an official source dated within 12 months of the build."""

from __future__ import annotations

import datetime as dt

import pytest

from directory.records import Entry
from directory.status import GOOD_STANDING, LAPSED, UNVERIFIED, earliest_day, provider_status, stale_warning

TODAY = dt.date(2026, 11, 23)


def provider(**values: str) -> Entry:
    row = {
        "id": "p",
        "name": "P",
        "standing": "accredited",
        "source_kind": "official",
        "source_date": "2026-06-01",
        "verified_on": "2026-11-01",
    }
    return Entry("providers", 2, {**row, **values})


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, GOOD_STANDING),
        ({"source_date": "2025-11-23"}, GOOD_STANDING),  # exactly 12 months: still within
        ({"source_date": "2025-11-22"}, UNVERIFIED),  # one day older
        ({"source_date": "2026"}, GOOD_STANDING),  # 1 Jan 2026 at the earliest
        ({"source_date": "2025-12"}, GOOD_STANDING),
        ({"source_date": "2025-11"}, UNVERIFIED),  # could be 1 Nov 2025: too old to rely on
        ({"source_date": "2025"}, UNVERIFIED),
        ({"source_date": ""}, UNVERIFIED),  # undated official page
        ({"source_kind": "third-party"}, UNVERIFIED),
        ({"source_kind": "archived-copy"}, UNVERIFIED),
        ({"standing": "lapsed", "source_date": "2019-03"}, LAPSED),  # any dated source may say it lapsed
        ({"standing": "lapsed", "source_kind": "third-party"}, LAPSED),
        ({"standing": "lapsed", "source_date": ""}, UNVERIFIED),  # undated: never 'lapsed'
    ],
)
def test_status_follows_source_kind_date_and_claim(values, expected):
    status = provider_status(provider(**values), TODAY)
    assert status.code == expected
    assert status.as_of == TODAY
    assert status.rule  # every status says why


def test_the_rule_names_the_dates_it_used():
    status = provider_status(provider(source_date="2024-05-02"), TODAY)
    assert "2024-05-02" in status.rule and "2026-11-23" in status.rule


def test_window_clamps_at_month_ends():
    # 29 Feb 2028 minus 12 months is 28 Feb 2027.
    assert provider_status(provider(source_date="2027-02-28"), dt.date(2028, 2, 29)).code == GOOD_STANDING
    assert provider_status(provider(source_date="2027-02-27"), dt.date(2028, 2, 29)).code == UNVERIFIED


@pytest.mark.parametrize(
    ("verified_on", "stale"), [("2026-11-01", False), ("2025-11-23", False), ("2025-11-22", True)]
)
def test_stale_warning_after_12_months(verified_on, stale):
    warning = stale_warning(verified_on, TODAY)
    assert bool(warning) is stale
    if stale:
        assert verified_on in warning
    assert bool(provider_status(provider(verified_on=verified_on), TODAY).stale_warning) is stale


def test_a_stale_row_keeps_its_status():
    status = provider_status(provider(verified_on="2020-01-01", source_date="2026-01"), TODAY)
    assert status.code == GOOD_STANDING and status.stale_warning


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024", dt.date(2024, 1, 1)),
        ("2024-07", dt.date(2024, 7, 1)),
        ("2024-07-09", dt.date(2024, 7, 9)),
        ("", None),
    ],
)
def test_partial_dates_count_from_their_earliest_day(text, day):
    assert earliest_day(text) == day
