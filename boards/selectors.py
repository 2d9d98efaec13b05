"""Reads for the advisory board: the priority list, what is new about each school for a
meeting's agenda, the removal criterion, decisions, letters and notices a person may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import permissions
from accounts.authorities import in_wales
from accounts.models import Authority, Role, SchoolAssignment
from boards import agenda, notices
from boards.models import (
    AgendaItem,
    BoardMeeting,
    Decision,
    Escalation,
    InspectionNotice,
    Letter,
    LetterKind,
    LetterLanguage,
    PriorityEntry,
    WarningNotice,
)
from boards.removal import RemovalFacts, Verdict, removal_criterion
from categorisation.models import CategoryDecision, SchoolCategory
from categorisation.selectors import school_category
from core.calendar import academic_year_label, year_span
from core.query import whole_number
from schools import access, ofsted
from schools.models import ImportRun, Inspection, PerformanceMeasure, School
from support import calendar
from support.models import Action, SelfReferral
from support.selectors import current_year, half_terms, has_named_partner, register_priority_list

PERFORMANCE_KINDS = [ImportRun.Kind.CENSUS, ImportRun.Kind.KS2, ImportRun.Kind.KS4, ImportRun.Kind.ABSENCE]
LIVE = [PriorityEntry.Status.PROPOSED, PriorityEntry.Status.ON_LIST]
# The measures each performance file brings (schools.importers.performance names them so).
MEASURE_PREFIX = {
    ImportRun.Kind.CENSUS: "census_",
    ImportRun.Kind.KS2: "ks2_",
    ImportRun.Kind.KS4: "ks4_",
    ImportRun.Kind.ABSENCE: "abs_",
}


def october_half_term(year: int) -> date:
    return calendar.october_half_term(half_terms(year))


# The priority list ------------------------------------------------------------------------------------


def current_partner() -> Subquery:
    """The name of the school's current priority partner (the first, if several), as a subquery."""
    today = timezone.localdate()
    return Subquery(
        SchoolAssignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            school=OuterRef("school"),
            relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER,
            starts_on__lte=today,
        )
        .order_by("starts_on", "pk")
        .values("user__full_name")[:1]
    )


def priority_list(year: int, *, status: str = "", reason: str = "", la_id: int | None = None, no_partner: bool = False):
    entries = PriorityEntry.objects.filter(academic_year=year).select_related("school__la")
    if no_partner:
        entries = entries.exclude(has_named_partner("school"))
    if status:
        entries = entries.filter(status=status)
    if reason:
        entries = entries.filter(reason=reason)
    if la_id:
        entries = entries.filter(school__la_id=la_id)
    return entries.annotate(partner_name=current_partner()).order_by("status", "school__name")


# The most schools one bulk action on the priority list takes: more than a year's list has ever held.
MOST_SELECTED = 500


def selected_schools(user, urns: list[str]) -> list[School]:
    """The schools ticked on the priority list (by URN) that the person may see, by name; values
    that are not URNs are ignored."""
    numbers = {n for n in (whole_number(u) for u in urns[:MOST_SELECTED]) if n is not None}
    return list(access.visible_schools(user).filter(urn__in=numbers).select_related("la").order_by("name"))


def list_counts(year: int) -> dict[str, int]:
    return dict(
        PriorityEntry.objects.filter(academic_year=year).values_list("status").annotate(n=Count("pk")).order_by()
    )


def on_the_list(year: int) -> QuerySet:
    """The ids of the schools on the year's agreed priority list."""
    return PriorityEntry.objects.filter(academic_year=year, status=PriorityEntry.Status.ON_LIST).values("school_id")


def flag_schools_without_partner() -> None:
    """Support flags the schools on the list that have no named priority partner."""
    register_priority_list(on_the_list)


def board_school_ids(year: int) -> QuerySet:
    """The schools a board member may open: on (or proposed for) the priority list this year, or
    on the agenda of one of this year's meetings."""
    start, end = year_span(year)
    listed = PriorityEntry.objects.filter(academic_year=year, status__in=LIVE).values("school_id")
    on_agenda = AgendaItem.objects.filter(meeting__meets_on__range=(start, end), dropped=False).values("school_id")
    return School.objects.filter(Q(pk__in=listed) | Q(pk__in=on_agenda)).values("pk")


