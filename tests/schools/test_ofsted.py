"""The three shapes of Ofsted judgement, as plain Python (no database)."""

from datetime import date

import pytest

from schools import ofsted
from schools.ofsted import CategoryOfConcern, InspectionFacts, Outcome, Shape

ALL_EXPECTED = {area.field: 3 for area in ofsted.REPORT_CARD_AREAS[:6]}


def report_card(**grades) -> dict:
    return ALL_EXPECTED | grades


class TestReportCardConcern:
    def test_no_concern_when_every_area_is_expected_and_safeguarding_met(self):
        assert ofsted.report_card_concern(report_card(), True) == ""

    def test_needs_attention_alone_is_not_a_category_of_concern(self):
        assert ofsted.report_card_concern(report_card(rc_achievement=4, rc_inclusion=4), True) == ""

    def test_one_area_at_urgent_improvement_requires_significant_improvement(self):
        concern = ofsted.report_card_concern(report_card(rc_achievement=5), True)
        assert concern == CategoryOfConcern.REQUIRES_SIGNIFICANT_IMPROVEMENT

    def test_safeguarding_not_met_alone_requires_significant_improvement(self):
        assert ofsted.report_card_concern(report_card(), False) == CategoryOfConcern.REQUIRES_SIGNIFICANT_IMPROVEMENT

    def test_leadership_urgent_alone_requires_significant_improvement(self):
        concern = ofsted.report_card_concern(report_card(rc_leadership_and_governance=5), True)
        assert concern == CategoryOfConcern.REQUIRES_SIGNIFICANT_IMPROVEMENT

    def test_leadership_and_another_area_urgent_is_special_measures(self):
        concern = ofsted.report_card_concern(report_card(rc_leadership_and_governance=5, rc_achievement=5), True)
        assert concern == CategoryOfConcern.SPECIAL_MEASURES

    def test_leadership_urgent_and_safeguarding_not_met_is_special_measures(self):
        concern = ofsted.report_card_concern(report_card(rc_leadership_and_governance=5), False)
        assert concern == CategoryOfConcern.SPECIAL_MEASURES

    def test_unknown_safeguarding_is_not_treated_as_not_met(self):
        assert ofsted.report_card_concern(report_card(), None) == ""


class TestOutcome:
    @pytest.mark.parametrize(
        ("grade", "expected"),
        [(1, Outcome.OUTSTANDING), (2, Outcome.GOOD), (3, Outcome.REQUIRES_IMPROVEMENT), (4, Outcome.INADEQUATE)],
    )
    def test_graded_outcome_follows_overall_effectiveness(self, grade, expected):
        assert ofsted.outcome(InspectionFacts(Shape.GRADED, date(2020, 1, 1), grade)) == expected

    def test_judgements_only_inspection_has_no_graded_outcome(self):
        facts = InspectionFacts(Shape.JUDGEMENTS_ONLY, date(2025, 1, 1), key_judgements={"quality_of_education": 2})
        assert ofsted.outcome(facts) == Outcome.JUDGEMENTS_ONLY

    def test_report_card_with_urgent_improvement(self):
        facts = InspectionFacts(Shape.REPORT_CARD, report_card=report_card(rc_inclusion=5), safeguarding_met=True)
        assert ofsted.outcome(facts) == Outcome.RC_URGENT

    def test_report_card_with_safeguarding_not_met_counts_as_urgent(self):
        facts = InspectionFacts(Shape.REPORT_CARD, report_card=report_card(), safeguarding_met=False)
        assert ofsted.outcome(facts) == Outcome.RC_URGENT

    def test_report_card_with_needs_attention(self):
        facts = InspectionFacts(Shape.REPORT_CARD, report_card=report_card(rc_achievement=4), safeguarding_met=True)
        assert ofsted.outcome(facts) == Outcome.RC_NEEDS_ATTENTION

    def test_report_card_all_expected_or_better(self):
        facts = InspectionFacts(Shape.REPORT_CARD, report_card=report_card(rc_inclusion=1), safeguarding_met=True)
        assert ofsted.outcome(facts) == Outcome.RC_EXPECTED_OR_ABOVE

    def test_ungraded_inspection_has_no_outcome(self):
        assert ofsted.outcome(InspectionFacts(Shape.UNGRADED, ungraded_outcome="School remains Good")) == ""


