"""Ofsted inspections in the shape of their date, at the rhythm Ofsted inspects.

* Before September 2024 a full inspection is graded: an overall effectiveness 1–4 with its key
  judgements (and a category of concern when inadequate). From September 2024 to 9 November
  2025 it has the key judgements and no overall grade. From 10 November 2025 it is a report card.
* Good and outstanding schools have an ungraded (section 8) inspection about every four years,
  and a full one the time after; outstanding schools were exempt from routine inspection until
  November 2020 and were then inspected by the summer of 2026; a school that requires
  improvement is inspected again within about 30 months, an inadequate one has monitoring
  inspections and a full one about two years on.
* Routine inspections stopped from March 2020 to September 2021; those due were spread over the
  catch-up to the summer of 2025. Nobody inspects in August or at a weekend.
* The grade of a full inspection comes from the school's quality and the luck of the day, with
  cut-offs that give each phase its real shares (``distributions.Phase.grades``).

Each school also has its latest inspection before the data set's first year, so that every school
old enough to have been inspected has a latest inspection.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import NormalDist
from typing import Any

from national import distributions as dist
from national.draws import day_between, weekday
from national.register import PlannedSchool
from schools import ofsted

FIRST_INSPECTION_NUMBER = 10_000_000
COVID_PAUSE = (date(2020, 3, 17), date(2021, 9, 1))
CATCH_UP_END = date(2025, 7, 18)
EXEMPTION_ENDS = date(2020, 11, 1)  # outstanding primary and secondary schools exempt until then
EXEMPT_INSPECTED_BY = date(2026, 7, 17)
STANDARDS_MAINTAINED_FROM = date(2019, 9, 1)  # the education inspection framework's wording
EARLY_YEARS_PHASES = {dist.PRIMARY, dist.ALL_THROUGH, dist.NURSERY}
JUDGEMENTS = ["quality_of_education", "behaviour_and_attitudes", "personal_development", "leadership_and_management"]
RC_AREAS = ofsted.REPORT_CARD_AREAS_REQUIRED
QUALITY_WEIGHT = 0.8  # of the school's quality in a grade; the rest is the day (variance 1 in all)


@dataclass
class Inspections:
    rows: list[dict[str, Any]] = field(default_factory=list)
    # school pk → (latest full inspection id, its list outcome, its start date)
    latest: dict[int, tuple[int, str, date]] = field(default_factory=dict)
    # school pk → (publication dates, standing 1–4 from then) of its full inspections
    standings: dict[int, tuple[list[date], list[int]]] = field(default_factory=dict)

    def standing_on(self, school: int, day: date) -> int | None:
        """The school's standing (1 outstanding … 4 inadequate, or the nearest for the newer shapes)
        as its latest full inspection published by ``day`` left it."""
        days, grades = self.standings.get(school, ([], []))
        at = bisect.bisect_right(days, day)
        return grades[at - 1] if at else None


def _cut_offs(shares: tuple[float, ...]) -> list[float]:
    """Scores (standard normal) above which a grade is reached, best grade first."""
    unit = NormalDist()
    cuts, reached = [], 0.0
    for share in shares[:-1]:
        reached += share
        cuts.append(unit.inv_cdf(max(1e-9, 1 - reached)))
    return cuts


class _Grader:
    def __init__(self, rng: random.Random) -> None:
        shapes = dist.load()
        self.rng = rng
        self.overall = {key: _cut_offs(phase.grades) for key, phase in shapes.phases.items()}
        self.report_card = _cut_offs(shapes.report_card_grades)
        self.day_weight = (1 - QUALITY_WEIGHT**2) ** 0.5

    def _grade(self, cuts: list[float], quality: float) -> int:
        score = QUALITY_WEIGHT * quality + self.day_weight * self.rng.gauss(0, 1)
        return next((i + 1 for i, cut in enumerate(cuts) if score >= cut), len(cuts) + 1)

    def graded(self, school: PlannedSchool) -> int:
        return self._grade(self.overall[school.phase], school.quality)

    def area(self, school: PlannedSchool) -> int:
        return self._grade(self.report_card, school.quality)


def _term_day(rng: random.Random, day: date) -> date:
    """Move a due date out of the pandemic pause, the summer holiday and the weekend."""
    if COVID_PAUSE[0] <= day < COVID_PAUSE[1]:
        day = day_between(rng, COVID_PAUSE[1], CATCH_UP_END)
    if day.month == 8:
        day = day_between(rng, date(day.year, 9, 8), date(day.year + 1, 7, 17))
    return weekday(day)


def _full_shape(day: date) -> ofsted.Shape:
    if day < ofsted.NO_OVERALL_GRADE_FROM:
        return ofsted.Shape.GRADED
    if day < ofsted.REPORT_CARDS_FROM:
        return ofsted.Shape.JUDGEMENTS_ONLY
    return ofsted.Shape.REPORT_CARD


def _ungraded_share(day: date) -> float:
    """How often a good school's routine inspection is an ungraded one."""
    if day < ofsted.NO_OVERALL_GRADE_FROM:
        return 0.7
    return 0.6 if day < ofsted.REPORT_CARDS_FROM else 0.3


