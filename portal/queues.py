"""Each role's home page as a work queue: every item waiting for the person's action, with its due
date (or how long it has waited), the most urgent first, grouped by kind under a short heading with
its count, each a link to the page where it is done (issue 23).

The queue is assembled from plain items (``Item``) by plain functions: ``ordered`` and ``grouped``
decide the order without a database, and each role's function reads one kind of item in one query
(its count and first rows together: ``first_of``), so a home page's queries do not grow with the
number of items. ``count_for`` is the number the service navigation shows beside "Home", kept in
the cache for ``WORK_QUEUE_COUNT_SECONDS`` so that other pages do not run the queue's queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from accounts.authorities import current_authority_id
from accounts.models import Role
from boards import agenda, deadlines
from boards.models import (
    AgendaItem,
    BoardMeeting,
    Decision,
    Escalation,
    Letter,
    LetterKind,
    PriorityEntry,
    WarningNotice,
)
from boards.selectors import schools_for_board_member
from categorisation.models import SchoolCategory
from categorisation.selectors import active_framework
from reporting.models import MonthlyReport
from schools import selectors as school_selectors
from schools.models import ImportRun
from schools.templatetags.portal import register_home_count
from support import reminders
from support import selectors as support
from support.models import ActionPlan, SelfReferral, Visit, VisitReport

# By the school's name, read from this year's few entries: nulls first (a name is never null, so the order
# is the same) is an order the index on the schools' names cannot give, so the database starts from the
# entries instead of walking every school of the register by name to find the listed ones.
BY_SCHOOL_NAME = F("school__name").asc(nulls_first=True)

# How many items of a kind the home page lists; "See all" leads to the rest.
SHOWN = 5
# What counts as coming up: a plan, a notice's compliance deadline or a visit within two weeks.
SOON = timedelta(days=14)


class Urgency:
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    DUE = "due"
    WAITING = "waiting"


@dataclass(frozen=True)
class Item:
    """One thing to do: what, for which school, due when (or waiting since when), and where."""

    title: str
    url: str
    school: str = ""
    due: date | None = None
    since: date | None = None

    def urgency(self, today: date) -> str:
        if self.due is None:
            return Urgency.WAITING
        if self.due < today:
            return Urgency.OVERDUE
        return Urgency.DUE_SOON if self.due <= today + SOON else Urgency.DUE


def _sort_key(item: Item) -> tuple:
    """Overdue first (the longest overdue first), then by due date, then undated items newest first."""
    if item.due is not None:
        return (0, item.due.toordinal(), item.title)
    return (1, -(item.since.toordinal() if item.since else 0), item.title)


def ordered(items: Iterable[Item]) -> list[Item]:
    return sorted(items, key=_sort_key)


@dataclass
class Group:
    """The items of one kind: how many there are in all, the first few, and where to see the rest."""

    heading: str
    count: int
    items: list[Item]
    see_all: str = ""
    position: int = 0
    today: date = field(default_factory=timezone.localdate)

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0)

    @property
    def rows(self) -> list[tuple[Item, str]]:
        """Each item shown with its urgency on the day, for the page's status tags."""
        return [(item, item.urgency(self.today)) for item in self.items]


@dataclass
class Queue:
    groups: list[Group] = field(default_factory=list)
    today: date = field(default_factory=timezone.localdate)

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups)

    def add(self, heading: str, items: Iterable[Item], count: int | None = None, see_all: str = "") -> None:
        found = ordered(items)
        total = len(found) if count is None else count
        if total:
            self.groups.append(Group(heading, total, found[:SHOWN], see_all, len(self.groups), self.today))

    def grouped(self) -> list[Group]:
        """The groups, the one with the most urgent first item first (ties keep the order added)."""
        return sorted(self.groups, key=lambda g: (*_sort_key(g.items[0]), g.position) if g.items else (2,))

    def urgent(self) -> int:
        """How many of the items shown are overdue."""
        return sum(1 for g in self.groups for i in g.items if i.urgency(self.today) == Urgency.OVERDUE)


def first_of(queryset: QuerySet, n: int = SHOWN) -> tuple[list, int]:
    """The first ``n`` rows and how many there are in all, in one query (a window count)."""
    rows = list(queryset.annotate(queue_total=Window(Count("pk")))[:n])
    return rows, (rows[0].queue_total if rows else 0)


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def _url(name: str, *args, query: dict | None = None, anchor: str = "") -> str:
    url = reverse(name, args=args)
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


