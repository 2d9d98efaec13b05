"""Reads in the schools domain. Each selector starts from what the user may see and owns its
``select_related`` so a page's query count does not grow with its rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts import permissions
from accounts.models import Role
from accounts.selectors import visible_schools
from schools import measures
from schools.models import ImportRun, Inspection, IntelligenceNote, LocalAuthority, NationalFigure, School
from schools.ofsted import Outcome

LIST_RELATED = ("la", "latest_inspection")


def school_list(user) -> QuerySet[School]:
    """The schools the user may see, ready for the list page and its CSV download, each with its
    agreed category under the active framework."""
    from categorisation.models import SchoolCategory

    current = SchoolCategory.objects.filter(school=OuterRef("pk"), framework__is_active=True)
    return (
        visible_schools(user)
        .select_related(*LIST_RELATED)
        .annotate(
            category_label=Subquery(current.values("category__label")[:1]),
            category_colour=Subquery(current.values("category__colour")[:1]),
        )
    )


def school_for(user, urn: int) -> School:
    """The school with this URN if the user may see it; 404 otherwise, whether or not it exists."""
    try:
        return visible_schools(user).select_related("la", "trust", "federation", "latest_inspection").get(urn=urn)
    except School.DoesNotExist as exc:
        raise Http404("No school found") from exc


def inspections_of(school: School) -> list[Inspection]:
    return list(school.inspections.order_by("-start_date", "-inspection_number"))


def visible_notes(user, school: School) -> QuerySet[IntelligenceNote]:
    """Intelligence notes the user may read: officers all, the school's partner those shared
    with partners or the school, the head only those shared with the school."""
    notes = school.intelligence_notes.select_related("author")
    if permissions.is_officer(user):
        return notes
    if user.role == Role.PRIORITY_PARTNER:
        return notes.filter(visibility__in=[IntelligenceNote.Visibility.PARTNER, IntelligenceNote.Visibility.SCHOOL])
    if user.role == Role.HEADTEACHER:
        return notes.filter(visibility=IntelligenceNote.Visibility.SCHOOL)
    if user.role == Role.BOARD_MEMBER:
        # The board reviews the school's case, but never restricted intelligence.
        return notes.filter(visibility__in=[IntelligenceNote.Visibility.PARTNER, IntelligenceNote.Visibility.SCHOOL])
    return notes.none()


def comparison_phase(school: School) -> str:
    """Which national figure a school is compared with."""
    return comparison_phase_of(school.phase_name, school.type_name, school.type_group_name)


def comparison_phase_of(phase_name: str, type_name: str, type_group_name: str) -> str:
    if "special" in (type_group_name or "").lower() or "special" in (type_name or "").lower():
        return NationalFigure.Phase.SPECIAL
    phase = (phase_name or "").lower()
    if "primary" in phase or phase == "nursery":
        return NationalFigure.Phase.PRIMARY
    if "secondary" in phase or "all" in phase or "16" in phase:
        return NationalFigure.Phase.SECONDARY
    return NationalFigure.Phase.ALL


@dataclass
class Cell:
    value: Decimal | None = None
    marker: str = ""
    national: Decimal | None = None
    comparison: str = ""


@dataclass
class MeasureRow:
    measure: measures.Measure
    cells: list[Cell] = field(default_factory=list)


@dataclass
class PerformanceTable:
    years: list[int]
    rows: list[MeasureRow]

    @property
    def year_labels(self) -> list[str]:
        return [measures.academic_year_label(y) for y in self.years]


def performance_table(school: School) -> PerformanceTable:
    """Each measure the school has across the years, with the national figure beside it."""
    figures = list(school.measures.values_list("measure", "academic_year", "value", "marker"))
    years = sorted({year for _, year, _, _ in figures})
    codes = {code for code, _, _, _ in figures}
    phase = comparison_phase(school)
    national: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(dict)
    for code, year, nphase, value in NationalFigure.objects.filter(
        measure__in=codes, academic_year__in=years
    ).values_list("measure", "academic_year", "phase", "value"):
        national[(code, year)][nphase] = value
    by_key = {(code, year): (value, marker) for code, year, value, marker in figures}
    rows = []
    for measure in measures.MEASURES:
        if measure.code not in codes:
            continue
        row = MeasureRow(measure)
        for year in years:
            value, marker = by_key.get((measure.code, year), (None, ""))
            options = national.get((measure.code, year), {})
            # A count (pupils) is not compared with the national total.
            nat = None if measure.unit == "pupils" else options.get(phase, options.get(NationalFigure.Phase.ALL))
            row.cells.append(Cell(value, marker, nat, measures.compare(measure, value, nat)))
        rows.append(row)
    return PerformanceTable(years=years, rows=rows)


@dataclass(frozen=True)
class OfficerSummary:
    schools: int
    open_schools: int
    local_authorities: int
    inspections: int
    by_outcome: list[tuple[str, str, int]]
    recent_imports: list[ImportRun]


def officer_summary() -> OfficerSummary:
    counts = School.objects.aggregate(total=Count("pk"), open=Count("pk", filter=Q(status_name__istartswith="open")))
    outcome_counts = dict(
        School.objects.filter(status_name__istartswith="open").values_list("ofsted_outcome").annotate(n=Count("pk"))
    )
    by_outcome = [(choice.value, choice.label, outcome_counts.get(choice.value, 0)) for choice in Outcome]
    by_outcome.append(("none", "No inspection on record", outcome_counts.get("", 0)))
    return OfficerSummary(
        schools=counts["total"],
        open_schools=counts["open"],
        local_authorities=LocalAuthority.objects.count(),
        inspections=Inspection.objects.count(),
        by_outcome=by_outcome,
        recent_imports=list(recent_imports(5)),
    )


def recent_imports(limit: int | None = None) -> QuerySet[ImportRun]:
    runs = ImportRun.objects.select_related("started_by").defer("errors")
    return runs[:limit] if limit else runs


def import_run_for(user, pk: int) -> ImportRun:
    if not permissions.can_import_data(user):
        raise PermissionDenied("Only LA officers can see imports.")
    try:
        return ImportRun.objects.select_related("started_by").get(pk=pk)
    except ImportRun.DoesNotExist as exc:
        raise Http404("No import found") from exc
