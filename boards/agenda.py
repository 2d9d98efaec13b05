"""Why a school belongs on a board meeting's agenda, as plain Python.

A school is on the agenda when something is new since the board last reviewed it — a new
inspection, a category change or a proposal awaiting agreement, new performance data, overdue
actions in its plan, a self-referral, a partner's escalation — or when the board has not
reviewed it for ``stale_weeks`` weeks. Schools proposed for the priority list and never
reviewed are always on it. A school under a formal warning notice is on it when the notice
moved on since the last review or its compliance deadline falls before the next meeting; a school
on the list that now meets the removal criterion, when inspected since the last review.

The agenda is ranked by what needs a decision (``kind_of``): escalations, warning notices,
self-referrals, removal suggestions, new additions, then anything else new; the schools there only
because the board has not reviewed them for a while are routine reviews, agreed together in one
consent list, from which any member may pull a school out to decide on its own.
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
    WARNING_NOTICE = "warning_notice"
    REMOVAL = "removal"
    FIRST_REVIEW = "first_review"
    NOT_REVIEWED = "not_reviewed"


ADDED = "added"  # an item an officer added, with their reason
PULLED = "pulled"  # a routine review pulled out of the consent list, to be decided on its own


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
    warning_notices: list[Dated] = field(default_factory=list)
    removal: Dated | None = None  # the removal criterion met: when inspected, and why


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
    for item in _since(news.warning_notices, last):
        found.append(Reason(News.WARNING_NOTICE, f"Formal warning notice: {item.text}"))
    if news.on_list and news.removal and (last is None or news.removal.on > last):
        found.append(Reason(News.REMOVAL, f"Meets the removal criterion: {news.removal.text}"))
    if news.proposed and last is None:
        found.append(Reason(News.PROPOSED, "Proposed for the priority list"))
    if news.on_list and not found:
        if last is None:
            found.append(Reason(News.FIRST_REVIEW, "On the priority list, not yet reviewed by the board"))
        elif (meeting_on - last).days >= stale_weeks * 7:
            weeks = (meeting_on - last).days // 7
            plural = "s" if weeks != 1 else ""
            found.append(Reason(News.NOT_REVIEWED, f"Not reviewed for {weeks} week{plural} (last on {_day(last)})"))
    return found


# Ranking the agenda ------------------------------------------------------------------------------------


class Kind(StrEnum):
    """What an agenda item asks of the board, in the order the agenda takes them."""

    ESCALATION = "escalation"
    WARNING_NOTICE = "warning_notice"
    SELF_REFERRAL = "self_referral"
    REMOVAL = "removal"
    ADDITION = "addition"
    OTHER = "other"
    ROUTINE = "routine"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.ESCALATION: "Escalations",
    Kind.WARNING_NOTICE: "Warning notices",
    Kind.SELF_REFERRAL: "Self-referrals",
    Kind.REMOVAL: "Removal suggestions",
    Kind.ADDITION: "New additions",
    Kind.OTHER: "Other items needing a decision",
    Kind.ROUTINE: "Routine reviews",
}
# The first news kind an item has decides where it goes.
_FIRST_MATCH = [
    (News.ESCALATION, Kind.ESCALATION),
    (News.WARNING_NOTICE, Kind.WARNING_NOTICE),
    (News.SELF_REFERRAL, Kind.SELF_REFERRAL),
    (News.REMOVAL, Kind.REMOVAL),
    (News.PROPOSED, Kind.ADDITION),
]


def kind_of(kinds: list[str]) -> Kind:
    """Where an agenda item with these kinds of news goes: the most pressing kind it has; a routine
    review when it is there only because the board has not reviewed it for a while (and was not
    pulled out of the consent list); anything else new (an inspection, data, overdue actions, a
    school added by an officer or never reviewed) needs a decision of its own."""
    for news, kind in _FIRST_MATCH:
        if news in kinds:
            return kind
    if kinds and set(kinds) == {News.NOT_REVIEWED}:
        return Kind.ROUTINE
    return Kind.OTHER


def headline(kinds: list[str], texts: list[str]) -> str:
    """The reason that puts an item where it is on the agenda (``kinds`` and ``texts`` side by side, as
    generated), for a one-line summary; the first reason when none is more pressing."""
    for news, _kind in _FIRST_MATCH:
        for kind, text in zip(kinds, texts, strict=False):
            if kind == news:
                return text
    return texts[0] if texts else ""


def rank(kind: Kind) -> int:
    """The place of a kind on the agenda: 0 first."""
    return list(Kind).index(kind)


# What the board may decide -------------------------------------------------------------------------

DECISIONS = [
    "add",
    "remove",
    "change_support",
    "letter_of_concern",
    "recommend_warning_notice",
    "agree_category",
    "no_change",
]  # boards.models.Decision.Kind, in the order the form offers them


def decisions_offered(*, on_list: bool | None, categories: bool) -> list[str]:
    """The decisions the board may record about a school: adding it to the priority list only when it
    is not on it, removing it only when it is (``None``: not known, both); agreeing its category only
    where the board agrees categories (seed 004)."""
    leave_out = set()
    if on_list is True:
        leave_out.add("add")
    if on_list is False:
        leave_out.add("remove")
    if not categories:
        leave_out.add("agree_category")
    return [kind for kind in DECISIONS if kind not in leave_out]


def fortnightly(first: date, until: date, school_days: list[tuple[date, date]]) -> list[date]:
    """Every other week from ``first`` to ``until``, skipping dates that fall in a holiday
    (outside every half-term given as (starts, ends))."""
    found, day = [], first
    while day <= until:
        if any(starts <= day <= ends for starts, ends in school_days):
            found.append(day)
        day = date.fromordinal(day.toordinal() + 14)
    return found
