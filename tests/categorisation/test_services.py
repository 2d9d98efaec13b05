"""Running the engine over the database, agreeing and overriding, and changing frameworks."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django_celery_beat.models import PeriodicTask

from categorisation import selectors, services
from categorisation.models import (
    CategoryDecision,
    Framework,
    FrameworkVersion,
    RiskAssessment,
    SchoolCategory,
)
from schools.imports import refresh_latest_inspections
from tests.factories import (
    InspectionFactory,
    IntelligenceNoteFactory,
    NationalFigureFactory,
    PerformanceMeasureFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def inadequate(school):
    InspectionFactory(school=school, overall_effectiveness=4, category_of_concern="special_measures")
    refresh_latest_inspections({school.pk})


def standing(school, code="tiered") -> SchoolCategory:
    return SchoolCategory.objects.select_related("category", "proposed").get(school=school, framework__code=code)


def run(**kwargs):
    return services.recategorise(trigger="manual", as_of=TODAY, **kwargs)


class TestFrameworksAfterMigrate:
    def test_the_built_in_frameworks_exist_with_tiered_support_active(self):
        assert set(Framework.objects.values_list("code", flat=True)) == {
            "tiered",
            "warwickshire",
            "wales",
            "wales_concern",
            "oxfordshire",
        }
        assert selectors.active_framework().code == "tiered"

        def codes(code):
            return [c.code for c in selectors.active_version(Framework.objects.get(code=code)).categories.all()]

        assert codes("tiered") == ["overview", "focused", "intensive"]
        assert codes("warwickshire") == ["NI", "1", "2A", "2B", "3B", "3A", "3D", "3C", "4"]
        assert codes("wales") == ["uncategorised", "green", "yellow", "amber", "red"]
        assert codes("oxfordshire") == ["universal", "targeted", "bespoke", "ri", "inadequate"]
        assert not Framework.objects.get(code="oxfordshire").is_active
        assert codes("wales_concern") == [
            "none",
            "estyn_review",
            "la_concern",
            "sig_improvement",
            "special_measures",
        ]

    def test_the_versions_as_written_replace_those_first_shipped(self):
        for framework in Framework.objects.filter(code__in=["tiered", "warwickshire", "wales"]):
            versions = {v.number: (v.status, v.notes) for v in framework.versions.all()}
            written = {1: ("retired", "As shipped."), 2: ("active", "As the policy is written (issue 21).")}
            if framework.code == "tiered":  # and tiered support again, with the evidence the seeds name
                written |= {
                    2: ("retired", written[2][1]),
                    3: ("active", "With the evidence the seeds name (issue 22)."),
                }
            assert versions == written

    def test_entitlements_come_with_the_categories(self):
        intensive = selectors.active_version().categories.get(code="intensive")
        assert (intensive.adviser_days, intensive.teaching_adviser_days, intensive.progress_meetings_per_year) == (
            7,
            6,
            6,
        )
        assert intensive.brokered_support is True
        wales = selectors.active_version(Framework.objects.get(code="wales")).categories
        assert [int(c.adviser_days) for c in wales.all()] == [0, 4, 10, 15, 25]
        warwickshire = selectors.active_version(Framework.objects.get(code="warwickshire")).categories
        four = warwickshire.get(code="4")
        assert (four.meeting_cadence, four.visit_pattern) == (
            "half_termly",
            "2 weekly visits from the attached officer",
        )

    def test_every_school_is_recategorised_nightly(self):
        task = PeriodicTask.objects.get(task="categorisation.recategorise_all_schools")
        assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("2", "0", "Europe/London")


class TestRecategorising:
    def test_each_school_gets_a_proposal_with_its_evidence(self, ashfield, beacon_hill):
        inadequate(ashfield)
        result = run()
        assert (result.schools, result.assessed, result.unchanged) == (2, 2, 0)
        mine = standing(ashfield)
        assert mine.proposed.code == "intensive"
        assert mine.pending is True
        assert mine.category is None
        codes = [f["code"] for f in mine.assessment.fired]
        assert "ofsted_inadequate" in codes
        assert "ofsted_special_measures" in codes
        fired = next(f for f in mine.assessment.fired if f["code"] == "ofsted_inadequate")
        assert fired["evidence"]["source"].startswith("Ofsted inspection")
        assert "Proposed Intensive" in mine.assessment.explanation
        assert standing(beacon_hill).proposed.code == "overview"

    def test_a_second_run_with_nothing_changed_writes_nothing(self, ashfield, beacon_hill):
        inadequate(ashfield)
        run()
        before = RiskAssessment.objects.count()
        again = run()
        assert (again.assessed, again.unchanged) == (0, 2)
        assert RiskAssessment.objects.count() == before

    def test_new_information_makes_a_new_assessment_for_that_school_only(self, ashfield, beacon_hill):
        run()
        IntelligenceNoteFactory(school=beacon_hill, area="safeguarding", risk_grade="high", noted_on=date(2026, 10, 1))
        again = run()
        assert (again.assessed, again.unchanged) == (1, 1)
        assert standing(beacon_hill).proposed.code == "intensive"

    def test_a_single_school_can_be_reassessed_alone(self, ashfield, beacon_hill):
        result = run(school_ids=[ashfield.pk])
        assert result.schools == 1
        assert not SchoolCategory.objects.filter(school=beacon_hill).exists()

    def test_a_proposal_matching_the_agreed_category_does_not_wait(self, ashfield, olivia):
        run()
        services.agree_category(school=ashfield, by=olivia)
        IntelligenceNoteFactory(school=ashfield, area="new_headteacher", risk_grade="low", noted_on=date(2026, 9, 1))
        run()
        mine = standing(ashfield)
        assert mine.proposed.code == "overview"
        assert mine.pending is False


class TestDecisions:
    def test_an_officer_agrees_the_proposal(self, ashfield, olivia):
        inadequate(ashfield)
        run()
        decision = services.agree_category(school=ashfield, by=olivia)
        assert (decision.kind, decision.category.code, decision.previous) == ("agreed", "intensive", None)
        mine = standing(ashfield)
        assert (mine.category.code, mine.pending, mine.decision) == ("intensive", False, decision)
        assert decision.assessment == mine.assessment

    def test_an_override_without_a_rationale_is_refused(self, ashfield, olivia):
        inadequate(ashfield)
        run()
        with pytest.raises(ValidationError) as refused:
            services.agree_category(school=ashfield, by=olivia, category_code="focused", rationale="  ")
        assert refused.value.message_dict == {"rationale": ["Enter why you are overriding the proposed category"]}
        assert not CategoryDecision.objects.exists()
        assert standing(ashfield).pending is True

    def test_an_override_with_a_rationale_is_recorded_with_who_from_what_and_why(self, ashfield, olivia):
        run()
        services.agree_category(school=ashfield, by=olivia)
        decision = services.agree_category(
            school=ashfield, by=olivia, category_code="focused", rationale="New head; governors weak"
        )
        assert decision.kind == "overridden"
        assert (decision.previous.code, decision.category.code) == ("overview", "focused")
        assert decision.rationale == "New head; governors weak"
        assert decision.decided_by == olivia
        assert standing(ashfield).category.code == "focused"

    def test_only_officers_change_categories(self, ashfield, alice, hannah, bella, colin):
        run()
        for person in (alice, hannah, bella, colin):
            with pytest.raises(PermissionDenied):
                services.agree_category(school=ashfield, by=person)
        assert not CategoryDecision.objects.exists()

    def test_agreeing_selected_proposals_in_bulk(self, ashfield, beacon_hill, castle, olivia):
        run()
        agreed = services.agree_proposals(school_ids=[ashfield.pk, beacon_hill.pk], by=olivia)
        assert (agreed.agreed, agreed.changed) == (2, [])
        assert CategoryDecision.objects.filter(kind="agreed").count() == 2
        assert SchoolCategory.objects.filter(pending=True).count() == 1


class TestFrameworks:
    def test_switching_the_framework_recategorises_under_it_on_the_next_run(self, ashfield, adam):
        inadequate(ashfield)
        run()
        services.set_active_framework(framework=Framework.objects.get(code="warwickshire"), by=adam)
        run()
        assert standing(ashfield, "warwickshire").proposed.code == "4"
        assert standing(ashfield, "tiered").proposed.code == "intensive"  # the old framework's standing stays

    def test_wales_categories_come_out_of_the_group_and_capacity_matrix(self, adam, olivia, in_wales):
        services.set_active_framework(framework=Framework.objects.get(code="wales"), by=adam)
        services.record_standards_group(school=in_wales, year=2026, group=3, by=olivia)
        judgement = services.record_capacity_judgement(
            school=in_wales, year=2026, capacity="C", evidence="Self-evaluation not yet accurate", by=olivia
        )
        run()
        assert standing(in_wales, "wales").proposed.code == "uncategorised"  # the judgement is not agreed yet
        services.agree_capacity_judgement(judgement=judgement, by=olivia)
        run()
        mine = standing(in_wales, "wales")
        assert mine.assessment.basis == "standards group 3, capacity C"
        assert mine.proposed.code == "amber"

    def test_only_administrators_manage_frameworks(self, olivia):
        with pytest.raises(PermissionDenied):
            services.set_active_framework(framework=Framework.objects.get(code="wales"), by=olivia)
        with pytest.raises(PermissionDenied):
            services.create_draft(version=selectors.active_version(), by=olivia)

    def test_a_threshold_changed_in_a_draft_changes_nothing_until_adopted(self, ashfield, adam):
        IntelligenceNoteFactory(school=ashfield, area="finance", risk_grade="medium", noted_on=date(2026, 10, 1))
        run()
        assert standing(ashfield).proposed.code == "overview"
        draft = services.create_draft(version=selectors.active_version(), by=adam)
        trigger = draft.triggers.get(code="budget_deficit")
        services.update_trigger(
            trigger=trigger, by=adam, severity=2, enabled=True, params={**trigger.params, "min_grade": "medium"}
        )
        run()
        assert standing(ashfield).proposed.code == "overview"
        old = selectors.active_version()
        services.adopt_draft(version=draft, by=adam)
        run()
        assert standing(ashfield).proposed.code == "focused"
        old.refresh_from_db()
        assert old.status == FrameworkVersion.Status.RETIRED
        assert RiskAssessment.objects.filter(version=old).exists()  # old assessments stay

    def test_only_a_draft_can_be_changed(self, adam):
        trigger = selectors.active_version().triggers.first()
        with pytest.raises(ValidationError, match="Only a draft can be changed"):
            services.update_trigger(trigger=trigger, by=adam, severity=1, enabled=True, params=trigger.params)

    def test_a_draft_that_names_an_unknown_category_cannot_be_adopted(self, adam):
        draft = services.create_draft(version=selectors.active_version(), by=adam)
        draft.rules.filter(order=1).update(category_code="nowhere")
        with pytest.raises(ValidationError, match="unknown category nowhere"):
            services.adopt_draft(version=draft, by=adam)


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_a_what_if_shows_the_moves_and_changes_no_data(ashfield, beacon_hill, adam):
    IntelligenceNoteFactory(school=ashfield, area="finance", risk_grade="medium", noted_on=date(2026, 10, 1))
    run()
    draft = services.create_draft(version=selectors.active_version(), by=adam)
    trigger = draft.triggers.get(code="budget_deficit")
    services.update_trigger(
        trigger=trigger, by=adam, severity=2, enabled=True, params={**trigger.params, "min_grade": "medium"}
    )
    before = _counts()
    result = selectors.what_if(draft, as_of=TODAY)
    assert _counts() == before
    assert result.matrix["overview"]["focused"] == 1
    assert result.matrix["overview"]["overview"] == 1
    assert [(m.school, m.before, m.after) for m in result.movers] == [(ashfield, "Overview", "Focused")]
    assert "Budget deficit" in result.movers[0].because


def test_the_loader_gives_each_school_its_figures_by_measure_oldest_first_with_the_national_figure(
    ashfield, beacon_hill
):
    code = "abs_overall_pct"
    for year, value, marker in [(2018, "6.1", ""), (2016, "5.2", ""), (2017, None, "SUPP")]:
        PerformanceMeasureFactory(school=ashfield, measure=code, academic_year=year, value=value, marker=marker)
    PerformanceMeasureFactory(school=beacon_hill, measure=code, academic_year=2018, value="3.3")
    PerformanceMeasureFactory(school=ashfield, measure="not_read_by_any_trigger", academic_year=2018, value="1")
    NationalFigureFactory(measure=code, academic_year=2016, phase="all", value="4.4")
    NationalFigureFactory(measure=code, academic_year=2018, phase="all", value="4.9")
    NationalFigureFactory(measure=code, academic_year=2018, phase="primary", value="4.6")
    spec = selectors.spec_for(selectors.active_version())

    for ids in (None, [ashfield.pk]):  # every school, or some in chunks
        facts = selectors.load_facts(spec, school_ids=ids, as_of=TODAY)[ashfield.pk]
        # The suppressed year is no value; the primary school is compared with primary schools
        # where there is a figure for them, with all schools otherwise.
        assert [(f.year, f.value, f.national) for f in facts.series(code)] == [
            (2016, Decimal("5.2"), Decimal("4.4")),
            (2018, Decimal("6.1"), Decimal("4.6")),
        ]
        assert facts.series("not_read_by_any_trigger") == []
    assert [f.value for f in selectors.load_facts(spec, as_of=TODAY)[beacon_hill.pk].series(code)] == [Decimal("3.3")]


def test_a_framework_that_reads_no_measures_loads_no_figures(ashfield):
    PerformanceMeasureFactory(school=ashfield, measure="abs_overall_pct", academic_year=2018, value="6.1")
    spec = selectors.spec_for(selectors.active_version())
    spec = dataclasses.replace(
        spec,
        triggers=tuple(
            t for t in spec.triggers if not selectors.measures_used(dataclasses.replace(spec, triggers=(t,)))
        ),
    )
    assert selectors.measures_used(spec) == set()
    facts = selectors.load_facts(spec, as_of=TODAY)[ashfield.pk]
    assert facts.series("abs_overall_pct") == []
