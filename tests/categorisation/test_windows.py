"""When the next Ofsted inspection is expected: intervals by outcome, the statutory deadline, the
sixth school day of the autumn term, and school terms. Plain Python, no database."""

from __future__ import annotations

from datetime import date

import pytest

from categorisation import rules, windows
from categorisation.windows import InspectionPolicy, Status, Window
from schools.ofsted import InspectionFacts, Shape
from tests.categorisation.specs import AS_OF, framework, graded, judgements_only, report_card, school, ungraded

DEFAULT = InspectionPolicy()


def window(*inspections: InspectionFacts, open_date: date | None = None, policy: InspectionPolicy = DEFAULT):
    return windows.next_window(inspections, open_date=open_date, policy=policy)


def dates(found: Window | None) -> tuple[date, date] | None:
    return (found.earliest, found.latest) if found else None


# After a graded inspection ------------------------------------------------------------------------


class TestAfterAGradedInspection:
    @pytest.mark.parametrize("grade", [1, 2], ids=["outstanding", "good"])
    def test_a_good_or_outstanding_school_is_expected_36_to_60_months_later(self, grade):
        found = window(graded(date(2021, 3, 15), grade))
        assert dates(found) == (date(2024, 3, 15), date(2026, 3, 15))
        assert found.basis == "good or better at the last inspection on 15 March 2021"

    def test_a_school_that_requires_improvement_is_expected_12_to_30_months_later(self):
        found = window(graded(date(2024, 1, 10), 3))
        assert dates(found) == (date(2025, 1, 10), date(2026, 7, 10))
        assert found.basis == "improvement required at the last inspection on 10 January 2024"

    def test_an_inadequate_school_is_expected_3_to_30_months_later(self):
        found = window(graded(date(2024, 1, 10), 4, concern="serious_weaknesses"))
        assert dates(found) == (date(2024, 4, 10), date(2026, 7, 10))
        assert found.basis == "a category of concern or inadequate at the last inspection on 10 January 2024"

    def test_a_category_of_concern_decides_the_band_whatever_the_grade(self):
        odd = InspectionFacts(Shape.GRADED, date(2024, 1, 10), 3, category_of_concern="special_measures")
        assert dates(window(odd)) == (date(2024, 4, 10), date(2026, 7, 10))

    def test_the_latest_full_inspection_counts_and_ungraded_ones_do_not(self):
        found = window(graded(date(2019, 5, 2), 3), graded(date(2021, 3, 15), 2), ungraded(date(2024, 1, 9)))
        assert dates(found) == (date(2024, 3, 15), date(2026, 3, 15))

    def test_a_month_end_is_kept_inside_a_shorter_month(self):
        assert dates(window(graded(date(2023, 11, 30), 3))) == (date(2024, 11, 30), date(2026, 5, 30))
        assert window(graded(date(2024, 8, 31), 3)).latest == date(2027, 2, 28)


class TestStatutoryDeadline:
    @pytest.mark.parametrize(
        ("last", "deadline"),
        [
            (date(2021, 8, 31), date(2026, 8, 31)),  # 2020/21 → end of 2025/26
            (date(2021, 9, 1), date(2027, 8, 31)),  # 2021/22 → end of 2026/27
            (date(2022, 3, 15), date(2027, 8, 31)),
        ],
    )
    def test_the_deadline_is_the_end_of_the_fifth_academic_year_after_the_last_inspections(self, last, deadline):
        assert windows.statutory_deadline(last, DEFAULT) == deadline

    def test_a_longer_interval_is_capped_at_the_statutory_deadline(self):
        policy = InspectionPolicy(good_latest_months=72)
        assert dates(window(graded(date(2021, 3, 15), 2), policy=policy)) == (date(2024, 3, 15), date(2026, 8, 31))

    def test_fewer_statutory_years_bring_the_deadline_forward(self):
        policy = InspectionPolicy(statutory_academic_years=4)
        assert window(graded(date(2021, 3, 15), 2), policy=policy).latest == date(2025, 8, 31)

    def test_the_earliest_day_is_never_after_the_deadline(self):
        policy = InspectionPolicy(good_earliest_months=84)
        assert dates(window(graded(date(2021, 3, 15), 2), policy=policy)) == (date(2026, 3, 15), date(2026, 3, 15))


# After a report card or a 2024–25 inspection ------------------------------------------------------