# The LA officer and administrator --------------------------------------------------------------------


# The overdue kinds the officer's queue lists from the proposals, plans, notices and partners it
# reads itself (with those still to come); the others come from the overdue list as they are.
OWN_KINDS = {deadlines.PLAN, deadlines.STATEMENT, deadlines.LIST, deadlines.NOTICE, deadlines.PARTNER, deadlines.LETTER}


# The queries of the officer's queue besides the overdue list's (``boards.deadlines.QUERIES``, whose
# calendar it shares): the active framework, and one for each of the ten kinds it reads itself.
OFFICER_QUERIES = 1 + 10


def officer_queue(
    today: date | None = None,
    overdue: list[deadlines.Overdue] | None = None,
    now: deadlines.Today | None = None,
    counts: dict[str, int] | None = None,
) -> Queue:
    """The officer's and administrator's work: proposals to decide and agree, self-referrals, plans,
    notices, escalations, partners to name, letters, reports to quality-assure, failed imports and
    every other deadline passed (``boards.deadlines``)."""
    now = now or deadlines.Today.of(today or timezone.localdate())
    today = now.day
    if overdue is None:
        found = deadlines.first_overdue(now, SHOWN)
        overdue, counts = found.items, found.counts
    queue = Queue(today=today)
    october = now.october_half_term

    rows, n = first_of(
        SchoolCategory.objects.filter(framework=active_framework(), pending=True)
        .select_related("school", "proposed")
        .order_by("-updated_at", "pk")
    )
    queue.add(
        "Category proposals to decide",
        (
            Item(
                f"Proposed: {row.proposed.label if row.proposed else 'no category'}",
                _url("categorisation:decide", row.school.urn),
                row.school.name,
                since=_day(row.updated_at),
            )
            for row in rows
        ),
        n,
        _url("categorisation:queue"),
    )

    rows, n = first_of(
        PriorityEntry.objects.filter(academic_year=now.year, status=PriorityEntry.Status.PROPOSED)
        .select_related("school")
        .order_by(BY_SCHOOL_NAME)
    )
    queue.add(
        "Priority list proposals to agree",
        (
            Item(
                f"Proposed for the list: {row.get_reason_display()}",
                _url("boards:agree-list"),
                row.school.name,
                october,
            )
            for row in rows
        ),
        n,
        _url("boards:list", query={"status": PriorityEntry.Status.PROPOSED}),
    )

    rows, n = first_of(SelfReferral.objects.filter(status=SelfReferral.Status.NEW).select_related("school"))
    queue.add(
        "New self-referrals",
        (
            Item(
                "Self-referral to consider",
                _url("support:consider-referral", r.pk),
                r.school.name,
                since=_day(r.submitted_at),
            )
            for r in rows
        ),
        n,
        _url("support:self-referrals"),
    )

    late_plans = [o for o in overdue if o.kind in (deadlines.PLAN, deadlines.STATEMENT)]
    rows, n = first_of(
        ActionPlan.objects.filter(academic_year=now.year, due_by__gte=today, due_by__lte=today + SOON)
        .exclude(status=ActionPlan.Status.AGREED)
        .select_related("school")
        .order_by("due_by", "pk")
    )
    queue.add(
        "Action plans overdue or due soon",
        [Item(o.what, o.link, o.school.name, o.due) for o in late_plans]
        + [
            Item(
                f"{p.get_kind_display()} {p.get_status_display().lower()}, to agree",
                _url("support:plan", p.school.urn),
                p.school.name,
                p.due_by,
            )
            for p in rows
        ],
        _overdue_count(late_plans, counts, deadlines.PLAN, deadlines.STATEMENT) + n,
    )

    late_notices = [o for o in overdue if o.kind == deadlines.NOTICE]
    rows, n = first_of(
        WarningNotice.objects.filter(
            status=WarningNotice.Status.ISSUED, compliance_deadline__gte=today, compliance_deadline__lte=today + SOON
        )
        .select_related("school")
        .order_by("compliance_deadline", "pk")
    )
    queue.add(
        "Warning notice compliance deadlines",
        [Item("Compliance deadline passed", o.link, o.school.name, o.due) for o in late_notices]
        + [
            Item("Compliance deadline coming up", _url("boards:notice", w.pk), w.school.name, w.compliance_deadline)
            for w in rows
        ],
        _overdue_count(late_notices, counts, deadlines.NOTICE) + n,
        _url("boards:notices"),
    )

    rows, n = first_of(Escalation.objects.filter(status=Escalation.Status.OPEN).select_related("school"))
    queue.add(
        "Escalations waiting",
        (
            Item("Escalation to consider", _url("boards:escalation", e.pk), e.school.name, since=e.raised_on)
            for e in rows
        ),
        n,
        _url("boards:escalations"),
    )

    rows, n = first_of(
        PriorityEntry.objects.filter(academic_year=now.year, status=PriorityEntry.Status.ON_LIST)
        .exclude(support.has_named_partner("school", today))
        .select_related("school")
        .order_by(BY_SCHOOL_NAME)
    )
    queue.add(
        "Priority schools with no partner",
        (
            Item(
                "Name a priority partner",
                _url("support:partners", anchor="priority-without-partner"),
                e.school.name,
                october,
            )
            for e in rows
        ),
        n,
        _url("boards:list", query={"partner": "none"}),
    )

    # The annual letters are due by October half-term (the overdue list's "Priority letter", which the
    # queue does not list again); other letters wait from when they were written.
    annual = Q(kind__in=[LetterKind.PRIORITY, LetterKind.NOT_PRIORITY], academic_year=now.year)
    rows, n = first_of(
        Letter.objects.filter(sent_on__isnull=True)
        .annotate(annual=Case(When(annual, then=Value(0)), default=Value(1)))
        .select_related("school")
        .order_by("annual", "-created_at", "-pk")
    )
    queue.add(
        "Letters to send",
        (
            Item(
                letter.get_kind_display(),
                letter.get_absolute_url(),
                letter.school.name,
                october if letter.annual == 0 else None,
                since=letter.dated,
            )
            for letter in rows
        ),
        n,
        _url("boards:letters"),
    )

    rows, n = first_of(support.quality_assurance_queue())
    queue.add(
        "Visit reports to quality-assure",
        (
            Item(
                "Report to quality-assure",
                _url("support:quality", r.visit_id),
                r.visit.school.name,
                since=_day(r.responded_at),
            )
            for r in rows
        ),
        n,
        _url("support:quality-assurance"),
    )

    rows, n = first_of(failed_imports())
    queue.add(
        "Failed imports",
        (
            Item(
                f"{run.get_kind_display()}: {run.file_name}",
                _url("schools:import-detail", run.pk),
                since=_day(run.queued_at),
            )
            for run in rows
        ),
        n,
        _url("schools:imports"),
    )

    # ``counts``: how many of each kind, where ``overdue`` holds the first of them (``deadlines.first_overdue``).
    for group in deadlines.by_kind([o for o in overdue if o.kind not in OWN_KINDS], counts):
        queue.add(
            group.kind,
            (Item(o.what, o.link, o.school.name, o.due) for o in group.items),
            group.count,
            see_all="#overdue",
        )
    return queue


