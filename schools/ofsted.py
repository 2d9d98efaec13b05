"""Ofsted judgements in their three shapes, as plain Python (DESIGN §6).

* Graded (to August 2024): overall effectiveness 1 Outstanding, 2 Good, 3 Requires improvement
  (Satisfactory before September 2012), 4 Inadequate; a category of concern (special measures,
  serious weaknesses); key judgements on the same scale.
* September 2024 to November 2025: the key judgements without an overall grade.
* Report cards (from 10 November 2025): each evaluation area on five points, safeguarding
  standards met or not met, no overall grade.

Nothing here turns one shape into another.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import models


class Shape(models.TextChoices):
    GRADED = "graded", "Graded inspection"
    JUDGEMENTS_ONLY = "judgements_only", "Inspection with key judgements, no overall grade"
    REPORT_CARD = "report_card", "Report card inspection"
    UNGRADED = "ungraded", "Ungraded inspection"


class CategoryOfConcern(models.TextChoices):
    SPECIAL_MEASURES = "special_measures", "Special measures"
    SERIOUS_WEAKNESSES = "serious_weaknesses", "Serious weaknesses"
    REQUIRES_SIGNIFICANT_IMPROVEMENT = "requires_significant_improvement", "Requires significant improvement"
    # An earlier framework's category (to 2012): kept with its meaning when an old file names it.
    NOTICE_TO_IMPROVE = "notice_to_improve", "Notice to improve"


class Outcome(models.TextChoices):
    """The latest full inspection's outcome, for filtering a list of schools."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement (or satisfactory)"
    INADEQUATE = "inadequate", "Inadequate"
    JUDGEMENTS_ONLY = "judgements_only", "Key judgements, no overall grade (Sept 2024 – Nov 2025)"
    RC_URGENT = "rc_urgent_improvement", "Report card: urgent improvement or safeguarding not met"
    RC_NEEDS_ATTENTION = "rc_needs_attention", "Report card: an area needs attention"
    RC_EXPECTED_OR_ABOVE = "rc_expected_or_above", "Report card: expected standard or above in every area"


GRADED_LABELS = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}
SATISFACTORY_UNTIL = date(2012, 9, 1)
REPORT_CARDS_FROM = date(2025, 11, 10)
NO_OVERALL_GRADE_FROM = date(2024, 9, 1)

REPORT_CARD_GRADES = {
    1: "Exceptional",
    2: "Strong standard",
    3: "Expected standard",
    4: "Needs attention",
    5: "Urgent improvement",
}
NEEDS_ATTENTION = 4
URGENT_IMPROVEMENT = 5

GRADED_JUDGEMENT_LABELS = [
    ("quality_of_education", "Quality of education"),
    ("behaviour_and_attitudes", "Behaviour and attitudes"),
    ("personal_development", "Personal development"),
    ("leadership_and_management", "Leadership and management"),
    ("early_years", "Early years provision"),
    ("sixth_form", "Sixth form provision"),
]


@dataclass(frozen=True)
class ReportCardArea:
    field: str
    label: str


REPORT_CARD_AREAS = [
    ReportCardArea("rc_inclusion", "Inclusion"),
    ReportCardArea("rc_curriculum_and_teaching", "Curriculum and teaching"),
    ReportCardArea("rc_achievement", "Achievement"),
    ReportCardArea("rc_attendance_and_behaviour", "Attendance and behaviour"),
    ReportCardArea("rc_personal_development", "Personal development and well-being"),
    ReportCardArea("rc_leadership_and_governance", "Leadership and governance"),
    ReportCardArea("rc_early_years", "Early years"),
    ReportCardArea("rc_post_16", "Post-16 provision"),
]
LEADERSHIP_AREA = "rc_leadership_and_governance"
# Areas every report card grades; early years and post-16 only where the school has them.
REPORT_CARD_AREAS_REQUIRED = [a.field for a in REPORT_CARD_AREAS if a.field not in ("rc_early_years", "rc_post_16")]


@dataclass(frozen=True)
class InspectionFacts:
    shape: Shape
    start_date: date | None = None
    overall_effectiveness: int | None = None
    category_of_concern: str = ""
    key_judgements: dict[str, int | None] = field(default_factory=dict)
    report_card: dict[str, int | None] = field(default_factory=dict)
    safeguarding_met: bool | None = None
    ungraded_outcome: str = ""
    inspection_number: str = ""


def graded_label(grade: int | None, on: date | None) -> str:
    """The published word for a 1–4 grade; grade 3 was 'Satisfactory' before September 2012."""
    if grade is None:
        return "Not judged"
    if grade == 3 and on is not None and on < SATISFACTORY_UNTIL:
        return "Satisfactory"
    return GRADED_LABELS[grade]