class TestAfterAReportCard:
    def test_every_area_at_expected_or_better_is_the_good_band(self):
        assert dates(window(report_card(date(2025, 11, 20), rc_inclusion=2))) == (
            date(2028, 11, 20),
            date(2030, 11, 20),
        )

    def test_an_area_needing_attention_is_the_requires_improvement_band(self):
        found = window(report_card(date(2025, 11, 20), rc_achievement=4))
        assert dates(found) == (date(2026, 11, 20), date(2028, 5, 20))
        assert found.basis.startswith("improvement required")

    @pytest.mark.parametrize(
        ("grades", "safeguarding_met"),
        [({"rc_achievement": 5}, True), ({}, False)],
        ids=["urgent-improvement", "safeguarding-not-met"],
    )
    def test_urgent_improvement_or_safeguarding_not_met_is_the_concern_band(self, grades, safeguarding_met):
        # Without the category of concern the import would add: the grades alone decide.
        areas = {"rc_inclusion": 3, "rc_leadership_and_governance": 3} | grades
        card = InspectionFacts(
            Shape.REPORT_CARD, date(2025, 11, 20), report_card=areas, safeguarding_met=safeguarding_met
        )
        assert dates(window(card)) == (date(2026, 2, 20), date(2028, 5, 20))

    def test_the_category_of_concern_of_a_report_card_is_the_concern_band(self):
        card = report_card(date(2025, 11, 20), rc_achievement=5)
        assert card.category_of_concern == "requires_significant_improvement"
        assert dates(window(card)) == (date(2026, 2, 20), date(2028, 5, 20))


class TestAfterAJudgementsOnlyInspection:
    @pytest.mark.parametrize(
        ("judgements", "expected"),
        [
            ({"quality_of_education": 2, "leadership_and_management": 1}, (date(2028, 2, 11), date(2030, 2, 11))),
            ({"quality_of_education": 3, "leadership_and_management": 2}, (date(2026, 2, 11), date(2027, 8, 11))),
            ({"quality_of_education": 3, "behaviour_and_attitudes": 4}, (date(2025, 5, 11), date(2027, 8, 11))),
            ({}, (date(2028, 2, 11), date(2030, 2, 11))),
        ],
        ids=["good", "requires-improvement", "inadequate", "no-judgements"],
    )
    def test_the_worst_key_judgement_decides_the_band(self, judgements, expected):
        assert dates(window(judgements_only(date(2025, 2, 11), **judgements))) == expected


# Without an inspection ----------------------------------------------------------------------------


class TestWithoutAnInspection:
    def test_a_new_school_is_expected_24_to_36_months_after_opening(self):
        found = window(open_date=date(2024, 4, 15))
        assert dates(found) == (date(2026, 4, 15), date(2027, 4, 15))
        assert found.basis == "a new school opened on 15 April 2024 with no inspection yet"

    def test_a_school_with_only_ungraded_inspections_counts_as_new(self):
        assert dates(window(ungraded(date(2025, 1, 7)), open_date=date(2024, 4, 15))) == (
            date(2026, 4, 15),
            date(2027, 4, 15),
        )

    def test_no_inspection_and_no_opening_date_gives_no_window(self):
        assert window() is None
        assert window(ungraded(date(2025, 1, 7))) is None


# The sixth school day -----------------------------------------------------------------------------


class TestTheSixthSchoolDay:
    @pytest.mark.parametrize(
        ("year", "sixth"),
        [
            (2026, date(2026, 9, 9)),  # 2 September is a Wednesday
            (2027, date(2027, 9, 9)),  # a Thursday: the weekend is skipped
            (2023, date(2023, 9, 11)),  # a Saturday: the term starts on Monday 4 September
        ],
    )
    def test_the_first_inspection_day_is_the_sixth_weekday_of_the_autumn_term(self, year, sixth):
        assert windows.first_inspection_day(year, DEFAULT) == sixth

    @pytest.mark.parametrize("inspected", [date(2023, 9, 2), date(2023, 9, 4), date(2023, 9, 8)])
    def test_an_earliest_date_in_the_first_school_days_moves_to_the_sixth(self, inspected):
        assert window(graded(inspected, 2)).earliest == date(2026, 9, 9)

    def test_an_earliest_date_on_the_sixth_school_day_stays(self):
        assert window(graded(date(2023, 9, 9), 2)).earliest == date(2026, 9, 9)

    def test_the_latest_date_is_not_moved(self):
        assert window(graded(date(2023, 9, 4), 2)).latest == date(2028, 9, 4)

    def test_a_new_schools_earliest_date_moves_too(self):
        assert dates(window(open_date=date(2024, 9, 3))) == (date(2026, 9, 9), date(2027, 9, 3))

    def test_a_new_school_opened_on_1_september_is_not_expected_before_the_sixth_school_day(self):
        found = window(open_date=date(2024, 9, 1))
        assert found.earliest == date(2026, 9, 9)
        assert found.status(date(2026, 9, 3)) == Status.NOT_YET

    def test_the_term_start_and_the_school_day_are_policy(self):
        policy = InspectionPolicy(autumn_term_starts=(9, 4), earliest_school_day=3)
        assert windows.first_inspection_day(2026, policy) == date(2026, 9, 8)  # Fri 4, Mon 7, Tue 8
        assert window(graded(date(2023, 9, 4), 2), policy=policy).earliest == date(2026, 9, 8)
        assert window(graded(date(2023, 9, 8), 2), policy=policy).earliest == date(2026, 9, 8)


