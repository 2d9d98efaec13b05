"""The evidence seeds 003 (Oxfordshire) and 004 (Birmingham) name, as tiered support reads it (migration
0011): patterns over the latest two years with data, and the signal an ungraded (section 8) inspection
gives about the next one. Plain Python, no database."""

from __future__ import annotations

from datetime import date

import pytest

from categorisation import rules
from categorisation.rules import Note
from schools import ofsted
from tests.categorisation.specs import figures, graded, judgements_only, school, tiered, ungraded

NOVEMBER_2022 = date(2022, 11, 23)  # 2022/23: the latest KS2 results are 2021/22's, the ones before 2018/19's
NOVEMBER_2026 = date(2026, 11, 23)
GOOD = graded(date(2019, 1, 15), 2)


def fired(facts: rules.SchoolFacts, as_of: date = NOVEMBER_2026) -> dict[str, rules.Fired]:
    return {f.code: f for f in rules.fire(facts, tiered(), as_of)}


# Patterns over two years ----------------------------------------------------------------------------


def test_seed_003_low_attainment_over_2_years_steps_over_the_years_with_no_publication():
    facts = school(figures=figures("ks2_aps", (2018, "27.0", "28.5"), (2021, "27.9", "28.0")))
    found = fired(facts, NOVEMBER_2022)["outcomes_below_national"]
    assert found.evidence.text == (
        "KS2 average point score worse than national in each of the latest 2 years with data (2018/19 and 2021/22)"
    )
    assert found.evidence.values == (("2018/19", "27.0 (national 28.5)"), ("2021/22", "27.9 (national 28.0)"))
    assert found.evidence.source == "DfE performance tables 2021/22"


def test_seed_003_low_attainment_over_2_years_needs_both_latest_years_below_national():
    older_below = figures("ks2_aps", (2017, "26.0", "28.5"), (2018, "29.0", "28.5"), (2021, "27.0", "28.0"))
    assert "outcomes_below_national" not in fired(school(figures=older_below), NOVEMBER_2022)


def test_seed_003_patterns_over_2_years_read_no_figures_older_than_four_years():
    facts = school(figures=figures("ks2_aps", (2021, "27.0", "28.5"), (2022, "27.9", "28.0")))
    assert "outcomes_below_national" in fired(facts, date(2026, 8, 31))  # 2025/26: 2021/22 is four years back
    assert "outcomes_below_national" not in fired(facts, NOVEMBER_2026)


def test_seed_004_16_to_18_results_below_national_two_years_are_a_concern():
    facts = school(figures=figures("ks5_alevel_aps", (2024, "28.1", "34.9"), (2025, "29.0", "35.2")))
    found = fired(facts)["outcomes_below_national"]
    assert "(2024/25 and 2025/26)" in found.evidence.text
    assert "KS5" in next(t.passage for t in tiered().triggers if t.code == "outcomes_below_national")


def test_seed_003_low_attendance_over_2_years_reads_two_years_not_one():
    one_year = figures("abs_persistent10_pct", (2023, "12.0", "13.0"), (2024, "19.0", "13.0"))
    assert "absence_persistent" not in fired(school(figures=one_year))
    two_years = figures("abs_persistent10_pct", (2023, "18.5", "13.0"), (2025, "19.0", "13.5"))
    found = fired(school(figures=two_years))["absence_persistent"]
    assert found.evidence.text == (
        "Persistent absentees (10% threshold) worse than national by 5.0 or more in each of 2023/24 and 2025/26: "
        "18.5% against 13.0%; 19.0% against 13.5%"
    )
    assert found.evidence.source == "DfE performance tables 2025/26"


def test_seed_003_high_exclusion_over_2_years_fires_when_both_latest_years_are_above_national():
    rates = figures("excl_suspension_rate", (2022, "14.20", "9.33"), (2023, "15.01", "10.96"))
    found = fired(school(figures=rates))["exclusions_high"]
    assert found.evidence.values == (("2022/23", "14.20% (national 9.33%)"), ("2023/24", "15.01% (national 10.96%)"))
    assert "exclusions_high" not in fired(
        school(figures=figures("excl_suspension_rate", (2022, "14.20", "9.33"), (2023, "9.00", "10.96")))
    )