def _years(rng: random.Random, mean: float, spread_days: int = 90) -> timedelta:
    return timedelta(days=max(120, round(rng.gauss(mean * 365, spread_days))))


def generate(rng: random.Random, schools: list[PlannedSchool], *, window_start: date, as_of: date) -> Inspections:
    """Every school's inspections published by ``as_of``."""
    result = Inspections()
    grader = _Grader(rng)
    number = FIRST_INSPECTION_NUMBER
    for school in schools:
        end = min(as_of, school.closed or as_of)
        if school.opened < window_start - timedelta(days=900):
            day = max(window_start - timedelta(days=rng.randrange(30, 4 * 365)), school.opened + timedelta(days=540))
        else:  # a new school is first inspected in its third year
            day = school.opened + timedelta(days=rng.randint(730, 1095))
        standing: int | None = None
        kind, after = "full", None
        pending: list[tuple[date, str]] = [(day, "full")]
        published, grades = [], []
        while pending:
            day, kind = pending.pop(0)
            day = _term_day(rng, day)
            if after is not None and day < after + timedelta(days=60):
                day = weekday(after + timedelta(days=60 + rng.randrange(30)))
            if day > end:
                break
            if kind == "routine":
                kind = "ungraded" if rng.random() < _ungraded_share(day) else "full"
            number += 1
            row = _row(rng, grader, school, day, number, kind, standing)
            if row["publication_date"] > as_of:
                break
            result.rows.append(row)
            after = day
            if kind == "full":
                standing = row.pop("_standing")
                published.append(row["publication_date"])
                grades.append(standing)
                pending = _next(rng, school, day, standing)
            elif row["ungraded_outcome"] == "Improved significantly":
                pending = [(day + _years(rng, 1.2), "full")]
            elif kind == "ungraded":
                pending = [(day + _years(rng, 4, 120), "full")]
        result.standings[school.pk] = (published, grades)
    _latest(result)
    return result


def _next(rng: random.Random, school: PlannedSchool, day: date, standing: int) -> list[tuple[date, str]]:
    """What follows a full inspection: the next routine one, or monitoring and a re-inspection."""
    exempt_phase = school.phase in (dist.PRIMARY, dist.SECONDARY, dist.ALL_THROUGH)
    if standing == 1 and day < EXEMPTION_ENDS and exempt_phase:
        due = day + timedelta(days=rng.randint(5 * 365, 10 * 365))
        if due > EXEMPTION_ENDS:
            due = max(day_between(rng, date(2021, 9, 6), EXEMPT_INSPECTED_BY), day + timedelta(days=365))
        return [(due, "full")]
    if standing <= 2:
        return [(day + _years(rng, 4, 120), "routine")]
    if standing == 3:
        plan = [(day + _years(rng, 0.8, 60), "monitoring")] if rng.random() < 0.3 else []
        return [*plan, (day + _years(rng, 2.3), "full")]
    return [(day + _years(rng, 0.5, 40), "monitoring"), (day + _years(rng, 1.1, 40), "monitoring"),
            (day + _years(rng, 2.0), "full")]  # fmt: skip


