"""The categorisation rules engine: every trigger kind at its boundaries, and the three built-in
frameworks' mappings and explanations. Plain Python, no database."""

from __future__ import annotations

from datetime import date

import pytest

from categorisation import rules, windows
from categorisation.rules import Note
from schools.estyn import EstynFacts
from schools.estyn import Shape as EstynShape
from schools.ofsted import InspectionFacts, Shape
from tests.categorisation.specs import (
    AS_OF,
    figures,
    framework,
    graded,
    judgements_only,
    oxfordshire,
    oxfordshire_written,
    report_card,
    school,
    seed,
    tiered,
    tiered_as_shipped,
    ungraded,
    wales,
    wales_2022,
    warwickshire,
    written,
)


def run(kind: str, facts: rules.SchoolFacts, policy: windows.InspectionPolicy | None = None, **params):
    """Call one trigger kind with its defaults and the given parameters, on 23 November 2026."""
    found = rules.KINDS[kind]
    return found.function(facts, {**found.defaults, **params}, AS_OF, policy or windows.InspectionPolicy())


def fired(facts: rules.SchoolFacts, spec: rules.FrameworkSpec | None = None) -> dict[str, rules.Fired]:
    return {f.code: f for f in rules.fire(facts, spec or tiered_as_shipped(), AS_OF)}


def propose(facts: rules.SchoolFacts, spec: rules.FrameworkSpec) -> rules.Proposal:
    return rules.evaluate(facts, spec, AS_OF)


# Overall effectiveness ---------------------------------------------------------------------------


class TestOverallEffectiveness:
    def test_an_inadequate_latest_inspection_fires_the_inadequate_trigger(self):
        found = fired(school(graded(date(2024, 3, 1), 4)))
        assert "ofsted_inadequate" in found
        assert found["ofsted_inadequate"].evidence.text == "Judged inadequate at the latest inspection on 1 March 2024"

    def test_requires_improvement_does_not_fire_the_inadequate_trigger(self):
        assert "ofsted_inadequate" not in fired(school(graded(date(2024, 3, 1), 3)))

    def test_grade_3_the_day_before_september_2012_is_satisfactory_not_requires_improvement(self):
        found = fired(school(graded(date(2012, 8, 31), 3)), warwickshire())
        assert "ofsted_satisfactory" in found
        assert "ofsted_requires_improvement" not in found
        assert found["ofsted_satisfactory"].evidence.text.startswith("Judged satisfactory")

    def test_grade_3_on_1_september_2012_is_requires_improvement_not_satisfactory(self):
        found = fired(school(graded(date(2012, 9, 1), 3)), warwickshire())
        assert "ofsted_requires_improvement" in found
        assert "ofsted_satisfactory" not in found
        assert found["ofsted_requires_improvement"].evidence.text.startswith("Judged requires improvement")

    def test_before_and_since_are_read_from_the_parameters(self):
        facts = school(graded(date(2015, 6, 1), 3))
        assert run("overall_effectiveness", facts, grades=[3], before="2015-06-02") is not None
        assert run("overall_effectiveness", facts, grades=[3], before="2015-06-01") is None
        assert run("overall_effectiveness", facts, grades=[3], since="2015-06-01") is not None
        assert run("overall_effectiveness", facts, grades=[3], since="2015-06-02") is None

    def test_a_newer_report_card_supersedes_an_older_inadequate_grade(self):
        facts = school(graded(date(2022, 5, 4), 4), report_card(date(2026, 1, 20)))
        assert "ofsted_inadequate" not in fired(facts)

    def test_a_newer_judgements_only_inspection_supersedes_an_older_requires_improvement(self):
        facts = school(graded(date(2022, 5, 4), 3), judgements_only(date(2025, 2, 11), quality_of_education=2))
        assert "ofsted_requires_improvement" not in fired(facts)

    def test_a_newer_ungraded_inspection_does_not_supersede_the_graded_one(self):
        facts = school(graded(date(2021, 5, 4), 4), ungraded(date(2024, 1, 16)))
        assert "ofsted_inadequate" in fired(facts)


# Categories of concern ---------------------------------------------------------------------------

CONCERN_TRIGGERS = ["ofsted_special_measures", "ofsted_serious_weaknesses", "ofsted_significant_improvement"]


class TestCategoryOfConcern:
    @pytest.mark.parametrize(
        ("inspection", "code", "words"),
        [
            (graded(date(2024, 3, 1), 4, concern="special_measures"), "ofsted_special_measures", "special measures"),
            (
                graded(date(2024, 3, 1), 4, concern="serious_weaknesses"),
                "ofsted_serious_weaknesses",
                "serious weaknesses",
            ),
            (
                report_card(date(2026, 2, 3), rc_achievement=5),
                "ofsted_significant_improvement",
                "requires significant improvement",
            ),
        ],
    )
    def test_each_category_of_concern_fires_its_own_trigger_only(self, inspection, code, words):
        found = fired(school(inspection))
        assert [c for c in CONCERN_TRIGGERS if c in found] == [code]
        assert found[code].evidence.text.startswith(f"Placed in {words} at the inspection on")

    def test_an_inadequate_grade_without_a_category_fires_no_concern_trigger(self):
        found = fired(school(graded(date(2024, 3, 1), 4)))
        assert not any(c in found for c in CONCERN_TRIGGERS)

    def test_a_concern_lifted_by_a_later_inspection_no_longer_fires(self):
        facts = school(graded(date(2021, 3, 1), 4, concern="special_measures"), graded(date(2023, 6, 7), 3))
        assert "ofsted_special_measures" not in fired(facts)


# Stuck -------------------------------------------------------------------------------------------


