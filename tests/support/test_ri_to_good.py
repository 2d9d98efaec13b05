"""Oxfordshire's "RI to meet the criteria for Good within four terms" (seed 003): the rule in
terms of the academic calendar, the tracking of each school and its reviews."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from schools import ofsted
from support import calendar, ri_to_good, selectors, services
from tests.factories import InspectionFactory

TERMS = [t for year in (2026, 2027, 2028) for t in ri_to_good.terms_of(calendar.england_half_terms(year))]


# The rule, without a database -----------------------------------------------------------------------------


def test_a_year_has_three_terms_of_two_half_terms_each():
    autumn, spring, summer = ri_to_good.terms_of(calendar.england_half_terms(2026))
    assert (autumn.name, autumn.starts, autumn.ends) == ("Autumn 2026", date(2026, 9, 2), date(2026, 12, 18))
    assert (spring.name, summer.name) == ("Spring 2027", "Summer 2027")
    assert summer.ends == date(2027, 7, 16)


def test_seed_003_ri_to_good_is_due_at_the_end_of_the_fourth_term_after_the_inspection():
    # Published in the autumn term of 2026: spring, summer, autumn 2027, spring 2028.
    spring_2028 = next(t for t in TERMS if t.name == "Spring 2028")
    assert ri_to_good.target_date(date(2026, 10, 15), TERMS) == spring_2028.ends
    # The term the inspection falls in never counts, from its first day to its last.
    assert ri_to_good.target_date(date(2026, 9, 2), TERMS) == spring_2028.ends
    assert ri_to_good.target_date(date(2026, 12, 18), TERMS) == spring_2028.ends


def test_an_inspection_published_in_a_holiday_counts_from_the_term_that_follows():
    # The Christmas holiday of 2026 counts as the autumn term did: spring 2027 is the first term after.
    assert ri_to_good.target_date(date(2026, 12, 22), TERMS) == ri_to_good.target_date(date(2026, 10, 15), TERMS)
    # The summer holiday of 2026: autumn 2026, spring, summer, autumn 2027.
    autumn_2027 = next(t for t in TERMS if t.name == "Autumn 2027")
    assert ri_to_good.target_date(date(2026, 8, 10), TERMS) == autumn_2027.ends == date(2027, 12, 17)


def test_no_target_beyond_the_calendar():
    assert ri_to_good.target_date(date(2028, 9, 10), TERMS) is None


@pytest.mark.parametrize(
    ("improved", "judgements", "today", "expected"),
    [
        (True, [], date(2030, 1, 1), "met"),
        (False, ["at_risk", "meets_good"], date(2030, 1, 1), "met"),
        (False, ["on_track"], date(2028, 4, 8), "overdue"),
        (False, ["at_risk", "on_track"], date(2028, 4, 7), "at_risk"),
        (False, [], date(2027, 1, 1), "not_reviewed"),
    ],
)
def test_where_a_school_stands_against_its_target(improved, judgements, today, expected):
    got = ri_to_good.status(target=date(2028, 4, 7), today=today, improved=improved, judgements=judgements)
    assert got == expected


# Tracking, through the database ---------------------------------------------------------------------------------


@pytest.fixture
def requires_improvement(ashfield):
    """Ashfield's latest graded inspection requires improvement, published on 15 October 2026."""
    InspectionFactory(school=ashfield, start_date=date(2022, 3, 1), overall_effectiveness=2)
    return InspectionFactory(
        school=ashfield,
        start_date=date(2026, 9, 29),
        publication_date=date(2026, 10, 15),
        overall_effectiveness=3,
        leadership_and_management=3,
    )


@pytest.mark.django_db
def test_seed_003_ri_schools_are_tracked_to_good_and_overdue_when_past_the_target(requires_improvement, ashfield):
    (case,) = selectors.ri_to_good_cases(date(2027, 1, 10))
    assert (case.school, case.inspected_on, case.status) == (ashfield, date(2026, 10, 15), "not_reviewed")
    assert case.target == date(2028, 4, 7)  # Easter 2028 is late: spring ends a week before Good Friday
    assert selectors.ri_to_good_overdue(date(2028, 4, 7)) == []
    assert selectors.ri_to_good_overdue(date(2028, 4, 8)) == [(ashfield, date(2028, 4, 7))]


