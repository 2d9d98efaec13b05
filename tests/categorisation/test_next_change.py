"""The day a school's result can next change (``rules.next_change``), on which the nightly run's
work rests: a school is assessed again only when its facts change or that day comes. Checked day
by day against the engine itself, for the three built-in frameworks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from categorisation import rules
from schools import estyn
from schools.ofsted import InspectionFacts, Shape
from tests.categorisation.specs import AS_OF, framework, graded
from tests.categorisation.test_properties import FRAMEWORKS, school_facts
from tests.examples import examples

AT_RISK = "School remains Good (Concerns) - S5 Next"
DAYS = st.dates(min_value=AS_OF - timedelta(days=500), max_value=AS_OF)


@pytest.mark.parametrize("code", FRAMEWORKS)
@settings(max_examples=examples(25, 120), deadline=None)
@given(facts=school_facts(), as_of=DAYS)
def test_next_change_is_never_later_than_a_change(code, facts, as_of):
    spec = framework(code)
    result = rules.evaluate(facts, spec, as_of).result_hash
    due = rules.next_change(facts, spec, as_of)
    assert as_of < due <= date(as_of.year + 1, 9, 1)
    day = as_of + timedelta(days=1)
    while day < due:
        assert rules.evaluate(facts, spec, day).result_hash == result, f"changed on {day}, due {due}"
        day += timedelta(days=1)


def test_a_note_ageing_out_of_its_months_is_due_the_day_after():
    spec = framework("tiered")
    note = rules.Note("finance", "high", date(2026, 5, 31))
    facts = rules.SchoolFacts(school_id=1, notes=(note,))
    due = rules.next_change(facts, spec, date(2026, 11, 1))
    # The intelligence trigger looks back 12 months: the note counts up to 31 May 2027.
    assert due == date(2027, 6, 1)
    assert rules.evaluate(facts, spec, date(2027, 5, 31)).result_hash != rules.evaluate(facts, spec, due).result_hash


def walk(facts: rules.SchoolFacts, spec: rules.FrameworkSpec, start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end`` checked: the result holds until the next day due. Gives
    the days on which the result did change."""
    changed, as_of, result = [], start, rules.evaluate(facts, spec, start).result_hash
    due = rules.next_change(facts, spec, as_of)
    day = start + timedelta(days=1)
    while day <= end:
        now = rules.evaluate(facts, spec, day).result_hash
        if day < due:
            assert now == result, f"changed on {day}, due {due}"
        else:
            due = rules.next_change(facts, spec, day)
        if now != result:
            changed.append(day)
        result = now
        day += timedelta(days=1)
    return changed


@pytest.mark.parametrize(
    "inspections",
    [
        (graded(date(2021, 3, 10), 2),),  # window opens and goes overdue
        (graded(date(2022, 1, 31), 1), InspectionFacts(Shape.UNGRADED, date(2025, 5, 31), ungraded_outcome=AT_RISK)),
        (graded(date(2023, 6, 15), 3),),
    ],
)
def test_windows_and_ungraded_inspections_are_due_on_the_day_they_change(inspections):
    spec = framework("tiered")
    notes = (rules.Note("finance", "high", date(2025, 1, 31)), rules.Note("new_headteacher", "low", date(2026, 2, 28)))
    facts = rules.SchoolFacts(school_id=1, inspections=inspections, notes=notes, open_date=date(2010, 9, 1))
    assert walk(facts, spec, date(2024, 8, 1), date(2028, 9, 30))


def test_an_estyn_follow_up_ending_is_due_on_the_day_it_ends():
    spec = framework("wales")
    removed = date(2027, 3, 14)
    found = estyn.EstynFacts(date(2024, 1, 8), estyn.Shape.NO_SUMMATIVE, estyn.FollowUp.SPECIAL_MEASURES, (), removed)
    facts = rules.SchoolFacts(school_id=1, estyn=(found,))
    assert rules.next_change(facts, spec, date(2026, 12, 1)) == removed
    assert removed in walk(facts, spec, date(2026, 12, 1), date(2027, 12, 1))
