"""Quality assurance of priority partners (seed 004) and the statutory moderation sample, as plain
Python: what a partner's year still lacks and when each part was due; how many schools the year's
key stage 2 writing moderation must reach.

Seed 004, "Quality Assurance of the work of Priority Partners": a day's formal induction at the
start of each year; Keep in Touch events at least termly; an annual performance review at the end
of the summer term, after the partner's own self-assessment; one school visit a year shadowed by
the DCSI or a member of the board; a questionnaire to heads and chairs at the beginning of the
autumn term. Visit reports are moderated too (``VisitReport`` moderation, elsewhere).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from support.calendar import HalfTerm

INDUCTION = "induction"
KEEP_IN_TOUCH = "keep_in_touch"
SHADOWING = "shadowing"
REVIEW = "review"
QUESTIONNAIRE = "questionnaire"
ELEMENTS = {
    INDUCTION: "No induction",
    KEEP_IN_TOUCH: "No Keep in Touch event this term",
    SHADOWING: "Not shadowed",
    REVIEW: "No review by the end of the summer term",
    QUESTIONNAIRE: "Questionnaire not returned",
}
TERMS = (("autumn", 0), ("spring", 2), ("summer", 4))

# STA: each year a local authority moderates the key stage 2 writing teacher assessment of at least
# 25% of its maintained schools ("Teacher assessment moderation: standardisation and training
# process", gov.uk). Key stage 1 assessment is no longer statutory from 2023/24.
MODERATION_SHARE = 0.25


@dataclass(frozen=True)
class QualityFacts:
    """What is recorded of a partner's year."""

    inducted_on: date | None = None
    keep_in_touch: tuple[date, ...] = ()
    shadowed: bool = False
    self_assessed_on: date | None = None
    reviewed_on: date | None = None
    questionnaire_returned: bool = False


@dataclass(frozen=True)
class Gap:
    """A part of the year's quality assurance not yet done: which, in words, due when."""

    element: str
    text: str
    due: date
    overdue: bool


def gaps(facts: QualityFacts, terms: list[HalfTerm], today: date) -> list[Gap]:
    """The parts of the year's quality assurance still missing, in the order the year brings them.
    A term's Keep in Touch event is asked for once the term has begun; everything else from the
    start of the year, overdue once its date has passed."""
    autumn_ends, summer_ends = terms[1].ends, terms[5].ends
    found = []

    def missing(element: str, text: str, due: date) -> None:
        found.append(Gap(element, text, due, today > due))

    if facts.inducted_on is None:
        missing(INDUCTION, "No induction: a day's formal induction at the start of the year", terms[0].ends)
    if not facts.questionnaire_returned:
        missing(QUESTIONNAIRE, "Questionnaire to heads and chairs of governors not returned", autumn_ends)
    for name, first in TERMS:
        starts, ends = terms[first].starts, terms[first + 1].ends
        if today >= starts and not any(starts <= day <= ends for day in facts.keep_in_touch):
            missing(KEEP_IN_TOUCH, f"No Keep in Touch event in the {name} term", ends)
    if not facts.shadowed:
        missing(SHADOWING, "Not shadowed on a school visit this year", summer_ends)
    if facts.reviewed_on is None:
        before = "" if facts.self_assessed_on else ", and no self-assessment before it"
        missing(REVIEW, f"No performance review by the end of the summer term{before}", summer_ends)
    return found


def moderation_sample(schools: int) -> int:
    """How many of ``schools`` the year's key stage 2 writing moderation must reach: a quarter,
    rounded up."""
    return math.ceil(schools * MODERATION_SHARE)
