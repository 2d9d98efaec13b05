"""Reads for support delivery: the calendar, each school's support and its balance, a partner's
caseload, and the visits, reports and plans a person may see."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from accounts.authorities import current_authority_id
from accounts.models import Role, SchoolAssignment, User
from accounts.policy import ADMIN, OFFICER
from accounts.selectors import active_assignments, working_here
from categorisation.models import Category, Framework, FrameworkVersion, SchoolCategory
from categorisation.selectors import entitled_category, school_category
from core.calendar import academic_year_of, year_span
from schools import ofsted
from schools.access import maintained_in_remit, remit, remit_key, visible_schools
from schools.filters import register_generation
from schools.models import ACADEMY_TYPE_GROUPS, Inspection, School
from support import calendar, deadlines, entitlements, ri_to_good
from support.models import (
    ANNUAL_REVIEW,
    AcademicYear,
    AcademyConversation,
    Action,
    ActionPlan,
    Allocation,
    EntitlementKind,
    HalfTerm,
    HeadteacherRecruitment,
    Meeting,
    NetworkInvitation,
    NetworkMeeting,
    NewHeadteacher,
    PartnerProfile,
    RiToGoodReview,
    SupportPackage,
    Visit,
    VisitReport,
)

# The framework whose every maintained school has a named adviser (seed 000).
TIERED = "tiered"

# The calendar ----------------------------------------------------------------------------------


def half_terms(start_year: int) -> list[calendar.HalfTerm]:
    """The year's half-terms as officers set them, or England's defaults if not set."""
    year = AcademicYear.objects.filter(start_year=start_year).prefetch_related("half_terms").first()
    if year and year.half_terms.all():
        return [calendar.HalfTerm(h.number, h.name, h.starts, h.ends) for h in year.half_terms.all()]
    return calendar.england_half_terms(start_year)


def current_year(today: date | None = None) -> int:
    return academic_year_of(today or timezone.localdate())


# Support packages -------------------------------------------------------------------------------

KINDS = [
    EntitlementKind.ADVISER,
    EntitlementKind.TEACHING_ADVISER,
    EntitlementKind.PROGRESS_MEETINGS,
    EntitlementKind.BROKERED,
]
BASE_FIELD = {
    EntitlementKind.ADVISER: "adviser_days",
    EntitlementKind.TEACHING_ADVISER: "teaching_adviser_days",
    EntitlementKind.PROGRESS_MEETINGS: "progress_meetings",
    EntitlementKind.BROKERED: "brokered_days",
}


@dataclass
class KindBalance:
    kind: str
    label: str
    balance: entitlements.Balance


@dataclass
class PackageView:
    package: SupportPackage | None
    year: int
    balances: list[KindBalance] = field(default_factory=list)

    @property
    def over_delivered(self) -> list[KindBalance]:
        """The kinds of support delivered beyond what the school is entitled to this year."""
        return [b for b in self.balances if b.balance.over_delivered]


@dataclass(frozen=True)
class Entitlement:
    """What a school's category brings it in a year, as the framework's active version sets it
    (days by kind, meetings and how often, the visit pattern), and its funding: the category's
    amount per pupil × the school's pupils on roll, when both are known."""

    category: Category | None
    pupils: int | None

    @property
    def funding(self) -> Decimal | None:
        if self.category is None or self.category.funding_per_pupil is None or self.pupils is None:
            return None
        return self.category.funding_per_pupil * self.pupils


def entitlement_of(school: School) -> Entitlement:
    """The school's entitlement from its agreed category, as the active version has it."""
    return Entitlement(entitled_category(school), school.pupils_on_roll)


def package_view(school: School, year: int) -> PackageView:
    """The school's support for the year and, for each kind, entitled, allocated and delivered."""
    package = (
        SupportPackage.objects.filter(school=school, academic_year=year)
        .select_related("category__version")
        .prefetch_related("adjustments__made_by", "allocations__partner", "partner_schools")
        .first()
    )
    view = PackageView(package, year)
    if package is None:
        return view
    start, end = year_span(year)
    visits = dict(
        Visit.objects.filter(school=school, status=Visit.Status.HELD, held_on__range=(start, end))
        .values_list("kind")
        .annotate(days=Sum("days"))
    )
    meetings = Meeting.objects.filter(school=school, kind=Meeting.Kind.PROGRESS, held_on__range=(start, end)).count()
    brokered = school.brokered_support.filter(academic_year=year).aggregate(days=Sum("days"))["days"] or Decimal(0)
    delivered = {
        EntitlementKind.ADVISER: visits.get(EntitlementKind.ADVISER, Decimal(0)),
        EntitlementKind.TEACHING_ADVISER: visits.get(EntitlementKind.TEACHING_ADVISER, Decimal(0)),
        EntitlementKind.PROGRESS_MEETINGS: Decimal(meetings),
        EntitlementKind.BROKERED: brokered,
    }
    adjustments, allocations = list(package.adjustments.all()), list(package.allocations.all())
    for kind in KINDS:
        view.balances.append(
            KindBalance(
                kind,
                EntitlementKind(kind).label,
                entitlements.balance(
                    getattr(package, BASE_FIELD[kind]),
                    [a.change for a in adjustments if a.kind == kind],
                    [a.days for a in allocations if a.kind == kind],
                    [delivered[kind]],
                ),
            )
        )
    return view


