"""What each endpoint reads. Every read starts from ``visible_schools`` (through the page's own
selectors where there is one), so the API shows a person exactly the schools, and the records
of schools, that the pages show them; each owns its ``select_related`` and ``prefetch_related``
so a list makes the same number of queries whatever its page size."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from accounts import permissions
from boards.models import PriorityEntry
from boards.selectors import priority_list
from categorisation.models import CategoryDecision, SchoolCategory
from categorisation.selectors import with_agreed_category
from schools.access import get_for, visible_schools
from schools.models import Inspection, School
from schools.selectors import school_list
from support.models import SupportPackage, Visit, VisitReport
from support.selectors import current_year, package_view


def schools(user) -> QuerySet[School]:
    """The schools the user may see, as the school list reads them (with their category)."""
    return with_agreed_category(school_list(user)).select_related("trust", "federation").order_by("name", "urn")


def inspections(user, urn: int) -> QuerySet[Inspection]:
    """The inspections of one school the user may see, newest first; 404 for any other school."""
    return get_for(user, School, urn=urn).inspections.order_by("-start_date", "-inspection_number")


def categories(user) -> QuerySet[School]:
    """The schools the user may see, each with its standing under the active framework
    (``school.active_standing``: a list of at most one)."""
    standing = SchoolCategory.objects.filter(framework__is_active=True).select_related(
        "framework", "category", "proposed", "decision__decided_by"
    )
    return (
        visible_schools(user)
        .order_by("name", "urn")
        .prefetch_related(Prefetch("categories", queryset=standing, to_attr="active_standing"))
    )


def category_decisions(user) -> QuerySet[CategoryDecision]:
    """Every decision in the category history of the schools the user may see, newest first
    (the history is for LA officers and administrators: the policy's ``api:category-decision-list``)."""
    return (
        CategoryDecision.objects.filter(school__in=visible_schools(user))
        .select_related("school__la", "category", "previous", "decided_by", "version__framework")
        .order_by("-decided_at", "-pk")
    )


def priority_entries(year: int | None = None) -> QuerySet[PriorityEntry]:
    """This academic year's priority list, as the board's list page reads it (with each school's
    current priority partner)."""
    return priority_list(year or current_year()).order_by("status", "school__name", "pk")


def support_packages(user) -> QuerySet[SupportPackage]:
    """The support packages of the schools the user may see, newest year first."""
    return (
        SupportPackage.objects.filter(school__in=visible_schools(user))
        .select_related("school__la", "category")
        .prefetch_related("adjustments__made_by", "allocations__partner")
        .order_by("-academic_year", "school__name", "pk")
    )


def with_balances(package: SupportPackage) -> SupportPackage:
    """The package with what is entitled, allocated, delivered and remaining of each kind
    (``package.view``), as the school's support page works it out."""
    package.view = package_view(package.school, package.academic_year)
    return package


def visits(user) -> QuerySet[Visit]:
    """The visits the user may see (``support.selectors.visit_for``): every visit to their
    schools for LA officers and partners; for headteachers and board members only those with a
    report shared with the school. Each visit's report versions come newest first."""
    found = Visit.objects.filter(school__in=visible_schools(user))
    if permissions.sees_shared_reports_only(user):
        shared = VisitReport.objects.filter(visit=OuterRef("pk"), shared_at__isnull=False)
        found = found.filter(Exists(shared))
    versions = VisitReport.objects.select_related("author", "responded_by", "qa_by").order_by("-version")
    return (
        found.select_related("school__la", "visitor")
        .prefetch_related(Prefetch("reports", queryset=versions))
        .order_by("-scheduled_for", "-pk")
    )


def readable_report(user, visit: Visit) -> VisitReport | None:
    """The report version the user may read, from the versions ``visits`` prefetched: as
    ``support.selectors.report_for_viewer``, the latest shared version for headteachers and board
    members, the current version (a draft included) for everyone else."""
    versions = visit.reports.all()
    if permissions.sees_shared_reports_only(user):
        return next((r for r in versions if r.shared_at is not None), None)
    return next((r for r in versions if r.status != VisitReport.Status.SUPERSEDED), None)