@pytest.mark.django_db
def test_seed_003_a_later_good_inspection_meets_the_criteria(requires_improvement, ashfield):
    InspectionFactory(
        school=ashfield,
        shape=ofsted.Shape.REPORT_CARD,
        start_date=date(2028, 5, 10),
        overall_effectiveness=None,
        leadership_and_management=None,
        rc_inclusion=3,
        rc_curriculum_and_teaching=2,
        rc_achievement=3,
        rc_attendance_and_behaviour=3,
        rc_personal_development=3,
        rc_leadership_and_governance=3,
        rc_safeguarding_met=True,
    )
    (case,) = selectors.ri_to_good_cases(date(2028, 6, 1))
    assert case.status == "met"
    assert selectors.ri_to_good_overdue(date(2028, 6, 1)) == []


@pytest.mark.django_db
def test_a_partner_reviews_progress_but_only_an_officer_records_that_it_meets_the_criteria(
    requires_improvement, ashfield, alice, olivia, bob, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2027, 2, 1))
    services.review_ri_to_good(
        school=ashfield, by=alice, reviewed_on=date(2027, 1, 20), judgement="at_risk", evidence="Reading is weak."
    )
    assert selectors.ri_to_good_case(ashfield, date(2027, 2, 1)).status == "at_risk"
    with pytest.raises(PermissionDenied):
        services.review_ri_to_good(
            school=ashfield, by=alice, reviewed_on=date(2027, 1, 30), judgement="meets_good", evidence="Better."
        )
    with pytest.raises(PermissionDenied):
        services.review_ri_to_good(
            school=ashfield, by=bob, reviewed_on=date(2027, 1, 30), judgement="on_track", evidence="Not my school."
        )
    services.review_ri_to_good(
        school=ashfield, by=olivia, reviewed_on=date(2027, 1, 31), judgement="meets_good", evidence="Moderated."
    )
    case = selectors.ri_to_good_case(ashfield, date(2029, 1, 1))
    assert (case.status, case.latest_review.reviewed_by) == ("met", olivia)


@pytest.mark.django_db
def test_a_school_that_does_not_require_improvement_or_is_an_academy_is_not_tracked(
    ashfield, beacon_hill, olivia, monkeypatch
):
    InspectionFactory(school=ashfield, start_date=date(2026, 9, 29), overall_effectiveness=2)
    InspectionFactory(school=beacon_hill, start_date=date(2026, 9, 29), overall_effectiveness=3)
    assert selectors.ri_to_good_cases(date(2027, 1, 10)) == []
    monkeypatch.setattr(timezone, "localdate", lambda: date(2027, 2, 1))
    with pytest.raises(ValidationError):
        services.review_ri_to_good(
            school=ashfield, by=olivia, reviewed_on=date(2027, 1, 20), judgement="on_track", evidence="Fine."
        )


@pytest.mark.django_db
def test_seed_003_a_satisfactory_judgement_before_september_2012_is_not_requires_improvement(ashfield):
    """Grade 3 was "satisfactory" until 31 August 2012: "following an RI judgement" starts after it."""
    InspectionFactory(school=ashfield, start_date=date(2011, 5, 27), overall_effectiveness=3)
    assert selectors.ri_to_good_cases(date(2026, 11, 2)) == []
    InspectionFactory(school=ashfield, start_date=date(2012, 9, 20), overall_effectiveness=3)
    assert [case.inspected_on for case in selectors.ri_to_good_cases(date(2026, 11, 2))] == [date(2012, 9, 20)]


@pytest.mark.django_db
def test_an_autumn_term_set_to_start_in_august_still_counts_in_its_own_year(requires_improvement, ashfield, olivia):
    # The authority's 2027/28 starts on 31 August: its half-terms are still 2027/28's, not 2026/27's.
    defaults = calendar.england_half_terms(2027)
    early = [calendar.HalfTerm(1, defaults[0].name, date(2027, 8, 31), defaults[0].ends), *defaults[1:]]
    services.set_half_terms(start_year=2027, half_terms=early, by=olivia)
    (case,) = selectors.ri_to_good_cases(date(2027, 1, 10))
    assert case.target == date(2028, 4, 7)
