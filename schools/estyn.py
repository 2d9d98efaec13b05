"""Estyn inspections of Welsh schools in their three shapes, as plain Python (DESIGN §6).

Estyn, not Ofsted, inspects schools in Wales; its frameworks are never converted into Ofsted's
or into one another.

* ``pre_2017`` (the Common Inspection Framework of 2010, to summer 2017): two summary
  judgements, on the school's *current performance* and its *prospects for improvement*, each
  Excellent, Good, Adequate or Unsatisfactory.
* ``inspection_areas`` (September 2017 to summer 2022): no overall judgement on current
  performance or prospects for improvement any more; a judgement on each of five inspection
  areas — 1 Standards, 2 Wellbeing and attitudes to learning, 3 Teaching and learning
  experiences, 4 Care, support and guidance, 5 Leadership and management — on the same
  four-point scale reworded: Excellent, Good, Adequate and needs improvement, Unsatisfactory and
  needs urgent improvement.
* ``no_summative`` (from September 2022): reports describe strengths and areas for improvement
  without summative judgements.

Follow-up after a core inspection: the two statutory categories, requiring special measures and
in need of significant improvement, and Estyn's non-statutory Estyn review. Before September 2017
councils' reports also name the lighter levels "Estyn monitoring" and "local authority
monitoring"; they are kept for inspections of that time.

Sources (read 4 December 2026):

* Estyn, "Changes to inspection arrangements from September 2017"
  https://www.estyn.gov.wales/changes-inspection-arrangements-september-2017 — the five
  inspection areas, the reworded four-point scale, and "no longer … an overall judgement on
  current performance or prospects for improvement".
* Estyn, "Common inspection framework"
  https://www.estyn.gov.wales/inspection/inspection-explained/common-inspection-framework — the
  2017 judgement words and the 2010 framework's Excellent / Good / Adequate / Unsatisfactory.
* Estyn, "FAQs: the inspection framework from September 2017"
  https://www.estyn.gov.wales/faqs-inspection-framework-september-2017 — inspection area 2's name.
* Estyn annual report 2021–2022, "Providers that have made rapid improvement"
  https://annual-report.estyn.gov.wales/annual_report/providers-that-have-made-rapid-improvement/ —
  "two statutory categories of follow-up, namely requiring special measures (SM) or in need of
  significant improvement (SI), as well as a non-statutory category of Estyn review (ER)".
* EdCentral, "Nursery inspections in Wales to be reviewed"
  https://edcentral.uk/ednews/early-years-primary/11872-nursery-inspections-in-wales-to-be-reviewed-the-inspectorate-has-announced
  — Estyn "removed summative gradings in early 2022"; the issue (21) dates the new reports from
  September 2022, when Estyn's new arrangements for schools began.
* Vale of Glamorgan Council, "Summary of School Inspection Reports for Summer Term 2017" (Learning
  and Culture Scrutiny Committee, 16 October 2017)
  https://www.valeofglamorgan.gov.uk/en/our_council/Council-Structure/minutes,_agendas_and_reports/reports/Scrutiny-LC/2017/17-10-16/Summary-of-School-Inspection-Reports.aspx
  — "Estyn monitoring activities" and "schools in Local Authority monitoring" under the 2010
  framework. (No Estyn guidance in reach names these two levels; a council's report does.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models


class Shape(models.TextChoices):
    PRE_2017 = "pre_2017", "Before September 2017: current performance and prospects for improvement"
    INSPECTION_AREAS = "inspection_areas", "September 2017 to summer 2022: five inspection areas"
    NO_SUMMATIVE = "no_summative", "From September 2022: no summative judgement"


INSPECTION_AREAS_FROM = date(2017, 9, 1)
NO_SUMMATIVE_FROM = date(2022, 9, 1)


def shape_for(start_date: date) -> Shape:
    """The framework an inspection that started on ``start_date`` was carried out under."""
    if start_date >= NO_SUMMATIVE_FROM:
        return Shape.NO_SUMMATIVE
    if start_date >= INSPECTION_AREAS_FROM:
        return Shape.INSPECTION_AREAS
    return Shape.PRE_2017


class FollowUp(models.TextChoices):
    NONE = "none", "None"
    LOCAL_AUTHORITY_MONITORING = "local_authority_monitoring", "Local authority monitoring"
    ESTYN_MONITORING = "estyn_monitoring", "Estyn monitoring"
    ESTYN_REVIEW = "estyn_review", "Estyn review"
    SIGNIFICANT_IMPROVEMENT = "significant_improvement", "In need of significant improvement"
    SPECIAL_MEASURES = "special_measures", "Requiring special measures"


STATUTORY_CATEGORIES = frozenset({FollowUp.SIGNIFICANT_IMPROVEMENT, FollowUp.SPECIAL_MEASURES})

# The four-point scale, stored as 1 (best) to 4; its words depend on the framework.
EXCELLENT, GOOD, ADEQUATE, UNSATISFACTORY = 1, 2, 3, 4
GRADES = (EXCELLENT, GOOD, ADEQUATE, UNSATISFACTORY)
GRADE_LABELS = {
    Shape.PRE_2017: {EXCELLENT: "Excellent", GOOD: "Good", ADEQUATE: "Adequate", UNSATISFACTORY: "Unsatisfactory"},
    Shape.INSPECTION_AREAS: {
        EXCELLENT: "Excellent",
        GOOD: "Good",
        ADEQUATE: "Adequate and needs improvement",
        UNSATISFACTORY: "Unsatisfactory and needs urgent improvement",
    },
}


@dataclass(frozen=True)
class Judgement:
    field: str
    label: str


SUMMARY_JUDGEMENTS = (
    Judgement("current_performance", "Current performance"),
    Judgement("prospects_for_improvement", "Prospects for improvement"),
)
INSPECTION_AREAS = (
    Judgement("standards", "Standards"),
    Judgement("wellbeing_and_attitudes", "Wellbeing and attitudes to learning"),
    Judgement("teaching_and_learning", "Teaching and learning experiences"),
    Judgement("care_support_and_guidance", "Care, support and guidance"),
    Judgement("leadership_and_management", "Leadership and management"),
)
JUDGEMENTS_OF: dict[str, tuple[Judgement, ...]] = {
    Shape.PRE_2017: SUMMARY_JUDGEMENTS,
    Shape.INSPECTION_AREAS: INSPECTION_AREAS,
    Shape.NO_SUMMATIVE: (),
}
ALL_JUDGEMENTS = SUMMARY_JUDGEMENTS + INSPECTION_AREAS
LABELS = {j.field: j.label for j in ALL_JUDGEMENTS}


def grade_label(shape: str, grade: int) -> str:
    """Estyn's words for a grade under the framework of ``shape``."""
    return GRADE_LABELS[Shape(shape)][grade]