def _allocations_in(year: int) -> QuerySet[Allocation]:
    """The days given to partners from this authority's support packages for the year."""
    return Allocation.objects.filter(package__academic_year=year, package__authority_id=current_authority_id())


def allocated_days(year: int, partner: str = "user") -> Coalesce:
    """The days allocated to the partner (``partner`` names the outer query's user) this year: a
    subquery, so no other join (their schools, their visits) can multiply the sum. The partners
    list, a partner's page, the caseload and the exports all read it."""
    total = (
        _allocations_in(year)
        .filter(partner=OuterRef(partner))
        .values("partner")
        .annotate(total=Sum("days"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total), Value(Decimal(0)), output_field=DecimalField(max_digits=7, decimal_places=1))


def partner_load(user, year: int) -> entitlements.PartnerLoad:
    """The partner's days allocated this year against their capacity in this authority."""
    profile = partners(year).filter(user=user).first()
    if profile is not None:
        return entitlements.PartnerLoad(profile.capacity_days, profile.allocated)
    allocated = _allocations_in(year).filter(partner=user).aggregate(days=Sum("days"))["days"]
    return entitlements.PartnerLoad(Decimal(0), allocated or Decimal(0))


def own_profile_id(user) -> int | None:
    """The pk of the person's partner profile in this authority, if they have one."""
    return PartnerProfile.objects.filter(user=user).values_list("pk", flat=True).first()


def partners(year: int) -> QuerySet[PartnerProfile]:
    """Every partner working for the authority with their days allocated this year and their
    schools (the authority's: the join reads past the managers' scope), in one query."""
    authority = current_authority_id()
    return (
        PartnerProfile.objects.select_related("user", "organisation", "head_of")
        .prefetch_related("head_of__inspections")
        .annotate(
            allocated=allocated_days(year),
            schools=Count(
                "user__school_assignments",
                filter=Q(
                    user__school_assignments__relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER,
                    user__school_assignments__authority_id=authority,
                ),
                distinct=True,
            ),
        )
        .order_by("user__full_name")
    )


def partner_profile(pk: int) -> PartnerProfile:
    """A partner's profile with their organisation, declared interests and schools."""
    try:
        return (
            PartnerProfile.objects.select_related("user", "organisation", "head_of")
            .prefetch_related("interests__school", "user__school_assignments__school", "head_of__inspections")
            .get(pk=pk)
        )
    except PartnerProfile.DoesNotExist as exc:
        raise Http404("No partner found") from exc


# Named partners ----------------------------------------------------------------------------------------

# The schools on an academic year's priority list, as the board (a layer above) keeps it.
_PRIORITY_LIST: list[Callable[[int], QuerySet]] = []


def register_priority_list(school_ids: Callable[[int], QuerySet]) -> None:
    """Let the board say which schools are on a year's priority list (their ids, as a values query)."""
    _PRIORITY_LIST[:] = [school_ids]


def on_priority_list(year: int) -> Exists | None:
    """Whether the school of the outer query is on the year's agreed priority list, or None when the
    board has not said how it keeps the list."""
    if not _PRIORITY_LIST:
        return None
    return Exists(_PRIORITY_LIST[0](year).filter(school_id=OuterRef("pk")))


def has_named_partner(school: str = "pk", today: date | None = None) -> Exists:
    """Whether the school (``school`` names it in the outer query) has a priority partner or
    adviser named today: an assignment that has started and not ended."""
    today = today or timezone.localdate()
    return Exists(
        SchoolAssignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            school=OuterRef(school),
            relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER,
            starts_on__lte=today,
        )
    )


def current_partner_assignments(school: School, today: date | None = None) -> QuerySet[SchoolAssignment]:
    """The school's priority partners named today (their assignments, with the person), longest
    standing first."""
    today = today or timezone.localdate()
    return (
        SchoolAssignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            school=school,
            relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER,
            starts_on__lte=today,
        )
        .select_related("user")
        .order_by("starts_on", "pk")
    )