class TestStuck:
    def test_requires_improvement_twice_is_stuck(self):
        found = fired(school(graded(date(2020, 1, 15), 3), graded(date(2023, 3, 10), 3)))
        assert "ofsted_stuck" in found
        assert found["ofsted_stuck"].evidence.text == (
            "Requires improvement on 10 March 2023 and requires improvement on 15 January 2020"
        )

    def test_requires_improvement_after_good_is_not_stuck(self):
        assert "ofsted_stuck" not in fired(school(graded(date(2020, 1, 15), 2), graded(date(2023, 3, 10), 3)))

    def test_requires_improvement_after_inadequate_is_stuck(self):
        found = fired(school(graded(date(2020, 1, 15), 4), graded(date(2023, 3, 10), 3)))
        assert "ofsted_stuck" in found
        assert "inadequate on 15 January 2020" in found["ofsted_stuck"].evidence.text

    def test_one_graded_inspection_is_not_enough_to_be_stuck(self):
        assert "ofsted_stuck" not in fired(school(graded(date(2023, 3, 10), 3)))

    def test_good_after_requires_improvement_is_not_stuck(self):
        assert "ofsted_stuck" not in fired(school(graded(date(2020, 1, 15), 3), graded(date(2023, 3, 10), 2)))

    def test_a_newer_report_card_ends_being_stuck(self):
        facts = school(graded(date(2020, 1, 15), 3), graded(date(2023, 3, 10), 3), report_card(date(2026, 1, 12)))
        assert "ofsted_stuck" not in fired(facts)

    def test_the_order_the_inspections_are_listed_in_does_not_matter(self):
        facts = school(graded(date(2023, 3, 10), 3), graded(date(2020, 1, 15), 3), graded(date(2016, 5, 5), 2))
        assert "ofsted_stuck" in fired(facts)

    def test_stuck_evidence_uses_the_word_of_the_time_for_a_satisfactory_latest_inspection(self):
        found = fired(school(graded(date(2009, 2, 3), 3), graded(date(2011, 11, 8), 3)))
        assert found["ofsted_stuck"].evidence.text == (
            "Satisfactory on 8 November 2011 and satisfactory on 3 February 2009"
        )


# Report cards ------------------------------------------------------------------------------------

ON_CARD = date(2026, 2, 3)


class TestReportCardAreas:
    def test_one_area_at_urgent_improvement_fires(self):
        found = fired(school(report_card(ON_CARD, rc_achievement=5)))
        assert "rc_urgent_improvement" in found
        assert found["rc_urgent_improvement"].evidence.text == (
            "1 evaluation area at urgent improvement in the report card of 3 February 2026: Achievement"
        )

    def test_no_area_at_urgent_improvement_does_not_fire(self):
        assert "rc_urgent_improvement" not in fired(school(report_card(ON_CARD, rc_achievement=4)))

    def test_two_areas_needing_attention_fire_the_needs_attention_trigger(self):
        found = fired(school(report_card(ON_CARD, rc_achievement=4, rc_inclusion=4)))
        assert "rc_needs_attention" in found
        assert dict(found["rc_needs_attention"].evidence.values) == {
            "Inclusion": "Needs attention",
            "Achievement": "Needs attention",
        }

    def test_one_area_needing_attention_fires_the_needs_attention_trigger(self):
        # DESIGN §6: any area at needs attention brings monitoring inspections.
        assert "rc_needs_attention" in fired(school(report_card(ON_CARD, rc_achievement=4)))
        assert "rc_needs_attention" not in fired(school(report_card(ON_CARD)))

    def test_exactly_min_areas_at_the_grade_fires_and_one_fewer_does_not(self):
        three = school(report_card(ON_CARD, rc_achievement=4, rc_inclusion=4, rc_personal_development=4))
        two = school(report_card(ON_CARD, rc_achievement=4, rc_inclusion=4))
        assert run("report_card_areas", three, grade=4, min_areas=3) is not None
        assert run("report_card_areas", two, grade=4, min_areas=3) is None

    def test_areas_are_counted_at_the_grade_asked_for(self):
        facts = school(report_card(ON_CARD, rc_achievement=5, rc_inclusion=5))
        assert run("report_card_areas", facts, grade=5, min_areas=2) is not None
        assert run("report_card_areas", facts, grade=4, min_areas=1) is None

    def test_a_graded_inspection_is_not_read_as_a_report_card(self):
        assert run("report_card_areas", school(graded(date(2024, 3, 1), 4)), grade=4) is None


class TestSafeguarding:
    def test_safeguarding_not_met_fires(self):
        found = fired(school(report_card(ON_CARD, safeguarding_met=False)))
        assert found["rc_safeguarding_not_met"].evidence.text == (
            "Safeguarding standards not met at the inspection on 3 February 2026"
        )

    @pytest.mark.parametrize("met", [True, None], ids=["met", "unknown"])
    def test_safeguarding_met_or_unknown_does_not_fire(self, met):
        assert "rc_safeguarding_not_met" not in fired(school(report_card(ON_CARD, safeguarding_met=met)))


class TestKeyJudgements:
    def test_a_key_judgement_at_requires_improvement_fires_the_ri_trigger_not_the_inadequate_one(self):
        found = fired(school(judgements_only(date(2025, 2, 11), quality_of_education=3, personal_development=2)))
        assert "judgements_requires_improvement" in found
        assert "judgements_inadequate" not in found
        assert found["judgements_requires_improvement"].evidence.text == (
            "Key judgements at requires improvement or worse on 11 February 2025: Quality of education"
        )

    def test_a_key_judgement_at_inadequate_fires_both(self):
        found = fired(school(judgements_only(date(2025, 2, 11), behaviour_and_attitudes=4)))
        assert {"judgements_requires_improvement", "judgements_inadequate"} <= found.keys()

    def test_all_key_judgements_good_fire_neither(self):
        found = fired(school(judgements_only(date(2025, 2, 11), quality_of_education=2, leadership_and_management=1)))
        assert not {"judgements_requires_improvement", "judgements_inadequate"} & found.keys()

    def test_key_judgements_of_a_graded_inspection_are_not_read_as_2024_25_judgements(self):
        facts = school(InspectionFacts(Shape.GRADED, date(2023, 3, 1), 2, key_judgements={"early_years": 3}))
        assert run("key_judgements", facts, grade=3) is None