def _overdue_count(items: list[deadlines.Overdue], counts: dict[str, int] | None, *kinds: str) -> int:
    """How many items of these kinds are overdue: ``counts``' where ``items`` are the first of them."""
    return len(items) if counts is None else sum(counts.get(kind, 0) for kind in kinds)


def failed_imports(days: int = 30) -> QuerySet[ImportRun]:
    """Imports that failed in the last ``days`` (not cancelled ones) with no later import of the same
    kind that succeeded: a file still to put right."""
    since = timezone.now() - timedelta(days=days)
    later = ImportRun.objects.filter(
        kind=OuterRef("kind"), status=ImportRun.Status.SUCCEEDED, queued_at__gt=OuterRef("queued_at")
    )
    return (
        school_selectors.recent_imports()
        .filter(status=ImportRun.Status.FAILED, cancelled=False, queued_at__gte=since)
        .exclude(Exists(later))
        .order_by("-queued_at", "-pk")
    )


# The priority partner ------------------------------------------------------------------------------------


def partner_queue(user, today: date | None = None, caseload: list | None = None) -> Queue:
    """The partner's work: visits to hold and to record, reports to write, the heads' responses not
    yet read, and the plans of their schools to draft or update (from the caseload's annotations)."""
    today = today or timezone.localdate()
    queue = Queue(today=today)
    mine = Visit.objects.filter(visitor=user).select_related("school")

    rows, n = first_of(
        mine.filter(status=Visit.Status.SCHEDULED, scheduled_for__lte=today + SOON).order_by("scheduled_for", "pk")
    )
    queue.add(
        "Visits to hold",
        (
            Item(
                "Visit not recorded as held" if v.scheduled_for < today else f"Visit: {v.purpose}",
                v.get_absolute_url(),
                v.school.name,
                v.scheduled_for,
            )
            for v in rows
        ),
        n,
        _url("support:caseload"),
    )

    rows, n = first_of(
        mine.filter(status=Visit.Status.HELD)
        .exclude(Exists(VisitReport.objects.filter(visit=OuterRef("pk"))))
        .order_by("-held_on", "-pk")
    )
    queue.add(
        "Visits held without a report",
        (Item("Write the visit report", v.get_absolute_url(), v.school.name, since=v.held_on) for v in rows),
        n,
    )

    reports = VisitReport.objects.filter(author=user).select_related("visit__school")
    rows, n = first_of(reports.filter(status=VisitReport.Status.DRAFT).order_by("-updated_at", "-pk"))
    queue.add(
        "Reports to finish",
        (
            Item(
                f"Draft report, version {r.version}" if r.version > 1 else "Draft report",
                r.visit.get_absolute_url(),
                r.visit.school.name,
                since=_day(r.updated_at),
            )
            for r in rows
        ),
        n,
    )

    rows, n = first_of(
        reports.filter(responded_at__isnull=False, response_seen_at__isnull=True)
        .exclude(status=VisitReport.Status.SUPERSEDED)
        .order_by("-responded_at", "-pk")
    )
    queue.add(
        "The head responded",
        (
            Item(
                f"The head responded: {r.get_head_response_display().lower()}",
                r.visit.get_absolute_url(),
                r.visit.school.name,
                since=_day(r.responded_at),
            )
            for r in rows
        ),
        n,
    )

    plans = [s for s in (caseload if caseload is not None else support.caseload(user, today)) if _plan_to_do(s, today)]
    queue.add(
        "Action plans to draft or update",
        (
            Item(
                "Start the action plan" if not s.plan_status else "Update the action plan to agree it",
                _url("support:plan", s.urn),
                s.name,
                s.plan_due or s.missing_plan_due,
            )
            for s in plans
        ),
    )
    return queue


