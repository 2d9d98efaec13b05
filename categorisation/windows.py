"""When a school's next Ofsted inspection is expected, as plain Python (DESIGN §6).

Good and outstanding schools (old grades) have an ungraded inspection about every four years;
a school that requires improvement has a graded inspection within 30 months; the statutory
maximum is the end of the fifth academic year after the last inspection; and no inspection
starts before the sixth school day of the autumn term. Every interval is a parameter
(``InspectionPolicy``), not a constant.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from core.calendar import academic_year_of
from schools import ofsted


@dataclass(frozen=True)
class InspectionPolicy:
    """Months after the last full inspection in which the next one is expected, by outcome."""

    good_earliest_months: int = 36
    good_latest_months: int = 60
    requires_improvement_earliest_months: int = 12
    requires_improvement_latest_months: int = 30
    concern_earliest_months: int = 3
    concern_latest_months: int = 30
    new_school_earliest_months: int = 24
    new_school_latest_months: int = 36
    statutory_academic_years: int = 5
    autumn_term_starts: tuple[int, int] = (9, 2)  # month, day: the first school day, roughly
    earliest_school_day: int = 6

    @classmethod
    def from_dict(cls, values: dict) -> InspectionPolicy:
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        if "autumn_term_starts" in known:
            known["autumn_term_starts"] = tuple(known["autumn_term_starts"])
        return cls(**known)


class Status(StrEnum):
    NOT_YET = "not yet open"
    OPEN = "open"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Window:
    earliest: date
    latest: date
    basis: str  # why these dates, in words

    def status(self, on: date) -> Status:
        if on < self.earliest:
            return Status.NOT_YET
        if on <= self.latest:
            return Status.OPEN
        return Status.OVERDUE

    def overlaps(self, start: date, end: date) -> bool:
        return self.earliest <= end and self.latest >= start


@lru_cache(maxsize=16384)  # pure, and asked for the same few thousand days again and again
def long_date(day: date) -> str:
    """8 July 2020, as GOV.UK writes dates."""
    return f"{day.day} {day:%B %Y}"


@lru_cache(maxsize=16384)
def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def statutory_deadline(last: date, policy: InspectionPolicy) -> date:
    """The end of the fifth academic year after the one the last inspection fell in."""
    return date(academic_year_of(last) + policy.statutory_academic_years + 1, 8, 31)


@lru_cache(maxsize=16384)
def first_inspection_day(year: int, policy: InspectionPolicy) -> date:
    """The sixth school day of the autumn term that starts in ``year`` (weekdays from its start)."""
    month, day = policy.autumn_term_starts
    current = date(year, month, day)
    while current.weekday() >= 5:
        current += timedelta(days=1)
    counted = 1
    while counted < policy.earliest_school_day:
        current += timedelta(days=1)
        if current.weekday() < 5:
            counted += 1
    return current


def _not_in_first_school_days(day: date, policy: InspectionPolicy) -> date:
    """A date from 1 September up to the sixth school day moves to the sixth school day."""
    year = academic_year_of(day)
    first = first_inspection_day(year, policy)
    return first if date(year, 9, 1) <= day < first else day


def _band(inspection: ofsted.InspectionFacts) -> str:
    """Which interval applies after this inspection: good, requires improvement or concern."""
    if inspection.category_of_concern:
        return "concern"
    if inspection.shape == ofsted.Shape.GRADED:
        return {1: "good", 2: "good", 3: "requires_improvement", 4: "concern"}[inspection.overall_effectiveness]
    if inspection.shape == ofsted.Shape.REPORT_CARD:
        grades = [g for g in inspection.report_card.values() if g is not None]
        if ofsted.URGENT_IMPROVEMENT in grades or inspection.safeguarding_met is False:
            return "concern"
        return "requires_improvement" if ofsted.NEEDS_ATTENTION in grades else "good"
    worst = max((g for g in inspection.key_judgements.values() if g is not None), default=2)
    return {4: "concern", 3: "requires_improvement"}.get(worst, "good")


_BASIS = {
    "good": "good or better at the last inspection",
    "requires_improvement": "improvement required at the last inspection",
    "concern": "a category of concern or inadequate at the last inspection",
}


def next_window(
    inspections: tuple[ofsted.InspectionFacts, ...] | list[ofsted.InspectionFacts],
    *,
    open_date: date | None,
    policy: InspectionPolicy,
) -> Window | None:
    """The expected window of the next inspection, or None when nothing tells us."""
    last = ofsted.latest_full(list(inspections))
    if last is None:
        if open_date is None:
            return None
        return Window(
            _not_in_first_school_days(add_months(open_date, policy.new_school_earliest_months), policy),
            add_months(open_date, policy.new_school_latest_months),
            f"a new school opened on {long_date(open_date)} with no inspection yet",
        )
    band = _band(last)
    earliest_months = getattr(policy, f"{band}_earliest_months")
    latest_months = getattr(policy, f"{band}_latest_months")
    latest = min(add_months(last.start_date, latest_months), statutory_deadline(last.start_date, policy))
    earliest = min(_not_in_first_school_days(add_months(last.start_date, earliest_months), policy), latest)
    return Window(earliest, latest, f"{_BASIS[band]} on {long_date(last.start_date)}")


def term_of(day: date) -> tuple[str, date, date]:
    """The school term a day falls in (autumn, spring, summer) with its first and last days.

    Term dates differ between authorities; these are the boundaries the academic calendar
    refines: autumn September to December, spring January to Easter (March), summer April
    to August.
    """
    if day.month >= 9:
        return "Autumn", date(day.year, 9, 1), date(day.year, 12, 31)
    if day.month <= 3:
        return "Spring", date(day.year, 1, 1), date(day.year, 3, 31)
    return "Summer", date(day.year, 4, 1), date(day.year, 8, 31)


def next_term(day: date) -> tuple[str, date, date]:
    _, _, end = term_of(day)
    return term_of(end + timedelta(days=1))
