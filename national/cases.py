"""The case work of the data set's years, as an LA and its advisory board would have recorded it.

* Category decisions on the active framework every year or two for every school, from the
  evidence of the day (its latest inspection and its quality), with each school's standing
  pointing at its latest decision.
* The advisory board meets on the first Thursday of each month of term; its members attend.
* A priority list in every academic year, drawn from about one school in eleven (maintained
  schools, the weaker the likelier, and the reason from the school's Ofsted standing at the
  time): agreed at the October meeting, carried forward at the July review, schools added and
  removed in year, with the board's decisions; for each school on the list a support package with
  its allocations to the school's priority partner, adjustments, visits, an action plan with
  actions and deadlines, and progress meetings with their actions.
* Warning notices, and monthly schools-causing-concern meetings with their actions.
* Intelligence notes from the last year about one school in ten.

The numbers scale with the number of schools: at 22,000 about 2,000 schools have ever been on the
list and about 720 are on it in a year.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from statistics import NormalDist
from typing import Any

from accounts.models import SchoolAssignment
from boards.models import (
    Attendance,
    BoardMeeting,
    ConcernAction,
    ConcernMeeting,
    Decision,
    PriorityEntry,
    WarningNotice,
)
from categorisation.models import CategoryDecision, SchoolCategory
from national.draws import Ids, day_between, moment, nth_weekday, weekday
from national.inspections import Inspections
from national.people import People
from national.register import PlannedSchool
from national.support import package
from national.writing import Writer
from schools.models import IntelligenceNote
from support.models import (
    Action,
    ActionPlan,
    Allocation,
    EntitlementAdjustment,
    Meeting,
    MeetingAction,
    Priority,
    SupportPackage,
    Visit,
)

SUPPORTED_PER_22000 = 2000  # schools ever on the priority list
LIST_SHARE = 0.36  # of those on the list in a year
CARRY_SHARE = 0.55
REMOVED_SHARE = 0.12
IN_YEAR_SHARE = 0.10
NOT_ADDED_SHARE = 0.04
NOTICES_PER_SCHOOL_YEAR = 0.0015
CONCERN_ACTIONS_PER_22000 = 10
NOTE_SHARE = 0.10
TERM_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7)
BOARD_WEEKDAY = 3  # Thursday
# The need for support each Ofsted standing adds (1 outstanding … 4 inadequate; none yet: 0).
STANDING_NEED = {1: -0.6, 2: 0.0, 3: 0.9, 4: 1.8, None: 0.0}
NOTES = {
    "leadership": "Leadership capacity stretched: the deputy headteacher is acting up.",
    "new_headteacher": "An acting headteacher has been in post since the start of term.",
    "staffing": "Long-term vacancies in year 6 and maths, covered by agency staff.",
    "governance": "The chair of governors has resigned; the vice-chair is acting chair.",
    "finance": "Projected deficit at year end reported in the budget monitoring return.",
    "hr": "HR casework involving a senior leader; advice given by the schools HR team.",
    "safeguarding": "Safeguarding audit returned late; follow-up visit arranged with the designated lead.",
    "complaints": "Parental complaints about SEND provision this half-term, one escalated to the LA.",
}
NOTE_SOURCES = ["Finance team", "Governor services", "Priority partner visit", "Schools HR", "Complaints team"]


@dataclass(frozen=True)
class CategoryTerms:
    """A category of the active framework version and what it entitles a school to."""

    code: str
    pk: int
    adviser_days: Decimal
    teaching_adviser_days: Decimal
    progress_meetings: Decimal
    brokered: bool


@dataclass
class Casebook:
    """What the parts of the case work share."""

    writer: Writer
    people: People
    schools: list[PlannedSchool]
    inspections: Inspections
    as_of: date
    first_year: int  # the first academic year with a priority list
    current_year: int
    framework: int
    version: int
    categories: list[CategoryTerms]  # by rank, the least support first
    ids: Ids = field(default_factory=Ids)
    timelines: dict[int, tuple[list[date], list[str]]] = field(default_factory=dict)
    meetings: dict[date, int] = field(default_factory=dict)  # board meeting day → id
    by_pk: dict[int, PlannedSchool] = field(default_factory=dict)
    partner_spans: dict[int, tuple[date, date | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_pk = {s.pk: s for s in self.schools}
        self.terms = {c.code: c for c in self.categories}

    def category_on(self, school: int, day: date) -> str | None:
        days, codes = self.timelines.get(school, ([], []))
        at = bisect.bisect_right(days, day)
        return codes[at - 1] if at else None

    def meeting_between(self, rng: random.Random, first: date, last: date) -> date | None:
        days = [d for d in self.meetings if first <= d <= last]
        return rng.choice(days) if days else None


def supported_pool(rng: random.Random, schools: list[PlannedSchool], *, size: int) -> list[PlannedSchool]:
    """The maintained schools that are ever on the priority list: the weaker, the likelier."""
    candidates = [s for s in schools if s.maintained]
    ranked = sorted(candidates, key=lambda s: s.quality + rng.gauss(0, 0.7))
    return sorted(ranked[:size], key=lambda s: s.pk)


def pool_size(schools: int) -> int:
    return max(10, round(schools * SUPPORTED_PER_22000 / 22000))


# Categories ------------------------------------------------------------------------------------


def category_decisions(rng: random.Random, book: Casebook, window_start: date) -> None:
    """Every school's decisions on the active framework, every year or two, and its standing."""
    count = len(book.categories)
    weights = [0.35**rank for rank in range(count)]
    spread = (0.64 + 0.36 + 0.3) ** 0.5
    unit = NormalDist(0, spread)
    reached, cuts = 0.0, []
    for weight in weights[:-1]:
        reached += weight / sum(weights)
        cuts.append(unit.inv_cdf(reached))
    decisions, standings = [], []
    for school in book.schools:
        end = min(book.as_of, school.closed or book.as_of)
        first = max(window_start, school.opened)
        day = weekday(day_between(rng, first, first + timedelta(days=300)))
        previous: str | None = None
        days, codes = [], []
        while day <= end:
            need = -0.8 * school.quality + 0.6 * rng.gauss(0, 1)
            need += STANDING_NEED[book.inspections.standing_on(school.pk, day)]
            code = book.categories[bisect.bisect_right(cuts, need)].code
            kind = rng.choices(
                [CategoryDecision.Kind.AGREED, CategoryDecision.Kind.OVERRIDDEN, CategoryDecision.Kind.BOARD],
                [0.85, 0.1, 0.05],
            )[0]
            decisions.append(
                {
                    "id": book.ids("category decision"),
                    "school_id": school.pk,
                    "framework_id": book.framework,
                    "version_id": book.version,
                    "category_id": book.terms[code].pk,
                    "previous_id": book.terms[previous].pk if previous else None,
                    "kind": kind,
                    "rationale": "" if kind == "agreed" else "Agreed at the categorisation meeting on the evidence.",
                    "decided_by_id": book.people.officer_for(rng, school.la_pk),
                    "decided_at": moment(day, rng),
                }
            )
            days.append(day)
            codes.append(code)
            previous = code
            day = weekday(day + timedelta(days=rng.randint(300, 900)))
        book.timelines[school.pk] = (days, codes)
        if codes:
            standings.append(
                {
                    "id": len(standings) + 1,
                    "school_id": school.pk,
                    "framework_id": book.framework,
                    "category_id": book.terms[codes[-1]].pk,
                    "decision_id": decisions[-1]["id"],
                    "pending": False,
                }
            )
    book.writer.rows(CategoryDecision, decisions)
    book.writer.rows(SchoolCategory, standings)


