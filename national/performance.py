"""Performance tables figures for every school and year, and the national figures.

Each measure's figures follow the real file's distribution (``distributions.MeasureShape``): a
school's figure is the quantile at a point that moves with its strength (its quality and its own
lean across subjects, or its disadvantage for a characteristic such as % ever FSM), drifts a
little from year to year and has some luck in it; so about as many schools sit at each value as
in the file, and stronger schools sit higher every year. A published marker (SUPP, NA, LOWCOV …)
stands instead of the value as often as in the file, stored as no value with the marker. Years
with nothing published (the pandemic's key stage and absence gaps) have no rows.

The national figure of a measure and year is the mean of the schools' figures, for all schools
and (where the file gives them by phase: census, absence, exclusions) by phase, so that about
half the schools are on each side of it.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from national import distributions as dist
from national.draws import clamp, normal_cdf
from national.register import PlannedSchool
from national.writing import Writer
from schools.models import NationalFigure, PerformanceMeasure

# Which national figure each phase counts towards (schools.selectors.comparison_phase_of).
COMPARISON_PHASE = {
    dist.PRIMARY: NationalFigure.Phase.PRIMARY,
    dist.NURSERY: NationalFigure.Phase.PRIMARY,
    dist.SECONDARY: NationalFigure.Phase.SECONDARY,
    dist.ALL_THROUGH: NationalFigure.Phase.SECONDARY,
    dist.SPECIAL: NationalFigure.Phase.SPECIAL,
}
BY_PHASE_FAMILIES = {"census", "abs", "excl"}  # published nationally by phase
# A measure a changed framework reads that no file or constant here describes.
OTHER_MEASURE = dist.Quantiles.parametric(50.0, 10.0, "normal")
TREND_SPREAD = 0.08  # of a school's year-on-year drift, in standard deviations a year
FALLING_ROLL_SHARE = 0.05  # schools whose roll falls fast (a falling-roll trigger should find some)


def shapes_for(codes: Iterable[str] | None) -> list[dist.MeasureShape]:
    """The measures to generate: every one the distributions describe, or only ``codes`` (a code
    they do not describe gets a plain distribution for every phase)."""
    known = dist.load().measures
    if codes is None:
        return [known[code] for code in sorted(known)]
    return [
        known.get(code)
        or dist.MeasureShape(
            code=code,
            family="other",
            values=dict.fromkeys(dist.PHASES, OTHER_MEASURE),
            decimals=1,
            low=0.0,
            high=100.0,
            direction=1,
        )
        for code in sorted(set(codes))
    ]


def generate(
    rng: random.Random,
    writer: Writer,
    schools: list[PlannedSchool],
    years: range,
    codes: Iterable[str] | None = None,
) -> None:
    """Write every school's figures for ``years`` (academic years by their first calendar year),
    then the national figures."""
    shapes = shapes_for(codes)
    totals: dict[tuple[str, int, str], list[float]] = defaultdict(list)
    writer.tuples(
        PerformanceMeasure,
        ("school_id", "academic_year", "measure", "value", "marker"),
        _figures(rng, schools, shapes, years, totals, writer.postgresql),
    )
    rows = []
    for (code, year, phase), values in sorted(totals.items()):
        decimals = next(s.decimals for s in shapes if s.code == code)
        rows.append(
            {
                "id": len(rows) + 1,
                "academic_year": year,
                "measure": code,
                "phase": phase,
                "value": Decimal(str(round(sum(values) / len(values), decimals + 1))),
            }
        )
    writer.rows(NationalFigure, rows)


def _figures(
    rng: random.Random,
    schools: list[PlannedSchool],
    shapes: list[dist.MeasureShape],
    years: range,
    totals: dict[tuple[str, int, str], list[float]],
    as_text: bool,
) -> Iterator[tuple]:
    first = years[0]
    by_phase = {s.code: s.family in BY_PHASE_FAMILIES for s in shapes}
    for school in schools:
        subject = rng.gauss(0, 1)  # the school's own lean across its measures
        open_years = [
            y
            for y in years
            if date(y + 1, 7, 31) >= school.opened and (school.closed is None or school.closed >= date(y, 9, 1))
        ]
        comparison = COMPARISON_PHASE[school.phase]
        for shape in shapes:
            values = shape.values.get(school.phase)
            if values is None:
                continue
            if shape.code == "census_nor":
                series = _roll(rng, school, open_years)
            else:
                series = _series(rng, school, shape, values, open_years, first, subject)
            markers = shape.markers
            marker_share = sum(share for _, share in markers)
            for year, value in series:
                if markers and rng.random() < marker_share:
                    marker = rng.choices([m for m, _ in markers], [s for _, s in markers])[0]
                    yield school.pk, year, shape.code, None, marker
                    continue
                value = round(clamp(value, shape.low, shape.high), shape.decimals)
                totals[(shape.code, year, NationalFigure.Phase.ALL)].append(value)
                if by_phase[shape.code]:
                    totals[(shape.code, year, comparison)].append(value)
                text = f"{value:.{shape.decimals}f}"
                yield school.pk, year, shape.code, text if as_text else Decimal(text), ""


def _series(
    rng: random.Random,
    school: PlannedSchool,
    shape: dist.MeasureShape,
    values: dist.Quantiles,
    years: list[int],
    first: int,
    subject: float,
) -> list[tuple[int, float]]:
    """(year, figure) for the years the measure is published, before markers and rounding."""
    if shape.direction:
        level = shape.direction * (0.7 * school.quality + 0.45 * subject) + 0.55 * rng.gauss(0, 1)
    else:  # a characteristic of the intake: follows the school's disadvantage
        level = school.disadvantage * 0.95 + 0.3 * rng.gauss(0, 1)
    trend = rng.gauss(0, TREND_SPREAD)
    found = []
    for year in years:
        if not shape.published_in(year):
            continue
        z = (0.85 * level + trend * (year - first) + 0.5 * rng.gauss(0, 1)) / 0.986
        found.append((year, values.at(normal_cdf(z)) * shape.scale(year)))
    return found


def _roll(rng: random.Random, school: PlannedSchool, years: list[int]) -> list[tuple[int, float]]:
    """Pupils on roll in each census, ending at the register's figure: most rolls drift, a few fall
    fast."""
    trend = -0.07 if rng.random() < FALLING_ROLL_SHARE else rng.gauss(0, 0.025)
    found = []
    for back, year in enumerate(reversed(years)):
        found.append((year, school.roll / math.pow(1 + trend, back) * (1 + rng.gauss(0, 0.01))))
    return sorted(found)