def _plan_to_do(school, today: date) -> bool:
    """A caseload school whose plan is not agreed and is overdue or due within two weeks."""
    if school.plan_status == ActionPlan.Status.AGREED:
        return False
    due = school.plan_due or school.missing_plan_due
    return bool(school.plan_overdue or (due and due <= today + SOON))


# The headteacher -------------------------------------------------------------------------------------------


def head_queue(head_schools: list[support.HeadSchool], today: date | None = None) -> Queue:
    """The head's work, from what their home page reads already: reports to respond to (a week
    after they were shared: ``support.reminders``) and a plan to agree."""
    today = today or timezone.localdate()
    queue = Queue(today=today)
    wait = timedelta(days=reminders.RESPONSE_WAIT_DAYS)
    queue.add(
        "Reports to respond to",
        (
            Item(
                f"Respond to the report on the visit of {r.visit.scheduled_for:%-d %B %Y}",
                _url("support:respond", r.visit_id),
                item.school.name,
                _day(r.shared_at) + wait if r.shared_at else None,
            )
            for item in head_schools
            for r in item.to_respond
        ),
    )
    queue.add(
        "Plans to agree",
        (
            Item(
                f"Agree the {item.plan.get_kind_display().lower()}",
                _url("support:plan", item.school.urn),
                item.school.name,
                item.plan.due_by,
            )
            for item in head_schools
            if item.plan and item.plan.status != ActionPlan.Status.AGREED
        ),
    )
    return queue


# The board member --------------------------------------------------------------------------------------------