def report_card_concern(report_card: dict[str, int | None], safeguarding_met: bool | None) -> str:
    """The category of concern a report card implies (DESIGN §6).

    Special measures when leadership and governance is at urgent improvement and another area
    is too, or safeguarding is not met; otherwise requires significant improvement when any
    area is at urgent improvement or safeguarding is not met; otherwise none.
    """
    urgent = {area for area, grade in report_card.items() if grade == URGENT_IMPROVEMENT}
    safeguarding_failed = safeguarding_met is False
    if LEADERSHIP_AREA in urgent and (len(urgent) > 1 or safeguarding_failed):
        return CategoryOfConcern.SPECIAL_MEASURES
    if urgent or safeguarding_failed:
        return CategoryOfConcern.REQUIRES_SIGNIFICANT_IMPROVEMENT
    return ""


def outcome(facts: InspectionFacts) -> str:
    """The list-filter outcome of a full inspection; blank for an ungraded one."""
    if facts.shape == Shape.GRADED:
        return {
            1: Outcome.OUTSTANDING,
            2: Outcome.GOOD,
            3: Outcome.REQUIRES_IMPROVEMENT,
            4: Outcome.INADEQUATE,
        }[facts.overall_effectiveness]
    if facts.shape == Shape.JUDGEMENTS_ONLY:
        return Outcome.JUDGEMENTS_ONLY
    if facts.shape == Shape.REPORT_CARD:
        grades = [g for g in facts.report_card.values() if g is not None]
        if URGENT_IMPROVEMENT in grades or facts.safeguarding_met is False:
            return Outcome.RC_URGENT
        if NEEDS_ATTENTION in grades:
            return Outcome.RC_NEEDS_ATTENTION
        return Outcome.RC_EXPECTED_OR_ABOVE
    return ""


def summarise(facts: InspectionFacts) -> str:
    """A one-line, shape-true summary of an inspection for lists and headings."""
    concern = CategoryOfConcern(facts.category_of_concern).label if facts.category_of_concern else ""
    if facts.shape == Shape.GRADED:
        text = graded_label(facts.overall_effectiveness, facts.start_date)
        return f"{text} ({concern.lower()})" if concern else text
    if facts.shape == Shape.JUDGEMENTS_ONLY:
        return "Key judgements, no overall grade"
    if facts.shape == Shape.REPORT_CARD:
        counts: dict[int, int] = {}
        for grade in facts.report_card.values():
            if grade is not None:
                counts[grade] = counts.get(grade, 0) + 1
        parts = [f"{counts[g]} {REPORT_CARD_GRADES[g].lower()}" for g in sorted(counts, reverse=True)]
        safeguarding = {True: "safeguarding met", False: "safeguarding not met"}.get(facts.safeguarding_met)
        text = "Report card: " + ", ".join(parts + ([safeguarding] if safeguarding else []))
        return f"{text} ({concern.lower()})" if concern else text
    return facts.ungraded_outcome or "Ungraded inspection"


# What an ungraded (section 8) inspection says about the next one, as Ofsted publishes the outcome
# in its management information ("Ungraded inspection overall outcome"; docs/data-formats.md §4.6).
# To August 2024: "School remains Good", "School remains Good (Concerns) - S5 Next" (the letter says
# the next inspection will be a graded, section 5, one: standards may not be maintained),
# "School remains Good (Improving) - S5 Next". From September 2024: "Standards maintained",
# "Improved significantly", "Some aspects not as strong" (standards may not be maintained).
class UngradedSignal(models.TextChoices):
    MAINTAINED = "maintained", "Standards maintained"
    IMPROVING = "improving", "May have improved: a graded inspection to follow"
    AT_RISK = "at_risk", "Standards may not be maintained: a graded inspection to follow"


_AT_RISK_WORDS = ("(concerns)", "some aspects not as strong", "may not be maintained", "declining")
_IMPROVING_WORDS = ("(improving)", "improved significantly")
_MAINTAINED_WORDS = ("school remains", "standards maintained")


def ungraded_signal(outcome: str) -> str:
    """The signal an ungraded inspection's published outcome gives about the next inspection, or ""
    for an outcome that gives none (a monitoring visit's, say)."""
    text = " ".join(outcome.lower().split())
    if any(word in text for word in _AT_RISK_WORDS):
        return UngradedSignal.AT_RISK
    if any(word in text for word in _IMPROVING_WORDS):
        return UngradedSignal.IMPROVING
    if any(word in text for word in _MAINTAINED_WORDS):
        return UngradedSignal.MAINTAINED
    return ""


def latest_ungraded(inspections: list[InspectionFacts]) -> InspectionFacts | None:
    """The most recent ungraded inspection after the latest full one, by start date."""
    full = latest_full(inspections)
    found = [
        i
        for i in inspections
        if i.shape == Shape.UNGRADED and i.start_date and (full is None or i.start_date > full.start_date)
    ]
    return max(found, key=lambda i: i.start_date, default=None)


