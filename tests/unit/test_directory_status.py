"""Status rules: good standing needs an official source dated within 12 months of the build."""

from __future__ import annotations

import datetime as dt

import pytest

from directory.check_report import Check, RowChecks, row_checks
from directory.records import Entry
from directory.status import (
    GOOD_STANDING,
    LAPSED,
    NEEDS_REVIEW,
    UNVERIFIED,
    earliest_day,
    provider_status,
    stale_warning,
)

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


# --- the last source checks (checks.csv) as evidence --------------------------------------------


def check(outcome: str, checked_on: str = "2026-11-20", kind: str = "source", status: str = "200") -> Check:
    return Check(
        "providers", "p", kind, dt.date.fromisoformat(checked_on), "https://p.example/", outcome, status
    )


@pytest.mark.parametrize(
    ("values", "source", "iacet", "expected"),
    [
        # IACET's own directory listing the provider: good standing, whatever the source.
        (
            {"source_kind": "third-party", "source_date": ""},
            None,
            check("name-listed", kind="iacet-record"),
            GOOD_STANDING,
        ),
        # ... but only within 12 months, and never over a dated lapse.
        ({"source_date": ""}, None, check("name-listed", "2025-11-22", "iacet-record"), UNVERIFIED),
        (
            {"standing": "lapsed", "source_date": "2026-02"},
            None,
            check("name-listed", kind="iacet-record"),
            LAPSED,
        ),
        # IACET's record no longer naming it: needs review, never lapsed.
        ({}, None, check("name-missing", kind="iacet-record"), NEEDS_REVIEW),
        # A record that could not be fetched says nothing.
        ({}, None, check("unreachable", kind="iacet-record", status=""), GOOD_STANDING),
        ({"source_date": ""}, None, check("unreachable", kind="iacet-record", status="500"), UNVERIFIED),
        # An undated or old official page that still says so on a recent check.
        ({"source_date": ""}, check("quote-present"), None, GOOD_STANDING),
        ({"source_date": "2019"}, check("quote-present"), None, GOOD_STANDING),
        ({"source_date": ""}, check("quote-present", "2025-11-22"), None, UNVERIFIED),  # check too old
        # A third party still quoting the provider shows nothing new.
        ({"source_kind": "third-party", "source_date": ""}, check("quote-present"), None, UNVERIFIED),
        # The source changed, or is gone for good: needs review, whatever its kind or date.
        ({}, check("quote-missing"), None, NEEDS_REVIEW),
        ({"source_kind": "third-party"}, check("unreachable", status="404"), None, NEEDS_REVIEW),
        ({}, check("unreachable", status="410"), None, NEEDS_REVIEW),
        # Down for a moment, robots.txt, a PDF: no change.
        ({}, check("unreachable", status="503"), None, GOOD_STANDING),
        ({"source_date": ""}, check("unreachable", status=""), None, UNVERIFIED),
        ({"source_date": ""}, check("robots-disallowed", status=""), None, UNVERIFIED),
        ({"source_date": ""}, check("unreadable"), None, UNVERIFIED),
    ],
)
def test_checks_are_evidence_only_as_the_rule_says(values, source, iacet, expected):
    status = provider_status(
        provider(iacet_provider_number="1234", **values), TODAY, RowChecks(source, iacet)
    )
    assert status.code == expected, status.rule


def test_the_rule_names_the_check_and_its_date():
    listed = provider_status(
        provider(iacet_provider_number="1234"),
        TODAY,
        RowChecks(None, check("name-listed", kind="iacet-record")),
    )
    assert listed.rule.startswith("In good standing as of 2026-11-20 (IACET's directory, checked 2026-11-20)")
    assert "1234" in listed.rule
    missing = provider_status(
        provider(iacet_provider_number="1234"),
        TODAY,
        RowChecks(None, check("name-missing", kind="iacet-record")),
    )
    assert missing.rule.startswith("Not found in IACET's directory on 2026-11-20: needs review.")
    assert "lapsed" not in missing.label.lower()


def test_a_check_of_an_old_address_no_longer_counts():
    row = provider(source_url="https://p.example/new", iacet_provider_number="99")
    old = Entry("checks", 2, {"table": "providers", "id": "p", "check": "source", "checked_on": "2026-11-20",
                              "url": "https://p.example/", "outcome": "quote-missing"})  # fmt: skip
    record = Entry("checks", 3, {"table": "providers", "id": "p", "check": "iacet-record", "checked_on": "2026-11-20",
                                 "url": "https://iacet.example/?id=98", "outcome": "name-missing"})  # fmt: skip
    assert row_checks([row], [old, record], "https://iacet.example/?id={number}") == {}
    current = Entry("checks", 2, {**old.values, "url": "https://p.example/new"})
    assert row_checks([row], [current], "")[("providers", "p")].source == Check.of(current)
