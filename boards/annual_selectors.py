"""Reads for Birmingham's annual identification (seed 004, stage 1): the schools found vulnerable
for the first time, whose head is visited before the list is agreed, and the academies whose
assessment raises significant concerns, notified to the regional director each September."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.authorities import current_authority
from boards.models import AcademyNotification, PriorityEntry, VulnerabilityVisit
from categorisation.models import Category, SchoolCategory
from schools import ofsted
from schools.models import ACADEMY_TYPE_GROUPS, School

# A good or outstanding school's latest outcome: the only schools this step is for.
GOOD_OR_BETTER = (ofsted.Outcome.OUTSTANDING, ofsted.Outcome.GOOD)
# The inspection outcomes that are a significant concern about an academy in themselves.
CONCERN_OUTCOMES = {
    ofsted.Outcome.INADEQUATE: "Latest inspection: inadequate",
    ofsted.Outcome.RC_URGENT: "Latest inspection: urgent improvement or safeguarding not met",
    ofsted.Outcome.REQUIRES_IMPROVEMENT: "Latest inspection: requires improvement",
    ofsted.Outcome.RC_NEEDS_ATTENTION: "Latest inspection: an area needs attention",
}
NOTIFY_BY = (9, 30)  # seed 004: "notified ... in September"


# The year-end review (seed 004, B8: "at the end of each academic year") -----------------------------------


def year_end_review_opens(half_terms: list) -> date:
    """The day the year-end review of the list opens: the first day of the year's last half-term
    (after the late May half-term holiday), so the board reviews the list in June and July."""
    return half_terms[-1].starts


def year_end_review_open(year: int, today: date, half_terms: list) -> bool:
    """Whether the board may carry the list of ``year`` forward on ``today``: in that year, from the
    last half-term on."""
    return year_end_review_opens(half_terms) <= today <= date(year + 1, 8, 31)


# Visit and agree ------------------------------------------------------------------------------------------


def _newly_vulnerable(year: int) -> QuerySet[PriorityEntry]:
    last_year = PriorityEntry.objects.filter(academic_year=year - 1).filter(
        Q(status__in=[PriorityEntry.Status.ON_LIST, PriorityEntry.Status.REMOVED])
        | Q(reason=PriorityEntry.Reason.VULNERABLE)
    )
    return PriorityEntry.objects.filter(academic_year=year, reason=PriorityEntry.Reason.VULNERABLE).exclude(
        school_id__in=last_year.values("school_id")
    )


def newly_vulnerable(year: int) -> list[PriorityEntry]:
    """This year's proposals of good or better schools as vulnerable whose school was neither on
    the list nor proposed as vulnerable last year: vulnerable for the first time (seed 004). Each
    carries ``visit``, the visit to its head this year, or None."""
    entries = list(_newly_vulnerable(year).select_related("school__la").order_by("school__name"))
    visits = {
        v.school_id: v for v in VulnerabilityVisit.objects.filter(academic_year=year).select_related("visited_by")
    }
    for entry in entries:
        entry.visit = visits.get(entry.school_id)
    return entries


def awaiting_visit(year: int) -> list[PriorityEntry]:
    """Newly vulnerable schools still proposed whose head has not been visited: the agreement
    page warns of each."""
    return [e for e in newly_vulnerable(year) if e.visit is None and e.status == PriorityEntry.Status.PROPOSED]


def awaiting_visit_entries(year: int) -> QuerySet[PriorityEntry]:
    """``awaiting_visit`` as a query (its entries without their visits), for a page that shows the first
    few of them and counts the rest."""
    visited = VulnerabilityVisit.objects.filter(school=OuterRef("school"), academic_year=year)
    return _newly_vulnerable(year).filter(status=PriorityEntry.Status.PROPOSED).exclude(Exists(visited))


def visit_for(school: School, year: int) -> VulnerabilityVisit | None:
    return VulnerabilityVisit.objects.filter(school=school, academic_year=year).first()


def visits_by_school(year: int, school_ids: list[int]) -> dict[int, VulnerabilityVisit]:
    return {v.school_id: v for v in VulnerabilityVisit.objects.filter(academic_year=year, school_id__in=school_ids)}


# Academy notifications ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcademyConcern:
    school: School
    concerns: tuple[str, ...]


def academy_concerns() -> list[AcademyConcern]:
    """Open academies and free schools of the authority's LAs whose latest inspection is below good,
    or whose assessment proposes (or agreed) the active framework's most supported category: the
    significant concerns seed 004 has notified to the regional director. Three queries."""
    authority = current_authority()
    if authority is None:
        return []
    academies = (
        School.objects.filter(la__code__in=authority.la_codes, type_group_name__in=ACADEMY_TYPE_GROUPS)
        .exclude(status_name__istartswith="closed")
        .select_related("la")
    )
    top = (
        Category.objects.filter(version__framework__is_active=True)
        .order_by("-rank")
        .values_list("rank", flat=True)
        .first()
    )
    high: dict[int, str] = {}
    if top is not None:
        for standing in SchoolCategory.objects.filter(
            Q(category__rank=top) | Q(proposed__rank=top), framework__is_active=True, school__in=academies
        ).select_related("category", "proposed"):
            shown = standing.category if standing.category and standing.category.rank == top else standing.proposed
            high[standing.school_id] = f"Category {shown.label}"
    found = []
    for school in academies.filter(Q(ofsted_outcome__in=list(CONCERN_OUTCOMES)) | Q(pk__in=list(high))):
        concerns = [CONCERN_OUTCOMES[school.ofsted_outcome]] if school.ofsted_outcome in CONCERN_OUTCOMES else []
        if school.pk in high:
            concerns.append(high[school.pk])
        found.append(AcademyConcern(school, tuple(concerns)))
    return found


def notifications(year: int) -> QuerySet[AcademyNotification]:
    return AcademyNotification.objects.filter(academic_year=year).select_related("notified_by")


def notification_overdue(year: int, today: date) -> bool:
    """September of ``year`` has passed with academies of concern not notified (seed 004)."""
    return today > date(year, *NOTIFY_BY) and not notifications(year).exists()