def worst_key_judgement(facts: InspectionFacts) -> int | None:
    """The worst key judgement of an inspection with no overall grade (September 2024 to November
    2025): 4 where any is inadequate. An inadequate key judgement is a concern, never "good"."""
    grades = [g for g in facts.key_judgements.values() if g is not None]
    return max(grades, default=None)


def latest_full(inspections: list[InspectionFacts]) -> InspectionFacts | None:
    """The most recent inspection that is not an ungraded one, by start date."""
    full = [i for i in inspections if i.shape != Shape.UNGRADED and i.start_date is not None]
    return max(full, key=lambda i: i.start_date, default=None)


# Parsing published values ---------------------------------------------------------------

_NO_VALUE = {"", "null", "na", "n/a", "not applicable", "not judged", "9", "not recorded", "does not apply"}
_GRADE_WORDS = {
    "outstanding": 1,
    "good": 2,
    "requires improvement": 3,
    "satisfactory": 3,
    "inadequate": 4,
}
_REPORT_CARD_WORDS = {label.lower(): grade for grade, label in REPORT_CARD_GRADES.items()}
_CONCERN_WORDS = {
    "sm": CategoryOfConcern.SPECIAL_MEASURES,
    "special measures": CategoryOfConcern.SPECIAL_MEASURES,
    "swk": CategoryOfConcern.SERIOUS_WEAKNESSES,
    "sw": CategoryOfConcern.SERIOUS_WEAKNESSES,
    "serious weaknesses": CategoryOfConcern.SERIOUS_WEAKNESSES,
    "rsi": CategoryOfConcern.REQUIRES_SIGNIFICANT_IMPROVEMENT,
    "nti": CategoryOfConcern.NOTICE_TO_IMPROVE,
    "notice to improve": CategoryOfConcern.NOTICE_TO_IMPROVE,
    "requires significant improvement": CategoryOfConcern.REQUIRES_SIGNIFICANT_IMPROVEMENT,
}
_YES_NO = {"yes": True, "met": True, "no": False, "not met": False}


class UnrecognisedValue(ValueError):
    pass


# Ofsted's published codes for a judgement that was not made, in its own words: stored as such,
# never as a grade. (Blank and NULL say only that the file gives nothing.)
NOT_GRADED_CODES = {
    "9": "Not applicable, or not judged at the time (9)",
    "not applicable": "Not applicable",
    "not judged": "Not judged",
    "does not apply": "Does not apply",
    "na": "Not applicable",
    "n/a": "Not applicable",
    "not recorded": "Not recorded",
}


def not_graded_code(text: str) -> str:
    """The published code for "no judgement" that ``text`` is ("9", "not applicable" …), or ""."""
    value = _code(text)
    return value if value in NOT_GRADED_CODES else ""


def not_graded_label(code: str) -> str:
    return NOT_GRADED_CODES.get(code, code)


def _code(text: str) -> str:
    """A published code without the ``.0`` a spreadsheet or pandas adds to a whole number."""
    value = " ".join(text.strip().lower().split())
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    return value


def parse_graded(text: str) -> int | None:
    """A 1–4 grade as published (a number, also as ``2.0``, or its word); blank, NULL, 9 (no
    such judgement at the time, or not applicable) or 'not judged' is none."""
    value = _code(text)
    if value in _NO_VALUE:
        return None
    if value in {"1", "2", "3", "4"}:
        return int(value)
    if value in _GRADE_WORDS:
        return _GRADE_WORDS[value]
    raise UnrecognisedValue(
        "is not a grade from 1 to 4 or one of Ofsted's codes for no judgement (9, NULL, Not judged)"
    )


def parse_report_card(text: str) -> int | None:
    value = _code(text)
    if value in _NO_VALUE:
        return None
    if value in _REPORT_CARD_WORDS:
        return _REPORT_CARD_WORDS[value]
    raise UnrecognisedValue(
        "is not a report-card grade (exceptional, strong standard, expected standard, "
        "needs attention, urgent improvement)"
    )


def parse_concern(text: str) -> str:
    value = _code(text)
    if value in _NO_VALUE or value in {"none", "no"}:
        return ""
    if value in _CONCERN_WORDS:
        return _CONCERN_WORDS[value]
    raise UnrecognisedValue("is not a category of concern (SM, SWK, RSI or NTI)")


def parse_yes_no(text: str) -> bool | None:
    value = _code(text)
    if value in _NO_VALUE:
        return None
    if value in _YES_NO:
        return _YES_NO[value]
    raise UnrecognisedValue("is not Yes/No or Met/Not met")