# Window status ------------------------------------------------------------------------------------


def test_a_window_is_open_from_its_earliest_to_its_latest_day_inclusive():
    found = Window(date(2026, 11, 23), date(2027, 3, 1), "test")
    assert found.status(date(2026, 11, 22)) == Status.NOT_YET
    assert found.status(date(2026, 11, 23)) == Status.OPEN
    assert found.status(date(2027, 3, 1)) == Status.OPEN
    assert found.status(date(2027, 3, 2)) == Status.OVERDUE


# Terms -------------------------------------------------------------------------------------------


class TestTerms:
    @pytest.mark.parametrize(
        ("day", "term"),
        [
            (date(2026, 9, 1), ("Autumn", date(2026, 9, 1), date(2026, 12, 31))),
            (date(2026, 12, 31), ("Autumn", date(2026, 9, 1), date(2026, 12, 31))),
            (date(2027, 1, 1), ("Spring", date(2027, 1, 1), date(2027, 3, 31))),
            (date(2027, 3, 31), ("Spring", date(2027, 1, 1), date(2027, 3, 31))),
            (date(2027, 4, 1), ("Summer", date(2027, 4, 1), date(2027, 8, 31))),
            (date(2027, 8, 31), ("Summer", date(2027, 4, 1), date(2027, 8, 31))),
        ],
    )
    def test_the_term_a_day_falls_in(self, day, term):
        assert windows.term_of(day) == term

    @pytest.mark.parametrize(
        ("day", "term"),
        [
            (date(2026, 11, 23), ("Spring", date(2027, 1, 1), date(2027, 3, 31))),
            (date(2026, 12, 31), ("Spring", date(2027, 1, 1), date(2027, 3, 31))),
            (date(2027, 3, 31), ("Summer", date(2027, 4, 1), date(2027, 8, 31))),
            (date(2027, 8, 31), ("Autumn", date(2027, 9, 1), date(2027, 12, 31))),
            (date(2027, 9, 1), ("Spring", date(2028, 1, 1), date(2028, 3, 31))),
        ],
    )
    def test_the_next_term_after_a_day(self, day, term):
        assert windows.next_term(day) == term


# Intervals are data ------------------------------------------------------------------------------


class TestIntervalsAreData:
    @pytest.mark.parametrize(
        ("policy", "inspection", "expected"),
        [
            (
                InspectionPolicy(good_earliest_months=30, good_latest_months=48),
                graded(date(2021, 3, 15), 2),
                (date(2023, 9, 15), date(2025, 3, 15)),
            ),
            (
                InspectionPolicy(requires_improvement_earliest_months=6, requires_improvement_latest_months=24),
                graded(date(2024, 1, 10), 3),
                (date(2024, 7, 10), date(2026, 1, 10)),
            ),
            (
                InspectionPolicy(concern_earliest_months=1, concern_latest_months=18),
                graded(date(2024, 1, 10), 4),
                (date(2024, 2, 10), date(2025, 7, 10)),
            ),
        ],
        ids=["good", "requires-improvement", "concern"],
    )
    def test_a_custom_policy_changes_the_window(self, policy, inspection, expected):
        assert dates(window(inspection)) != expected
        assert dates(window(inspection, policy=policy)) == expected

    def test_a_custom_policy_changes_a_new_schools_window(self):
        policy = InspectionPolicy(new_school_earliest_months=12, new_school_latest_months=18)
        assert dates(window(open_date=date(2024, 4, 15), policy=policy)) == (date(2025, 4, 15), date(2025, 10, 15))

    def test_a_policy_read_from_stored_settings_ignores_unknown_keys(self):
        policy = InspectionPolicy.from_dict(
            {"requires_improvement_latest_months": 24, "autumn_term_starts": [9, 4], "retired_setting": 7}
        )
        assert policy.requires_improvement_latest_months == 24
        assert policy.autumn_term_starts == (9, 4)
        assert window(graded(date(2024, 1, 10), 3), policy=policy).latest == date(2026, 1, 10)

    def test_the_framework_policy_decides_whether_the_inspection_window_trigger_fires(self):
        facts = school(graded(date(2024, 6, 1), 2))  # the default window opens on 1 June 2027
        sooner = framework("tiered", InspectionPolicy(good_earliest_months=24))
        assert "inspection_window_due" not in {f.code for f in rules.fire(facts, framework("tiered"), AS_OF)}
        assert "inspection_window_due" in {f.code for f in rules.fire(facts, sooner, AS_OF)}