def _row(
    rng: random.Random, grader: _Grader, school: PlannedSchool, day: date, number: int, kind: str, standing: int | None
) -> dict[str, Any]:
    shape = _full_shape(day) if kind == "full" else ofsted.Shape.UNGRADED
    row: dict[str, Any] = {
        "id": number - FIRST_INSPECTION_NUMBER,
        "inspection_number": str(number),
        "school_id": school.pk,
        "shape": shape,
        "inspection_type": {"ungraded": "Section 8", "report_card": "Report card"}.get(shape, "Section 5"),
        "type_grouping": "Section 8" if shape == ofsted.Shape.UNGRADED else "Section 5",
        "event_type_grouping": {
            "graded": "Graded inspection",
            "judgements_only": "Graded inspection",
            "report_card": "Report card inspection",
        }.get(shape, "Monitoring inspection" if kind == "monitoring" else "Ungraded inspection"),
        "start_date": day,
        "end_date": day + timedelta(days=1),
        "publication_date": day + timedelta(days=rng.randint(18, 40)),
        "relates_to_current_urn": True,
        "urn_at_time": school.urn,
        "school_name_at_time": school.name,
        "school_type_at_time": school.type_name,
    }
    if shape == ofsted.Shape.UNGRADED:
        row["ungraded_outcome"] = _ungraded_outcome(rng, kind, day)
        return row
    early_years = school.phase == dist.NURSERY or (school.phase in EARLY_YEARS_PHASES and rng.random() < 0.6)
    if shape == ofsted.Shape.REPORT_CARD:
        areas = (
            list(RC_AREAS) + (["rc_early_years"] if early_years else []) + (["rc_post_16"] if school.sixth_form else [])
        )
        grades = {area: grader.area(school) for area in areas}
        row.update(grades)
        row["rc_safeguarding_met"] = rng.random() < (0.99 if school.quality > -1 else 0.93)
        row["category_of_concern"] = ofsted.report_card_concern(grades, row["rc_safeguarding_met"])
        worst = max(grades.values())
        urgent = worst == ofsted.URGENT_IMPROVEMENT or not row["rc_safeguarding_met"]
        exceptional = sum(g == 1 for g in grades.values()) * 2 > len(grades)
        row["_standing"] = 4 if urgent else 3 if worst == ofsted.NEEDS_ATTENTION else 1 if exceptional else 2
        return row
    grade = grader.graded(school)
    for name in JUDGEMENTS:
        row[name] = _around(rng, grade)
    if early_years:
        row["early_years"] = _around(rng, grade)
    if school.sixth_form:
        row["sixth_form"] = _around(rng, grade)
    row["safeguarding_effective"] = grade < 4 or rng.random() < 0.7
    if shape == ofsted.Shape.GRADED:
        row["overall_effectiveness"] = grade
    if grade == 4:
        row["category_of_concern"] = (
            ofsted.CategoryOfConcern.SPECIAL_MEASURES
            if rng.random() < 0.55
            else ofsted.CategoryOfConcern.SERIOUS_WEAKNESSES
        )
    row["_standing"] = grade
    return row


def _around(rng: random.Random, grade: int) -> int:
    """A key judgement: mostly the overall grade, sometimes one either side; inadequate only in an
    inadequate school (an inadequate key judgement makes the school inadequate)."""
    return max(1, min(4 if grade == 4 else 3, grade + rng.choice((-1, 0, 0, 0, 0, 1))))


def _ungraded_outcome(rng: random.Random, kind: str, day: date) -> str:
    if kind == "monitoring":
        return rng.choices(["Taking effective action", "The school has not yet taken effective action"], [0.78, 0.22])[
            0
        ]
    steady = "Standards maintained" if day >= STANDARDS_MAINTAINED_FROM and rng.random() < 0.5 else None
    return steady or rng.choices(["The school continues to be good", "Improved significantly"], [0.9, 0.1])[0]


def _latest(result: Inspections) -> None:
    """Each school's latest full inspection and its list outcome, as the Ofsted import records them
    (``schools.imports.refresh_latest_inspections``)."""
    for row in result.rows:
        if row["shape"] == ofsted.Shape.UNGRADED:
            continue
        held = result.latest.get(row["school_id"])
        if held is not None and (held[2], held[0]) > (row["start_date"], row["id"]):
            continue
        facts = ofsted.InspectionFacts(
            shape=ofsted.Shape(row["shape"]),
            start_date=row["start_date"],
            overall_effectiveness=row.get("overall_effectiveness"),
            category_of_concern=row.get("category_of_concern", ""),
            report_card={area.field: row.get(area.field) for area in ofsted.REPORT_CARD_AREAS},
            safeguarding_met=row.get("rc_safeguarding_met"),
        )
        result.latest[row["school_id"]] = (row["id"], ofsted.outcome(facts), row["start_date"])
