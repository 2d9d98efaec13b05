"""What the audit trail records: who, when, which record, before and after, for changes made
by people through the services, and for the bulk writes of imports and jobs (attributed to the
job and the person who started it). Runs on SQLite and PostgreSQL alike (each has its own bulk
path)."""

from datetime import date
from pathlib import Path

import pytest

from accounts.audit import acting
from accounts.audit import bulk as audit
from categorisation import services as categorisation
from categorisation.models import Category, CategoryDecision, Framework, RiskAssessment, SchoolCategory
from schools import imports
from schools import services as schools
from schools.models import ImportRun, Inspection, School
from support import services as support
from support.models import Action, ActionPlan, VisitReport
from tests.conftest import DATA
from tests.factories import ActionFactory, InspectionFactory, SchoolFactory, VisitFactory, VisitReportFactory
from tests.schools.test_importers import replace_cell

pytestmark = pytest.mark.django_db

GIAS = DATA / "gias" / "gias_establishments_sample_2021_npq-registration.csv"
OFSTED = Path(__file__).resolve().parent.parent / "fixtures" / "ofsted" / "latest_inspections_graded_layout.csv"
TODAY = date(2026, 11, 23)


def history(model, **filters):
    return list(model.history.filter(**filters).order_by("history_id"))


def latest(model, **filters):
    return model.history.filter(**filters).order_by("-history_id").first()


def diff(record) -> dict[str, tuple]:
    """The fields that changed in a history row against the one before it: {name: (old, new)}."""
    previous = record.prev_record
    return {c.field: (c.old, c.new) for c in record.diff_against(previous).changes}


def codes(pair: tuple) -> tuple:
    """Category ids before and after, as codes."""
    return tuple(Category.objects.get(pk=pk).code if pk else None for pk in pair)


def import_file(kind: str, raw: bytes, *, by=None, name: str = "register.csv") -> ImportRun:
    run = schools.start_command_import(kind=kind, file_name=name, raw=raw, dry_run=False, academic_year=None, by=by)
    imports.run_import(run=run, raw=raw)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    return run


# Changes people make ----------------------------------------------------------------------------


class TestACategoryOverride:
    def test_records_the_category_before_and_after_and_the_officer(self, ashfield, olivia):
        categorisation.recategorise(trigger="manual", as_of=TODAY)
        categorisation.agree_category(school=ashfield, by=olivia)
        decision = categorisation.agree_category(
            school=ashfield, by=olivia, category_code="intensive", rationale="Safeguarding concerns at the visit"
        )
        standing = SchoolCategory.objects.get(school=ashfield, framework__is_active=True)
        change = latest(SchoolCategory, id=standing.pk)
        assert (change.history_type, change.history_user) == ("~", olivia)
        assert codes(diff(change)["category"]) == ("overview", "intensive")
        made = latest(CategoryDecision, id=decision.pk)
        assert (made.history_type, made.history_user, made.kind) == ("+", olivia, "overridden")
        assert made.rationale == "Safeguarding concerns at the visit"

    def test_a_save_that_changes_nothing_writes_no_history(self, ashfield, olivia):
        plan = ActionPlan.objects.create(school=ashfield, academic_year=2026, due_by=date(2026, 10, 23))
        plan.save()
        plan.save(update_fields=["updated_at"])
        assert [h.history_type for h in history(ActionPlan, id=plan.pk)] == ["+"]


class TestAPlanEdit:
    def test_an_action_update_records_the_rag_before_and_after_and_who(self, ashfield, alice):
        action = ActionFactory(priority__plan__school=ashfield, rag=Action.Rag.GREEN)
        support.update_action(action=action, by=alice, rag=Action.Rag.RED, evidence="Staff training postponed")
        change = latest(Action, id=action.pk)
        assert (change.history_type, change.history_user) == ("~", alice)
        assert diff(change) == {"rag": ("green", "red"), "evidence": ("", "Staff training postponed")}

    def test_an_academy_order_on_a_statement_of_action_is_recorded(self, ashfield, olivia):
        plan = ActionPlan.objects.create(
            school=ashfield, academic_year=2026, due_by=date(2026, 10, 23), kind=ActionPlan.Kind.STATEMENT_OF_ACTION
        )
        support.record_academy_order(
            plan=plan,
            by=olivia,
            academy_order_on=date(2026, 11, 2),
            academy_trust="Oak Trust",
            conversion_expected_on=None,
        )
        change = latest(ActionPlan, id=plan.pk)
        assert change.history_user == olivia
        assert diff(change)["academy_trust"] == ("", "Oak Trust")
        assert diff(change)["academy_order_on"] == (None, date(2026, 11, 2))

    def test_a_deletion_is_recorded_with_the_values_it_had(self, ashfield, olivia):
        action = ActionFactory(priority__plan__school=ashfield)
        pk = action.pk
        with acting(olivia):
            action.delete()
        gone = latest(Action, id=pk)
        assert (gone.history_type, gone.history_user, gone.description) == ("-", olivia, action.description)


# Imports ------------------------------------------------------------------------------------------