class TestLeadership:
    @pytest.mark.parametrize(
        ("inspection", "judged"),
        [
            (graded(date(2023, 3, 1), 3, leadership=1), "good"),
            (graded(date(2023, 3, 1), 3, leadership=2), "good"),
            (graded(date(2023, 3, 1), 3, leadership=3), "weak"),
            (graded(date(2023, 3, 1), 4, leadership=4), "weak"),
            (judgements_only(date(2025, 2, 11), leadership_and_management=2), "good"),
            (judgements_only(date(2025, 2, 11), leadership_and_management=3), "weak"),
            (report_card(ON_CARD, rc_leadership_and_governance=2), "good"),
            (report_card(ON_CARD, rc_leadership_and_governance=3), "good"),
            (report_card(ON_CARD, rc_leadership_and_governance=4), "weak"),
            (report_card(ON_CARD, rc_leadership_and_governance=5), "weak"),
        ],
        ids=[
            "graded-outstanding",
            "graded-good",
            "graded-ri",
            "graded-inadequate",
            "judgements-good",
            "judgements-ri",
            "card-strong",
            "card-expected",
            "card-needs-attention",
            "card-urgent",
        ],
    )
    def test_leadership_is_judged_good_or_weak_on_each_scale(self, inspection, judged):
        other = "weak" if judged == "good" else "good"
        assert run("leadership", school(inspection), judged=judged) is not None
        assert run("leadership", school(inspection), judged=other) is None

    def test_no_leadership_judgement_is_neither_good_nor_weak(self):
        facts = school(graded(date(2023, 3, 1), 3))
        assert run("leadership", facts, judged="good") is None
        assert run("leadership", facts, judged="weak") is None

    def test_leadership_evidence_uses_the_report_card_words(self):
        evidence = run("leadership", school(report_card(ON_CARD, rc_leadership_and_governance=4)), judged="weak")
        assert evidence.text == "Leadership judged needs attention on 3 February 2026"


# Inspection window -------------------------------------------------------------------------------


class TestInspectionWindow:
    """A good school's window is 36 to 60 months after its inspection; today is 23 November 2026."""

    @pytest.mark.parametrize(
        ("inspected", "status"),
        [
            (date(2023, 11, 24), "not yet open"),  # opens tomorrow
            (date(2023, 11, 23), "open"),  # opens today
            (date(2021, 11, 23), "open"),  # closes today
            (date(2021, 11, 22), "overdue"),  # closed yesterday
        ],
    )
    def test_the_status_on_the_earliest_and_latest_days(self, inspected, status):
        facts = school(graded(inspected, 2))
        for asked in ["not yet open", "open", "overdue"]:
            evidence = run("inspection_window", facts, statuses=[asked])
            assert (evidence is not None) == (asked == status), asked
        evidence = run("inspection_window", facts, statuses=[status])
        assert ("Status", status) in evidence.values

    def test_the_default_statuses_are_open_and_overdue(self):
        assert run("inspection_window", school(graded(date(2021, 11, 22), 2))) is not None
        assert run("inspection_window", school(graded(date(2023, 11, 24), 2))) is None

    def test_the_evidence_gives_the_window_and_why(self):
        evidence = run("inspection_window", school(graded(date(2023, 11, 23), 2)))
        assert evidence.text == (
            "Next inspection window open: expected between 23 November 2026 and 23 November 2028 "
            "(good or better at the last inspection on 23 November 2023)"
        )

    def test_the_outcomes_filter_leaves_out_other_outcomes(self):
        requires_improvement = school(graded(date(2025, 1, 10), 3))  # window 10 Jan 2026 to 10 Jul 2027
        assert run("inspection_window", requires_improvement) is not None
        assert "inspection_window_due" not in fired(requires_improvement)

    def test_the_outcomes_filter_keeps_good_schools(self):
        assert "inspection_window_due" in fired(school(graded(date(2022, 6, 1), 2)))

    def test_a_school_with_no_inspection_and_no_opening_date_has_no_window(self):
        assert run("inspection_window", school()) is None


# Performance measures -----------------------------------------------------------------------------


class TestBelowNational:
    def test_worse_than_national_two_years_running_fires(self):
        facts = school(figures=figures("ks2_aps", (2017, "27.0", "28.5"), (2018, "27.9", "28.0")))
        found = fired(facts)
        assert found["outcomes_below_national"].evidence.text == (
            "KS2 average point score worse than national in 2 years running"
        )
        assert found["outcomes_below_national"].evidence.values == (
            ("2017/18", "27.0 (national 28.5)"),
            ("2018/19", "27.9 (national 28.0)"),
        )

    def test_equal_to_national_in_one_year_does_not_fire(self):
        facts = school(figures=figures("ks2_aps", (2017, "27.0", "28.5"), (2018, "28.0", "28.0")))
        assert "outcomes_below_national" not in fired(facts)

    def test_a_gap_year_is_not_consecutive(self):
        facts = school(figures=figures("ks2_aps", (2016, "27.0", "28.5"), (2018, "27.0", "28.0")))
        assert "outcomes_below_national" not in fired(facts)

    def test_only_the_latest_years_count(self):
        facts = school(
            figures=figures("ks2_aps", (2015, "26.0", "28.5"), (2016, "26.0", "28.5"), (2017, "29.0", "28.0"))
        )
        assert "outcomes_below_national" not in fired(facts)

    def test_a_year_without_a_national_figure_does_not_count(self):
        facts = school(figures=figures("ks2_aps", (2017, "27.0", "28.5"), (2018, "27.0", None)))
        assert "outcomes_below_national" not in fired(facts)

    def test_for_absence_higher_than_national_is_worse(self):
        higher = school(figures=figures("abs_overall_pct", (2017, "5.1", "4.7"), (2018, "5.0", "4.8")))
        lower = school(figures=figures("abs_overall_pct", (2017, "4.1", "4.7"), (2018, "4.0", "4.8")))
        assert run("below_national", higher, measures=["abs_overall_pct"], years=2) is not None
        assert run("below_national", lower, measures=["abs_overall_pct"], years=2) is None

    def test_a_wider_disadvantaged_gap_than_national_fires_in_one_year(self):
        facts = school(figures=figures("ks4_disadvantaged_gap", (2018, "1.4", "1.2")))
        assert "disadvantaged_gap" in fired(facts)
        narrower = school(figures=figures("ks4_disadvantaged_gap", (2018, "1.0", "1.2")))
        assert "disadvantaged_gap" not in fired(narrower)


