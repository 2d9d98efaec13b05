"""Reads in the schools domain. Each selector starts from what the user may see and owns its
``select_related`` so a page's query count does not grow with its rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, IntegerField, JSONField, OuterRef, Q, QuerySet, Subquery, Value
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


def page_of(schools: QuerySet[School], number, size: int) -> Page:
    """One page of an ordered list of schools, read by a narrow query first: the page's ids are
    found by sorting only the columns the order needs, and only those rows are read in full, with
    their annotations (a page far down the list does not build every row before it)."""
    page = Paginator(schools, size).get_page(number)
    ids = page.object_list.values("pk")
    page.object_list = list(schools.filter(pk__in=ids))
    return page


def school_for(user, urn: int) -> School:
    """The school with this URN if the user may see it; 404 otherwise, whether or not it exists."""
    try:
        return visible_schools(user).select_related("la", "trust", "federation", "latest_inspection").get(urn=urn)
    except School.DoesNotExist as exc:
        raise Http404("No school found") from exc


def school_page_for(user, urn: int) -> School:
    """``school_for``, with the inspection policy the school's next window is estimated by read in
    the same query (``school.inspection_policy``)."""
    from categorisation.models import InspectionPolicySetting
    from categorisation.windows import InspectionPolicy

    setting = InspectionPolicySetting.objects.order_by("pk").values("values")[:1]
    try:
        school = (
            visible_schools(user)
            .select_related("la", "trust", "federation", "latest_inspection")
            .annotate(inspection_policy_values=Subquery(setting, output_field=JSONField()))
            .get(urn=urn)
        )
    except School.DoesNotExist as exc:
        raise Http404("No school found") from exc
    values = school.inspection_policy_values
    school.inspection_policy = InspectionPolicy.from_dict(values if isinstance(values, dict) else {})
    return school


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
    phase = comparison_phase(school)
    # One query: the school's figures, and the national figures for the measures and years it has.
    own = school.measures.order_by().annotate(source=Value("school", output_field=CharField()))
    held = school.measures.order_by()
    nationals = NationalFigure.objects.order_by().filter(
        measure__in=held.values("measure"), academic_year__in=held.values("academic_year")
    )
    rows_read = own.values_list("source", "measure", "academic_year", "value", "marker").union(
        nationals.annotate(source=Value("national", output_field=CharField())).values_list(
            "source", "measure", "academic_year", "value", "phase"
        ),
        all=True,
    )
    figures, national = [], defaultdict(dict)
    for source, code, year, value, marker_or_phase in rows_read:
        if source == "school":
            figures.append((code, year, value, marker_or_phase))
        else:
            national[(code, year)][marker_or_phase] = value
    years = sorted({year for _, year, _, _ in figures})
    codes = {code for code, _, _, _ in figures}
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


def _count_of(model) -> Subquery:
    """``(SELECT COUNT(*) FROM <model's table>)``, to read beside other figures in one query."""
    rows = model.objects.order_by().values(one=Value(1)).annotate(n=Count("*")).values("n")
    return Subquery(rows, output_field=IntegerField())


def officer_summary() -> OfficerSummary:
    """The register's figures for the officer's home page, in one query: schools by Ofsted outcome
    (all and open), with the counts of local authorities and inspections alongside."""
    by_outcome_rows = list(
        School.objects.order_by()
        .values("ofsted_outcome")
        .annotate(
            total=Count("pk"),
            # GIAS's statuses "Open" and "Open, but proposed to close" (a case-sensitive LIKE: the
            # register spells them so, and UPPER() on every row cost 8 ms at national scale).
            open=Count("pk", filter=Q(status_name__startswith="Open")),
            local_authorities=_count_of(LocalAuthority),
            inspections=_count_of(Inspection),
        )
    )
    if by_outcome_rows:
        local_authorities, inspections = by_outcome_rows[0]["local_authorities"], by_outcome_rows[0]["inspections"]
    else:  # no schools yet: the other counts still stand
        local_authorities, inspections = LocalAuthority.objects.count(), Inspection.objects.count()
    outcome_counts = {row["ofsted_outcome"]: row["open"] for row in by_outcome_rows}
    by_outcome = [(choice.value, choice.label, outcome_counts.get(choice.value, 0)) for choice in Outcome]
    by_outcome.append(("none", "No inspection on record", outcome_counts.get("", 0)))
    return OfficerSummary(
        schools=sum(row["total"] for row in by_outcome_rows),
        open_schools=sum(row["open"] for row in by_outcome_rows),
        local_authorities=local_authorities,
        inspections=inspections,
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
