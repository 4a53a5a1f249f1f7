"""Status rules: good standing needs checked evidence (IACET's record, or a recent official page a
check found the quote on), never the row's own date alone; every branch with the words it gives."""

from __future__ import annotations

import datetime as dt

import pytest

from directory.check_report import Check, RowChecks, row_checks
from directory.records import Entry
from directory.status import (
    CYCLE,
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


def check(outcome: str, checked_on: str = "2026-11-20", kind: str = "source", status: str = "200") -> Check:
    return Check(
        "providers", "p", kind, dt.date.fromisoformat(checked_on), "https://p.example/", outcome, status
    )


FOUND = check("quote-present")
CYCLE_WORDS = (
    "IACET accreditation lasts 5 years and is kept each year by an annual report and dues "
    "(sources: IACET, Reaccreditation (iacet.org/ce-t-accreditation/reaccreditation/); "
    'IACET, "Maintaining your accreditation" (2019))'
)


@pytest.mark.parametrize(
    ("values", "source", "expected", "words"),
    [
        # A recent official page counts only once a check found its quoted words on it.
        ({}, FOUND, GOOD_STANDING, "The provider's own page, dated 2026-06-01 (within 12 months of 2026-11-23), "
         "says it is accredited, and the quoted words were found on it when checked on 2026-11-20."),
        ({"source_date": "2025-11-23"}, FOUND, GOOD_STANDING, "dated 2025-11-23 (within 12 months"),  # exactly 12 months
        ({"source_date": "2026"}, FOUND, GOOD_STANDING, "dated 2026 (within"),  # 1 Jan 2026 at the earliest
        ({"source_date": "2025-12"}, FOUND, GOOD_STANDING, "dated 2025-12 (within"),
        # The row's own date, never checked: its contributor's claim alone (issue 30).
        ({}, None, UNVERIFIED, "The provider's own page, dated 2026-06-01, says it is accredited, but no check "
         "within 12 months has found the quoted words on it yet; the directory shows good standing only once a "
         "check confirms them (or IACET's own record names the provider)."),
        ({}, check("quote-present", "2025-11-22"), UNVERIFIED, "no check within 12 months"),  # check too old
        # A check that could not read the page confirms nothing.
        ({}, check("unreachable", status="503"), UNVERIFIED, "no check within 12 months"),
        ({}, check("unreachable", status=""), UNVERIFIED, "no check within 12 months"),
        ({}, check("robots-disallowed", status=""), UNVERIFIED, "no check within 12 months"),
        ({}, check("unreadable"), UNVERIFIED, "no check within 12 months"),
        # An older page cannot speak for the current year, found or not.
        ({"source_date": "2025-11-22"}, FOUND, UNVERIFIED, "The provider's own page is dated 2025-11-22, more "
         "than 12 months before 2026-11-23 (the quoted words were still on it when checked on 2026-11-20), so "
         f"it cannot show that the accreditation is current: {CYCLE_WORDS}."),
        ({"source_date": "2025-11"}, None, UNVERIFIED, "dated 2025-11, more than 12 months before 2026-11-23, "
         "so it cannot show"),  # could be 1 Nov 2025: too old to rely on
        ({"source_date": "2019"}, FOUND, UNVERIFIED, "dated 2019, more than 12 months"),
        # An undated page, even one still online.
        ({"source_date": ""}, FOUND, UNVERIFIED, "The provider's own page says it is accredited but bears no date "
         "(the quoted words were still on it when checked on 2026-11-20), so it cannot show that the "
         f"accreditation is current: {CYCLE_WORDS}."),
        ({"source_date": ""}, None, UNVERIFIED, "bears no date, so it cannot show"),
        # A third party or an archive shows nothing new, whatever a check finds there.
        ({"source_kind": "third-party"}, FOUND, UNVERIFIED, "The source is a third party's page; only the "
         "provider's or IACET's own page, dated within 12 months and checked, can show good standing."),
        ({"source_kind": "archived-copy"}, None, UNVERIFIED, "The source is an archived copy of a page;"),
        # The source changed, or is gone for good: needs review, whatever its kind or date.
        ({}, check("quote-missing"), NEEDS_REVIEW, "The source changed or was gone when checked on 2026-11-20: "
         "needs review. The row's quote can no longer be confirmed there."),
        ({"source_kind": "third-party"}, check("unreachable", status="404"), NEEDS_REVIEW, "changed or was gone"),
        ({"source_date": ""}, check("unreachable", status="410"), NEEDS_REVIEW, "changed or was gone"),
        ({}, check("quote-missing", "2025-11-22"), UNVERIFIED, "no check within 12 months"),  # too old to count
        # A lapse needs a date; any dated source may say it.
        ({"standing": "lapsed", "source_date": "2019-03"}, FOUND, LAPSED,
         "The source, dated 2019-03, says the accreditation has lapsed."),
        ({"standing": "lapsed", "source_kind": "third-party"}, None, LAPSED, "dated 2026-06-01, says"),
        ({"standing": "lapsed", "source_date": ""}, None, UNVERIFIED,
         "The source says the accreditation has lapsed but bears no date, so the directory cannot say when."),
    ],
)  # fmt: skip
def test_status_follows_checked_evidence(values, source, expected, words):
    status = provider_status(provider(**values), TODAY, RowChecks(source, None))
    assert (status.code, status.as_of) == (expected, TODAY)
    assert words in status.rule


def test_the_made_up_row_of_issue_30_is_not_in_good_standing():
    """An example.org page with a recent source_date: the date alone shows nothing."""
    row = provider(source_url="https://example.org/iacet", source_date="2026-11-01")
    assert provider_status(row, TODAY).code == UNVERIFIED
    assert provider_status(row, TODAY, RowChecks(FOUND, None)).code == GOOD_STANDING


def test_window_clamps_at_month_ends():
    # 29 Feb 2028 minus 12 months is 28 Feb 2027.
    found = RowChecks(check("quote-present", "2028-02-28"), None)
    leap_day = dt.date(2028, 2, 29)
    assert provider_status(provider(source_date="2027-02-28"), leap_day, found).code == GOOD_STANDING
    assert provider_status(provider(source_date="2027-02-27"), leap_day, found).code == UNVERIFIED
    old_check = RowChecks(check("quote-present", "2027-02-27"), None)
    assert provider_status(provider(source_date="2027-06-01"), leap_day, old_check).code == UNVERIFIED


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
    row = provider(verified_on="2020-01-01", source_date="2026-01")
    status = provider_status(row, TODAY, RowChecks(FOUND, None))
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


# --- IACET's own record (checks.csv, check iacet-record) as evidence ---------------------------


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
        ({}, check("quote-missing"), check("name-listed", kind="iacet-record"), GOOD_STANDING),
        # ... but only within 12 months, and never over a dated lapse.
        ({"source_date": ""}, None, check("name-listed", "2025-11-22", "iacet-record"), UNVERIFIED),
        (
            {"standing": "lapsed", "source_date": "2026-02"},
            None,
            check("name-listed", kind="iacet-record"),
            LAPSED,
        ),
        # IACET's record no longer naming it: needs review, never lapsed, even over a found quote.
        ({}, FOUND, check("name-missing", kind="iacet-record"), NEEDS_REVIEW),
        ({}, None, check("name-missing", "2025-11-22", "iacet-record"), UNVERIFIED),  # too old to count
        # A record that could not be fetched says nothing: the source's own check decides.
        ({}, FOUND, check("unreachable", kind="iacet-record", status=""), GOOD_STANDING),
        ({}, None, check("unreachable", kind="iacet-record", status="500"), UNVERIFIED),
        ({}, None, check("unreadable", kind="iacet-record"), UNVERIFIED),
    ],
)
def test_iacet_record_checks_are_evidence_only_as_the_rule_says(values, source, iacet, expected):
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


