"""Reads for support delivery: the calendar, each school's support and its balance, a partner's
caseload, and the visits, reports and plans a person may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from accounts.authorities import current_authority_id
from accounts.models import SchoolAssignment
from accounts.selectors import active_assignments
from categorisation.models import Category, SchoolCategory
from categorisation.selectors import entitled_category, school_category
from core.calendar import academic_year_of, year_span
from schools.access import visible_schools
from schools.models import School
from support import calendar, deadlines, entitlements
from support.models import (
    AcademicYear,
    Action,
    ActionPlan,
    EntitlementKind,
    HalfTerm,
    Meeting,
    NewHeadteacher,
    PartnerProfile,
    SupportPackage,
    Visit,
    VisitReport,
)

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
        .prefetch_related("adjustments__made_by", "allocations__partner")
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


def partner_load(user, year: int) -> entitlements.PartnerLoad:
    profile = PartnerProfile.objects.filter(user=user).first()
    allocated = user.allocations.filter(package__academic_year=year).values_list("days", flat=True)
    return entitlements.partner_load(profile.capacity_days if profile else Decimal(0), allocated)


def partners(year: int) -> QuerySet[PartnerProfile]:
    """Every partner working for the authority with their days allocated this year and their
    schools (the authority's: the joins read past the managers' scope), in two queries."""
    authority = current_authority_id()
    return (
        PartnerProfile.objects.select_related("user", "organisation")
        .annotate(
            allocated=Sum(
                "user__allocations__days",
                filter=Q(
                    user__allocations__package__academic_year=year,
                    user__allocations__package__authority_id=authority,
                ),
            ),
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
            PartnerProfile.objects.select_related("user", "organisation")
            .prefetch_related("interests__school", "user__school_assignments__school")
            .get(pk=pk)
        )
    except PartnerProfile.DoesNotExist as exc:
        raise Http404("No partner found") from exc


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


def half_terms_of_years(years: list[int]) -> list[calendar.HalfTerm]:
    """The half-terms of several years, in order, in one query: each year's as officers set them,
    or England's defaults."""
    stored: dict[int, list[calendar.HalfTerm]] = {}
    rows = HalfTerm.objects.filter(year__start_year__in=years).order_by("year__start_year", "number")
    for row in rows.values("year__start_year", "number", "name", "starts", "ends"):
        term = calendar.HalfTerm(row["number"], row["name"], row["starts"], row["ends"])
        stored.setdefault(row["year__start_year"], []).append(term)
    return [term for y in sorted(set(years)) for term in stored.get(y) or calendar.england_half_terms(y)]


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
    closed = calendar.bank_holidays(sorted({t.starts.year for t in terms} | {t.ends.year for t in terms}))
    return deadlines.plan_due(facts, terms=terms, closed=closed)


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