class TestAnImport:
    def test_every_school_created_has_its_history_attributed_to_the_person_and_the_import(self, olivia):
        run = import_file("gias_establishments", GIAS.read_bytes(), by=olivia)
        created = School.history.filter(history_type="+")
        assert created.count() == School.objects.count() == 99
        assert set(created.values_list("history_user", "history_change_reason")) == {
            (olivia.pk, f"Import {run.pk}: gias_establishments (register.csv)")
        }

    def test_importing_the_same_file_again_records_nothing(self, olivia):
        import_file("gias_establishments", GIAS.read_bytes(), by=olivia)
        before = School.history.count()
        import_file("gias_establishments", GIAS.read_bytes(), by=olivia)
        assert School.history.count() == before

    def test_a_changed_row_records_that_school_only_with_its_name_before_and_after(self, olivia, adam):
        import_file("gias_establishments", GIAS.read_bytes(), by=olivia)
        raw = replace_cell(GIAS.read_bytes(), 5, "EstablishmentName", "Renamed Primary School")
        run = import_file("gias_establishments", raw, by=adam, name="renamed.csv")
        changes = list(School.history.filter(history_type="~"))
        assert len(changes) == 1
        change = changes[0]
        assert change.history_user == adam
        assert change.history_change_reason == f"Import {run.pk}: gias_establishments (renamed.csv)"
        assert diff(change)["name"][1] == "Renamed Primary School"
        assert diff(change)["name"][0] != "Renamed Primary School"

    def test_an_import_from_the_shell_names_the_import_without_a_person(self):
        run = import_file("gias_establishments", GIAS.read_bytes())
        assert set(School.history.values_list("history_user", "history_change_reason")) == {
            (None, f"Import {run.pk}: gias_establishments (register.csv)")
        }

    def test_a_dry_run_records_nothing(self, olivia):
        run = schools.start_command_import(
            kind="gias_establishments", file_name="x.csv", raw=GIAS.read_bytes(), dry_run=True, academic_year=None
        )
        imports.run_import(run=run, raw=GIAS.read_bytes())
        assert not School.history.exists()

    def test_an_ofsted_import_records_the_inspections_and_the_schools_latest_outcome(self, ashfield, olivia):
        run = import_file("ofsted_latest", OFSTED.read_bytes(), by=olivia, name="ofsted.csv")
        reason = f"Import {run.pk}: ofsted_latest (ofsted.csv)"
        assert Inspection.history.filter(history_type="+", history_change_reason=reason).count() >= 1
        outcome = latest(School, id=ashfield.pk)
        assert (outcome.history_type, outcome.history_user, outcome.history_change_reason) == ("~", olivia, reason)
        assert diff(outcome)["ofsted_outcome"] == ("", "inadequate")
        again = Inspection.history.count(), School.history.count()
        import_file("ofsted_latest", OFSTED.read_bytes(), by=olivia, name="ofsted.csv")
        assert (Inspection.history.count(), School.history.count()) == again


# Jobs ---------------------------------------------------------------------------------------------


class TestARecategorisationRun:
    def test_its_assessments_and_standings_name_the_run_and_who_started_it(self, ashfield, beacon_hill, olivia):
        run = categorisation.recategorise(trigger="manual", started_by=olivia, as_of=TODAY)
        reason = f"Recategorisation run {run.pk}: run by an officer"
        # An assessment is never changed: it is its own record, naming its run and so who started it.
        assessed = RiskAssessment.objects.all()
        assert assessed.count() == 2
        assert set(assessed.values_list("run__pk", "run__started_by", "run__trigger")) == {
            (run.pk, olivia.pk, "manual")
        }
        standings = SchoolCategory.history.all()
        assert set(standings.values_list("history_type", "history_user", "history_change_reason")) == {
            ("+", olivia.pk, reason)
        }

    def test_a_nightly_run_names_itself_and_a_run_that_changes_nothing_records_nothing(self, ashfield, olivia):
        categorisation.recategorise(trigger="manual", started_by=olivia, as_of=TODAY)
        InspectionFactory(school=ashfield, overall_effectiveness=4, category_of_concern="special_measures")
        imports.refresh_latest_inspections({ashfield.pk})
        nightly = categorisation.recategorise(trigger="nightly", as_of=TODAY)
        moved = latest(SchoolCategory, school_id=ashfield.pk)
        assert (moved.history_type, moved.history_user, moved.history_change_reason) == (
            "~",
            None,
            f"Nightly recategorisation run {nightly.pk}",
        )
        assert codes(diff(moved)["proposed"]) == ("overview", "intensive")
        before = SchoolCategory.history.count(), RiskAssessment.objects.count()
        categorisation.recategorise(trigger="nightly", as_of=TODAY)
        assert (SchoolCategory.history.count(), RiskAssessment.objects.count()) == before

    def test_agreeing_proposals_in_bulk_records_each_decision_and_standing(self, ashfield, beacon_hill, olivia):
        categorisation.recategorise(trigger="manual", as_of=TODAY)
        categorisation.agree_proposals(school_ids=[ashfield.pk, beacon_hill.pk], by=olivia)
        assert CategoryDecision.history.filter(history_type="+", history_user=olivia).count() == 2
        changed = SchoolCategory.history.filter(history_type="~", history_user=olivia)
        assert changed.count() == 2
        assert all(diff(change)["pending"] == (True, False) for change in changed)


class TestBulkUpdates:
    def test_the_quality_assurance_sample_records_each_report_it_selects(self, ashfield, alice, olivia):
        visit = VisitFactory(school=ashfield, visitor=alice)
        report = VisitReportFactory(visit=visit, status=VisitReport.Status.RESPONDED)
        assert support.draw_quality_assurance_sample(by=olivia, seed=1) == 1
        change = latest(VisitReport, id=report.pk)
        assert (change.history_user, diff(change)["selected_for_qa"]) == (olivia, (False, True))

    def test_switching_the_active_framework_records_both_frameworks(self, adam):
        wales = Framework.objects.get(code="wales")
        categorisation.set_active_framework(framework=wales, by=adam)
        switched = Framework.history.filter(history_type="~", history_user=adam)
        assert {(h.code, h.is_active) for h in switched} == {("tiered", False), ("wales", True)}

    def test_an_update_that_changes_no_row_records_nothing(self):
        school = SchoolFactory(status_name="Open")
        before = School.history.count()
        assert audit.update(School.objects.filter(pk=school.pk), status_name="Open") == 0
        assert School.history.count() == before
