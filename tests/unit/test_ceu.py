"""IACET CEUs from contact minutes: cases from the seed "Calculating & Awarding CEUs"
and from IACET's rounding guidance ("Six Steps to Submitting CEU Calculations", 2019)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc import CreditInputError, RoundingPolicy, iacet_ceus

D = Decimal


@pytest.mark.parametrize(
    ("total", "excluded", "contact_hours", "ceus"),
    [
        # Seed: "1 - Contact Hour (60 minutes) = .1 IACET CEU"
        (60, 0, D("1.00"), D("0.1")),
        # Seed: "2 - Contact Hours (120 minutes) = .2 IACET CEUs"
        (120, 0, D("2.00"), D("0.2")),
        # Seed: "10 - Contact Hours = 1.0 IACET CEUs"
        (600, 0, D("10.00"), D("1.0")),
        # Seed: 300 minutes of instruction and 40 minutes of breaks -> 5 h -> .5 CEU
        (340, 40, D("5.00"), D("0.5")),
        # Round once, at the end: 269 min = 0.448 CEU -> 0.4 (not 4.5 h -> 0.5)
        (269, 0, D("4.48"), D("0.4")),
        # IACET: never less than 0.1 CEU; 30 min = 0.05 -> 0.1 (halves up)
        (30, 0, D("0.50"), D("0.1")),
        (45, 0, D("0.75"), D("0.1")),
        (90, 0, D("1.50"), D("0.2")),  # 0.15 -> 0.2, halves up
        (870, 30, D("14.00"), D("1.4")),
    ],
)
def test_contact_minutes_to_hours_and_ceus(total, excluded, contact_hours, ceus):
    result = iacet_ceus(total, excluded)
    assert result.contact_minutes == total - excluded
    assert result.contact_hours == contact_hours
    assert result.ceus == ceus
    assert result.earns_ceu


@pytest.mark.parametrize(("total", "excluded"), [(29, 0), (0, 0), (100, 80), ("29.9", 0)])
def test_under_thirty_contact_minutes_earns_no_ceu_and_says_so(total, excluded):
    result = iacet_ceus(total, excluded)
    assert not result.earns_ceu
    assert result.ceus == 0
    assert result.note.startswith("No IACET CEU")


def test_unrounded_figure_is_kept_for_the_record():
    assert iacet_ceus(269).ceus_unrounded == D(269) / D(600)


def test_text_input_is_read_as_decimal():
    assert iacet_ceus(" 1,200 ", "0").ceus == D("2.0")
    assert iacet_ceus("90.5").contact_minutes == D("90.5")


@pytest.mark.parametrize(
    ("total", "excluded", "field", "words"),
    [
        (-5, 0, "total_minutes", "cannot be negative"),
        (60, -1, "excluded_minutes", "cannot be negative"),
        (60, 61, "excluded_minutes", "cannot exceed the total"),
        ("abc", 0, "total_minutes", "is not a number"),
        ("", 0, "total_minutes", "a number is required"),
        ("NaN", 0, "total_minutes", "finite"),
        ("Infinity", 0, "total_minutes", "finite"),
        ("1e400", 0, "total_minutes", "more than the limit"),
        (60, "<script>", "excluded_minutes", "is not a number"),
    ],
)
def test_bad_input_names_the_field(total, excluded, field, words):
    with pytest.raises(CreditInputError) as raised:
        iacet_ceus(total, excluded)
    assert raised.value.field == field
    assert words in raised.value.message


def test_rounding_policy_is_a_parameter():
    hundredths = RoundingPolicy(step=D("0.01"), mode=ROUND_HALF_UP, minimum_award=D("0.01"))
    assert iacet_ceus(269, policy=hundredths).ceus == D("0.45")


minutes = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)


@given(minutes, minutes)
def test_ceus_are_within_half_a_step_of_the_exact_figure(a, b):
    total, excluded = max(a, b), min(a, b)
    result = iacet_ceus(total, excluded)
    exact = (total - excluded) / 600
    if result.earns_ceu:
        assert abs(result.ceus - exact) <= D("0.05")
    else:
        assert exact < D("0.05")


@given(minutes, minutes)
def test_more_contact_time_never_earns_fewer_ceus(a, b):
    low, high = sorted((a, b))
    assert iacet_ceus(low).ceus <= iacet_ceus(high).ceus


@given(minutes, minutes, minutes)
def test_only_contact_minutes_matter(contact, extra_a, extra_b):
    assert iacet_ceus(contact + extra_a, extra_a).ceus == iacet_ceus(contact + extra_b, extra_b).ceus


@given(minutes)
def test_unrounded_ceus_are_exactly_minutes_over_600(contact):
    result = iacet_ceus(contact)
    assert result.ceus_unrounded == contact / D(600)


@given(minutes, minutes)
def test_excluded_time_never_increases_credit(total, excluded):
    total = total + excluded
    assert iacet_ceus(total, excluded).ceus <= iacet_ceus(total).ceus