# The board ------------------------------------------------------------------------------------


def board_meetings(rng: random.Random, book: Casebook) -> None:
    """The advisory board's monthly meetings, and who attended those held."""
    meetings, attendance = [], []
    for year in range(book.first_year, book.current_year + 1):
        for month in TERM_MONTHS:
            day = nth_weekday(year if month >= 9 else year + 1, month, BOARD_WEEKDAY)
            held = day <= book.as_of
            pk = len(meetings) + 1
            book.meetings[day] = pk
            meetings.append(
                {
                    "id": pk,
                    "meets_on": day,
                    "status": BoardMeeting.Status.HELD if held else BoardMeeting.Status.SCHEDULED,
                    "minutes": "Minutes agreed at the next meeting." if held else "",
                    "created_by_id": book.people.clerk,
                }
            )
            if held:
                for member in book.people.board:
                    attendance.append(
                        {
                            "id": len(attendance) + 1,
                            "meeting_id": pk,
                            "member_id": member,
                            "present": rng.random() < 0.85,
                        }
                    )
    book.writer.rows(BoardMeeting, meetings)
    book.writer.rows(Attendance, attendance)


def _meeting_on_or_after(book: Casebook, day: date) -> date:
    later = [d for d in book.meetings if d >= day]
    return min(later) if later else day