class TestBelowFloor:
    def test_progress_8_below_the_floor_fires(self):
        found = fired(school(figures=figures("ks4_p8", (2018, "-0.51", "-0.03"))))
        assert found["outcomes_below_floor"].evidence.text == (
            "Progress 8 score -0.51 in 2018/19, below the floor of -0.50"
        )

    def test_progress_8_at_the_floor_does_not_fire(self):
        assert "outcomes_below_floor" not in fired(school(figures=figures("ks4_p8", (2018, "-0.50", "-0.03"))))

    def test_only_the_latest_year_counts(self):
        facts = school(figures=figures("ks4_p8", (2017, "-0.90", "-0.03"), (2018, "-0.20", "-0.03")))
        assert "outcomes_below_floor" not in fired(facts)


class TestDecline:
    def test_falling_three_years_running_fires(self):
        facts = school(
            figures=figures("ks4_att8", (2016, "48.0", "44.0"), (2017, "47.5", "44.0"), (2018, "46.0", "44.0"))
        )
        found = fired(facts)
        assert found["outcomes_decline"].evidence.text == "Attainment 8 score fell every year for 3 years"

    def test_a_flat_year_is_not_a_decline(self):
        facts = school(
            figures=figures("ks4_att8", (2016, "48.0", "44.0"), (2017, "47.5", "44.0"), (2018, "47.5", "44.0"))
        )
        assert "outcomes_decline" not in fired(facts)

    def test_a_gap_year_breaks_the_run(self):
        facts = school(
            figures=figures("ks4_att8", (2015, "48.0", "44.0"), (2017, "47.5", "44.0"), (2018, "46.0", "44.0"))
        )
        assert "outcomes_decline" not in fired(facts)

    def test_only_the_latest_three_years_count(self):
        rise_then_fall = school(
            figures=figures(
                "ks4_att8",
                (2015, "40.0", "44.0"),
                (2016, "48.0", "44.0"),
                (2017, "47.5", "44.0"),
                (2018, "46.0", "44.0"),
            )
        )
        fall_then_rise = school(
            figures=figures(
                "ks4_att8",
                (2015, "48.0", "44.0"),
                (2016, "47.5", "44.0"),
                (2017, "46.0", "44.0"),
                (2018, "49.0", "44.0"),
            )
        )
        assert "outcomes_decline" in fired(rise_then_fall)
        assert "outcomes_decline" not in fired(fall_then_rise)

    def test_rising_exclusions_are_a_decline_when_higher_is_worse(self):
        rising = school(
            figures=figures("excl_suspension_rate", (2016, "4.0", None), (2017, "5.5", None), (2018, "6.1", None))
        )
        falling = school(
            figures=figures("excl_suspension_rate", (2016, "6.1", None), (2017, "5.5", None), (2018, "4.0", None))
        )
        text = fired(rising)["exclusions_rising"].evidence.text
        assert text == "Suspensions (% of pupils) rose every year for 3 years"
        assert "exclusions_rising" not in fired(falling)


class TestWorseThanNationalBy:
    def test_absence_worse_by_exactly_the_margin_fires(self):
        found = fired(school(figures=figures("abs_overall_pct", (2018, "5.8", "4.8"))))
        assert "absence_overall" in found
        assert found["absence_overall"].evidence.values == (("School", "5.8%"), ("National", "4.8%"))

    def test_absence_worse_by_a_tenth_less_than_the_margin_does_not_fire(self):
        assert "absence_overall" not in fired(school(figures=figures("abs_overall_pct", (2018, "5.7", "4.8"))))

    def test_absence_better_than_national_by_the_margin_does_not_fire(self):
        assert "absence_overall" not in fired(school(figures=figures("abs_overall_pct", (2018, "3.8", "4.8"))))

    def test_persistent_absence_needs_five_points(self):
        assert "absence_persistent" in fired(school(figures=figures("abs_persistent10_pct", (2018, "18.0", "13.0"))))
        assert "absence_persistent" not in fired(
            school(figures=figures("abs_persistent10_pct", (2018, "17.9", "13.0")))
        )

    def test_for_attainment_lower_is_worse(self):
        facts = school(figures=figures("ks4_att8", (2018, "44.0", "46.5")))
        assert run("worse_than_national_by", facts, measures=["ks4_att8"], margin=2.5) is not None
        assert run("worse_than_national_by", facts, measures=["ks4_att8"], margin=2.6) is None


class TestFallingRoll:
    def test_a_fall_of_exactly_ten_percent_fires(self):
        found = fired(school(figures=figures("census_nor", (2016, "1000", None), (2019, "900", None))))
        assert found["falling_roll"].evidence.text == "Pupils on roll fell 10% from 1,000 in 2016/17 to 900 in 2019/20"

    def test_a_fall_of_nine_point_nine_percent_does_not_fire(self):
        assert "falling_roll" not in fired(
            school(figures=figures("census_nor", (2016, "1000", None), (2019, "901", None)))
        )

    def test_a_fall_from_longer_ago_than_the_years_does_not_count(self):
        facts = school(figures=figures("census_nor", (2015, "1000", None), (2019, "850", None)))
        assert "falling_roll" not in fired(facts)

    def test_a_rising_roll_does_not_fire(self):
        assert "falling_roll" not in fired(
            school(figures=figures("census_nor", (2016, "900", None), (2019, "1000", None)))
        )


