"""Estyn inspections of Welsh schools (issue 21): the frameworks, the model's checks, the service
and its form page, the portal's CSV layout, the school page, and Ofsted data that never attaches
to a Welsh school."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import SchoolAssignment
from schools import estyn, selectors, services
from schools.models import EstynInspection, ImportProblem, ImportRun, Inspection
from tests.factories import InspectionFactory, SchoolAssignmentFactory
from tests.schools.test_imports import FIXTURES, run

pytestmark = pytest.mark.django_db

OFSTED_FILE = FIXTURES / "latest_inspections_graded_layout.csv"
ROLES = ["olivia", "adam", "alice", "bob", "hannah", "ezra", "bella", "colin"]
HEADER = (
    "URN,LAESTAB,School name,Inspection start date,Framework,Current performance,Prospects for improvement,"
    'Standards,Wellbeing and attitudes to learning,Teaching and learning experiences,"Care, support and guidance",'
    "Leadership and management,Follow-up,Removed from follow-up on\n"
)


def record(school, by, **fields):
    return services.record_estyn_inspection(school=school, by=by, **fields)


# The frameworks --------------------------------------------------------------------------------------------------


class TestFrameworks:
    @pytest.mark.parametrize(
        ("start", "shape"),
        [
            (date(2016, 6, 20), estyn.Shape.PRE_2017),
            (date(2017, 8, 31), estyn.Shape.PRE_2017),
            (date(2017, 9, 1), estyn.Shape.INSPECTION_AREAS),
            (date(2022, 7, 15), estyn.Shape.INSPECTION_AREAS),
            (date(2022, 9, 1), estyn.Shape.NO_SUMMATIVE),
        ],
    )
    def test_the_start_date_says_the_framework(self, start, shape):
        assert estyn.shape_for(start) == shape

    def test_the_grades_are_in_each_frameworks_words(self):
        assert estyn.grade_label(estyn.Shape.PRE_2017, 3) == "Adequate"
        assert estyn.grade_label(estyn.Shape.INSPECTION_AREAS, 3) == "Adequate and needs improvement"
        assert estyn.grade_label(estyn.Shape.INSPECTION_AREAS, 4) == "Unsatisfactory and needs urgent improvement"

    def test_judgements_that_do_not_belong_to_the_framework_are_named(self):
        problems = estyn.judgement_problems(estyn.Shape.NO_SUMMATIVE, {"standards": 2})
        assert "no summative judgements" in problems["standards"]
        problems = estyn.judgement_problems(estyn.Shape.INSPECTION_AREAS, {"current_performance": 2})
        assert set(problems) == {"current_performance", *[j.field for j in estyn.INSPECTION_AREAS]}
        assert not estyn.judgement_problems(
            estyn.Shape.PRE_2017, {"current_performance": 1, "prospects_for_improvement": 2}
        )

    def test_a_summary_never_gives_a_grade_estyn_did_not(self):
        facts = estyn.EstynFacts(date(2023, 3, 6), estyn.Shape.NO_SUMMATIVE, estyn.FollowUp.ESTYN_REVIEW)
        assert estyn.summarise(facts) == "No summative judgement (from September 2022). Follow-up: Estyn review"
        assert facts.in_follow_up
        assert not facts.in_statutory_category


# The service -----------------------------------------------------------------------------------------------------


class TestRecording:
    def test_an_officer_records_an_inspection_in_the_shape_of_its_date(self, hamadryad, olivia):
        inspection = record(
            hamadryad,
            olivia,
            start_date=date(2019, 3, 11),
            follow_up="estyn_review",
            **(dict.fromkeys([j.field for j in estyn.INSPECTION_AREAS], 2) | {"standards": 3}),
        )
        assert inspection.shape == estyn.Shape.INSPECTION_AREAS
        assert inspection.source == EstynInspection.Source.FORM
        assert inspection.recorded_by == olivia
        assert inspection.judgements[0] == ("Standards", "Adequate and needs improvement", 3)
        assert inspection.history.count() == 1

    def test_from_september_2022_no_judgement_is_accepted(self, hamadryad, olivia):
        with pytest.raises(ValidationError) as refused:
            record(hamadryad, olivia, start_date=date(2023, 5, 8), standards=2)
        assert "no summative judgements" in refused.value.message_dict["standards"][0]
        assert record(hamadryad, olivia, start_date=date(2023, 5, 8)).summary.startswith("No summative judgement")

    def test_a_framework_s_judgements_are_all_required(self, hamadryad, olivia):
        with pytest.raises(ValidationError) as refused:
            record(hamadryad, olivia, start_date=date(2015, 1, 12), current_performance=2)
        assert refused.value.message_dict == {
            "prospects_for_improvement": ["Select the judgement on prospects for improvement"]
        }

    def test_an_english_school_cannot_get_an_estyn_inspection(self, ashfield, olivia):
        with pytest.raises(ValidationError) as refused:
            record(ashfield, olivia, start_date=date(2023, 5, 8))
        assert "Estyn inspects schools in Wales only" in refused.value.message_dict["school"][0]

    def test_the_same_day_twice_is_refused(self, hamadryad, olivia):
        record(hamadryad, olivia, start_date=date(2023, 5, 8))
        with pytest.raises(ValidationError, match="already recorded"):
            record(hamadryad, olivia, start_date=date(2023, 5, 8))

    def test_removal_from_follow_up_needs_a_follow_up(self, hamadryad, olivia):
        with pytest.raises(ValidationError) as refused:
            record(hamadryad, olivia, start_date=date(2023, 5, 8), follow_up_removed_on=date(2024, 5, 8))
        assert "follow_up_removed_on" in refused.value.message_dict

    @pytest.mark.parametrize("who", ["alice", "hannah", "bella", "colin"])
    def test_only_officers_and_administrators_may_record(self, request, hamadryad, who):
        with pytest.raises(PermissionDenied):
            record(hamadryad, request.getfixturevalue(who), start_date=date(2023, 5, 8))

    def test_estyn_facts_are_read_newest_first_in_one_query(
        self, hamadryad, olivia, django_assert_num_queries, ashfield
    ):
        record(hamadryad, olivia, start_date=date(2015, 1, 12), current_performance=2, prospects_for_improvement=1)
        record(hamadryad, olivia, start_date=date(2023, 5, 8), follow_up="special_measures")
        with django_assert_num_queries(1):
            facts = selectors.estyn_facts([hamadryad.pk, ashfield.pk])
        assert [f.shape for f in facts[hamadryad.pk]] == [estyn.Shape.NO_SUMMATIVE, estyn.Shape.PRE_2017]
        assert facts[hamadryad.pk][0].in_statutory_category
        assert facts[hamadryad.pk][1].judgements == (("current_performance", 2), ("prospects_for_improvement", 1))
        assert ashfield.pk not in facts
        assert selectors.estyn_facts(None) == facts


# Ofsted never attaches to a Welsh school -------------------------------------------------------------------------


class TestNoOfstedForWelshSchools:
    def test_a_welsh_school_cannot_get_an_ofsted_inspection(self, hamadryad):
        with pytest.raises(ValidationError, match="Ofsted does not inspect schools in Wales"):
            InspectionFactory(school=hamadryad)
        assert not Inspection.objects.exists()

    def test_an_ofsted_row_for_a_welsh_school_is_a_warning_and_the_rest_imports(self, hamadryad, ashfield, beacon_hill):
        # Castle Secondary School's row (line 4) given the Welsh school's URN.
        raw = OFSTED_FILE.read_bytes().replace(b",125001,", f",{hamadryad.urn},".encode())
        result = run("ofsted_latest", raw)
        assert result.status == ImportRun.Status.SUCCEEDED, result.message
        assert result.warning_count == 1
        assert result.skipped == 2
        assert not hamadryad.inspections.exists()
        assert ashfield.inspections.exists()
        warning = result.problems.get(kind=ImportProblem.Kind.WARNING)
        assert (warning.line, warning.column, warning.value) == (4, "URN", str(hamadryad.urn))
        assert "Welsh school" in warning.reason


# The import ------------------------------------------------------------------------------------------------------


def estyn_file(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


GOOD = [
    "402387,,Hamadryad,14/03/2016,,Good,Adequate,,,,,,Estyn monitoring,01/10/2017",
    "402387,,Hamadryad,11/03/2019,inspection_areas,,,Good,Excellent,Good,Adequate and needs improvement,Good,,",
    ",6812332,Hamadryad,08/05/2023,,,,,,,,,Significant improvement,",
]


class TestImport:
    def test_a_good_file_imports_each_inspection_in_its_shape(self, hamadryad):
        result = run("estyn_inspections", estyn_file(*GOOD))
        assert result.status == ImportRun.Status.SUCCEEDED, (result.message, result.errors)
        assert (result.created, result.updated, result.skipped) == (3, 0, 0)
        held = list(hamadryad.estyn_inspections.order_by("start_date"))
        assert [i.shape for i in held] == ["pre_2017", "inspection_areas", "no_summative"]
        assert held[0].follow_up == "estyn_monitoring"
        assert held[0].follow_up_removed_on == date(2017, 10, 1)
        assert held[1].care_support_and_guidance == estyn.ADEQUATE
        assert held[2].follow_up == "significant_improvement"
        assert held[2].source == "import"

    def test_importing_the_same_file_again_changes_nothing(self, hamadryad):
        run("estyn_inspections", estyn_file(*GOOD))
        again = run("estyn_inspections", estyn_file(*GOOD))
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    def test_the_import_can_be_undone(self, hamadryad, olivia):
        result = run("estyn_inspections", estyn_file(*GOOD))
        services.undo_import(run=result, by=olivia)
        assert not EstynInspection.objects.exists()

    def test_a_missing_required_column_refuses_the_file(self, hamadryad):
        raw = b"URN,Standards\n402387,Good\n"
        result = run("estyn_inspections", raw)
        assert result.status == ImportRun.Status.FAILED
        assert "missing the required column 'Inspection start date'" in result.message
        assert not EstynInspection.objects.exists()

    def test_judgements_outside_the_framework_refuse_the_file_grouped_by_column_and_reason(self, hamadryad):
        result = run(
            "estyn_inspections",
            estyn_file(
                GOOD[0],
                "402387,,Hamadryad,06/03/2023,,,,Good,,,,,,",
                "402387,,Hamadryad,13/11/2023,,,,Adequate,,,,,,",
                "402387,,Hamadryad,15/01/2024,,,,,,,,,Special treatment,",
            ),
        )
        assert result.status == ImportRun.Status.FAILED
        assert not EstynInspection.objects.exists()
        groups = {(g["column"], g["reason"]): g for g in result.problem_groups if g["kind"] == "error"}
        standards = groups["Standards", "is a judgement from September 2022 did not make"]
        assert (standards["count"], standards["lines"]) == (2, [3, 4])
        assert any(column == "Follow-up" for column, _ in groups)

    def test_a_row_for_an_english_school_is_set_aside_with_a_warning(self, hamadryad, ashfield):
        result = run("estyn_inspections", estyn_file(GOOD[0], f"{ashfield.urn},,Ashfield,08/05/2023,,,,,,,,,,"))
        assert result.status == ImportRun.Status.SUCCEEDED, result.message
        assert (result.created, result.skipped, result.warning_count) == (1, 1, 1)
        assert not EstynInspection.objects.filter(school=ashfield).exists()
        warning = result.problems.get(kind=ImportProblem.Kind.WARNING)
        assert warning.line == 3
        assert "not a Welsh school" in warning.reason


# The pages -------------------------------------------------------------------------------------------------------


def status_for(client, user, url, method="get", **data):
    client.force_login(user)
    response = getattr(client, method)(url, data)
    client.logout()
    return response.status_code


class TestPages:
    def test_who_may_open_the_form(self, client, request, in_wales, alice, hannah, bella):
        for user in (alice, hannah):
            relationship = (
                SchoolAssignment.Relationship.PRIORITY_PARTNER
                if user == alice
                else SchoolAssignment.Relationship.HEADTEACHER
            )
            SchoolAssignmentFactory(user=user, school=in_wales, relationship=relationship)
        url = reverse("schools:estyn-create", args=[in_wales.urn])
        expected = {"olivia": 200, "adam": 200, "alice": 403, "bob": 403, "hannah": 403, "ezra": 403}
        expected |= {"bella": 403, "colin": 403}
        found = {who: status_for(client, request.getfixturevalue(who), url) for who in ROLES}
        assert found == expected

    def test_an_officer_records_an_inspection_and_sees_it_on_the_school_page(self, client, in_wales, olivia):
        client.force_login(olivia)
        page = client.get(in_wales.get_absolute_url())
        assert "Record an Estyn inspection" in page.content.decode()
        assert "No Ofsted inspection" not in page.content.decode()
        response = client.post(
            reverse("schools:estyn-create", args=[in_wales.urn]),
            {
                "start_date_0": "8",
                "start_date_1": "5",
                "start_date_2": "2023",
                "follow_up": "estyn_review",
            },
        )
        assert response.status_code == 302, response.content.decode()
        page = client.get(in_wales.get_absolute_url()).content.decode()
        assert "8 May 2023: Estyn inspection" in page
        assert "No summative judgement" in page
        assert "Estyn review" in page

    def test_a_judgement_from_september_2022_is_shown_at_its_field(self, client, in_wales, olivia):
        client.force_login(olivia)
        response = client.post(
            reverse("schools:estyn-create", args=[in_wales.urn]),
            {"start_date_0": "8", "start_date_1": "5", "start_date_2": "2023", "follow_up": "none", "standards": "2"},
        )
        assert response.status_code == 200
        assert "Estyn makes no summative judgements from September 2022" in response.content.decode()
        assert not EstynInspection.objects.exists()

    def test_an_english_school_page_is_unchanged_and_its_estyn_form_sends_back(self, client, ashfield, olivia):
        client.force_login(olivia)
        page = client.get(ashfield.get_absolute_url()).content.decode()
        assert "Ofsted inspections" in page
        assert "Record an Estyn inspection" not in page
        response = client.get(reverse("schools:estyn-create", args=[ashfield.urn]))
        assert response.status_code == 302
        assert response["Location"].startswith(ashfield.get_absolute_url())
