"""The default school year in half-terms (support/calendar.py), checked against real dates.

Years covered: 2024/25 and 2027/28 have a late Easter (20 April 2025, 16 April 2028); 2025/26 and
2026/27 an early one (5 April 2026, 28 March 2027). Bank holidays are the published gov.uk list,
written out here so the tests do not only compare the ``holidays`` package with itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from core.calendar import academic_year_of
from support.calendar import (
    NAMES,
    bank_holidays,
    england_half_terms,
    fraction_remaining,
    half_term_of,
    october_half_term,
)

MONDAY, THURSDAY, FRIDAY = 0, 3, 4
YEARS = [2024, 2025, 2026, 2027]
REGIONS = ["ENG", "WLS"]

# England and Wales bank holidays on weekdays, 2024 to 2028, as published on gov.uk.
PUBLISHED_BANK_HOLIDAYS = {
    2024: {"01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"},
    2025: {"01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"},
    2026: {"01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"},
    2027: {"01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"},
    2028: {"01-03", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"},
}
BANK_HOLIDAYS = {date.fromisoformat(f"{year}-{day}") for year, days in PUBLISHED_BANK_HOLIDAYS.items() for day in days}

GOOD_FRIDAY = {2024: date(2025, 4, 18), 2025: date(2026, 4, 3), 2026: date(2027, 3, 26), 2027: date(2028, 4, 14)}
EARLY_EASTER_YEARS = [2025, 2026]
LATE_EASTER_YEARS = [2024, 2027]

# The six (first day, last day) pairs each year, worked out by hand from the rules in the
# module's docstring.
EXPECTED = {
    2024: [
        ("2024-09-02", "2024-10-25"),
        ("2024-11-04", "2024-12-20"),
        ("2025-01-06", "2025-02-14"),
        ("2025-02-24", "2025-04-11"),
        ("2025-04-28", "2025-05-23"),
        ("2025-06-02", "2025-07-18"),
    ],
    2025: [
        ("2025-09-02", "2025-10-24"),
        ("2025-11-03", "2025-12-19"),
        ("2026-01-05", "2026-02-13"),
        ("2026-02-23", "2026-04-02"),
        ("2026-04-20", "2026-05-22"),
        ("2026-06-01", "2026-07-17"),
    ],
    2026: [
        ("2026-09-02", "2026-10-23"),
        ("2026-11-02", "2026-12-18"),
        ("2027-01-04", "2027-02-12"),
        ("2027-02-22", "2027-03-25"),
        ("2027-04-12", "2027-05-28"),
        ("2027-06-07", "2027-07-16"),
    ],
    2027: [
        ("2027-09-02", "2027-10-22"),
        ("2027-11-01", "2027-12-17"),
        ("2028-01-04", "2028-02-18"),
        ("2028-02-28", "2028-04-07"),
        ("2028-04-24", "2028-05-26"),
        ("2028-06-05", "2028-07-21"),
    ],
}


def d(text: str) -> date:
    return date.fromisoformat(text)


def weekdays_between(first: date, last: date) -> int:
    """Weekdays from ``first`` to ``last``, both included."""
    return sum(1 for n in range((last - first).days + 1) if (first + timedelta(days=n)).weekday() < 5)


def last_monday_of(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    while day.weekday() != MONDAY:
        day -= timedelta(days=1)
    return day


@pytest.fixture(params=YEARS, ids=lambda year: f"{year}-{(year + 1) % 100:02d}")
def year(request) -> int:
    return request.param


@pytest.fixture(params=REGIONS)
def half_terms(request, year):
    return england_half_terms(year, region=request.param)


# Bank holidays ----------------------------------------------------------------------------------


@pytest.mark.parametrize("region", REGIONS)
def test_bank_holidays_on_weekdays_are_the_published_ones(region):
    found = bank_holidays(list(PUBLISHED_BANK_HOLIDAYS), region)
    assert {day for day in found if day.weekday() < 5} == BANK_HOLIDAYS


# Shape of every year ----------------------------------------------------------------------------


def test_each_year_has_the_six_half_terms_by_name_and_number(half_terms):
    assert [(half_term.number, half_term.name) for half_term in half_terms] == list(enumerate(NAMES, start=1))
    assert NAMES == ["Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2"]


def test_the_default_dates_are_the_ones_worked_out_by_hand(half_terms, year):
    assert [(h.starts.isoformat(), h.ends.isoformat()) for h in half_terms] == EXPECTED[year]


def test_half_terms_run_in_order_without_overlapping_and_with_a_holiday_between_them(half_terms):
    for half_term in half_terms:
        assert half_term.starts < half_term.ends
    for earlier, later in pairwise(half_terms):
        assert later.starts - earlier.ends >= timedelta(days=3)  # at least a weekend between
        assert earlier.ends not in later
        assert later.starts not in earlier


def test_each_half_term_starts_on_a_weekday_that_is_not_a_bank_holiday(half_terms):
    for half_term in half_terms:
        assert half_term.starts.weekday() < 5, half_term
        assert half_term.starts not in BANK_HOLIDAYS, half_term


def test_each_half_term_ends_on_a_friday_except_before_an_early_easter(half_terms, year):
    for half_term in half_terms:
        if half_term.name == "Spring 2" and year in EARLY_EASTER_YEARS:
            assert half_term.ends == GOOD_FRIDAY[year] - timedelta(days=1)
            assert half_term.ends.weekday() == THURSDAY
        else:
            assert half_term.ends.weekday() == FRIDAY, half_term


def test_no_half_term_ends_on_a_bank_holiday(half_terms):
    assert not {half_term.ends for half_term in half_terms} & BANK_HOLIDAYS


def test_autumn_starts_on_2_september_when_it_is_a_weekday(half_terms, year):
    assert half_terms[0].starts == date(year, 9, 2)


def test_the_october_half_term_week_starts_on_the_last_monday_of_october(half_terms, year):
    autumn1, autumn2 = half_terms[0], half_terms[1]
    half_term_monday = last_monday_of(year, 10)
    assert autumn1.ends == half_term_monday - timedelta(days=3)
    assert autumn2.starts == half_term_monday + timedelta(days=7)


def test_autumn_ends_on_the_last_friday_before_21_december(half_terms, year):
    ends = half_terms[1].ends
    assert ends.weekday() == FRIDAY
    assert date(year, 12, 14) <= ends <= date(year, 12, 20)


def test_spring_starts_on_the_first_school_day_of_the_week_after_new_year(half_terms, year):
    starts = half_terms[2].starts
    monday = starts - timedelta(days=starts.weekday())
    assert date(year + 1, 1, 2) <= monday <= date(year + 1, 1, 8)
    assert all(monday + timedelta(days=n) in BANK_HOLIDAYS for n in range(starts.weekday()))


def test_the_february_half_term_week_starts_between_15_and_21_february(half_terms, year):
    spring1, spring2 = half_terms[2], half_terms[3]
    half_term_monday = spring1.ends + timedelta(days=3)
    assert half_term_monday.weekday() == MONDAY
    assert date(year + 1, 2, 15) <= half_term_monday <= date(year + 1, 2, 21)
    assert spring2.starts == half_term_monday + timedelta(days=7)


def test_spring_2_ends_before_good_friday(half_terms, year):
    assert half_terms[3].ends < GOOD_FRIDAY[year]


def test_the_spring_break_is_at_least_two_weeks_and_covers_easter(half_terms, year):
    spring2, summer1 = half_terms[3], half_terms[4]
    first_day_off, last_day_off = spring2.ends + timedelta(days=1), summer1.starts - timedelta(days=1)
    assert summer1.starts - spring2.ends >= timedelta(days=14)
    assert weekdays_between(first_day_off, last_day_off) >= 10
    good_friday = GOOD_FRIDAY[year]
    easter_monday = good_friday + timedelta(days=3)
    assert first_day_off <= good_friday
    assert easter_monday <= last_day_off


@pytest.mark.parametrize("start_year", EARLY_EASTER_YEARS)
def test_with_an_early_easter_spring_2_ends_on_the_thursday_before_good_friday(start_year):
    spring2 = england_half_terms(start_year)[3]
    assert spring2.ends == GOOD_FRIDAY[start_year] - timedelta(days=1)


@pytest.mark.parametrize("start_year", LATE_EASTER_YEARS)
def test_with_a_late_easter_spring_2_ends_on_the_friday_a_week_before_good_friday(start_year):
    spring2 = england_half_terms(start_year)[3]
    assert spring2.ends == GOOD_FRIDAY[start_year] - timedelta(days=7)


@pytest.mark.parametrize(
    ("start_year", "good_friday", "spring2_ends"),
    [
        (2019, date(2020, 4, 10), date(2020, 4, 9)),  # Good Friday on 10 April is still early
        (2030, date(2031, 4, 11), date(2031, 4, 4)),  # on 11 April it is late
    ],
)
def test_easter_counts_as_early_when_good_friday_is_by_10_april(start_year, good_friday, spring2_ends):
    assert england_half_terms(start_year)[3].ends == spring2_ends
    assert spring2_ends < good_friday


def test_summer_1_ends_on_the_friday_before_the_late_may_bank_holiday(half_terms, year):
    summer1, summer2 = half_terms[4], half_terms[5]
    late_may = last_monday_of(year + 1, 5)
    assert late_may in BANK_HOLIDAYS
    assert summer1.ends == late_may - timedelta(days=3)
    assert summer2.starts == late_may + timedelta(days=7)


def test_summer_2_ends_on_the_friday_between_16_and_22_july(half_terms, year):
    ends = half_terms[5].ends
    assert ends.weekday() == FRIDAY
    assert date(year + 1, 7, 16) <= ends <= date(year + 1, 7, 22)


@pytest.mark.parametrize(
    ("start_year", "summer_ends"),
    [
        (2021, date(2022, 7, 22)),  # 22 July on a Friday is the last day
        (2026, date(2027, 7, 16)),  # 16 July on a Friday is the last day
    ],
)
def test_summer_2_can_end_on_16_or_on_22_july(start_year, summer_ends):
    assert england_half_terms(start_year)[5].ends == summer_ends


def test_wales_has_the_same_default_half_terms_as_england(year):
    assert england_half_terms(year, region="WLS") == england_half_terms(year, region="ENG")


# Starts moved past weekends and bank holidays ---------------------------------------------------


def test_autumn_starts_on_the_monday_when_2_september_is_a_saturday():
    assert date(2028, 9, 2).weekday() == 5
    assert england_half_terms(2028)[0].starts == date(2028, 9, 4)


@pytest.mark.parametrize(
    ("start_year", "bank_holiday", "spring_starts"),
    [
        (2022, date(2023, 1, 2), date(2023, 1, 3)),  # New Year's Day on a Sunday
        (2027, date(2028, 1, 3), date(2028, 1, 4)),  # New Year's Day on a Saturday
    ],
)
def test_spring_starts_on_the_tuesday_when_the_monday_is_the_new_year_bank_holiday(
    start_year, bank_holiday, spring_starts
):
    assert bank_holiday in bank_holidays([start_year + 1])
    assert england_half_terms(start_year)[2].starts == spring_starts


# Which half-term a day is in --------------------------------------------------------------------


@pytest.fixture
def year_2025():
    return england_half_terms(2025)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2025, 9, 2), "Autumn 1"),  # first day
        (date(2025, 10, 24), "Autumn 1"),  # last day
        (date(2025, 10, 27), "Autumn 2"),  # October half-term week
        (date(2025, 12, 1), "Autumn 2"),
        (date(2025, 12, 25), "Spring 1"),  # Christmas holiday
        (date(2026, 1, 5), "Spring 1"),
        (date(2026, 2, 16), "Spring 2"),  # February half-term week
        (date(2026, 4, 2), "Spring 2"),  # the Thursday before Good Friday
        (date(2026, 4, 3), "Summer 1"),  # Good Friday
        (date(2026, 4, 20), "Summer 1"),
        (date(2026, 5, 25), "Summer 2"),  # late May half-term week
        (date(2026, 7, 17), "Summer 2"),  # last day of the year
    ],
)
def test_a_day_is_in_its_half_term_or_in_a_holiday_the_half_term_after_it(year_2025, day, name):
    half_term = half_term_of(day, year_2025)
    assert half_term is not None
    assert half_term.name == name


@pytest.mark.parametrize("day", [date(2026, 7, 18), date(2026, 8, 10), date(2026, 8, 31)])
def test_no_half_term_is_left_in_the_summer_holiday(year_2025, day):
    assert half_term_of(day, year_2025) is None


def test_a_day_before_the_year_starts_is_in_the_first_half_term(year_2025):
    assert half_term_of(date(2025, 9, 1), year_2025).name == "Autumn 1"


def test_october_half_term_starts_the_day_after_autumn_1_ends(year_2025):
    starts = october_half_term(year_2025)
    assert starts == date(2025, 10, 25)  # the Saturday after the last Friday of Autumn 1
    assert starts == year_2025[0].ends + timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "before_october_half_term"),
    [
        (date(2025, 9, 2), True),
        (date(2025, 10, 24), True),  # the last school day of Autumn 1
        (date(2025, 10, 25), False),
        (date(2025, 10, 27), False),  # the Monday of half-term week
        (date(2025, 11, 3), False),  # the first day of Autumn 2
    ],
)
def test_by_october_half_term_means_on_or_before_the_last_day_of_autumn_1(year_2025, day, before_october_half_term):
    assert (day < october_half_term(year_2025)) is before_october_half_term


@pytest.mark.parametrize(
    ("day", "left"),
    [
        (date(2025, 8, 20), 6),  # before the year starts
        (date(2025, 9, 15), 6),  # Autumn 1
        (date(2025, 10, 28), 5),  # October half-term
        (date(2025, 11, 20), 5),  # Autumn 2
        (date(2026, 1, 1), 4),  # Christmas holiday
        (date(2026, 1, 20), 4),  # Spring 1
        (date(2026, 3, 10), 3),  # Spring 2
        (date(2026, 4, 10), 2),  # Easter holiday
        (date(2026, 5, 1), 2),  # Summer 1
        (date(2026, 6, 15), 1),  # Summer 2
        (date(2026, 7, 17), 1),  # the last day
        (date(2026, 7, 30), 0),  # summer holiday
    ],
)
def test_the_fraction_of_the_year_left_counts_the_half_term_a_day_is_in(year_2025, day, left):
    assert fraction_remaining(day, year_2025) == (left, 6)


@pytest.mark.parametrize(
    ("day", "start_year"),
    [
        (date(2025, 8, 31), 2024),
        (date(2025, 9, 1), 2025),
        (date(2025, 12, 31), 2025),
        (date(2026, 1, 1), 2025),
        (date(2026, 7, 31), 2025),
    ],
)
def test_the_academic_year_starts_on_1_september(day, start_year):
    assert academic_year_of(day) == start_year