class TestIntelligence:
    def test_a_high_note_exactly_twelve_months_ago_fires(self):
        found = fired(school(notes=(Note("finance", "high", date(2025, 11, 23)),)))
        assert found["budget_deficit"].evidence.text == (
            "1 intelligence note graded high or above in the last 12 months; the latest on 23 November 2025"
        )

    def test_a_high_note_twelve_months_and_a_day_ago_does_not_fire(self):
        assert "budget_deficit" not in fired(school(notes=(Note("finance", "high", date(2025, 11, 22)),)))

    def test_a_note_after_the_day_of_assessment_does_not_fire(self):
        assert "budget_deficit" not in fired(school(notes=(Note("finance", "high", date(2026, 11, 24)),)))

    def test_a_medium_note_does_not_fire_a_trigger_that_needs_high(self):
        assert "budget_deficit" not in fired(school(notes=(Note("finance", "medium", date(2026, 6, 1)),)))

    def test_a_low_note_fires_a_trigger_that_needs_low(self):
        assert "new_headteacher" in fired(school(notes=(Note("new_headteacher", "low", date(2026, 6, 1)),)))

    def test_only_the_trigger_for_the_notes_area_fires(self):
        found = fired(school(notes=(Note("hr", "high", date(2026, 6, 1)),)))
        assert "leadership_intelligence" in found
        assert not {"budget_deficit", "safeguarding_intelligence", "new_headteacher"} & found.keys()

    def test_a_note_in_an_area_no_trigger_reads_fires_nothing(self):
        assert fired(school(notes=(Note("premises", "high", date(2026, 6, 1)),))) == {}


# Evidence ----------------------------------------------------------------------------------------

ALL_KINDS_OF_TROUBLE = [
    school(
        graded(date(2024, 3, 1), 4, leadership=4, concern="special_measures"),
        figures=(
            *figures("ks2_aps", (2017, "27.0", "28.5"), (2018, "27.0", "28.0")),
            *figures("ks4_att8", (2016, "48.0", "44.0"), (2017, "47.0", "44.0"), (2018, "46.0", "44.0")),
            *figures("ks4_p8", (2018, "-0.60", "0.00")),
            *figures("ks4_disadvantaged_gap", (2018, "1.5", "1.2")),
            *figures("abs_overall_pct", (2018, "7.0", "4.8")),
            *figures("abs_persistent10_pct", (2018, "20.0", "13.0")),
            *figures("excl_suspension_rate", (2016, "4.0", None), (2017, "5.0", None), (2018, "6.0", None)),
            *figures("census_nor", (2016, "1000", None), (2019, "800", None)),
        ),
        notes=(
            Note("finance", "high", date(2026, 6, 1)),
            Note("hr", "high", date(2026, 6, 1)),
            Note("safeguarding", "high", date(2026, 6, 1)),
            Note("new_headteacher", "low", date(2026, 9, 1)),
        ),
    ),
    school(graded(date(2020, 1, 15), 3), graded(date(2023, 3, 10), 3, leadership=2)),
    school(graded(date(2011, 3, 1), 3)),
    school(graded(date(2022, 1, 10), 1)),
    school(graded(date(2020, 5, 1), 4, concern="serious_weaknesses")),
    school(report_card(ON_CARD, safeguarding_met=False, rc_achievement=5, rc_inclusion=4, rc_post_16=4)),
    school(judgements_only(date(2025, 2, 11), quality_of_education=4)),
]


def test_every_built_in_trigger_fires_for_one_of_the_troubled_schools_with_complete_evidence():
    seen = set()
    for facts in ALL_KINDS_OF_TROUBLE:
        for spec in (tiered_as_shipped(), framework("wales", as_shipped=True)):
            for f in rules.fire(facts, spec, AS_OF):
                seen.add(f.code)
                evidence = f.evidence
                assert evidence.text, f.code
                assert evidence.values, f.code
                assert all(isinstance(k, str) and k and isinstance(v, str) and v for k, v in evidence.values), f.code
                assert evidence.comparator, f.code
                assert evidence.source, f.code
    assert seen == set(seed.TRIGGERS)


def test_inspection_evidence_names_the_inspection_and_its_date():
    found = fired(school(graded(date(2024, 3, 1), 4, number="10293847")))
    assert found["ofsted_inadequate"].evidence.source == "Ofsted inspection 10293847"
    assert found["ofsted_inadequate"].evidence.on == date(2024, 3, 1)
    assert found["ofsted_inadequate"].evidence.as_dict()["on"] == "2024-03-01"


def test_fired_triggers_come_most_severe_first():
    found = rules.fire(ALL_KINDS_OF_TROUBLE[0], tiered(), AS_OF)
    severities = [f.severity for f in found]
    assert severities == sorted(severities, reverse=True)
    assert severities[0] == 4


def test_a_disabled_trigger_does_not_fire():
    spec = tiered()
    disabled = rules.FrameworkSpec(
        spec.code,
        spec.name,
        2,
        spec.categories,
        tuple(
            rules.TriggerSpec(t.code, t.label, t.kind, t.params, t.severity, t.passage, t.code != "ofsted_inadequate")
            for t in spec.triggers
        ),
        spec.rules,
        spec.default_category,
    )
    facts = school(graded(date(2024, 3, 1), 4))
    assert "ofsted_inadequate" in fired(facts, spec)
    assert "ofsted_inadequate" not in fired(facts, disabled)
    assert rules.evaluate(facts, disabled, AS_OF).category == "overview"  # nothing else fired


# Mapping: tiered support -------------------------------------------------------------------------

GOOD_RECENTLY = graded(date(2024, 5, 1), 2, leadership=2)  # window opens 1 May 2027


class TestTieredMapping:
    def test_an_inadequate_school_gets_intensive_support(self):
        assert propose(school(graded(date(2024, 3, 1), 4)), tiered()).category == "intensive"

    def test_a_school_that_requires_improvement_gets_focused_support(self):
        assert propose(school(graded(date(2024, 3, 1), 3, leadership=3)), tiered()).category == "focused"

    def test_a_good_school_with_no_risks_gets_an_overview(self):
        proposal = propose(school(GOOD_RECENTLY), tiered())
        assert proposal.category == "overview"
        assert proposal.basis == "default category"

    def test_one_low_risk_alone_still_gets_an_overview(self):
        facts = school(GOOD_RECENTLY, notes=(Note("new_headteacher", "low", date(2026, 9, 1)),))
        assert propose(facts, tiered()).category == "overview"

    def test_two_low_risks_together_get_focused_support(self):
        facts = school(
            GOOD_RECENTLY,
            figures=(
                *figures("census_nor", (2023, "1000", None), (2025, "850", None)),
                *figures("ks4_disadvantaged_gap", (2025, "1.5", "1.2")),
            ),
        )
        proposal = propose(facts, tiered())
        assert proposal.category == "focused"
        assert proposal.basis == "two or more lower risks together ('wobbly 1 or 2')"

    def test_a_high_risk_from_intelligence_alone_gets_intensive_support(self):
        facts = school(GOOD_RECENTLY, notes=(Note("safeguarding", "high", date(2026, 9, 1)),))
        assert propose(facts, tiered()).category == "intensive"