def judgement_problems(shape: str, judgements: dict[str, int | None]) -> dict[str, str]:
    """What is wrong with these judgements for an inspection of ``shape``, by field, in words for
    a council officer: a judgement the framework did not make, one it made that is missing, or a
    grade off the scale. Empty when they fit."""
    shape = Shape(shape)
    own = {j.field for j in JUDGEMENTS_OF[shape]}
    problems: dict[str, str] = {}
    for field_name, grade in judgements.items():
        if grade is None:
            continue
        if field_name not in own:
            problems[field_name] = _not_made(shape, LABELS[field_name])
        elif grade not in GRADES:
            problems[field_name] = f"{LABELS[field_name]} must be one of Estyn's four judgements"
    for judgement in JUDGEMENTS_OF[shape]:
        if judgements.get(judgement.field) is None:
            problems[judgement.field] = f"Select the judgement on {judgement.label.lower()}"
    return problems


def _not_made(shape: Shape, label: str) -> str:
    if shape == Shape.NO_SUMMATIVE:
        return f"Estyn makes no summative judgements from September 2022: leave {label.lower()} empty"
    if shape == Shape.INSPECTION_AREAS:
        return (
            f"{label} was not judged from September 2017 to summer 2022: inspections then were judged "
            "on the five inspection areas"
        )
    return f"{label} is an inspection area of September 2017 onwards: inspections before then were not judged on it"


@dataclass(frozen=True)
class EstynFacts:
    """One Estyn inspection as the rules read it (``schools.selectors.estyn_facts``): the grades
    (1 best to 4) of the judgements its framework made, by field, in the framework's order."""

    start_date: date
    shape: Shape
    follow_up: FollowUp = FollowUp.NONE
    judgements: tuple[tuple[str, int], ...] = ()
    follow_up_removed_on: date | None = None

    @property
    def in_statutory_category(self) -> bool:
        """In special measures or in need of significant improvement, and not yet removed."""
        return self.follow_up in STATUTORY_CATEGORIES and self.follow_up_removed_on is None

    @property
    def in_follow_up(self) -> bool:
        return self.follow_up != FollowUp.NONE and self.follow_up_removed_on is None


def summarise(facts: EstynFacts) -> str:
    """A one-line account, shape-aware: never an overall grade Estyn did not give."""
    if facts.shape == Shape.NO_SUMMATIVE:
        text = "No summative judgement (from September 2022)"
    else:
        text = "; ".join(f"{LABELS[name]}: {grade_label(facts.shape, grade)}" for name, grade in facts.judgements)
    if facts.follow_up != FollowUp.NONE:
        removed = f", removed {facts.follow_up_removed_on:%-d %B %Y}" if facts.follow_up_removed_on else ""
        text += f". Follow-up: {FollowUp(facts.follow_up).label}{removed}"
    return text
