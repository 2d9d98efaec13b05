"""When plans, Statements of Action and new headteachers' visits are due (support/deadlines.py),
on England's default calendar for 2026/27: October half-term from Saturday 24 October 2026,
Autumn 2 to 18 December, Spring 1 4 January to 12 February 2027, Summer 2 to 16 July 2027."""

from __future__ import annotations

from datetime import date

import pytest

from support.calendar import bank_holidays, england_half_terms
from support.deadlines import Kind, PlanFacts, first_half_term_ends, long_holidays, plan_due, working_days_after

TERMS = england_half_terms(2026) + england_half_terms(2027)
CLOSED = bank_holidays([2026, 2027, 2028])


def due(kind: str, made_on: date, *, carried_forward: bool = True, report: date | None = None) -> date:
    return plan_due(PlanFacts(kind, made_on, carried_forward, report), terms=TERMS, closed=CLOSED)


def test_seed_004_a_carried_forward_priority_school_plan_is_due_by_october_half_term():
    assert due(Kind.PLAN, date(2026, 9, 7)) == date(2026, 10, 24)


def test_seed_004_a_new_priority_school_has_until_the_end_of_the_next_half_term():
    assert due(Kind.PLAN, date(2026, 9, 7), carried_forward=False) == date(2026, 12, 18)


def test_a_plan_made_in_december_is_due_on_the_next_deadline_the_policy_gives_not_in_the_past():
    made = date(2026, 12, 4)
    assert due(Kind.PLAN, made) == date(2027, 2, 12)  # the end of Spring 1, not 24 October
    assert due(Kind.STATEMENT_OF_ACTION, made) == date(2027, 2, 12)


@pytest.mark.parametrize(
    ("made_on", "expected"),
    [
        (date(2026, 10, 28), date(2026, 12, 18)),  # in October half-term: the end of Autumn 2, which follows
        (date(2027, 6, 10), date(2027, 10, 22)),  # in Summer 2: Autumn 1 of the next year
        (date(2027, 7, 30), date(2027, 10, 22)),  # in the summer holiday: Autumn 1 of the next year
    ],
)
def test_a_plan_is_never_due_before_it_is_made(made_on, expected):
    assert due(Kind.PLAN, made_on) == expected >= made_on


def test_seed_003_a_statement_of_action_is_due_ten_working_days_after_the_inspection_report():
    # Report received on Thursday 5 November 2026: ten working days is Thursday 19 November.
    assert due(Kind.STATEMENT_OF_ACTION, date(2026, 11, 6), report=date(2026, 11, 5)) == date(2026, 11, 19)


def test_the_christmas_holiday_is_not_counted_in_working_days_but_a_half_term_week_is():
    assert (date(2026, 12, 19), date(2027, 1, 3)) in long_holidays(TERMS)
    assert not any(first <= date(2026, 10, 28) <= last for first, last in long_holidays(TERMS))
    # From Tuesday 15 December: 16, 17, 18 December, then 4 to 10 January (bank holidays and Christmas skipped).
    assert working_days_after(date(2026, 12, 15), 10, terms=TERMS, closed=CLOSED) == date(2027, 1, 12)


def test_a_statement_of_action_made_after_its_statutory_day_is_due_as_a_plan_is():
    assert due(Kind.STATEMENT_OF_ACTION, date(2026, 12, 4), report=date(2026, 9, 20)) == date(2027, 2, 12)


def test_seed_003_a_new_headteacher_is_visited_in_their_first_half_term():
    assert first_half_term_ends(date(2026, 11, 2), TERMS) == date(2026, 12, 18)
    assert first_half_term_ends(date(2026, 12, 28), TERMS) == date(2027, 2, 12)  # starts in the holiday
