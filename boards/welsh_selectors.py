"""Reads for a Welsh authority's school-improvement processes (seed 001, the Vale of Glamorgan's
self-evaluation with the Central South Consortium): informal warning notices, monthly risk management
conferences, termly target reviews and consultant governors for amber and red schools. Each list is a
bounded number of queries however many rows it has."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts import permissions
from accounts.authorities import current_authority_id, in_wales
from accounts.models import SchoolAssignment
from boards.models import ConcernMeeting, InformalWarningNotice, TargetReview
from categorisation.models import SchoolCategory
from schools.access import remit
from schools.models import School
from support import calendar
from support.models import BrokeredSupport
from support.selectors import current_year, half_terms

# The agreed support categories that get a consultant governor (seed 001: "all amber schools"; red too).
GOVERNOR_CATEGORIES = ("amber", "red")
CONSULTANT_GOVERNOR = BrokeredSupport.Provider.CONSULTANT_GOVERNOR
TERM_OF_HALF_TERM = {
    1: TargetReview.Term.AUTUMN,
    2: TargetReview.Term.AUTUMN,
    3: TargetReview.Term.SPRING,
    4: TargetReview.Term.SPRING,
    5: TargetReview.Term.SUMMER,
    6: TargetReview.Term.SUMMER,
}


# Terms --------------------------------------------------------------------------------------------------------


def term_of(day: date, terms: list[calendar.HalfTerm]) -> str:
    """The term a day falls in, from the year's half-terms (autumn 1–2, spring 3–4, summer 5–6); a
    holiday belongs to the term before it, a day before the year's first half-term to the autumn."""
    started = [h for h in terms if h.starts <= day]
    if not started:
        return TargetReview.Term.AUTUMN
    return TERM_OF_HALF_TERM[max(started, key=lambda h: h.number).number]


def current_term(today: date | None = None) -> tuple[int, str]:
    """(academic year, term) today, on the authority's own term dates."""
    today = today or timezone.localdate()
    year = current_year(today)
    return year, term_of(today, half_terms(year))


# Informal warning notices -------------------------------------------------------------------------------------


def informal_notices() -> QuerySet[InformalWarningNotice]:
    return InformalWarningNotice.objects.select_related(
        "school__la", "recovery_plan", "formal_notice", "issued_by", "updated_by"
    )


# Risk management conferences ----------------------------------------------------------------------------------


def risk_conferences() -> QuerySet[ConcernMeeting]:
    return (
        ConcernMeeting.objects.filter(kind=ConcernMeeting.Kind.RISK_CONFERENCE)
        .annotate(
            school_count=Count("school_risks", distinct=True),
            action_count=Count("actions", distinct=True),
            open_count=Count("actions", filter=Q(actions__done=False), distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def held_this_month(today: date | None = None) -> bool:
    """Whether this month's conference (seed 001: monthly) has been recorded."""
    today = today or timezone.localdate()
    return ConcernMeeting.objects.filter(
        kind=ConcernMeeting.Kind.RISK_CONFERENCE, held_on__year=today.year, held_on__month=today.month
    ).exists()


# Termly target reviews ----------------------------------------------------------------------------------------


def _challenge_adviser(today: date) -> Subquery:
    """The name of a school's current priority partner: in Wales, its challenge adviser."""
    return Subquery(
        SchoolAssignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            school=OuterRef("pk"),
            authority_id=current_authority_id(),
            relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER,
            starts_on__lte=today,
        )
        .order_by("-starts_on")
        .values("user__full_name")[:1]
    )


def missing_target_reviews(year: int, term: str, today: date | None = None) -> QuerySet[School]:
    """The authority's schools with no target review for the term, each with its challenge adviser."""
    today = today or timezone.localdate()
    reviewed = TargetReview.objects.filter(academic_year=year, term=term).values("school_id")
    return (
        remit()
        .exclude(pk__in=reviewed)
        .select_related("la")
        .annotate(challenge_adviser=_challenge_adviser(today))
        .order_by("name")
    )


def target_reviews_of(school: School) -> QuerySet[TargetReview]:
    return TargetReview.objects.filter(school=school).select_related("reviewed_by").prefetch_related("targets")


# Consultant governors ------------------------------------------------------------------------------------------


def agreed_category_code(school: School) -> str | None:
    """The code of the school's agreed category under the active framework (green, yellow, amber, red)."""
    standing = (
        SchoolCategory.objects.filter(school=school, framework__is_active=True, category__isnull=False)
        .select_related("category")
        .first()
    )
    return standing.category.code if standing else None


def _current(today: date) -> Q:
    return Q(ends__isnull=True) | Q(ends__gte=today)


def consultant_governors(today: date | None = None) -> QuerySet[BrokeredSupport]:
    """Consultant governors brokered now (those whose placement has not ended)."""
    today = today or timezone.localdate()
    return (
        BrokeredSupport.objects.filter(_current(today), provider_type=CONSULTANT_GOVERNOR, school__in=remit())
        .select_related("school__la")
        .order_by("school__name", "-starts")
    )


def without_consultant_governor(today: date | None = None) -> QuerySet[SchoolCategory]:
    """Amber and red schools (agreed category) with no consultant governor now."""
    today = today or timezone.localdate()
    placed = BrokeredSupport.objects.filter(_current(today), provider_type=CONSULTANT_GOVERNOR).values("school_id")
    return (
        SchoolCategory.objects.filter(
            framework__is_active=True, category__code__in=GOVERNOR_CATEGORIES, school__in=remit()
        )
        .exclude(school_id__in=placed)
        .select_related("school__la", "category")
        .order_by("school__name")
    )


# The school page ----------------------------------------------------------------------------------------------


@dataclass
class SchoolWelsh:
    """What the school page shows of a Welsh school's processes, and the links to them."""

    notices: list[InformalWarningNotice] = field(default_factory=list)
    governors: list[BrokeredSupport] = field(default_factory=list)
    reviews: list[TargetReview] = field(default_factory=list)
    officer: bool = False


def school_summary(user, school: School) -> SchoolWelsh | None:
    """None for a school outside Wales or an authority in England (their pages are unchanged); at
    most three queries otherwise, and only those the person may see."""
    if not school.is_welsh or not in_wales():
        return None
    officer = permissions.is_officer(user)
    summary = SchoolWelsh(officer=officer)
    if officer:
        summary.notices = list(InformalWarningNotice.objects.filter(school=school).order_by("-issued_on", "-pk")[:5])
    if officer or permissions.is_partner(user):
        summary.reviews = list(
            TargetReview.objects.filter(school=school).order_by("-academic_year", "-reviewed_on")[:3]
        )
    summary.governors = list(
        BrokeredSupport.objects.filter(school=school, provider_type=CONSULTANT_GOVERNOR).order_by("-starts")[:5]
    )
    return summary
