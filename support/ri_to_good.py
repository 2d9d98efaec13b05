"""Oxfordshire's "RI to meet the criteria for Good within four terms" (seed 003, section 4), as
plain Python: the target date counted in terms of the academic calendar, and where a school
stands against it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from support.calendar import HalfTerm

TERMS_TO_GOOD = 4
TERM_NAMES = ("Autumn", "Spring", "Summer")


@dataclass(frozen=True)
class Term:
    name: str
    starts: date
    ends: date


def terms_of(half_terms: list[HalfTerm]) -> list[Term]:
    """A year's three terms from its six half-terms: autumn 1 and 2, spring 1 and 2, summer 1 and 2."""
    ordered = sorted(half_terms, key=lambda h: h.number)
    return [
        Term(f"{TERM_NAMES[i]} {first.starts.year}", first.starts, second.ends)
        for i, (first, second) in enumerate(zip(ordered[::2], ordered[1::2], strict=True))
    ]


def target_date(inspected: date, terms: list[Term], count: int = TERMS_TO_GOOD) -> date | None:
    """The last day of the ``count``-th term that starts after ``inspected``: the term the
    inspection falls in does not count, and an inspection published in a holiday counts from the
    term that follows. None when ``terms`` does not reach that far."""
    after = sorted((t for t in terms if t.starts > inspected), key=lambda t: t.starts)
    return after[count - 1].ends if len(after) >= count else None


class Status:
    MET = "met"
    OVERDUE = "overdue"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NOT_REVIEWED = "not_reviewed"


LABELS = {
    Status.MET: "Meets the criteria for Good",
    Status.OVERDUE: "Overdue",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.NOT_REVIEWED: "Not reviewed yet",
}


def status(*, target: date | None, today: date, improved: bool, judgements: list[str]) -> str:
    """Where a school stands: met when a later inspection is Good or better (``improved``) or an
    officer's review found it meets the criteria for Good; overdue once past the target and not
    met; otherwise what the latest review judged (``judgements``, newest first)."""
    if improved or "meets_good" in judgements:
        return Status.MET
    if target is not None and today > target:
        return Status.OVERDUE
    return judgements[0] if judgements else Status.NOT_REVIEWED