class TestSummaries:
    def test_grade_three_before_september_2012_reads_satisfactory(self):
        assert ofsted.graded_label(3, date(2012, 7, 1)) == "Satisfactory"
        assert ofsted.graded_label(3, date(2012, 9, 1)) == "Requires improvement"

    def test_graded_summary_names_the_category_of_concern(self):
        facts = InspectionFacts(Shape.GRADED, date(2019, 1, 1), 4, CategoryOfConcern.SPECIAL_MEASURES)
        assert ofsted.summarise(facts) == "Inadequate (special measures)"

    def test_report_card_summary_never_invents_an_overall_grade(self):
        facts = InspectionFacts(
            Shape.REPORT_CARD, report_card=report_card(rc_achievement=4, rc_inclusion=2), safeguarding_met=True
        )
        summary = ofsted.summarise(facts)
        assert summary == "Report card: 1 needs attention, 4 expected standard, 1 strong standard, safeguarding met"
        for word in ("Good", "Outstanding", "Inadequate", "Requires improvement"):
            assert word not in summary

    def test_judgements_only_summary_says_there_is_no_overall_grade(self):
        assert ofsted.summarise(InspectionFacts(Shape.JUDGEMENTS_ONLY)) == "Key judgements, no overall grade"

    def test_latest_full_ignores_ungraded_inspections(self):
        graded = InspectionFacts(Shape.GRADED, date(2019, 5, 1), 2)
        ungraded = InspectionFacts(Shape.UNGRADED, date(2023, 5, 1))
        card = InspectionFacts(Shape.REPORT_CARD, date(2026, 1, 5), report_card=report_card())
        assert ofsted.latest_full([graded, ungraded]) is graded
        assert ofsted.latest_full([graded, ungraded, card]) is card
        assert ofsted.latest_full([ungraded]) is None


class TestParsing:
    @pytest.mark.parametrize(("text", "grade"), [("1", 1), ("4", 4), ("Good", 2), ("requires improvement", 3)])
    def test_graded_values(self, text, grade):
        assert ofsted.parse_graded(text) == grade

    @pytest.mark.parametrize("text", ["", "NULL", "9", "Not judged", "Not applicable"])
    def test_graded_no_value(self, text):
        assert ofsted.parse_graded(text) is None

    @pytest.mark.parametrize("text", ["5", "0", "Excellent"])
    def test_graded_rejects_what_is_not_a_grade(self, text):
        with pytest.raises(ValueError, match="not a grade"):
            ofsted.parse_graded(text)

    def test_report_card_words_on_five_points(self):
        assert [ofsted.parse_report_card(w) for w in ofsted.REPORT_CARD_GRADES.values()] == [1, 2, 3, 4, 5]
        assert ofsted.parse_report_card("  needs   Attention ") == 4

    def test_report_card_rejects_graded_words(self):
        with pytest.raises(ValueError, match="report-card grade"):
            ofsted.parse_report_card("Good")

    @pytest.mark.parametrize(
        ("text", "concern"),
        [
            ("SM", CategoryOfConcern.SPECIAL_MEASURES),
            ("SWK", CategoryOfConcern.SERIOUS_WEAKNESSES),
            ("Requires significant improvement", CategoryOfConcern.REQUIRES_SIGNIFICANT_IMPROVEMENT),
            ("", ""),
            ("NULL", ""),
        ],
    )
    def test_categories_of_concern(self, text, concern):
        assert ofsted.parse_concern(text) == concern

    @pytest.mark.parametrize(("text", "value"), [("Yes", True), ("No", False), ("Met", True), ("Not met", False)])
    def test_yes_no_and_met(self, text, value):
        assert ofsted.parse_yes_no(text) is value