def schools_for_board_member(user) -> QuerySet[School]:
    """What a board member may open (``schools.access.visible_schools``): this year's board schools."""
    return School.objects.filter(pk__in=board_school_ids(current_year()))


def register_board_scope() -> None:
    """Board members open the schools on their priority list and agendas (``schools.access``)."""
    access.register_scope(Role.BOARD_MEMBER, schools_for_board_member)


def entry_for(school: School, year: int) -> PriorityEntry | None:
    return PriorityEntry.objects.filter(school=school, academic_year=year).first()


# Meetings ---------------------------------------------------------------------------------------------------


def meetings(year: int) -> QuerySet[BoardMeeting]:
    start, end = year_span(year)
    return (
        BoardMeeting.objects.filter(meets_on__range=(start, end))
        .annotate(
            item_count=Count("items", filter=Q(items__dropped=False), distinct=True),
            decision_count=Count("decisions", distinct=True),
        )
        .order_by("meets_on")
    )


def items_of(meeting: BoardMeeting) -> list[AgendaItem]:
    year = current_year(meeting.meets_on)
    entries = PriorityEntry.objects.filter(academic_year=year, school=OuterRef("school"))
    return list(
        meeting.items.select_related("school__la", "added_by", "dropped_by")
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")))
        .annotate(
            entry_status=Subquery(entries.values("status")[:1]),
            entry_reason=Subquery(entries.values("reason")[:1]),
            partner_name=current_partner(),
        )
    )