def test_the_cycle_is_stated_in_iacets_terms_from_the_engines_sources():
    from calc.accreditation import CYCLE_YEARS, MAINTENANCE_SOURCE, REACCREDITATION_SOURCE

    assert CYCLE == CYCLE_WORDS
    assert f"lasts {CYCLE_YEARS} years" in CYCLE
    assert MAINTENANCE_SOURCE in CYCLE and REACCREDITATION_SOURCE in CYCLE
    rules = [provider_status(provider(source_date=day), TODAY).rule for day in ("", "2019", "2026-06")]
    assert not any("renewed every year" in rule for rule in rules)


# --- a row with more than one source (sources.csv) ---------------------------------------------


def also(url: str, **values: str) -> Entry:
    """A row of sources.csv for provider 'p': another page that says it is accredited."""
    row = {"table": "providers", "id": "p", "source_url": url, "source_kind": "official",
           "source_date": "2026-09", "source_quote": "also accredited", "verified_on": "2026-11-10"}  # fmt: skip
    return Entry("sources", 2, {**row, **values})


NEWER = "https://p.example/newer"


def checked(
    url: str, outcome: str = "quote-present", checked_on: str = "2026-11-20", status: str = "200"
) -> Check:
    return Check("providers", "p", "source", dt.date.fromisoformat(checked_on), url, outcome, status)