def board_queue(user, today: date | None = None) -> Queue:
    """The board member's work: the next meeting's items to decide, the warning notices of the board's
    schools with a compliance deadline near or passed, the open escalations, and the packs to read."""
    today = today or timezone.localdate()
    queue = Queue(today=today)
    upcoming = list(
        BoardMeeting.objects.filter(meets_on__gte=today, status=BoardMeeting.Status.SCHEDULED).order_by("meets_on")[
            :SHOWN
        ]
    )
    if upcoming:
        meeting = upcoming[0]
        undecided = (
            AgendaItem.objects.filter(meeting=meeting, dropped=False)
            .exclude(Exists(Decision.objects.filter(item=OuterRef("pk"))))
            .values_list("kinds", flat=True)
        )
        routine = sum(1 for kinds in undecided if agenda.kind_of(kinds) == agenda.Kind.ROUTINE)
        to_decide = len(undecided) - routine
        # The routine reviews are agreed together in one decision on the consent list.
        parts = [f"{to_decide} decision item{'s' if to_decide != 1 else ''}"] if to_decide or not routine else []
        if routine:
            parts.append(f"a consent list of {routine} routine review{'s' if routine != 1 else ''}")
        queue.add(
            "Next board meeting",
            [
                Item(
                    " and ".join(parts).capitalize() + " to decide",
                    meeting.get_absolute_url(),
                    f"Meeting of {meeting.meets_on:%-d %B %Y}",
                    due=meeting.meets_on,
                )
            ],
            to_decide + (1 if routine else 0),
            _url("boards:meetings"),
        )
    queue.add(
        "Board packs to read",
        (
            Item(f"Pack for the meeting of {m.meets_on:%-d %B %Y}", _url("boards:pack-pdf", m.pk), due=m.meets_on)
            for m in upcoming
            if m.pack_status == BoardMeeting.PackStatus.READY
        ),
    )
    schools = schools_for_board_member(user).values("pk")
    rows, n = first_of(
        WarningNotice.objects.filter(
            school__in=schools, status=WarningNotice.Status.ISSUED, compliance_deadline__lte=today + SOON
        )
        .select_related("school")
        .order_by("compliance_deadline", "pk")
    )
    queue.add(
        "Warning notices",
        (Item("Compliance deadline", _url("boards:notice", w.pk), w.school.name, w.compliance_deadline) for w in rows),
        n,
        _url("boards:notices"),
    )
    rows, n = first_of(
        Escalation.objects.filter(school__in=schools, status=Escalation.Status.OPEN).select_related("school")
    )
    queue.add(
        "Escalations awaiting the board",
        (Item("Escalation", e.school.get_absolute_url(), e.school.name, since=e.raised_on) for e in rows),
        n,
    )
    return queue


# The commissioner ------------------------------------------------------------------------------------------------


def commissioner_queue(today: date | None = None) -> Queue:
    """The commissioner's reading: the latest monthly report (each month's latest version)."""
    today = today or timezone.localdate()
    queue = Queue(today=today)
    latest = MonthlyReport.objects.defer("content").first()
    if latest:
        queue.add(
            "Monthly report",
            [
                Item(
                    f"Monthly report for {latest.period:%B %Y}",
                    latest.get_absolute_url(),
                    since=_day(latest.created_at),
                )
            ],
            see_all=_url("reporting:reports"),
        )
    return queue


# The count in the navigation ----------------------------------------------------------------------------------------


def queue_for(user, today: date | None = None) -> Queue | None:
    """The person's queue as their home page shows it (None for a role with none)."""
    if permissions.is_officer(user):
        return officer_queue(today)
    if user.role == Role.PRIORITY_PARTNER:
        return partner_queue(user, today)
    if user.role == Role.HEADTEACHER:
        return head_queue(support.head_home(user), today)
    if user.role == Role.BOARD_MEMBER:
        return board_queue(user, today)
    if user.role == Role.COMMISSIONER:
        return commissioner_queue(today)
    return None


def _key(user) -> str:
    return f"work-queue-count:{current_authority_id()}:{user.pk}"


def remember_count(user, queue: Queue | None) -> None:
    """The home page keeps the count it has just worked out, for the navigation of the next pages."""
    seconds = settings.WORK_QUEUE_COUNT_SECONDS
    if seconds and queue is not None:
        cache.set(_key(user), queue.count, seconds)


def count_for(user, build: Callable[[object], Queue | None] = queue_for) -> int | None:
    """The number beside "Home": from the cache, or worked out and kept there for
    ``WORK_QUEUE_COUNT_SECONDS`` (0: no count, and no queries, on pages other than home)."""
    seconds = settings.WORK_QUEUE_COUNT_SECONDS
    if not seconds or not getattr(user, "is_authenticated", False):
        return None
    key = _key(user)
    found = cache.get(key)
    if found is None:
        queue = build(user)
        found = queue.count if queue is not None else 0
        cache.set(key, found, seconds)
    return found


# The service navigation's "Home" shows the count: registered when the portal's pages are loaded (the
# URLconf imports them before any page is drawn).
register_home_count(count_for)