@dataclass
class RankedAgenda:
    """A meeting's agenda ranked by what needs a decision: the decision items in groups by kind, in
    order; the routine reviews for the consent list (those not yet decided, and those decided); how
    many items of each kind."""

    groups: list[tuple[agenda.Kind, list[AgendaItem]]]
    consent: list[AgendaItem]
    agreed: list[AgendaItem]
    counts: dict[agenda.Kind, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def by_kind(self) -> list[tuple[agenda.Kind, int]]:
        """The kinds on the agenda with their counts, in agenda order."""
        return [(k, self.counts[k]) for k in agenda.Kind if k in self.counts]

    @property
    def routine(self) -> int:
        return self.counts.get(agenda.Kind.ROUTINE, 0)

    @property
    def decision_items(self) -> int:
        return self.total - self.routine


def ranked(items: list[AgendaItem], kind: str = "") -> RankedAgenda:
    """Rank a meeting's items (``items_of``; the dropped left out): by ``agenda.kind_of``, then in
    agenda order. ``kind``: only the items of that kind (an ``agenda.Kind`` value), for the filter."""
    by_kind: dict[agenda.Kind, list[AgendaItem]] = {k: [] for k in agenda.Kind}
    for item in items:
        if not item.dropped:
            item.agenda_kind = agenda.kind_of(item.kinds)
            by_kind[item.agenda_kind].append(item)
    counts = {k: len(found) for k, found in by_kind.items() if found}
    shown = [k for k in agenda.Kind if not kind or k == kind]
    routine = by_kind[agenda.Kind.ROUTINE] if agenda.Kind.ROUTINE in shown else []
    return RankedAgenda(
        groups=[(k, by_kind[k]) for k in shown if k != agenda.Kind.ROUTINE and by_kind[k]],
        consent=[i for i in routine if not i.decisions.all()],
        agreed=[i for i in routine if i.decisions.all()],
        counts=counts,
    )


def next_decision_item(meeting: BoardMeeting, after: AgendaItem | None = None) -> AgendaItem | None:
    """The next decision item of the meeting with no decision yet, in agenda order after ``after``
    (then from the top); ``None`` when every one has a decision. Two queries."""
    items = list(
        meeting.items.filter(dropped=False)
        .annotate(decided=Exists(Decision.objects.filter(item=OuterRef("pk"))))
        .select_related("school")
        .only("pk", "kinds", "position", "school__name", "school__urn", "meeting_id")
    )
    order = sorted(items, key=lambda i: (agenda.rank(agenda.kind_of(i.kinds)), i.position, i.pk))
    waiting = [i for i in order if agenda.kind_of(i.kinds) != agenda.Kind.ROUTINE]
    if after is not None:
        place = next((n for n, i in enumerate(waiting) if i.pk == after.pk), -1)
        waiting = waiting[place + 1 :] + waiting[: max(place, 0)]
    return next((i for i in waiting if not i.decided and (after is None or i.pk != after.pk)), None)


def last_reviews(school_ids: list[int], before: date) -> dict[int, date]:
    """When the board last reviewed each school: the latest earlier meeting, held, at which the
    school was on the agenda (not dropped) or had a decision."""
    on_agenda = dict(
        AgendaItem.objects.filter(
            school_id__in=school_ids,
            dropped=False,
            meeting__status=BoardMeeting.Status.HELD,
            meeting__meets_on__lt=before,
        )
        .values_list("school_id")
        .annotate(last=Max("meeting__meets_on"))
        .order_by()
    )
    decided = (
        Decision.objects.filter(school_id__in=school_ids, decided_at__lt=_start_of(before))
        .values_list("school_id")
        .annotate(last=Max("decided_at"))
        .order_by()
    )
    for school_id, when in decided:
        day = timezone.localtime(when).date()
        if school_id not in on_agenda or on_agenda[school_id] < day:
            on_agenda[school_id] = day
    return on_agenda


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _day(value: datetime) -> date:
    return timezone.localtime(value).date()


def agenda_candidates(meeting: BoardMeeting) -> list[int]:
    """Schools that may be on the agenda: on or proposed for the list, or with a new
    self-referral or an open escalation."""
    year = current_year(meeting.meets_on)
    listed = PriorityEntry.objects.filter(academic_year=year, status__in=LIVE).values_list("school_id", flat=True)
    referred = SelfReferral.objects.filter(status=SelfReferral.Status.NEW).values_list("school_id", flat=True)
    escalated = Escalation.objects.filter(status__in=[Escalation.Status.OPEN, Escalation.Status.TO_EIG]).values_list(
        "school_id", flat=True
    )
    return sorted(set(listed) | set(referred) | set(escalated))


def gather_news(meeting: BoardMeeting) -> list[agenda.SchoolNews]:
    """What is known about every candidate school as of the meeting, in a fixed number of
    queries whatever the number of schools."""
    on = meeting.meets_on
    year = current_year(on)
    ids = agenda_candidates(meeting)
    if not ids:
        return []
    last = last_reviews(ids, on)
    news = {pk: agenda.SchoolNews(pk, last_reviewed=last.get(pk)) for pk in ids}
    for school_id, status in PriorityEntry.objects.filter(academic_year=year, school_id__in=ids).values_list(
        "school_id", "status"
    ):
        news[school_id].on_list = status == PriorityEntry.Status.ON_LIST
        news[school_id].proposed = status == PriorityEntry.Status.PROPOSED
    start = date(year - 1, 9, 1)
    for inspection in Inspection.objects.filter(school_id__in=ids, start_date__gte=start, start_date__lte=on):
        published = inspection.publication_date or inspection.end_date or inspection.start_date
        news[inspection.school_id].inspections.append(agenda.Dated(published, ofsted.summarise(inspection.facts)))
    for decision in (
        CategoryDecision.objects.filter(
            school_id__in=ids, decided_at__gte=_start_of(start), decided_at__lt=_start_of(on)
        )
        .select_related("category", "previous")
        .order_by("decided_at")
    ):
        was = decision.previous.label if decision.previous else "none"
        news[decision.school_id].category_changes.append(
            agenda.Dated(_day(decision.decided_at), f"{was} to {decision.category.label}")
        )
    for standing in SchoolCategory.objects.filter(
        school_id__in=ids, pending=True, framework__is_active=True
    ).select_related("proposed", "category"):
        was = standing.category.label if standing.category else "none"
        proposed = standing.proposed.label if standing.proposed else "none"
        news[standing.school_id].proposal_waiting = agenda.Dated(_day(standing.updated_at), f"{was} to {proposed}")
    runs = ImportRun.objects.filter(
        kind__in=PERFORMANCE_KINDS,
        status=ImportRun.Status.SUCCEEDED,
        dry_run=False,
        finished_at__gte=_start_of(start),
        finished_at__lt=_start_of(on),
    ).order_by("finished_at")
    for run in runs:
        having = PerformanceMeasure.objects.filter(
            school_id__in=ids, academic_year=run.academic_year, measure__startswith=MEASURE_PREFIX[run.kind]
        ).values_list("school_id", flat=True)
        label = run.get_kind_display().removeprefix("Performance tables: ")
        if run.academic_year:
            label += f" {academic_year_label(run.academic_year)}"
        for school_id in set(having):
            news[school_id].data.append(agenda.Dated(_day(run.finished_at), label))
    overdue = (
        Action.objects.filter(priority__plan__school_id__in=ids, priority__plan__academic_year=year, deadline__lt=on)
        .exclude(rag=Action.Rag.COMPLETE)
        .values_list("priority__plan__school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for school_id, n in overdue:
        news[school_id].overdue_actions = n
    for referral in SelfReferral.objects.filter(school_id__in=ids, submitted_at__lt=_start_of(on + _ONE_DAY)):
        news[referral.school_id].self_referrals.append(
            agenda.Dated(_day(referral.submitted_at), _short(referral.reason))
        )
    for escalation in Escalation.objects.filter(
        school_id__in=ids, status__in=[Escalation.Status.OPEN, Escalation.Status.TO_EIG], raised_on__lte=on
    ):
        news[escalation.school_id].escalations.append(agenda.Dated(escalation.raised_on, _short(escalation.reason)))
    for notice in WarningNotice.objects.filter(school_id__in=ids, status__in=NOTICES_BEFORE_THE_BOARD):
        news[notice.school_id].warning_notices.append(_notice_news(notice, on))
    for entry, verdict in removal_suggestions(year):
        if entry.school_id in news:
            inspected = entry.school.latest_inspection.start_date if entry.school.latest_inspection else None
            news[entry.school_id].removal = agenda.Dated(inspected or on, verdict.why)
    return [news[pk] for pk in ids]


# A notice the board recommended that is not yet settled: awaiting the DCS, to be issued, or in force.
NOTICES_BEFORE_THE_BOARD = [
    WarningNotice.Status.RECOMMENDED,
    WarningNotice.Status.ACCEPTED,
    WarningNotice.Status.ISSUED,
]
NEXT_MEETING = timedelta(days=14)  # the board meets fortnightly


def _notice_news(notice: WarningNotice, on: date) -> agenda.Dated:
    """A warning notice as news, dated by its latest step; one whose compliance deadline falls before
    the next meeting is news at every meeting until it is settled."""
    steps = [d for d in (notice.recommended_on, notice.dcs_response_on, notice.issued_on) if d]
    text = notice.get_status_display().lower()
    if notice.issued_on:
        text = f"issued on {_long(notice.issued_on)}"
    if notice.compliance_deadline:
        text += f", to be complied with by {_long(notice.compliance_deadline)}"
    due = notice.compliance_deadline is not None and notice.compliance_deadline <= on + NEXT_MEETING
    return agenda.Dated(on if due else max(steps), text)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


_ONE_DAY = timedelta(days=1)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The removal criterion -------------------------------------------------------------------------------------


def _feedback(notices_: list[InspectionNotice], latest: Inspection) -> bool | None:
    """What the recorded feedback on the latest inspection says about further support."""
    for notice in sorted(notices_, key=lambda n: n.starts_on, reverse=True):
        if notice.further_support_indicated is None:
            continue
        if notice.inspection_id == latest.pk or (latest.start_date and notice.starts_on >= latest.start_date):
            return notice.further_support_indicated
    return None


def listed_since(entry: PriorityEntry) -> date | None:
    """The day the school joined the list for its current stay: a year carried forward from the one
    before continues that year's stay."""
    earlier = {
        e.academic_year: e
        for e in PriorityEntry.objects.filter(school_id=entry.school_id, academic_year__lt=entry.academic_year).only(
            "academic_year", "source", "added_on", "proposed_on"
        )
    }
    current = entry
    while current.source == PriorityEntry.Source.CARRIED_FORWARD and current.academic_year - 1 in earlier:
        current = earlier[current.academic_year - 1]
    return current.added_on or current.proposed_on


def _latest_ungraded(inspections: list[Inspection], latest: Inspection) -> Inspection | None:
    found = [
        i
        for i in inspections
        if i.shape == Inspection.Shape.UNGRADED
        and i.start_date
        and latest.start_date
        and i.start_date > latest.start_date
    ]
    return max(found, key=lambda i: i.start_date, default=None)


def removal_facts(
    school: School,
    notices_: list[InspectionNotice] | None = None,
    *,
    since: date | None = None,
    ungraded: list[Inspection] | None = None,
) -> RemovalFacts:
    """What the removal criterion reads for a school on the list since ``since``: its latest full
    inspection, the latest ungraded one after it, and the recorded feedback."""
    latest = school.latest_inspection
    if latest is None or not school.ofsted_outcome:
        return RemovalFacts(outcome="", listed_since=since)
    if notices_ is None:
        notices_ = list(school.inspection_notices.filter(further_support_indicated__isnull=False))
    if ungraded is None:
        ungraded = list(school.inspections.filter(shape=Inspection.Shape.UNGRADED, start_date__gt=latest.start_date))
    after = _latest_ungraded(ungraded, latest)
    return RemovalFacts(
        outcome=school.ofsted_outcome,
        inspected_on=latest.start_date,
        key_judgements=(
            latest.quality_of_education,
            latest.behaviour_and_attitudes,
            latest.personal_development,
            latest.leadership_and_management,
        ),
        further_support_indicated=_feedback(notices_, latest),
        listed_since=since,
        ungraded_on=after.start_date if after else None,
        ungraded_outcome=after.ungraded_outcome if after else "",
        ungraded_signal=ofsted.ungraded_signal(after.ungraded_outcome) if after else "",
    )


def removal_verdict(school: School, entry: PriorityEntry | None = None) -> Verdict:
    """The removal criterion for a school on the list (its entry, or its latest on the list)."""
    if entry is None:
        entry = school.priority_entries.filter(status=PriorityEntry.Status.ON_LIST).order_by("-academic_year").first()
    return removal_criterion(removal_facts(school, since=listed_since(entry) if entry else None))


def removal_suggestions(year: int) -> list[tuple[PriorityEntry, Verdict]]:
    """Schools inspected since they joined the list that now meet the removal criterion, for the
    board to consider, in three queries. (A school agreed vulnerable joins the list with a good
    judgement; that judgement is why it is vulnerable, not a reason to remove it.)"""
    found = []
    entries = (
        PriorityEntry.objects.filter(academic_year=year, status=PriorityEntry.Status.ON_LIST)
        .filter(school__ofsted_outcome__in=["outstanding", "good", "judgements_only", "rc_expected_or_above"])
        # Only schools inspected on or after the day they joined the list (read in SQL: at national
        # scale most listed schools with a good judgement joined after it).
        .annotate(joined=Coalesce("added_on", "proposed_on"))
        .filter(Q(joined__isnull=True) | Q(school__latest_inspection__start_date__gte=F("joined")))
        .select_related("school__latest_inspection", "school__la")
        .prefetch_related(
            Prefetch(
                "school__inspection_notices",
                queryset=InspectionNotice.objects.filter(further_support_indicated__isnull=False),
                to_attr="feedback_notices",
            ),
            Prefetch(
                "school__inspections",
                queryset=Inspection.objects.filter(shape=Inspection.Shape.UNGRADED),
                to_attr="ungraded_inspections",
            ),
        )
    )
    for entry in entries:
        school = entry.school
        facts = removal_facts(school, school.feedback_notices, since=entry.joined, ungraded=school.ungraded_inspections)
        verdict = removal_criterion(facts)
        if verdict.met:
            found.append((entry, verdict))
    return found


# Decisions, letters and notices a person may see ---------------------------------------------------------


def decisions_for(user, school: School) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(school=school).select_related("decided_by", "meeting")
    if permissions.is_officer(user) or permissions.is_board(user) or permissions.is_partner(user):
        return decisions
    if permissions.is_head(user):
        return decisions.filter(communicated_on__isnull=False)
    return decisions.none()


def default_letter_language(authority: Authority | None = None) -> str:
    """A Welsh authority's letters are bilingual unless the officer chooses otherwise; an English
    authority's are English."""
    return LetterLanguage.BILINGUAL if in_wales(authority) else LetterLanguage.ENGLISH


def readable_letters(user) -> QuerySet[Letter]:
    """The letters the user may read, whichever school (``get_for`` narrows them to the user's
    schools): officers every letter; a headteacher those sent, never a draft."""
    letters = Letter.objects.all()
    if permissions.is_officer(user):
        return letters
    if permissions.is_head(user):
        return letters.filter(sent_on__isnull=False)
    return letters.none()


def letters_for(user, school: School) -> QuerySet[Letter]:
    return readable_letters(user).filter(school=school)


def warning_notices() -> QuerySet[WarningNotice]:
    return WarningNotice.objects.select_related("school__la", "decision__decided_by", "updated_by", "from_escalation")


@dataclass(frozen=True)
class NoticeEvidence:
    """What the DCS reads beside the board's rationale: why the school is a priority, its category and the
    triggers behind it, its latest inspection, the letters of concern sent and the board's earlier decisions."""

    entry: PriorityEntry | None
    category: object
    letters_of_concern: list[Letter]
    decisions: list[Decision]


def notice_evidence(notice: WarningNotice) -> NoticeEvidence:
    school = notice.school
    return NoticeEvidence(
        entry=entry_for(school, current_year(notice.recommended_on)),
        category=school_category(school, viewer=None),
        letters_of_concern=list(
            Letter.objects.filter(school=school, kind=LetterKind.CONCERN, sent_on__isnull=False).order_by("-sent_on")
        ),
        decisions=list(
            Decision.objects.filter(school=school)
            .exclude(pk=notice.decision_id)
            .select_related("meeting")
            .order_by("-decided_at")[:5]
        ),
    )


def open_notices() -> QuerySet[WarningNotice]:
    return WarningNotice.objects.exclude(
        status__in=[
            WarningNotice.Status.LIFTED,
            WarningNotice.Status.DECLINED,
            WarningNotice.Status.RD_NO_NOTICE,
            WarningNotice.Status.RD_CLOSED,
        ]
    ).select_related("school__la")


def compliance_deadlines_near(
    today: date | None = None, warn_days: int = 14
) -> list[tuple[WarningNotice, notices.DeadlineState]]:
    """Issued notices whose compliance deadline is still to come, within ``warn_days``, soonest
    first: for the officer's home page. A deadline past is on the overdue list
    (``boards.deadlines.warning_notices``), once."""
    today = today or timezone.localdate()
    near = WarningNotice.objects.filter(
        status=WarningNotice.Status.ISSUED,
        compliance_deadline__gte=today,
        compliance_deadline__lte=today + timedelta(days=warn_days),
    ).select_related("school")
    return [
        (notice, notices.deadline_state(notice.compliance_deadline, today, warn_days=warn_days))
        for notice in near.order_by("compliance_deadline", "pk")
    ]


def escalations() -> QuerySet[Escalation]:
    """Open first, then those with the Education Improvement Group, then resolved; newest first."""
    stage = Case(
        When(status=Escalation.Status.OPEN, then=Value(0)),
        When(status=Escalation.Status.TO_EIG, then=Value(1)),
        default=Value(2),
    )
    return Escalation.objects.select_related("school__la", "raised_by", "warning_notice").order_by(
        stage, "-raised_on", "-pk"
    )


def inspection_notices() -> QuerySet[InspectionNotice]:
    return InspectionNotice.objects.select_related("school__la", "partner_attending", "inspection").order_by(
        "-starts_on"
    )


def published_inspection(notice: InspectionNotice) -> Inspection | None:
    """The inspection record for a notified inspection: the one linked when the LA entered the
    outcome, or the one an Ofsted file brought that started within a week of the notified date."""
    if notice.inspection_id:
        return notice.inspection
    return (
        Inspection.objects.filter(
            school_id=notice.school_id,
            start_date__range=(notice.starts_on - timedelta(days=3), notice.starts_on + timedelta(days=7)),
        )
        .order_by("start_date")
        .first()
    )


def with_news(meeting: BoardMeeting, stale_weeks: int) -> dict[int, list[agenda.Reason]]:
    """The schools that belong on the meeting's agenda and why."""
    found = {}
    for news in gather_news(meeting):
        reasons = agenda.reasons(news, meeting.meets_on, stale_weeks=stale_weeks)
        if reasons:
            found[news.school_id] = reasons
    return found


def has_decisions(item_ids: list[int]) -> set[int]:
    return set(Decision.objects.filter(item_id__in=item_ids).values_list("item_id", flat=True))