# Ungraded (section 8) outcomes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "signal"),
    [
        ("School remains Good", ofsted.UngradedSignal.MAINTAINED),
        ("School remains Outstanding", ofsted.UngradedSignal.MAINTAINED),
        ("Standards maintained", ofsted.UngradedSignal.MAINTAINED),
        ("School remains Good (Improving) - S5 Next", ofsted.UngradedSignal.IMPROVING),
        ("Improved significantly", ofsted.UngradedSignal.IMPROVING),
        ("School remains Good (Concerns) - S5 Next", ofsted.UngradedSignal.AT_RISK),
        ("School remains Outstanding (Concerns) - S5 Next", ofsted.UngradedSignal.AT_RISK),
        ("Some aspects not as strong", ofsted.UngradedSignal.AT_RISK),
        ("Taking effective action to tackle the areas requiring improvement ", ""),
        ("", ""),
    ],
)
def test_each_published_ungraded_outcome_gives_its_signal(outcome, signal):
    assert ofsted.ungraded_signal(outcome) == signal


def test_seed_003_section_8_outcome_identifying_risk_fires_with_its_date_and_source():
    section_8 = ofsted.InspectionFacts(
        ofsted.Shape.UNGRADED,
        date(2023, 3, 8),
        ungraded_outcome="School remains Good (Concerns) - S5 Next",
        inspection_number="10254321",
    )
    found = fired(school(GOOD, section_8))["ofsted_ungraded_at_risk"]
    assert found.evidence.text == (
        "Ungraded inspection on 8 March 2023: ‘School remains Good (Concerns) - S5 Next’ (standards may not be "
        "maintained: a graded inspection to follow)"
    )
    assert (found.evidence.source, found.evidence.on) == ("Ofsted ungraded inspection 10254321", date(2023, 3, 8))


@pytest.mark.parametrize("outcome", ["School remains Good", "Improved significantly", "Standards maintained"])
def test_seed_003_a_section_8_outcome_without_risk_fires_nothing(outcome):
    assert "ofsted_ungraded_at_risk" not in fired(school(GOOD, ungraded(date(2023, 3, 8), outcome)))


def test_seed_003_a_section_8_outcome_before_the_latest_full_inspection_is_spent():
    at_risk = ungraded(date(2023, 3, 8), "School remains Good (Concerns) - S5 Next")
    later = judgements_only(date(2025, 1, 20), quality_of_education=2, leadership_and_management=2)
    assert "ofsted_ungraded_at_risk" not in fired(school(GOOD, at_risk, later))


def test_seed_004_an_inspection_letter_indicating_another_inspection_within_two_years_proposes_support():
    letter = ungraded(date(2025, 2, 4), "Some aspects not as strong")
    proposal = rules.evaluate(school(GOOD, letter), tiered(), NOVEMBER_2026)
    assert proposal.category == "focused"
    assert "ofsted_ungraded_at_risk" in proposal.deciding
    assert "‘Some aspects not as strong’" in proposal.explanation
    assert rules.evaluate(school(GOOD), tiered(), NOVEMBER_2026).category == "overview"


def test_seed_004_an_inadequate_key_judgement_is_never_read_as_good():
    inadequate = judgements_only(date(2024, 11, 12), quality_of_education=2, leadership_and_management=4)
    found = fired(school(inadequate), date(2029, 11, 23))
    assert "judgements_inadequate" in found
    assert "inspection_window_due" not in found  # the window of a good school's next inspection
    assert rules.evaluate(school(inadequate), tiered(), NOVEMBER_2026).category == "intensive"
    good = judgements_only(date(2024, 11, 12), quality_of_education=2, leadership_and_management=2)
    assert "inspection_window_due" in fired(school(good), date(2029, 11, 23))


def test_seed_004_children_in_part_time_placements_are_read_from_the_authoritys_intelligence():
    note = Note("part_time_placements", "medium", date(2026, 10, 2))
    found = fired(school(GOOD, notes=(note,)))["part_time_placements"]
    assert (found.evidence.source, found.evidence.on) == (rules.INTELLIGENCE_SOURCE, date(2026, 10, 2))
    assert "part_time_placements" not in fired(
        school(GOOD, notes=(Note("part_time_placements", "low", note.noted_on),))
    )
    with_a_wider_gap = school(
        GOOD, notes=(note,), figures=figures("ks4_disadvantaged_gap", (2025, "1.4", "1.2"))
    )  # two lower risks together
    assert rules.evaluate(with_a_wider_gap, tiered(), NOVEMBER_2026).category == "focused"
