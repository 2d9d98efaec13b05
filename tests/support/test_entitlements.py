"""Support entitlement arithmetic (support/entitlements.py): sharing out a year's days by the
half-terms left, adjustments, allocations and deliveries, in exact decimals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from support.calendar import england_half_terms, fraction_remaining
from support.entitlements import Balance, balance, entitled, partner_load, prorate, to_half_days


def D(text: str) -> Decimal:
    return Decimal(text)


# Rounding to half days --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "rounded"),
    [
        ("0", "0"),
        ("0.24", "0"),
        ("0.25", "0.5"),  # exactly between: up
        ("0.5", "0.5"),
        ("0.74", "0.5"),
        ("0.75", "1"),  # exactly between: up
        ("1", "1"),
        ("1.25", "1.5"),
        ("4.6666", "4.5"),
        ("4.76", "5"),
    ],
)
def test_days_are_rounded_to_the_nearest_half_day_with_halves_going_up(days, rounded):
    result = to_half_days(D(days))
    assert isinstance(result, Decimal)
    assert result == D(rounded)


# Prorating for a school that joins mid-year -----------------------------------------------------


@pytest.mark.parametrize("days", ["6", "7", "6.3", "0"])
def test_a_school_there_all_year_gets_its_whole_entitlement(days):
    assert prorate(D(days), 6, 6) == D(days)


@pytest.mark.parametrize(
    ("days", "remaining", "prorated"),
    [
        ("6", 4, "4"),  # 6 × 4/6 = 4
        ("7", 4, "4.5"),  # 4.67 to the half day
        ("12", 5, "10"),
        ("10", 5, "8.5"),  # 8.33 up to 8.5, as 8.33 is nearer 8.5 than 8
        ("1", 1, "0"),  # 0.17 rounds down to nothing
        ("1.5", 1, "0.5"),  # exactly 0.25: up to half a day
        ("4.5", 1, "1"),  # exactly 0.75: up to a day
        ("3", 3, "1.5"),
    ],
)
def test_a_school_joining_mid_year_gets_its_share_to_the_half_day(days, remaining, prorated):
    result = prorate(D(days), remaining, 6)
    assert isinstance(result, Decimal)
    assert result == D(prorated)


@pytest.mark.parametrize("remaining", [0, -1])
def test_a_school_joining_with_no_half_terms_left_gets_nothing(remaining):
    assert prorate(D("6"), remaining, 6) == 0


def test_a_year_of_no_half_terms_leaves_the_entitlement_whole_rather_than_dividing_by_zero():
    assert prorate(D("6"), 0, 0) == D("6")


@pytest.mark.parametrize(
    ("joins", "days"),
    [
        (date(2025, 8, 28), "7"),  # before the year starts
        (date(2025, 10, 1), "7"),  # Autumn 1: 6 of 6
        (date(2025, 11, 10), "6"),  # Autumn 2: 5 of 6 = 5.83
        (date(2026, 1, 12), "4.5"),  # Spring 1: 4 of 6 = 4.67
        (date(2026, 3, 2), "3.5"),  # Spring 2: 3 of 6 = 3.5
        (date(2026, 4, 10), "2.5"),  # Easter holiday, so Summer 1: 2 of 6 = 2.33
        (date(2026, 6, 8), "1"),  # Summer 2: 1 of 6 = 1.17
        (date(2026, 7, 27), "0"),  # summer holiday: nothing left
    ],
)
def test_a_seven_day_entitlement_by_the_date_a_school_joins(joins, days):
    remaining, of = fraction_remaining(joins, england_half_terms(2025))
    assert prorate(D("7"), remaining, of) == D(days)


# Entitlement after adjustments ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "adjustments", "result"),
    [
        ("6", [], "6"),
        ("6", ["1.5"], "7.5"),
        ("6", ["-2"], "4"),
        ("6", ["2", "-0.5", "-1"], "6.5"),
        ("6", ["-6"], "0"),
        ("6", ["-8"], "0"),  # never below zero
        ("0", ["-1", "0.5"], "0"),
    ],
)
def test_adjustments_raise_or_lower_the_entitlement_but_never_below_zero(base, adjustments, result):
    total = entitled(D(base), [D(a) for a in adjustments])
    assert isinstance(total, Decimal)
    assert total == D(result)


def test_a_balance_applies_the_adjustments_to_the_entitlement():
    result = balance(D("6"), [D("2"), D("-0.5")], [], [])
    assert result == Balance(entitled=D("7.5"), allocated=D("0"), delivered=D("0"))


def test_a_balance_is_never_entitled_to_less_than_nothing():
    assert balance(D("2"), [D("-3")], [], []).entitled == 0


# What is left -----------------------------------------------------------------------------------


def test_with_nothing_allocated_or_delivered_the_whole_entitlement_is_left_and_unallocated():
    result = balance(D("6"), [], [], [])
    assert (result.allocated, result.delivered) == (0, 0)
    assert result.remaining == D("6")
    assert result.unallocated == D("6")
    assert not result.over_allocated
    assert not result.over_delivered


def test_remaining_is_the_entitlement_less_what_has_been_delivered():
    result = balance(D("6"), [D("1")], [D("5")], [D("1.5"), D("2")])
    assert result.delivered == D("3.5")
    assert result.remaining == D("3.5")


def test_remaining_is_never_below_zero_when_more_was_delivered_than_entitled():
    result = balance(D("2"), [], [D("2")], [D("1.5"), D("1.5")])
    assert result.remaining == 0
    assert result.over_delivered


def test_delivering_exactly_the_entitlement_leaves_nothing_and_is_not_over_delivery():
    result = balance(D("2"), [], [D("2")], [D("1"), D("1")])
    assert result.remaining == 0
    assert not result.over_delivered


def test_unallocated_is_the_entitlement_less_every_allocation():
    result = balance(D("6"), [D("-1")], [D("2"), D("1.5")], [])
    assert result.allocated == D("3.5")
    assert result.unallocated == D("1.5")
    assert not result.over_allocated


def test_allocating_exactly_the_entitlement_is_not_over_allocation():
    result = balance(D("6"), [], [D("4"), D("2")], [])
    assert result.unallocated == 0
    assert not result.over_allocated


def test_allocating_more_than_the_entitlement_is_over_allocation_shown_as_a_negative_unallocated():
    result = balance(D("6"), [], [D("4"), D("2.5")], [])
    assert result.over_allocated
    assert result.unallocated == D("-0.5")


def test_an_adjustment_down_can_leave_existing_allocations_over_allocated():
    result = balance(D("6"), [D("-2")], [D("5")], [])
    assert result.entitled == D("4")
    assert result.over_allocated


def test_balances_accept_any_iterable_such_as_a_generator():
    result = balance(D("6"), (D(a) for a in ["1"]), (D(a) for a in ["2", "2"]), (D(a) for a in ["0.5"]))
    assert (result.entitled, result.allocated, result.delivered) == (D("7"), D("4"), D("0.5"))


# Partners ---------------------------------------------------------------------------------------


def test_a_partner_with_no_allocations_has_all_their_capacity_spare():
    load = partner_load(D("20"), [])
    assert load.allocated == 0
    assert load.spare == D("20")
    assert not load.over_allocated


def test_a_partner_spare_capacity_is_capacity_less_allocations():
    load = partner_load(D("20"), [D("6"), D("4.5")])
    assert load.allocated == D("10.5")
    assert load.spare == D("9.5")
    assert not load.over_allocated


def test_a_partner_allocated_exactly_their_capacity_is_full_but_not_over_allocated():
    load = partner_load(D("10"), [D("6"), D("4")])
    assert load.spare == 0
    assert not load.over_allocated


def test_a_partner_allocated_half_a_day_over_capacity_is_over_allocated():
    load = partner_load(D("10"), [D("6"), D("4.5")])
    assert load.spare == D("-0.5")
    assert load.over_allocated


# Exact decimals ---------------------------------------------------------------------------------


def test_tenths_of_a_day_add_up_exactly():
    # 0.1 + 0.1 + 0.1 in floats is 0.30000000000000004, which would look over-allocated.
    result = balance(D("0.3"), [], [D("0.1")] * 3, [D("0.1")] * 3)
    assert result.unallocated == 0
    assert not result.over_allocated
    assert result.remaining == 0
    assert not result.over_delivered
    load = partner_load(D("0.3"), [D("0.1")] * 3)
    assert load.spare == 0
    assert not load.over_allocated


def test_every_figure_is_a_decimal():
    result = balance(D("6"), [D("0.5")], [D("2")], [D("1")])
    figures = [result.entitled, result.allocated, result.delivered, result.remaining, result.unallocated]
    assert all(isinstance(figure, Decimal) for figure in figures)
    load = partner_load(D("10"), [D("2")])
    assert isinstance(load.spare, Decimal)
    assert isinstance(load.allocated, Decimal)
    assert all(isinstance(value, Decimal) for value in [prorate(D("7"), 4, 6), prorate(D("7"), 0, 6)])
    assert all(isinstance(value, Decimal) for value in [balance(D("0"), [], [], []).remaining, entitled(D("1"), [])])


def test_a_float_is_refused_rather_than_mixed_into_decimal_days():
    with pytest.raises(TypeError):
        balance(D("6"), [], [0.1], [])
    with pytest.raises(TypeError):
        partner_load(D("6"), [0.1])
