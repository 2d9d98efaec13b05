"""Why a school belongs on a board meeting's agenda, as plain Python.

A school is on the agenda when something is new since the board last reviewed it — a new
inspection, a category change or a proposal awaiting agreement, new performance data, overdue
actions in its plan, a self-referral, a partner's escalation — or when the board has not
reviewed it for ``stale_weeks`` weeks. Schools proposed for the priority list and never
reviewed are always on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

DEFAULT_STALE_WEEKS = 8


class News(StrEnum):
    INSPECTION = "inspection"
    CATEGORY = "category"
    PROPOSAL = "proposal"
    DATA = "data"
    OVERDUE = "overdue"
    SELF_REFERRAL = "self_referral"
    ESCALATION = "escalation"
    PROPOSED = "proposed"
    NOT_REVIEWED = "not_reviewed"


@dataclass(frozen=True)
class Dated:
    on: date
    text: str


@dataclass
class SchoolNews:
    """What is known about one school, as of the meeting."""

    school_id: int
    last_reviewed: date | None = None
    on_list: bool = False
    proposed: bool = False
    inspections: list[Dated] = field(default_factory=list)
    category_changes: list[Dated] = field(default_factory=list)
    proposal_waiting: Dated | None = None
    data: list[Dated] = field(default_factory=list)
    overdue_actions: int = 0
    self_referrals: list[Dated] = field(default_factory=list)
    escalations: list[Dated] = field(default_factory=list)


@dataclass(frozen=True)
class Reason:
    kind: News
    text: str


def _since(items: list[Dated], last: date | None) -> list[Dated]:
    return [i for i in items if last is None or i.on > last]


def _day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def reasons(news: SchoolNews, meeting_on: date, *, stale_weeks: int = DEFAULT_STALE_WEEKS) -> list[Reason]:
    """Why the school is on the agenda of the meeting on ``meeting_on``; empty if it is not."""
    last = news.last_reviewed
    found: list[Reason] = []
    for item in _since(news.inspections, last):
        found.append(Reason(News.INSPECTION, f"New inspection, {_day(item.on)}: {item.text}"))
    for item in _since(news.category_changes, last):
        found.append(Reason(News.CATEGORY, f"Category changed on {_day(item.on)}: {item.text}"))
    if news.proposal_waiting and (last is None or news.proposal_waiting.on > last):
        found.append(Reason(News.PROPOSAL, f"Category proposal awaiting agreement: {news.proposal_waiting.text}"))
    data = _since(news.data, last)
    if data:
        found.append(Reason(News.DATA, "New data: " + "; ".join(item.text for item in data)))
    if news.overdue_actions:
        plural = "s" if news.overdue_actions != 1 else ""
        found.append(Reason(News.OVERDUE, f"{news.overdue_actions} overdue action{plural} in the plan"))
    for item in _since(news.self_referrals, last):
        found.append(Reason(News.SELF_REFERRAL, f"Self-referral, {_day(item.on)}: {item.text}"))
    for item in _since(news.escalations, last):
        found.append(Reason(News.ESCALATION, f"Escalated by the priority partner, {_day(item.on)}: {item.text}"))
    if news.proposed and last is None:
        found.append(Reason(News.PROPOSED, "Proposed for the priority list"))
    if news.on_list and not found:
        if last is None:
            found.append(Reason(News.NOT_REVIEWED, "On the priority list, not yet reviewed by the board"))
        elif (meeting_on - last).days >= stale_weeks * 7:
            weeks = (meeting_on - last).days // 7
            plural = "s" if weeks != 1 else ""
            found.append(Reason(News.NOT_REVIEWED, f"Not reviewed for {weeks} week{plural} (last on {_day(last)})"))
    return found


def fortnightly(first: date, until: date, school_days: list[tuple[date, date]]) -> list[date]:
    """Every other week from ``first`` to ``until``, skipping dates that fall in a holiday
    (outside every half-term given as (starts, ends))."""
    found, day = [], first
    while day <= until:
        if any(starts <= day <= ends for starts, ends in school_days):
            found.append(day)
        day = date.fromordinal(day.toordinal() + 14)
    return found