def partners_to_choose(today: date | None = None) -> list[User]:
    """The authority's priority partners, each with ``caseload``: how many schools they are
    priority partner of today, in one query."""
    today = today or timezone.localdate()
    active = Q(
        Q(school_assignments__ends_on__isnull=True) | Q(school_assignments__ends_on__gte=today),
        school_assignments__relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER,
        school_assignments__authority_id=current_authority_id(),
        school_assignments__starts_on__lte=today,
    )
    return list(
        working_here(Role.PRIORITY_PARTNER).annotate(caseload=Count("school_assignments", filter=active, distinct=True))
    )


@dataclass(frozen=True)
class Unnamed:
    """Schools that should have a named partner or adviser and do not, of how many should."""

    schools: list[School]
    of: int


def priority_schools_without_partner(year: int) -> Unnamed:
    """The schools on the agreed priority list with no named priority partner (seed 004: "Each
    school on the priority list will be allocated an individual priority partner")."""
    if not _PRIORITY_LIST:
        return Unnamed([], 0)
    listed = School.objects.filter(pk__in=_PRIORITY_LIST[0](year))
    return Unnamed(list(listed.exclude(has_named_partner()).select_related("la").order_by("name")), listed.count())


def schools_without_named_adviser() -> Unnamed | None:
    """Where the tiered (Worcestershire) framework is active, the maintained schools of the
    remit with no named adviser (seed 000: "All Worcestershire LA maintained schools will receive
    access to ... a named School Improvement Adviser"); None under any other framework."""
    if not Framework.objects.filter(is_active=True, code=TIERED).exists():
        return None
    maintained = School.objects.filter(maintained_in_remit())
    return Unnamed(
        list(maintained.exclude(has_named_partner()).select_related("la").order_by("name")), maintained.count()
    )


# The caseload ----------------------------------------------------------------------------------------


