"""When a plan, a Statement of Action or a new headteacher's visit is due, as plain Python.

Every due date is computed from the academic calendar (``support.calendar``) on the day the
record is made, and is never a day before it: a record made late is due on the next deadline the
policy gives, not overdue the moment it exists.

* An action plan (seed 004, stage 2): "For schools that were priority schools in the previous
  year the action plan will be finalised by October half-term. This may take longer to finalise
  for new priority schools." A school carried forward from last year's list, planned before
  October half-term, is due then; a new priority school, or one planned after October half-term,
  has until the end of the half-term after the one it is planned in.
* A Statement of Action (seed 003, "as per the DfE Schools Causing Concern" guidance): the local
  authority prepares its statement within the period prescribed under the Education Act 2005,
  s15(3)(a): ten working days from the inspection report (the Act's Explanatory Notes, on s17:
  "intended to be 10 working days from the date of publication of the inspection report (as for
  local education authorities under section 15)"), counted here from the day the authority received
  it (``STATEMENT_WORKING_DAYS``, the one place to change it). A working day is not a
  weekend, a bank holiday or a day of a school holiday longer than a week (the Education (School
  Inspection) (England) Regulations' definition). Without a report date, or when that day has
  passed, it is due as an action plan is.
* A new headteacher's visit (seed 003): "a visit from a local authority lead officer in the first
  half term of their appointment": by the end of the half-term they start in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from support.calendar import HalfTerm, half_term_of, october_half_term

STATEMENT_WORKING_DAYS = 10
A_WEEK_OF_SCHOOL_DAYS = 5


class Kind(StrEnum):
    PLAN = "plan"
    STATEMENT_OF_ACTION = "statement_of_action"


@dataclass(frozen=True)
class PlanFacts:
    """What a plan's due date depends on."""

    kind: str
    made_on: date
    carried_forward: bool  # a priority school (with a plan) in the previous year
    report_received: date | None = None  # the inspection report, for a Statement of Action


def _weekdays_between(first: date, last: date) -> int:
    days = (last - first).days + 1
    return sum(1 for n in range(max(days, 0)) if (first + timedelta(days=n)).weekday() < 5)


def long_holidays(terms: list[HalfTerm]) -> list[tuple[date, date]]:
    """The school holidays longer than a week (more than five weekdays) between the half-terms."""
    found = []
    for before, after in pairwise(terms):
        first, last = before.ends + timedelta(days=1), after.starts - timedelta(days=1)
        if _weekdays_between(first, last) > A_WEEK_OF_SCHOOL_DAYS:
            found.append((first, last))
    return found


def working_days_after(day: date, count: int, *, terms: list[HalfTerm], closed: set[date]) -> date:
    """The ``count``th working day after ``day`` (the period begins the day after)."""
    holidays = long_holidays(terms)
    current, counted = day, 0
    while counted < count:
        current += timedelta(days=1)
        off = current.weekday() >= 5 or current in closed or any(a <= current <= b for a, b in holidays)
        counted += not off
    return current


def end_of_next_half_term(day: date, terms: list[HalfTerm]) -> date:
    """The last day of the half-term after the one ``day`` falls in (in a holiday: of the one that
    follows it). ``terms`` runs on into the next academic year so the summer has a next one."""
    later = [t for t in terms if t.starts > day]
    if not later:
        raise ValueError(f"The calendar does not reach the half-term after {day}")
    return later[0].ends


def plan_due(facts: PlanFacts, *, terms: list[HalfTerm], closed: set[date]) -> date:
    """When a plan or Statement of Action made on ``facts.made_on`` is due (see the module)."""
    if facts.kind == Kind.STATEMENT_OF_ACTION and facts.report_received is not None:
        statutory = working_days_after(facts.report_received, STATEMENT_WORKING_DAYS, terms=terms, closed=closed)
        if statutory >= facts.made_on:
            return statutory
    october = october_half_term(terms)
    if facts.carried_forward and facts.made_on < october:
        return october
    return end_of_next_half_term(facts.made_on, terms)


def first_half_term_ends(starts_on: date, terms: list[HalfTerm]) -> date:
    """The last day of a new headteacher's first half-term (a start in a holiday: the half-term after)."""
    current = half_term_of(starts_on, terms)
    return current.ends if current else starts_on + timedelta(days=42)