# Mapping: Oxfordshire (seed 003) ------------------------------------------------------------------


class TestOxfordshireMapping:
    """The improvement guarantee: universal, targeted, bespoke, requires improvement, inadequate."""

    def test_seed_003_a_good_school_with_no_triggers_gets_the_annual_review_visit(self):
        proposal = propose(school(GOOD_RECENTLY), oxfordshire())
        assert proposal.category == "universal"
        spec = oxfordshire_written.FRAMEWORK["categories"][0]
        assert "Chair of Governors".lower() in spec[-1].lower()

    def test_seed_003_a_transparent_trigger_gives_targeted_support_of_at_most_three_days(self):
        facts = school(GOOD_RECENTLY, notes=(Note("governance", "high", date(2026, 9, 1)),))
        assert propose(facts, oxfordshire()).category == "targeted"
        targeted = next(row for row in oxfordshire_written.FRAMEWORK["categories"] if row[0] == "targeted")
        assert targeted[4] == 3  # adviser days: "A maximum of three days' support"

    def test_seed_003_a_safeguarding_concern_gives_bespoke_work_with_half_termly_strategy_meetings(self):
        facts = school(GOOD_RECENTLY, notes=(Note("safeguarding", "high", date(2026, 9, 1)),))
        assert propose(facts, oxfordshire()).category == "bespoke"
        bespoke = next(row for row in oxfordshire_written.FRAMEWORK["categories"] if row[0] == "bespoke")
        assert bespoke[9] == "half_termly"

    def test_seed_003_early_years_at_risk_of_not_being_good_brings_targeted_support(self):
        good_but_early_years_ri = InspectionFacts(
            Shape.GRADED,
            date(2024, 5, 1),
            overall_effectiveness=2,
            key_judgements={"leadership_and_management": 2, "early_years": 3},
        )
        proposal = propose(school(good_but_early_years_ri), oxfordshire())
        assert proposal.category == "targeted"
        assert "Early years judged requires improvement at the inspection of 1 May 2024" in proposal.explanation
        report_card_needs_attention = report_card(date(2026, 2, 3), rc_early_years=4)
        assert "early_years_at_risk" in fired(school(report_card_needs_attention), oxfordshire())
        assert "early_years_at_risk" not in fired(school(GOOD_RECENTLY), oxfordshire())

    def test_seed_003_requires_improvement_and_inadequate_have_their_own_support(self):
        assert propose(school(graded(date(2024, 3, 1), 3)), oxfordshire()).category == "ri"
        assert propose(school(graded(date(2024, 3, 1), 4)), oxfordshire()).category == "inadequate"
        assert (
            propose(school(judgements_only(date(2025, 3, 1), quality_of_education=4)), oxfordshire()).category
            == "inadequate"
        )


# Mapping: Warwickshire (seed 002) ------------------------------------------------------------------

# Published years within the three-year limit on 23 November 2026 (2022/23 onwards for direction).
DECLINING_ATTAINMENT = figures("ks4_att8", (2023, "50.0", "44.0"), (2024, "49.0", "44.0"), (2025, "48.0", "44.0"))
RISING_ATTAINMENT = figures("ks4_att8", (2023, "46.0", "44.0"), (2024, "47.0", "44.0"), (2025, "48.5", "44.0"))


