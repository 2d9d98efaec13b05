"""The English school year in half-terms, as plain Python.

Term dates are set by each authority; these defaults follow the common pattern and are stored
per academic year, where officers can change them. Bank holidays come from the maintained
``holidays`` package (England's, or Wales's), computed offline.

Default half-terms (start year Y), every start moved past weekends and bank holidays:
* Autumn 1: 2 September Y, to the Friday before the last Monday of October (half-term week);
* Autumn 2: the Monday after October half-term, to the last Friday before 21 December;
* Spring 1: the first Monday on or after 2 January, to the Friday before the half-term week,
  which starts on the Monday between 15 and 21 February;
* Spring 2: the Monday after February half-term, to the day before Good Friday when Easter is
  early (Good Friday by 10 April), or the Friday a week before Good Friday when it is late;
* Summer 1: the Monday at least two weeks after spring ends, to the Friday before the late May
  bank holiday;
* Summer 2: the Monday after the late May half-term, to the Friday between 16 and 22 July.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from dateutil.easter import easter

NAMES = ["Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2"]


@dataclass(frozen=True)
class HalfTerm:
    number: int
    name: str
    starts: date
    ends: date

    def __contains__(self, day: date) -> bool:
        return self.starts <= day <= self.ends


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_before(day: date, weekday: int) -> date:
    """The last given weekday strictly before ``day``."""
    back = (day.weekday() - weekday) % 7 or 7
    return day - timedelta(days=back)


def _last_weekday_of(year: int, month: int, weekday: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def bank_holidays(years: list[int], region: str = "ENG") -> set[date]:
    return set(holidays.country_holidays("GB", subdiv=region, years=years))


MONDAY, FRIDAY = 0, 4


def england_half_terms(start_year: int, region: str = "ENG") -> list[HalfTerm]:
    """The default half-terms of the academic year that starts in ``start_year``."""
    y, n = start_year, start_year + 1
    closed = bank_holidays([y, n], region)

    def open_day(day: date) -> date:
        while day.weekday() >= 5 or day in closed:
            day += timedelta(days=1)
        return day

    autumn_starts = open_day(date(y, 9, 2))
    october_break = _last_weekday_of(y, 10, MONDAY)
    autumn1 = (autumn_starts, october_break - timedelta(days=3))
    autumn2 = (october_break + timedelta(days=7), _weekday_before(date(y, 12, 21), FRIDAY))

    spring_starts = open_day(_weekday_on_or_after(date(n, 1, 2), MONDAY))
    february_break = _weekday_on_or_after(date(n, 2, 15), MONDAY)
    spring1 = (spring_starts, february_break - timedelta(days=3))
    good_friday = easter(n) - timedelta(days=2)
    spring2_ends = good_friday - timedelta(days=1) if good_friday <= date(n, 4, 10) else good_friday - timedelta(days=7)
    spring2 = (february_break + timedelta(days=7), spring2_ends)

    summer_starts = open_day(_weekday_on_or_after(spring2_ends + timedelta(days=14), MONDAY))
    late_may = _last_weekday_of(n, 5, MONDAY)
    summer1 = (summer_starts, late_may - timedelta(days=3))
    summer2 = (late_may + timedelta(days=7), _weekday_before(date(n, 7, 23), FRIDAY))

    spans = [autumn1, autumn2, spring1, spring2, summer1, summer2]
    return [HalfTerm(i + 1, NAMES[i], start, end) for i, (start, end) in enumerate(spans)]


def half_term_of(day: date, half_terms: list[HalfTerm]) -> HalfTerm | None:
    """The half-term a day falls in; in a holiday, the half-term that follows it."""
    for half_term in half_terms:
        if day <= half_term.ends:
            return half_term
    return None


def october_half_term(half_terms: list[HalfTerm]) -> date:
    """The first day of the October half-term holiday: 'by October half-term' means before it."""
    return half_terms[0].ends + timedelta(days=1)


def fraction_remaining(day: date, half_terms: list[HalfTerm]) -> tuple[int, int]:
    """Half-terms left in the year from ``day`` (counting the one it falls in), and of how many."""
    current = half_term_of(day, half_terms)
    if current is None:
        return 0, len(half_terms)
    return len(half_terms) - current.number + 1, len(half_terms)
