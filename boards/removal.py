"""The removal criterion for the priority list (seed 004): the school was judged good or better
at its most recent inspection, and the Ofsted feedback does not indicate a need for further
support. Plain Python, with each inspection shape read as what it is:

- a graded inspection (to August 2024): outstanding or good;
- an inspection with key judgements and no overall grade (September 2024 to November 2025):
  every key judgement good or outstanding;
- a report card (from November 2025), which has no overall grade: every evaluation area at the
  expected standard or above and safeguarding met. This is the portal's reading of "good or
  better" for report cards, stated in every verdict so nobody mistakes it for a grade.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OUTSTANDING, GOOD = "outstanding", "good"
JUDGEMENTS_ONLY = "judgements_only"
RC_EXPECTED_OR_ABOVE = "rc_expected_or_above"


@dataclass(frozen=True)
class RemovalFacts:
    outcome: str  # schools.ofsted.Outcome value of the latest full inspection, or ""
    inspected_on: date | None = None
    key_judgements: tuple[int | None, ...] = ()  # for an inspection with no overall grade
    further_support_indicated: bool | None = None  # from the inspection feedback, if recorded


@dataclass(frozen=True)
class Verdict:
    met: bool
    why: str


def removal_criterion(facts: RemovalFacts) -> Verdict:
    when = f" ({facts.inspected_on:%-d %B %Y})" if facts.inspected_on else ""
    if not facts.outcome:
        return Verdict(False, "No full inspection is recorded, so the school cannot be shown to be good or better.")
    if facts.outcome in (OUTSTANDING, GOOD):
        good = f"Judged {facts.outcome} at the latest inspection{when}"
    elif facts.outcome == JUDGEMENTS_ONLY:
        judged = [j for j in facts.key_judgements if j is not None]
        if not judged or any(j > 2 for j in judged):
            return Verdict(
                False,
                f"The latest inspection{when} has no overall grade and not every key judgement is good or better.",
            )
        good = f"Every key judgement good or better at the latest inspection{when} (no overall grade)"
    elif facts.outcome == RC_EXPECTED_OR_ABOVE:
        good = (
            f"Report card{when}: every area at the expected standard or above and safeguarding met "
            "(report cards have no overall grade)"
        )
    else:
        return Verdict(False, f"The latest inspection{when} is not good or better.")
    if facts.further_support_indicated:
        return Verdict(False, f"{good}, but the inspection feedback indicates further support is needed.")
    return Verdict(True, f"{good}, and the feedback does not indicate a need for further support.")