class TestWarwickshireMapping:
    @pytest.mark.parametrize(
        ("facts", "category"),
        [
            (school(graded(date(2024, 3, 1), 4, concern="special_measures")), "4"),
            (school(graded(date(2024, 3, 1), 4, concern="serious_weaknesses")), "4"),
            (school(report_card(ON_CARD, safeguarding_met=False)), "4"),
            (school(judgements_only(date(2025, 2, 11), quality_of_education=4)), "4"),
            (school(graded(date(2024, 3, 1), 3, leadership=2)), "3D"),
            (school(graded(date(2024, 3, 1), 3, leadership=3)), "3C"),
            (school(report_card(ON_CARD, rc_achievement=4, rc_inclusion=4)), "3C"),
            (school(judgements_only(date(2025, 2, 11), quality_of_education=3)), "3C"),
            (school(graded(date(2011, 3, 1), 3)), "3B"),
            (school(graded(date(2011, 3, 1), 3), figures=DECLINING_ATTAINMENT), "3A"),
            (school(graded(date(2024, 3, 1), 2), figures=DECLINING_ATTAINMENT), "2B"),
            (school(graded(date(2024, 3, 1), 2), figures=RISING_ATTAINMENT), "2A"),
            (school(graded(date(2024, 3, 1), 1)), "1"),
            (school(graded(date(2024, 3, 1), 1), figures=DECLINING_ATTAINMENT), "1"),
            (school(graded(date(2024, 3, 1), 2)), "2A"),
            (school(judgements_only(date(2025, 2, 11), quality_of_education=2, leadership_and_management=1)), "2A"),
            (school(report_card(ON_CARD)), "2A"),
            (school(), "NI"),
        ],
        ids=[
            "special-measures",
            "serious-weaknesses",
            "card-safeguarding-not-met",
            "judgement-inadequate",
            "ri-good-leadership",
            "ri-weak-leadership",
            "card-needs-attention",
            "judgement-ri",
            "satisfactory",
            "satisfactory-declining",
            "good-declining",
            "good-improving",
            "outstanding",
            "outstanding-declining",
            "good-steady",
            "judgements-good",
            "card-expected",
            "never-inspected",
        ],
    )
    def test_the_category_follows_the_ofsted_outcome_and_the_direction_of_results(self, facts, category):
        assert propose(facts, warwickshire()).category == category

    def test_a_good_school_whose_results_fell_three_years_running_is_2b(self):
        proposal = propose(school(graded(date(2024, 3, 1), 2), figures=DECLINING_ATTAINMENT), warwickshire())
        assert proposal.category == "2B"
        assert proposal.basis == "good, results declining"
        assert "Attainment 8 score worse each year over the last 3 published years (2023/24 to 2025/26)" in (
            proposal.explanation
        )

    def test_a_good_school_whose_results_rose_is_2a(self):
        proposal = propose(school(graded(date(2024, 3, 1), 2), figures=RISING_ATTAINMENT), warwickshire())
        assert proposal.category == "2A"
        assert "results_improving" in {f.code for f in proposal.fired}

    def test_a_never_inspected_school_is_not_2a(self):
        proposal = propose(school(open_date=date(2025, 9, 1)), warwickshire())
        assert proposal.category == "NI"
        assert proposal.explanation.startswith("Proposed Not yet inspected: never inspected.")

    def test_one_year_below_the_floor_is_not_a_decline(self):
        facts = school(graded(date(2024, 3, 1), 2), figures=figures("ks4_p8", (2025, "-0.80", "0.00")))
        proposal = propose(facts, warwickshire())
        assert "outcomes_below_floor" in {f.code for f in proposal.fired}
        assert proposal.category == "2A"

    def test_an_outstanding_school_below_the_floor_stays_outstanding(self):
        facts = school(graded(date(2024, 3, 1), 1), figures=figures("ks4_p8", (2025, "-0.80", "0.00")))
        assert propose(facts, warwickshire()).category == "1"

    def test_the_direction_steps_over_years_with_no_publication(self):
        # No tests or exams were published for 2019/20 or 2020/21: 2018/19 to 2021/22 is a run.
        facts = school(figures=figures("ks2_aps", (2018, "29.0", None), (2021, "28.0", None), (2022, "27.0", None)))
        found = run("direction", facts, measures=["ks2_aps"], years=3, direction="declining")
        assert found is not None
        assert found.values[0] == ("2018/19", "29.0")

    def test_mixed_years_are_neither_improving_nor_declining(self):
        facts = school(figures=figures("ks4_att8", (2023, "46.0", None), (2024, "48.0", None), (2025, "47.0", None)))
        assert run("direction", facts, measures=["ks4_att8"], direction="declining") is None
        assert run("direction", facts, measures=["ks4_att8"], direction="improving") is None


# Data age and single facts ---------------------------------------------------------------------------


class TestDataAge:
    def test_a_2019_figure_does_not_fire_in_2026_with_a_3_year_limit(self):
        facts = school(figures=figures("ks4_p8", (2019, "-0.90", "0.00")))
        assert run("below_floor", facts, floors={"ks4_p8": -0.5}) is not None  # no limit: it fires
        assert run("below_floor", facts, floors={"ks4_p8": -0.5}, max_age_years=3) is None

    def test_a_figure_three_academic_years_old_still_fires(self):
        facts = school(figures=figures("ks4_p8", (2023, "-0.90", "0.00")))
        assert run("below_floor", facts, floors={"ks4_p8": -0.5}, max_age_years=3) is not None

    def test_stale_data_is_shown_as_too_old_in_the_explanation(self):
        facts = school(graded(date(2024, 3, 1), 2), figures=figures("ks4_p8", (2019, "-0.90", "0.00")))
        proposal = propose(facts, tiered())
        assert "outcomes_below_floor" not in {f.code for f in proposal.fired}
        assert "Outcomes below the floor (latest figures 2019/20, older than 2023/24)" in proposal.stale
        assert "Not used, the data being too old: " in proposal.explanation
        assert "Outcomes below the floor (latest figures 2019/20" in proposal.explanation

    def test_every_figure_trigger_as_written_has_an_age_limit(self):
        for spec in (tiered(), warwickshire()):
            for trigger in spec.triggers:
                if trigger.kind in rules.FIGURE_KINDS:
                    assert trigger.params.get("max_age_years"), trigger.code


class TestANewHeadteacherAlone:
    def test_a_new_head_and_an_open_window_do_not_move_an_outstanding_school(self):
        facts = school(
            graded(date(2021, 5, 4), 1),
            notes=(Note("new_headteacher", "low", date(2026, 9, 1)),),
        )
        proposal = propose(facts, tiered())
        assert {f.code for f in proposal.fired} >= {"new_headteacher", "inspection_window_due"}
        assert proposal.category == "overview"

    def test_a_new_head_is_information_only_in_every_framework(self):
        for spec in (tiered(), warwickshire(), wales()):
            assert next(t for t in spec.triggers if t.code == "new_headteacher").severity == 0


# Mapping: Wales (seed 001; the National School Categorisation System) ----------------------------------

GROUP = rules.StandardsGroup
CAPACITY = rules.CapacityJudgement


def welsh_school(
    group: int | None, capacity: str | None, *inspections, agreed: bool = True, year: int = 2026, **kwargs
):
    return school(
        *inspections,
        standards_groups=(GROUP(year, group, "Entered by the authority"),) if group else (),
        capacity=(CAPACITY(year, capacity, "Self-evaluation accurate", date(2026, 10, 1) if agreed else None),)
        if capacity
        else (),
        **kwargs,
    )


