"""Reads for a school's action plan page beyond the plan itself."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q

from core.calendar import academic_year_label
from schools import measures
from schools.access import remit
from schools.models import PerformanceMeasure, School
from schools.selectors import comparison_phase, comparison_phase_of
from support import quartiles

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