@pytest.mark.parametrize(
    ("own", "more", "checks", "expected", "words"),
    [
        # The row's own page is old; a newer official page, found by a check, shows good standing.
        ({"source_date": "2019"}, [also(NEWER)], {NEWER: checked(NEWER)}, GOOD_STANDING,
         f"The provider's own page at {NEWER}, dated 2026-09 (within 12 months of 2026-11-23), says it is "
         "accredited, and the quoted words were found on it when checked on 2026-11-20."),
        # Without that check the newer page is the contributor's word alone: it says why not.
        ({"source_date": "2019"}, [also(NEWER)], {}, UNVERIFIED,
         f"The provider's own page at {NEWER}, dated 2026-09, says it is accredited, but no check within "
         "12 months has found the quoted words on it yet"),
        # Undated pages, however many, cannot show that the accreditation is current.
        ({"source_date": ""}, [also(NEWER, source_date="")], {NEWER: checked(NEWER)}, UNVERIFIED,
         "bears no date"),
        # A newer page that only a third party wrote shows nothing new.
        ({"source_date": "2019"}, [also(NEWER, source_kind="third-party")], {NEWER: checked(NEWER)}, UNVERIFIED,
         "The provider's own page at https://p.example/ is dated 2019, more than 12 months"),
        ({"source_kind": "third-party"}, [also(NEWER, source_kind="archived-copy")], {NEWER: checked(NEWER)},
         UNVERIFIED, "None of the row's sources is the provider's or IACET's own page; only the provider's or "
         "IACET's own page, dated within 12 months and checked, can show good standing."),
        # An official additional page speaks for a row whose own source is a third party's.
        ({"source_kind": "third-party", "source_date": ""}, [also(NEWER)], {NEWER: checked(NEWER)},
         GOOD_STANDING, f"at {NEWER}, dated 2026-09 (within 12 months"),
        # Both recent and found: the newer counts, and the rule names it.
        ({"source_date": "2026-03"}, [also(NEWER)], {"": FOUND, NEWER: checked(NEWER)}, GOOD_STANDING,
         f"at {NEWER}, dated 2026-09"),
        # The newest page not yet checked does not hide an older one that shows good standing.
        ({"source_date": "2026-03"}, [also(NEWER)], {"": FOUND}, GOOD_STANDING,
         "at https://p.example/, dated 2026-03 (within 12 months"),
        # Any page the row cites found changed or gone: needs review, naming that page.
        ({"source_date": "2026-03"}, [also(NEWER)], {"": FOUND, NEWER: checked(NEWER, "quote-missing")},
         NEEDS_REVIEW, f"The additional source {NEWER} changed or was gone when checked on 2026-11-20"),
        ({"source_date": "2019"}, [also(NEWER)], {NEWER: checked(NEWER, "unreachable", status="404")},
         NEEDS_REVIEW, "changed or was gone"),
    ],
)  # fmt: skip
def test_the_newest_official_source_a_check_confirmed_counts(own, more, checks, expected, words):
    row = provider(source_url="https://p.example/", **own)
    own_check = checks.pop("", None)
    status = provider_status(row, TODAY, RowChecks(own_check, None, checks), more)
    assert status.code == expected, status.rule
    assert words in status.rule


def test_an_additional_sources_check_is_found_by_its_address():
    row = provider(source_url="https://p.example/")
    line = {"table": "providers", "id": "p", "check": "source", "checked_on": "2026-11-20"}
    lines = [
        Entry("checks", 2, {**line, "url": url, "outcome": "quote-present"})
        for url in ("https://p.example/", NEWER, "https://p.example/dropped")
    ]
    found = row_checks([row], lines, "", {("providers", "p"): [also(NEWER)]})[("providers", "p")]
    assert found.source is not None and found.source.url == "https://p.example/"
    assert list(found.also) == [NEWER]  # a check of an address no longer cited speaks for nothing