class _Rows(dict):
    """Rows to write, by model."""

    def add(self, model, row: dict[str, Any]) -> None:
        self.setdefault(model, []).append(row)


def priority_lists(rng: random.Random, book: Casebook, pool: list[PlannedSchool]) -> None:
    """The priority list of every academic year with the board's decisions and each listed
    school's support; warning notices; the schools-causing-concern meetings; and each supported
    school's link to its priority partner."""
    rows = _Rows()
    pool_ids = [s.pk for s in pool]
    target = max(4, round(len(pool) * LIST_SHARE))
    still_listed: list[int] = []

    def decision(school: int, year: int, kind: str, day: date, rationale: str, **extra: Any) -> int:
        pk = book.ids("decision")
        rows.add(
            Decision,
            {
                "id": pk,
                "school_id": school,
                "meeting_id": book.meetings.get(day),
                "academic_year": year,
                "kind": kind,
                "rationale": rationale,
                "decided_by_id": book.people.officer_for(rng, book.by_pk[school].la_pk),
                "decided_at": moment(day, rng),
                "communicated_on": day + timedelta(days=rng.randint(1, 10)) if kind in ("add", "remove") else None,
                **extra,
            },
        )
        return pk

    def open_on(school: int, day: date) -> bool:
        return book.by_pk[school].open_on(day)

    for year in range(book.first_year, book.current_year + 1):
        agreed = nth_weekday(year, 10, BOARD_WEEKDAY)  # the board agrees the year's list in October
        review = nth_weekday(year, 7, BOARD_WEEKDAY)  # the review of last year's list, in July
        year_end = date(year + 1, 7, 22)
        carried = [s for s in still_listed if open_on(s, agreed) and rng.random() < CARRY_SHARE]
        for s in still_listed:
            if s not in carried:
                decision(s, year, Decision.Kind.NO_CHANGE, review, "Progress secured: not carried forward.")
        listed = set(carried)
        fresh = [s for s in pool_ids if s not in listed and open_on(s, agreed)]
        rng.shuffle(fresh)
        annual = fresh[: max(0, round(target * (1 - IN_YEAR_SHARE)) - len(carried))]
        in_year = fresh[len(annual) : len(annual) + round(target * IN_YEAR_SHARE)]
        not_added = fresh[len(annual) + len(in_year) : len(annual) + len(in_year) + round(target * NOT_ADDED_SHARE)]
        entries: list[tuple[int, str, date]] = [(s, PriorityEntry.Source.CARRIED_FORWARD, review) for s in carried]
        entries += [(s, PriorityEntry.Source.ANNUAL, agreed) for s in annual]
        for s in in_year:
            added = book.meeting_between(rng, date(year, 11, 1), date(year + 1, 6, 30))
            if added is not None:
                entries.append((s, PriorityEntry.Source.IN_YEAR, added))
        still_listed = []
        for school, source, added in entries:
            if added > book.as_of:
                continue
            reason = _reason(rng, book.inspections.standing_on(school, added))
            removed = None
            if rng.random() < REMOVED_SHARE:
                removed = book.meeting_between(rng, max(added, agreed) + timedelta(days=60), year_end)
                if removed is not None and removed > book.as_of:
                    removed = None
            rows.add(
                PriorityEntry,
                {
                    "id": book.ids("entry"),
                    "school_id": school,
                    "academic_year": year,
                    "reason": reason,
                    "evidence": _evidence(reason),
                    "status": PriorityEntry.Status.REMOVED if removed else PriorityEntry.Status.ON_LIST,
                    "source": source,
                    "proposed_on": added - timedelta(days=14),
                    "added_on": added,
                    "removed_on": removed,
                },
            )
            decision(school, year, Decision.Kind.ADD, added, "Agreed by the board.", reason=reason)
            if removed:
                decision(
                    school,
                    year,
                    Decision.Kind.REMOVE,
                    removed,
                    "The removal criterion is met.",
                    removal_criterion_met=True,
                )
            else:
                still_listed.append(school)
            starts = max(added, date(year, 9, 1))
            span = book.partner_spans.get(school)
            book.partner_spans[school] = (span[0] if span else starts, removed or date(year + 1, 8, 31))
            package(rng, book, rows.add, school, year, starts, removed)
        for school in not_added:
            rows.add(
                PriorityEntry,
                {
                    "id": book.ids("entry"),
                    "school_id": school,
                    "academic_year": year,
                    "reason": PriorityEntry.Reason.OFSTED_RI,
                    "status": PriorityEntry.Status.NOT_ADDED,
                    "source": PriorityEntry.Source.ANNUAL,
                    "proposed_on": agreed - timedelta(days=14),
                },
            )
            decision(school, year, Decision.Kind.NO_CHANGE, agreed, "Not added: the school has capacity to improve.")
        _notices(rng, book, rows, pool_ids, year, decision)
    _concern_meetings(rng, book, rows, pool_ids)
    for school in still_listed:  # on the list now: the partner's link has no end
        book.partner_spans[school] = (book.partner_spans[school][0], None)
    for school, (starts, ends) in sorted(book.partner_spans.items()):
        book.people.assignments.append(
            {
                "user_id": book.people.partner_of[school],
                "school_id": school,
                "relationship": SchoolAssignment.Relationship.PRIORITY_PARTNER,
                "starts_on": starts,
                "ends_on": ends if ends is None or ends <= book.as_of else None,
                "assigned_by_id": book.people.officer_for(rng, book.by_pk[school].la_pk),
            }
        )
    for model in (
        PriorityEntry,
        Decision,
        WarningNotice,
        ConcernMeeting,
        ConcernAction,
        SupportPackage,
        EntitlementAdjustment,
        Allocation,
        Visit,
        ActionPlan,
        Priority,
        Action,
        Meeting,
        MeetingAction,
    ):
        book.writer.rows(model, rows.get(model, []))