def caseload(user, today: date | None = None) -> QuerySet[School]:
    """The partner's schools with what is due, annotated so the page runs a fixed number of queries."""
    today = today or timezone.localdate()
    year = current_year(today)
    standing = SchoolCategory.objects.filter(school=OuterRef("pk"), framework__is_active=True)
    plan = ActionPlan.objects.filter(school=OuterRef("pk"), academic_year=year)
    assignments = active_assignments(user, on=today)
    schools = School.objects.filter(pk__in=assignments.values("school_id"))
    carried = Q(Exists(ActionPlan.objects.filter(school=OuterRef("pk"), academic_year=year - 1)))
    # A join reads past the scope of the visits' manager: this authority's visits only.
    ours = Q(visits__authority_id=current_authority_id())
    return (
        schools.select_related("la")
        .annotate(
            category_label=Subquery(standing.values("category__label")[:1]),
            category_colour=Subquery(standing.values("category__colour")[:1]),
            next_visit=Min(
                "visits__scheduled_for",
                filter=ours & Q(visits__status=Visit.Status.SCHEDULED, visits__scheduled_for__gte=today),
            ),
            overdue_visits=Count(
                "visits",
                filter=ours & Q(visits__status=Visit.Status.SCHEDULED, visits__scheduled_for__lt=today),
                distinct=True,
            ),
            draft_reports=Count(
                "visits__reports", filter=ours & Q(visits__reports__status=VisitReport.Status.DRAFT), distinct=True
            ),
            awaiting_response=Count(
                "visits__reports", filter=ours & Q(visits__reports__status=VisitReport.Status.SHARED), distinct=True
            ),
            # The head's latest response, and how many the partner has not yet opened (``see_response``).
            latest_response=Subquery(
                VisitReport.objects.filter(visit__school=OuterRef("pk"), responded_at__isnull=False)
                .exclude(status=VisitReport.Status.SUPERSEDED)
                .order_by("-responded_at")
                .values("head_response")[:1]
            ),
            unseen_responses=Count(
                "visits__reports",
                filter=ours
                & Q(visits__reports__responded_at__isnull=False, visits__reports__response_seen_at__isnull=True)
                & ~Q(visits__reports__status=VisitReport.Status.SUPERSEDED),
                distinct=True,
            ),
            plan_status=Subquery(plan.values("status")[:1]),
            plan_due=Subquery(plan.values("due_by")[:1]),
            overdue_actions=Subquery(
                Action.objects.filter(
                    priority__plan__school=OuterRef("pk"), deadline__lt=today, priority__plan__academic_year=year
                )
                .exclude(rag=Action.Rag.COMPLETE)
                .values("priority__plan__school")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            new_head_visit_due=Exists(new_heads_without_visit(today).filter(school=OuterRef("pk"))),
            partner_since=Subquery(
                assignments.filter(school=OuterRef("pk")).order_by("starts_on").values("starts_on")[:1]
            ),
        )
        .annotate(missing_plan_due=missing_plan_due(year, since="partner_since", carried=carried, today=today))
        .annotate(
            plan_overdue=Case(
                When(plan_status__isnull=True, missing_plan_due__lt=today, then=Value(True)),
                When(~Q(plan_status=ActionPlan.Status.AGREED), plan_due__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("name")
    )


def new_heads_without_visit(today: date) -> QuerySet[NewHeadteacher]:
    """New headteachers in the last year whose school has had no visit since they started."""
    held_since = Visit.objects.filter(
        school=OuterRef("school"), status=Visit.Status.HELD, held_on__gte=OuterRef("starts_on")
    )
    return NewHeadteacher.objects.filter(starts_on__gte=today - timedelta(days=365), starts_on__lte=today).exclude(
        Exists(held_since)
    )


def new_head_visit_due_by(head: NewHeadteacher) -> date:
    """The end of the new headteacher's first half-term (seed 003)."""
    year = academic_year_of(head.starts_on)
    return deadlines.first_half_term_ends(head.starts_on, half_terms_of_years([year, year + 1]))


def missing_plan_due(
    year: int, *, since: str, carried: Q, today: date, terms: list[calendar.HalfTerm] | None = None
) -> Case:
    """When the ``year``'s plan of a school that has none was due, as a database expression: the
    rule of ``support.deadlines`` for a plan made on the day the school became a priority
    (``since``, a field or annotation), carried forward (``carried``, a condition) or not. Two
    ``When`` a half-term: the rule gives every day of a half-term, and of the holiday before it,
    one date. ``terms`` (from ``year``, read already) saves reading the calendar again."""
    terms = terms or calendar_from(year, today)
    closed = calendar.bank_holidays(sorted({t.ends.year for t in terms}))

    def due(day: date, carried_forward: bool) -> date:
        return deadlines.plan_due(
            deadlines.PlanFacts(deadlines.Kind.PLAN, day, carried_forward), terms=terms, closed=closed
        )

    october = calendar.october_half_term(terms)
    whens = [When(carried & Q(**{f"{since}__lt": october}), then=Value(october))]
    for term in terms[:-1]:
        before = term.starts - timedelta(days=1)
        whens.append(When(**{f"{since}__lte": before}, then=Value(due(before, False))))
        whens.append(When(**{f"{since}__lte": term.ends}, then=Value(due(term.ends, False))))
    return Case(*whens, default=Value(None), output_field=DateField())


def half_terms_by_year(years: list[int]) -> dict[int, list[calendar.HalfTerm]]:
    """The half-terms of several years, by year, in order, in one query: each year's as officers set
    them (autumn 1 may start in August), or England's defaults."""
    stored: dict[int, list[calendar.HalfTerm]] = {}
    rows = HalfTerm.objects.filter(year__start_year__in=years).order_by("year__start_year", "number")
    for row in rows.values("year__start_year", "number", "name", "starts", "ends"):
        term = calendar.HalfTerm(row["number"], row["name"], row["starts"], row["ends"])
        stored.setdefault(row["year__start_year"], []).append(term)
    return {y: stored.get(y) or calendar.england_half_terms(y) for y in sorted(set(years))}


def half_terms_of_years(years: list[int]) -> list[calendar.HalfTerm]:
    """The half-terms of several years, in order, in one query (``half_terms_by_year``)."""
    return [term for terms in half_terms_by_year(years).values() for term in terms]


def calendar_from(year: int, made_on: date) -> list[calendar.HalfTerm]:
    """The half-terms of ``year`` on to the year after the one ``made_on`` falls in."""
    return half_terms_of_years(list(range(year, max(year, academic_year_of(made_on)) + 2)))


def plan_kind(school: School) -> str:
    """A Statement of Action for an inadequate maintained school (seed 003), else an action plan."""
    inadequate = school.ofsted_outcome in ("inadequate", "rc_urgent_improvement")
    return ActionPlan.Kind.STATEMENT_OF_ACTION if inadequate and school.is_maintained else ActionPlan.Kind.PLAN


def plan_due(school: School, year: int, *, kind: str, made_on: date) -> date:
    """When a plan of ``kind`` for the school's ``year``, made on ``made_on``, is due
    (``support.deadlines``): carried forward when the school had a plan the year before; a
    Statement of Action counts from the publication of its latest inspection report."""
    terms = calendar_from(year, made_on)
    report = (
        school.inspections.filter(publication_date__isnull=False, publication_date__lte=made_on)
        .order_by("-publication_date")
        .values_list("publication_date", flat=True)
        .first()
        if kind == deadlines.Kind.STATEMENT_OF_ACTION
        else None
    )
    facts = deadlines.PlanFacts(
        kind=kind,
        made_on=made_on,
        carried_forward=ActionPlan.objects.filter(school=school, academic_year=year - 1).exists(),
        report_received=report,
    )
    return deadlines.plan_due(facts, terms=terms, closed=_closed_days(terms))


def _closed_days(terms: list[calendar.HalfTerm]) -> set[date]:
    return calendar.bank_holidays(sorted({t.starts.year for t in terms} | {t.ends.year for t in terms}))


def plans_due_on(schools: list[School], year: int, on: date) -> dict[int, date]:
    """When each school's plan for ``year`` is due as of ``on`` (a letter's date), by school id, in
    the same few queries however many schools: the plan's own date while it is ahead, else the next
    deadline the policy gives a plan made that day (``plan_due``), so a letter sent in December never
    asks for a plan by a past October half-term."""
    ids = [school.pk for school in schools]
    plans = ActionPlan.objects.filter(school_id__in=ids, academic_year__in=[year, year - 1])
    due_by = {}
    carried = set()
    for school_id, plan_year, due in plans.values_list("school_id", "academic_year", "due_by"):
        if plan_year == year:
            due_by[school_id] = due
        else:
            carried.add(school_id)
    kinds = {school.pk: plan_kind(school) for school in schools}
    statements = [pk for pk, kind in kinds.items() if kind == deadlines.Kind.STATEMENT_OF_ACTION]
    reports = dict(
        Inspection.objects.filter(school_id__in=statements, publication_date__isnull=False, publication_date__lte=on)
        .values("school_id")
        .annotate(latest=Max("publication_date"))
        .values_list("school_id", "latest")
        if statements
        else []
    )
    terms = calendar_from(year, on)
    closed = _closed_days(terms)
    due = {}
    for pk in ids:
        if pk in due_by and due_by[pk] >= on:
            due[pk] = due_by[pk]
            continue
        facts = deadlines.PlanFacts(
            kind=kinds[pk], made_on=on, carried_forward=pk in carried, report_received=reports.get(pk)
        )
        due[pk] = deadlines.plan_due(facts, terms=terms, closed=closed)
    return due


# Visits and reports ------------------------------------------------------------------------------------


def visits_of(school: School) -> QuerySet[Visit]:
    return school.visits.select_related("visitor").prefetch_related("reports")


def readable_visits(user) -> QuerySet[Visit]:
    """The visits whose page the user may read, for ``get_for`` to narrow to the user's schools: a
    headteacher or board member reads a visit only once a report on it has been shared."""
    visits = Visit.objects.select_related("school", "visitor")
    if permissions.sees_shared_reports_only(user):
        visits = visits.filter(Exists(VisitReport.objects.filter(visit=OuterRef("pk"), shared_at__isnull=False)))
    return visits


def current_report(visit: Visit) -> VisitReport | None:
    return visit.reports.exclude(status=VisitReport.Status.SUPERSEDED).select_related("author").first()


def report_for_viewer(user, visit: Visit) -> VisitReport | None:
    """The report version the user may read: a head (or board member) sees only the latest shared
    version."""
    if permissions.sees_shared_reports_only(user):
        return visit.reports.filter(shared_at__isnull=False).order_by("-version").select_related("author").first()
    return current_report(visit)


def shared_reports(school: School) -> QuerySet[VisitReport]:
    return (
        VisitReport.objects.filter(visit__school=school, shared_at__isnull=False)
        .exclude(status=VisitReport.Status.SUPERSEDED)
        .select_related("visit", "author")
        .order_by("-visit__scheduled_for")
    )


def quality_assurance_queue() -> QuerySet[VisitReport]:
    """Reports the headteacher has responded to, selected for moderation, awaiting it."""
    return (
        VisitReport.objects.filter(status=VisitReport.Status.RESPONDED, selected_for_qa=True)
        .select_related("visit__school__la", "author")
        .order_by("responded_at")
    )


# Plans ---------------------------------------------------------------------------------------------------


def recruitments_of(school: School) -> QuerySet[HeadteacherRecruitment]:
    """The school's headteacher recruitments the authority supported, latest first."""
    return HeadteacherRecruitment.objects.filter(school=school).select_related("adviser")


def open_recruitment(school: School) -> HeadteacherRecruitment | None:
    """The recruitment still under way at the school (no one appointed yet), if any."""
    return recruitments_of(school).exclude(stage=HeadteacherRecruitment.Stage.APPOINTED).first()


def plan_of(school: School, year: int) -> ActionPlan | None:
    return (
        ActionPlan.objects.filter(school=school, academic_year=year)
        .select_related("agreed_by")
        .prefetch_related("priorities__actions", "milestones", "comments__author")
        .first()
    )


@dataclass
class HeadSchool:
    """What a headteacher sees of one of their schools on their home page."""

    school: School
    category: object
    package: PackageView
    plan: ActionPlan | None
    to_respond: list[VisitReport]
    meetings: list[Meeting]
    letters: list = field(default_factory=list)


def head_home(user) -> list[HeadSchool]:
    year = current_year()
    found = []
    for school in visible_schools(user).select_related("la").order_by("name"):
        found.append(
            HeadSchool(
                school,
                school_category(school, user),
                package_view(school, year),
                ActionPlan.objects.filter(school=school, academic_year=year).first(),
                list(shared_reports(school).filter(status=VisitReport.Status.SHARED)),
                list(upcoming_meetings(school)),
                list(school.letters.filter(sent_on__isnull=False).order_by("-sent_on")),
            )
        )
    return found


def upcoming_meetings(school: School, today: date | None = None) -> QuerySet[Meeting]:
    today = today or timezone.localdate()
    return school.meetings.filter(scheduled_for__gte=today, held_on__isnull=True).order_by("scheduled_for")


# Annual review visits -------------------------------------------------------------------------------


def due_annual_review(year: int) -> QuerySet[School]:
    """The schools in the authority's remit where no trigger for targeted support is identified
    (their agreed category under the active framework needs the least support: Overview,
    universal) and no annual review visit is scheduled or held in the academic year. Seed 003:
    they "will receive an annual review visit", with the headteacher and chair of governors."""
    start, end = year_span(year)
    least = SchoolCategory.objects.filter(framework__is_active=True, category__rank=0)
    reviewed = Visit.objects.filter(kind=ANNUAL_REVIEW, scheduled_for__range=(start, end)).exclude(
        status=Visit.Status.CANCELLED
    )
    return (
        remit()
        .filter(pk__in=least.values("school_id"))
        .exclude(pk__in=reviewed.values("school_id"))
        .select_related("la")
        .order_by("name", "urn")
    )


# Oxfordshire: strategy meetings (seed 003) ------------------------------------------------------------------


def authority_officers() -> QuerySet:
    """The officers (and administrators) working in this authority: who may chair a strategy meeting."""
    return User.objects.filter(
        is_active=True, memberships__authority_id=current_authority_id(), memberships__role__in=[OFFICER, ADMIN]
    ).order_by("full_name")


def authority_people(school: School) -> QuerySet:
    """Who may sit on a school's strategy meeting for the authority: its officers and the school's
    priority partners (the school improvement professionals providing its targeted support)."""
    today = timezone.localdate()
    partners = SchoolAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        school=school,
        relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER,
        user__is_active=True,
    ).values("user")
    return User.objects.filter(Q(pk__in=authority_officers().values("pk")) | Q(pk__in=partners)).order_by("full_name")


STRATEGY_WORDS = "strategy meeting"


def strategy_meeting_schools() -> QuerySet[School]:
    """Schools that hold a strategy meeting every half-term: their agreed category meets half-termly,
    or says it brings strategy meetings (seed 003: "convened on a half-termly basis")."""
    # As ``entitled_category``: the category of the same code in the framework's active version.
    active = Category.objects.filter(
        version__framework=OuterRef("framework"),
        version__status=FrameworkVersion.Status.ACTIVE,
        code=OuterRef("category__code"),
    )
    agreed = (
        SchoolCategory.objects.filter(framework__is_active=True, category__isnull=False)
        .annotate(
            cadence=Coalesce(Subquery(active.values("meeting_cadence")[:1]), F("category__meeting_cadence")),
            summary=Coalesce(Subquery(active.values("support_summary")[:1]), F("category__support_summary")),
        )
        .filter(Q(cadence="half_termly") | Q(summary__icontains=STRATEGY_WORDS))
    )
    return remit().filter(pk__in=agreed.values("school")).order_by("name")


def missing_strategy_meeting(today: date) -> list[tuple[School, calendar.HalfTerm]]:
    """Schools expected to meet this half-term with no strategy meeting in it, scheduled or held."""
    term = calendar.half_term_of(today, half_terms(academic_year_of(today)))
    if term is None:
        return []
    met = Meeting.objects.filter(kind=Meeting.Kind.STRATEGY, scheduled_for__range=(term.starts, term.ends))
    missing = strategy_meeting_schools().exclude(pk__in=met.values("school")).select_related("la")
    return [(school, term) for school in missing]


# Oxfordshire: RI to Good within four terms (seed 003) --------------------------------------------------------

KEY_JUDGEMENTS = (
    "quality_of_education",
    "behaviour_and_attitudes",
    "personal_development",
    "leadership_and_management",
)


def good_or_better(inspection: Inspection) -> bool:
    """A full inspection that found the school Good or better, in its own shape: an overall grade 1
    or 2, every key judgement 1 or 2, or a report card at the expected standard or above everywhere."""
    if inspection.shape == ofsted.Shape.GRADED:
        return inspection.overall_effectiveness in (1, 2)
    if inspection.shape == ofsted.Shape.JUDGEMENTS_ONLY:
        grades = [getattr(inspection, f) for f in KEY_JUDGEMENTS]
        return all(g in (1, 2) for g in grades)
    if inspection.shape == ofsted.Shape.REPORT_CARD:
        return ofsted.outcome(inspection.facts) == ofsted.Outcome.RC_EXPECTED_OR_ABOVE
    return False


@dataclass(frozen=True)
class RiCase:
    school: School
    inspection: Inspection
    inspected_on: date
    target: date | None
    latest_review: RiToGoodReview | None
    status: str

    @property
    def status_label(self) -> str:
        return ri_to_good.LABELS[self.status]


def ri_target(inspected_on: date, calendar_of=None) -> date | None:
    """Four terms after the inspection, in the authority's academic calendar (``calendar_of``, a
    year's half-terms, by default ``half_terms``)."""
    calendar_of = calendar_of or half_terms
    year = academic_year_of(inspected_on)
    terms = [t for y in range(year, year + 3) for t in ri_to_good.terms_of(calendar_of(y))]
    return ri_to_good.target_date(inspected_on, terms)


def ri_to_good_cases(today: date, schools: QuerySet[School] | None = None) -> list[RiCase]:
    """Every maintained school whose latest graded inspection requires improvement, with its target
    to meet the criteria for Good within four terms (from publication, or the start when not
    published), its latest review and where it stands. A school found Good or better since is
    shown as met for a year after; one found worse since is no longer on this track."""
    schools = schools if schools is not None else School.objects.filter(maintained_in_remit())
    # Grade 3 before September 2012 was "satisfactory", not requires improvement.
    ri = Inspection.objects.filter(
        school__in=schools,
        shape=ofsted.Shape.GRADED,
        overall_effectiveness=3,
        start_date__gte=ofsted.SATISFACTORY_UNTIL,
    )
    # The schools themselves are read only for the cases found, below: most inspections read here are
    # not a case's (thousands in a national register).
    full = (
        Inspection.objects.filter(school__in=ri.values("school"), start_date__isnull=False)
        .exclude(shape=ofsted.Shape.UNGRADED)
        .order_by("school", "start_date")
    )
    by_school: dict[int, list[Inspection]] = {}
    for inspection in full:
        by_school.setdefault(inspection.school_id, []).append(inspection)
    reviews: dict[int, list[RiToGoodReview]] = {}
    # By subquery: a list of every school's id would be a statement of thousands of parameters.
    for review in RiToGoodReview.objects.filter(school__in=ri.values("school")).select_related("reviewed_by"):
        reviews.setdefault(review.inspection_id, []).append(review)
    # Every year a target can fall in, read in one query: the RI inspection's year and the two after.
    first_years = {academic_year_of(i.publication_date or i.start_date) for found in by_school.values() for i in found}
    years = half_terms_by_year(sorted({y + n for y in first_years for n in range(3)}))
    cases = []
    for inspections in by_school.values():
        graded_ri = [
            i
            for i in inspections
            if i.shape == ofsted.Shape.GRADED
            and i.overall_effectiveness == 3
            and i.start_date >= ofsted.SATISFACTORY_UNTIL
        ]
        if not graded_ri:
            continue
        last_ri = graded_ri[-1]
        later = [i for i in inspections if i.start_date > last_ri.start_date]
        improved = bool(later) and good_or_better(later[-1])
        if later and not (improved and later[-1].start_date >= today - timedelta(days=365)):
            continue
        inspected_on = last_ri.publication_date or last_ri.start_date
        target = ri_target(inspected_on, years.__getitem__)
        found = reviews.get(last_ri.pk, [])
        judgements = [r.judgement for r in found]
        state = ri_to_good.status(target=target, today=today, improved=improved, judgements=judgements)
        cases.append((last_ri, inspected_on, target, found[0] if found else None, state))
    schools_of = School.objects.select_related("la").in_bulk({case[0].school_id for case in cases})
    found_cases = []
    for last_ri, inspected_on, target, review, state in cases:
        last_ri.school = schools_of[last_ri.school_id]
        found_cases.append(RiCase(last_ri.school, last_ri, inspected_on, target, review, state))
    return sorted(found_cases, key=lambda c: (c.target or date.max, c.school.name))


def ri_to_good_case(school: School, today: date) -> RiCase | None:
    found = ri_to_good_cases(today, School.objects.filter(pk=school.pk))
    return found[0] if found else None


def ri_to_good_overdue(today: date) -> list[tuple[School, date]]:
    """Schools past their four-term target to meet the criteria for Good and not yet meeting them,
    with the date it was due: for the overdue list."""
    return [(c.school, c.target) for c in ri_to_good_cases(today) if c.status == ri_to_good.Status.OVERDUE]


# A review changes where a school stands: the overdue cases kept (``first_ri_to_good_overdue``) name the
# reviews' generation in their key, and each review starts a new one.
RI_REVIEWS_GENERATION = "support:ri-to-good-reviews-generation"


def forget_ri_to_good_overdue() -> None:
    """After a review of progress to Good: the overdue cases are worked out again."""
    cache.set(RI_REVIEWS_GENERATION, uuid.uuid4().hex, None)


def first_ri_to_good_overdue(today: date, first: int) -> tuple[list[tuple[School, date]], int]:
    """``ri_to_good_overdue``'s first ``first`` (by due date, then name) and how many there are. Working
    them out reads every requires-improvement school's inspections (thousands in a national register),
    and they change only with the day, an inspection (an import, or an outcome entered: the register's
    generation, ``schools.filters.register_generation``) or a review, so the cases are kept per
    authority, day, register generation and reviews' generation for ``CHOICES_CACHE_SECONDS``; the
    schools shown are read each time."""
    seconds = settings.CHOICES_CACHE_SECONDS
    key = (
        f"support:ri-to-good-overdue:1:{remit_key()}:{today.isoformat()}:"
        f"{register_generation()}:{cache.get(RI_REVIEWS_GENERATION)}"
    )
    held = cache.get(key) if seconds else None
    if held is None:
        cases = sorted(ri_to_good_overdue(today), key=lambda case: (case[1], case[0].name))
        if seconds:
            cache.set(key, [(school.pk, due) for school, due in cases], seconds)
        return cases[:first], len(cases)
    shown = School.objects.in_bulk([pk for pk, _ in held[:first]])
    return [(shown[pk], due) for pk, due in held[:first] if pk in shown], len(held)


# Oxfordshire: the new headteachers' network and academies' conversations (seed 003) -------------------------


def network_meetings() -> QuerySet[NetworkMeeting]:
    return NetworkMeeting.objects.prefetch_related("invitations__head__school")


def new_heads_for_network(today: date) -> QuerySet[NewHeadteacher]:
    """Headteachers new in the last year, each with whether they have been invited to a network
    meeting and whether they have attended one."""
    invited = NetworkInvitation.objects.filter(head=OuterRef("pk"))
    return (
        NewHeadteacher.objects.filter(starts_on__gte=today - timedelta(days=365), starts_on__lte=today)
        .annotate(invited=Exists(invited), attended=Exists(invited.filter(attended=True)))
        .select_related("school")
        .order_by("starts_on", "name")
    )


def academies_due_conversation(year: int) -> QuerySet[School]:
    """Academies due an annual structured conversation this year and not yet discussed in one: those
    requiring improvement or inadequate at their latest inspection, or in a category of support
    above the lowest (causing concern, or at risk of being judged less than good)."""
    start, end = year_span(year)
    discussed = AcademyConversation.objects.filter(held_on__range=(start, end)).values("schools")
    return academies_of_concern().exclude(pk__in=discussed)


def academies_of_concern() -> QuerySet[School]:
    """The authority's academies requiring improvement or inadequate at their latest inspection, or
    in a category of support above the lowest."""
    concern = Q(ofsted_outcome__in=["requires_improvement", "inadequate", "rc_urgent_improvement"])
    supported = SchoolCategory.objects.filter(framework__is_active=True, category__rank__gt=0)
    return (
        remit()
        .filter(type_group_name__in=ACADEMY_TYPE_GROUPS)
        .filter(concern | Q(pk__in=supported.values("school")))
        .select_related("la")
        .order_by("name")
    )


def academy_conversations(year: int) -> QuerySet[AcademyConversation]:
    start, end = year_span(year)
    return AcademyConversation.objects.filter(held_on__range=(start, end)).prefetch_related("schools")
