"""Reads for a school's action plan page beyond the plan itself."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Max, Q, Value

from categorisation.selectors import with_agreed_category
from core.calendar import academic_year_label
from schools import measures
from schools.access import remit
from schools.models import NationalFigure, PerformanceMeasure, School
from schools.selectors import comparison_phase, comparison_phase_of
from support import quartiles
from support.selectors import current_year, on_priority_list

# Measures with a direction: which way is worse is what a quartile asks.
DIRECTED = [m.code for m in measures.MEASURES if m.higher_is_better is not None]


@dataclass(frozen=True)
class LowQuartile:
    """A measure where the school is in the authority's lowest quartile of its phase."""

    measure: measures.Measure
    year: int
    value: Decimal
    boundary: Decimal
    schools: int  # how many of the authority's schools of the phase have the figure

    @property
    def year_label(self) -> str:
        return academic_year_label(self.year)

    @property
    def value_text(self) -> str:
        return self.measure.format(self.value)

    @property
    def boundary_text(self) -> str:
        return self.measure.format(self.boundary)


def lowest_quartile(school: School) -> list[LowQuartile]:
    """The measures (each of the latest year the school has it for) where the school is in the
    lowest quartile of the authority's schools of the same phase (seed 004). Three queries
    (the school's figures, the authority, the figures of its schools of the phase)."""
    latest: dict[str, tuple[int, Decimal]] = {}
    for year, code, value in (
        school.measures.filter(measure__in=DIRECTED, value__isnull=False)
        .order_by("academic_year")
        .values_list("academic_year", "measure", "value")
    ):
        latest[code] = (year, value)
    if not latest:
        return []
    phase = comparison_phase(school)
    figures: dict[str, list[Decimal]] = defaultdict(list)
    peers = (
        PerformanceMeasure.objects.filter(
            reduce(or_, (Q(measure=code, academic_year=year) for code, (year, _) in latest.items())),
            school__in=remit(),
            value__isnull=False,
        )
        .values_list("measure", "value", "school__phase_name", "school__type_name", "school__type_group_name")
        .iterator()
    )
    for code, value, *kind in peers:
        if comparison_phase_of(*kind) == phase:
            figures[code].append(value)
    found = []
    for code, (year, value) in latest.items():
        measure = measures.BY_CODE[code]
        boundary = quartiles.lowest_quartile_boundary(figures[code], measure.higher_is_better)
        if boundary is not None and quartiles.in_lowest_quartile(value, boundary, measure.higher_is_better):
            found.append(LowQuartile(measure, year, value, boundary, len(figures[code])))
    return sorted(found, key=lambda row: DIRECTED.index(row.measure.code))


# The authority's secondary schools low on both Progress 8 and Attainment 8 ---------------------------------

P8, A8 = "ks4_p8", "ks4_att8"


@dataclass(frozen=True)
class LowOnBoth:
    """A secondary school whose Progress 8 and Attainment 8 are both in the authority's lowest quartile."""

    school: School  # annotated with ``category_label`` and ``on_priority_list`` (None if not known)
    year: int
    p8: Decimal
    a8: Decimal
    p8_boundary: Decimal
    a8_boundary: Decimal

    @property
    def year_label(self) -> str:
        return academic_year_label(self.year)

    @property
    def p8_text(self) -> str:
        return measures.BY_CODE[P8].format(self.p8)

    @property
    def a8_text(self) -> str:
        return measures.BY_CODE[A8].format(self.a8)


@dataclass(frozen=True)
class LowestQuartileSecondaries:
    """The year compared, each measure's boundary and how many schools had it, and the schools low on both."""

    year: int | None
    boundaries: dict[str, Decimal | None] = field(default_factory=dict)
    compared: dict[str, int] = field(default_factory=dict)  # the authority's secondary schools with each figure
    rows: list[LowOnBoth] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return academic_year_label(self.year) if self.year else ""

    @property
    def p8_boundary(self) -> Decimal | None:
        return self.boundaries.get(P8)

    @property
    def a8_boundary(self) -> Decimal | None:
        return self.boundaries.get(A8)

    @property
    def p8_boundary_text(self) -> str:
        return measures.BY_CODE[P8].format(self.p8_boundary) if self.p8_boundary is not None else ""

    @property
    def a8_boundary_text(self) -> str:
        return measures.BY_CODE[A8].format(self.a8_boundary) if self.a8_boundary is not None else ""


def lowest_quartile_secondaries() -> LowestQuartileSecondaries:
    """The open secondary schools of the authority's remit whose Progress 8 and Attainment 8 are both
    in its lowest quartile (seed 004: "BEP will provide for around 24 schools in the lowest quartile
    for P8 and A8 for Birmingham"), by the action plan's boundary rule (``lowest_quartile``) over the
    authority's secondary schools, in the latest year they have Progress 8 (not published for every
    year). Four queries however many schools: the authority, the year, its figures, the schools listed."""
    schools = remit()
    year = PerformanceMeasure.objects.filter(measure=P8, school__in=schools, value__isnull=False).aggregate(
        year=Max("academic_year")
    )["year"]
    if year is None:
        return LowestQuartileSecondaries(None)
    figures: dict[str, dict[int, Decimal]] = {P8: {}, A8: {}}
    open_ids = set()
    for school_id, code, value, status, *kind in PerformanceMeasure.objects.filter(
        measure__in=[P8, A8], academic_year=year, school__in=schools, value__isnull=False
    ).values_list(
        "school_id",
        "measure",
        "value",
        "school__status_name",
        "school__phase_name",
        "school__type_name",
        "school__type_group_name",
    ):
        if comparison_phase_of(*kind) == NationalFigure.Phase.SECONDARY:
            figures[code][school_id] = value
            if status.lower().startswith("open"):
                open_ids.add(school_id)
    boundaries = {
        code: quartiles.lowest_quartile_boundary(list(by_school.values()), measures.BY_CODE[code].higher_is_better)
        for code, by_school in figures.items()
    }
    compared = {code: len(by_school) for code, by_school in figures.items()}
    if None in boundaries.values():
        return LowestQuartileSecondaries(year, boundaries, compared)
    low = [
        pk
        for pk in open_ids & figures[P8].keys() & figures[A8].keys()
        if all(
            quartiles.in_lowest_quartile(figures[code][pk], boundaries[code], measures.BY_CODE[code].higher_is_better)
            for code in (P8, A8)
        )
    ]
    listed = with_agreed_category(School.objects.filter(pk__in=low)).select_related("la").order_by("name", "urn")
    on_list = on_priority_list(current_year())
    listed = listed.annotate(on_priority_list=on_list if on_list is not None else Value(None, BooleanField()))
    rows = [LowOnBoth(s, year, figures[P8][s.pk], figures[A8][s.pk], boundaries[P8], boundaries[A8]) for s in listed]
    return LowestQuartileSecondaries(year, boundaries, compared, rows)