def _reason(rng: random.Random, standing: int | None) -> str:
    """Why the school is on the list, from its Ofsted standing when it was added."""
    if standing == 4:
        return PriorityEntry.Reason.OFSTED_CONCERN
    if standing == 3:
        return PriorityEntry.Reason.OFSTED_RI
    return rng.choices(
        [PriorityEntry.Reason.VULNERABLE, PriorityEntry.Reason.IN_CRISIS, PriorityEntry.Reason.SELF_REFERRAL],
        [0.6, 0.25, 0.15],
    )[0]


def _evidence(reason: str) -> str:
    return {
        PriorityEntry.Reason.OFSTED_CONCERN: "Judged inadequate at the latest inspection.",
        PriorityEntry.Reason.OFSTED_RI: "Requires improvement at the latest inspection.",
        PriorityEntry.Reason.VULNERABLE: "Outcomes below national two years running; leadership changes.",
        PriorityEntry.Reason.IN_CRISIS: "Headteacher absent; leadership needs urgent stabilising.",
        PriorityEntry.Reason.SELF_REFERRAL: "The headteacher asked for support.",
    }[reason]


def _notices(rng: random.Random, book: Casebook, rows: _Rows, pool: list[int], year: int, decision) -> None:
    """The year's warning notices, each recommended by the board: most issued and closed one way
    or another; a few open."""
    for _ in range(max(1, round(len(book.schools) * NOTICES_PER_SCHOOL_YEAR))):
        school = rng.choice(pool)
        issued = weekday(day_between(rng, date(year, 9, 10), date(year + 1, 7, 10)))
        recommended = _meeting_on_or_after(book, issued - timedelta(days=40))
        if recommended > min(book.as_of, issued) or not book.by_pk[school].open_on(issued):
            continue
        row: dict[str, Any] = {
            "id": book.ids("notice"),
            "school_id": school,
            "decision_id": decision(
                school, year, Decision.Kind.RECOMMEND_WARNING_NOTICE, recommended, "Standards are unacceptably low."
            ),
            "rationale": "Standards of performance are unacceptably low.",
            "grounds": ["low_standards"],
            "recommended_on": recommended,
            # The steps' dates run in order (boards.notices.ORDER): the DCS responds after the board's meeting.
            "dcs_response_on": max(recommended, issued - timedelta(days=7)),
            "created_at": moment(recommended, rng),
            "updated_at": moment(min(book.as_of, issued), rng),
        }
        if issued > book.as_of or rng.random() < 0.15:
            row["status"] = rng.choice((WarningNotice.Status.RECOMMENDED, WarningNotice.Status.DECLINED))
            if row["status"] == WarningNotice.Status.RECOMMENDED:
                row["dcs_response_on"] = None
            rows.add(WarningNotice, row)
            continue
        deadline = issued + timedelta(days=21)
        row.update(issued_on=issued, compliance_period_days=21, compliance_deadline=deadline, status="issued")
        if deadline + timedelta(days=60) < book.as_of or rng.random() < 0.5:
            outcome = rng.choices(("complied", "lifted", "escalated"), (0.65, 0.2, 0.15))[0]
            on = max(issued, min(book.as_of, deadline + timedelta(days=rng.randint(-5, 60))))
            row["status"] = outcome
            row[f"{outcome}_on"] = on
            if outcome == "escalated":
                row["escalation"] = WarningNotice.Escalation.IEB
        rows.add(WarningNotice, row)