class TestWalesMapping:
    @pytest.mark.parametrize(("cell", "category"), sorted(written.WALES_MATRIX["cells"].items()))
    def test_step_3_gives_the_support_category_of_the_group_and_the_capacity(self, cell, category):
        proposal = propose(welsh_school(int(cell[0]), cell[1]), wales())
        assert proposal.category == category
        assert proposal.basis == f"standards group {cell[0]}, capacity {cell[1]}"
        assert proposal.deciding == ("standards_group", "capacity_to_improve")

    def test_group_3_with_capacity_c_is_amber(self):
        assert propose(welsh_school(3, "C"), wales()).category == "amber"

    def test_a_welsh_school_with_no_standards_group_is_not_green(self):
        proposal = propose(welsh_school(None, "A"), wales())
        assert proposal.category == "uncategorised"
        assert proposal.explanation.startswith("Not yet categorised: no standards group recorded for the year.")

    def test_a_school_with_no_data_at_all_is_not_yet_categorised(self):
        assert propose(school(), wales()).category == "uncategorised"

    def test_a_capacity_judgement_counts_only_once_agreed(self):
        assert propose(welsh_school(1, "A", agreed=False), wales()).category == "uncategorised"
        assert propose(welsh_school(1, "A"), wales()).category == "green"

    def test_last_years_steps_count_and_older_ones_do_not(self):
        assert propose(welsh_school(2, "B", year=2025), wales()).category == "yellow"
        assert propose(welsh_school(2, "B", year=2024), wales()).category == "uncategorised"

    def test_english_measures_never_make_a_standards_group(self):
        facts = welsh_school(None, "B", figures=DECLINING_ATTAINMENT + figures("ks4_p8", (2025, "-0.9", "0.0")))
        proposal = propose(facts, wales())
        assert proposal.category == "uncategorised"
        assert not {f.code for f in proposal.fired} & {"outcomes_decline", "outcomes_below_floor"}

    def test_an_ofsted_judgement_never_moves_a_welsh_school(self):
        facts = welsh_school(1, "A", graded(date(2024, 3, 1), 4, concern="special_measures"))
        assert propose(facts, wales()).category == "green"

    def test_the_explanation_names_the_group_the_capacity_and_the_evidence(self):
        proposal = propose(welsh_school(3, "C", notes=(Note("hr", "high", date(2026, 6, 1)),)), wales())
        assert proposal.explanation == (
            "Proposed Amber: standards group 3 (Standards group 3 for 2026/27) and capacity to improve C "
            "(Capacity to improve C for 2026/27, agreed on 1 October 2026: Self-evaluation accurate). "
            "Also noted: Leadership, governance, HR or complaints intelligence graded high."
        )


class TestWales2022:
    """Schools causing concern, which replaced national categorisation from 2022."""

    @pytest.mark.parametrize(
        ("follow_up", "category"),
        [
            ("special_measures", "special_measures"),
            ("significant_improvement", "sig_improvement"),
            ("estyn_review", "estyn_review"),
            ("none", "none"),
        ],
    )
    def test_estyn_follow_up_sets_the_category(self, follow_up, category):
        facts = school(estyn=(EstynFacts(date(2025, 3, 3), EstynShape.NO_SUMMATIVE, follow_up),))
        assert propose(facts, wales_2022()).category == category

    def test_follow_up_removed_no_longer_counts(self):
        sm = EstynFacts(
            date(2024, 3, 3), EstynShape.NO_SUMMATIVE, "special_measures", follow_up_removed_on=date(2026, 1, 5)
        )
        facts = school(estyn=(sm,))
        assert propose(facts, wales_2022()).category == "none"

    def test_the_authority_s_own_concern(self):
        facts = school(notes=(Note("governance", "high", date(2026, 10, 1)),))
        assert propose(facts, wales_2022()).category == "la_concern"


# Explanations ------------------------------------------------------------------------------------


class TestExplanations:
    def test_the_explanation_names_the_category_and_the_deciding_evidence(self):
        proposal = propose(school(graded(date(2024, 3, 1), 4, concern="special_measures")), tiered())
        assert proposal.explanation.startswith(
            "Proposed Intensive: a critical or high risk: inadequate, a category of concern or significant risks."
        )
        assert "Ofsted: inadequate at the latest inspection: Judged inadequate at the latest inspection on " in (
            proposal.explanation
        )
        assert "Ofsted: special measures: Placed in special measures at the inspection on 1 March 2024." in (
            proposal.explanation
        )

    def test_the_explanation_leaves_out_evidence_that_did_not_decide(self):
        facts = school(graded(date(2024, 3, 1), 3), notes=(Note("new_headteacher", "low", date(2026, 9, 1)),))
        proposal = propose(facts, tiered())
        assert proposal.category == "focused"
        assert {f.code for f in proposal.fired} == {"ofsted_requires_improvement", "new_headteacher"}
        assert "Judged requires improvement at the latest inspection on 1 March 2024" in proposal.explanation
        assert "intelligence note" not in proposal.explanation

    def test_the_warwickshire_explanation_names_both_conditions_of_3d(self):
        proposal = propose(school(graded(date(2024, 3, 1), 3, leadership=2)), warwickshire())
        assert proposal.explanation.startswith(
            "Proposed 3D Requires improvement with good leadership: requires improvement with good leadership."
        )
        assert "Judged requires improvement at the latest inspection on 1 March 2024" in proposal.explanation
        assert "Leadership judged good on 1 March 2024" in proposal.explanation

    def test_the_proposal_keeps_every_fired_trigger(self):
        facts = school(graded(date(2024, 3, 1), 4, leadership=4), notes=(Note("hr", "high", date(2026, 6, 1)),))
        proposal = propose(facts, tiered())
        assert {f.code for f in proposal.fired} == {"ofsted_inadequate", "leadership_intelligence"}
        assert [f["code"] for f in proposal.as_dict()["fired"]] == ["ofsted_inadequate", "leadership_intelligence"]


class TestTheResultDoesNotDependOnTheDayAlone:
    """A nightly run must not rewrite assessments just because the date moved on."""

    def test_the_same_facts_on_consecutive_days_give_the_same_result(self):
        spec = tiered()
        facts = school(
            graded(date(2021, 5, 4), 2),
            notes=(Note("finance", "high", date(2026, 6, 1)),),
        )
        monday = rules.evaluate(facts, spec, date(2026, 11, 23))
        tuesday = rules.evaluate(facts, spec, date(2026, 11, 24))
        assert "inspection_window_due" in {f.code for f in monday.fired}
        assert monday.result_hash == tuesday.result_hash
