"""Quarter on quarter figures the authority keeps itself (seed 004: "Reduce permanent exclusions and
the numbers of children in part time placements – quarter on quarter reporting").

DfE publishes neither figure by quarter, so officers record the authority's own counts. Quarters are
calendar quarters (January to March, April to June, July to September, October to December), not
financial-year quarters nor school terms. Plain Python: the page and the monthly report both read
their quarters and changes from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

PERMANENT_EXCLUSIONS = "permanent_exclusions"
PART_TIME_PLACEMENTS = "part_time_placements"
MEASURES = {
    PERMANENT_EXCLUSIONS: "Permanent exclusions",
    PART_TIME_PLACEMENTS: "Children in part-time placements",
}


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, named by its first day."""

    start: date

    def __post_init__(self):
        if self.start.day != 1 or self.start.month not in (1, 4, 7, 10):
            raise ValueError(f"{self.start} does not start a calendar quarter")

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(date(day.year, 3 * ((day.month - 1) // 3) + 1, 1))

    @property
    def label(self) -> str:
        """'October to December 2026'."""
        first = self.start.month - 1
        return f"{MONTHS[first]} to {MONTHS[first + 2]} {self.start.year}"

    @property
    def previous(self) -> Quarter:
        if self.start.month == 1:
            return Quarter(date(self.start.year - 1, 10, 1))
        return Quarter(self.start.replace(month=self.start.month - 3))

    @property
    def end(self) -> date:
        following = (
            date(self.start.year + 1, 1, 1)
            if self.start.month == 10
            else self.start.replace(month=self.start.month + 3)
        )
        return date.fromordinal(following.toordinal() - 1)


def recent(today: date, count: int) -> list[Quarter]:
    """This quarter and the ``count - 1`` before it, newest first: the quarters a figure can be
    recorded for."""
    found = [Quarter.of(today)]
    while len(found) < count:
        found.append(found[-1].previous)
    return found


def last_ended(day: date) -> Quarter:
    """The latest quarter that had ended by ``day`` (inclusive of a quarter ending that day)."""
    quarter = Quarter.of(day)
    return quarter if quarter.end == day else quarter.previous


@dataclass(frozen=True)
class Change:
    """How a quarter's count moved from the previous quarter's: up, down or the same, and by how
    much; unknown when either quarter is not recorded."""

    now: int | None
    before: int | None

    @property
    def direction(self) -> str:
        if self.now is None or self.before is None:
            return ""
        if self.now == self.before:
            return "same"
        return "up" if self.now > self.before else "down"

    @property
    def amount(self) -> int | None:
        return None if self.direction == "" else abs(self.now - self.before)

    def __str__(self) -> str:
        if self.direction == "":
            return "Previous quarter not recorded" if self.before is None else "Not recorded"
        if self.direction == "same":
            return "Same (0)"
        return f"{self.direction.capitalize()} {self.amount}"


@dataclass(frozen=True)
class Recorded:
    """One recorded count: the quarter's first day, the measure and the count."""

    quarter: date
    measure: str
    count: int


def counts(rows: list[Recorded], measure: str) -> dict[Quarter, int]:
    return {Quarter(r.quarter): r.count for r in rows if r.measure == measure}


def change_on_previous(rows: list[Recorded], measure: str, quarter: Quarter) -> Change:
    held = counts(rows, measure)
    return Change(held.get(quarter), held.get(quarter.previous))