def _concern_meetings(rng: random.Random, book: Casebook, rows: _Rows, pool: list[int]) -> None:
    """The monthly schools-causing-concern meeting, each with its actions."""
    per_meeting = max(2, round(CONCERN_ACTIONS_PER_22000 * len(book.schools) / 22000))
    month = date(book.first_year, 9, 1)
    while month <= book.as_of:
        held = nth_weekday(month.year, month.month, 1)
        month = (month + timedelta(days=32)).replace(day=1)
        if held > book.as_of:
            break
        meeting = book.ids("concern meeting")
        rows.add(
            ConcernMeeting,
            {
                "id": meeting,
                "held_on": held,
                "attendees": "Finance, HR, governor services",
                "created_by_id": book.people.clerk,
            },
        )
        for _ in range(per_meeting):
            deadline = held + timedelta(days=rng.randint(14, 60))
            rows.add(
                ConcernAction,
                {
                    "id": book.ids("concern action"),
                    "meeting_id": meeting,
                    "school_id": rng.choice(pool) if rng.random() < 0.9 else None,
                    "description": "Follow up with the school.",
                    "owner": rng.choice(["Finance", "HR", "Governor services"]),
                    "deadline": deadline,
                    "done": deadline < book.as_of and rng.random() < 0.93,
                },
            )


# Intelligence ----------------------------------------------------------------------------------


def notes(rng: random.Random, book: Casebook) -> None:
    """Notes from the last year about one open school in ten; more about the weaker ones."""
    rows = []
    areas = sorted(NOTES)
    for school in book.schools:
        if not school.open_on(book.as_of) or rng.random() >= NOTE_SHARE * (1.5 if school.quality < -1 else 1):
            continue
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            area = rng.choice(areas)
            noted = book.as_of - timedelta(days=rng.randrange(365))
            rows.append(
                {
                    "id": len(rows) + 1,
                    "school_id": school.pk,
                    "area": area,
                    "noted_on": noted,
                    "source": rng.choice(NOTE_SOURCES),
                    "risk_grade": rng.choices(("low", "medium", "high"), (0.5, 0.35, 0.15))[0],
                    "visibility": rng.choices(("restricted", "partner", "school"), (0.6, 0.3, 0.1))[0],
                    "text": NOTES[area],
                    "author_id": book.people.officer_for(rng, school.la_pk),
                    "created_at": moment(noted, rng),
                }
            )
    book.writer.rows(IntelligenceNote, rows)
