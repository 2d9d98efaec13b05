"""The removal criterion for the priority list (seed 004): the school was judged good or better
at its most recent inspection, and the Ofsted feedback does not indicate a need for further
support. Plain Python, with each inspection shape read as what it is:

- a graded inspection (to August 2024): outstanding or good;
- an inspection with key judgements and no overall grade (September 2024 to November 2025):
  every key judgement good or outstanding;
- a report card (from November 2025), which has no overall grade: every evaluation area at the
  expected standard or above and safeguarding met. This is the portal's reading of "good or
  better" for report cards, stated in every verdict so nobody mistakes it for a grade.

The judgement must be one the school "has received" while on the list: an inspection before the
school joined it (a good grade of 2014 for a school listed in 2025) is why it was listed, not a
reason to remove it. An ungraded inspection since then that confirmed the grade ("School remains
Good", "Standards maintained") is the most recent inspection and counts; one whose outcome says
standards may not be maintained ("(Concerns) - S5 Next", "Some aspects not as strong") is Ofsted
feedback that indicates further support, as recorded feedback saying so is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OUTSTANDING, GOOD = "outstanding", "good"
AT_RISK = "at_risk"  # schools.ofsted.UngradedSignal values
CONFIRMED = ("maintained", "improving")
JUDGEMENTS_ONLY = "judgements_only"
RC_EXPECTED_OR_ABOVE = "rc_expected_or_above"


@dataclass(frozen=True)
class RemovalFacts:
    outcome: str  # schools.ofsted.Outcome value of the latest full inspection, or ""
    inspected_on: date | None = None
    key_judgements: tuple[int | None, ...] = ()  # for an inspection with no overall grade
    further_support_indicated: bool | None = None  # from the inspection feedback, if recorded
    listed_since: date | None = None  # the day the school joined the list (its current stay)
    ungraded_on: date | None = None  # the latest ungraded inspection since the full one, if any
    ungraded_outcome: str = ""  # its published outcome
    ungraded_signal: str = ""  # schools.ofsted.UngradedSignal value of that outcome


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
    received = _received_since_listed(facts)
    if received is not None:
        return Verdict(False, f"{good}, {received}")
    if facts.ungraded_signal == AT_RISK:
        return Verdict(
            False,
            f"{good}, but the ungraded inspection of {facts.ungraded_on:%-d %B %Y} (‘{facts.ungraded_outcome}’) "
            "indicates standards may not be maintained and a graded inspection will follow: further support is "
            "indicated.",
        )
    if facts.further_support_indicated:
        return Verdict(False, f"{good}, but the inspection feedback indicates further support is needed.")
    return Verdict(True, f"{good}, and the feedback does not indicate a need for further support.")


def _received_since_listed(facts: RemovalFacts) -> str | None:
    """Why the judgement was not received while the school was on the list, or None if it was."""
    if facts.listed_since is None:
        return None
    latest = max(
        [d for d in (facts.inspected_on, facts.ungraded_on if facts.ungraded_signal in CONFIRMED else None) if d],
        default=None,
    )
    if latest is not None and latest >= facts.listed_since:
        return None
    return (
        f"but that was before the school joined the list on {facts.listed_since:%-d %B %Y}: no judgement of good "
        "or better has been received since."
    )
