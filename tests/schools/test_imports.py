"""Importing the real published files in data/ into the database, all or nothing."""

import re
from pathlib import Path

import pandas as pd
import pytest

from schools import imports, services
from schools.models import (
    GroupMembership,
    ImportRun,
    Inspection,
    LocalAuthority,
    NationalFigure,
    PerformanceMeasure,
    School,
    SchoolGroup,
    SchoolLink,
)
from tests.conftest import DATA
from tests.schools.test_importers import replace_cell

GIAS = DATA / "gias" / "gias_establishments_sample_2021_npq-registration.csv"
GIAS_2018 = DATA / "gias" / "gias_establishments_sample_2018_schools-experience.csv"
PERFORMANCE = DATA / "performance_tables"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ofsted"

pytestmark = pytest.mark.django_db


def run(kind: str, raw: bytes, *, dry_run: bool = False, year: int | None = None, name: str = "file.csv") -> ImportRun:
    started = services.start_command_import(kind=kind, file_name=name, raw=raw, dry_run=dry_run, academic_year=year)
    imports.run_import(run=started, raw=raw)
    started.refresh_from_db()
    return started


def counts(result: ImportRun) -> tuple[int, int, int]:
    return result.created, result.updated, result.unchanged


def read(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=kwargs.pop("encoding", "utf-8-sig"), **kwargs)


@pytest.fixture
def register():
    """The real GIAS samples imported: 99 + 4 schools."""
    assert run("gias_establishments", GIAS.read_bytes()).status == ImportRun.Status.SUCCEEDED
    assert run("gias_establishments", GIAS_2018.read_bytes()).status == ImportRun.Status.SUCCEEDED


class TestRegister:
    def test_every_row_becomes_a_school_with_its_published_values(self):
        result = run("gias_establishments", GIAS.read_bytes())
        assert result.status == ImportRun.Status.SUCCEEDED
        assert (result.rows_read, *counts(result)) == (99, 99, 0, 0)
        assert School.objects.count() == len(read(GIAS)) == 99
        row = read(GIAS).iloc[0]
        school = School.objects.select_related("la").get(urn=int(row["URN"]))
        assert school.name == row["EstablishmentName"]
        assert school.la.code == int(row["LA (code)"])
        assert school.la.name == row["LA (name)"]
        assert school.laestab == int(row["LA (code)"]) * 10000 + int(row["EstablishmentNumber"])
        assert LocalAuthority.objects.count() == read(GIAS)["LA (code)"].nunique()

    def test_the_older_133_column_layout_imports_too(self):
        result = run("gias_establishments", GIAS_2018.read_bytes())
        assert counts(result) == (4, 0, 0)
        school = School.objects.get(urn=int(read(GIAS_2018).iloc[0]["URN"]))
        assert school.headteacher_name  # the 2018 extract carries head teachers' names

    def test_importing_the_same_file_again_creates_and_updates_nothing(self):
        run("gias_establishments", GIAS.read_bytes())
        again = run("gias_establishments", GIAS.read_bytes())
        assert counts(again) == (0, 0, 99)
        assert School.objects.count() == 99

    def test_a_changed_row_updates_only_that_school(self):
        run("gias_establishments", GIAS.read_bytes())
        raw = replace_cell(GIAS.read_bytes(), 5, "EstablishmentName", "Renamed Primary School")
        result = run("gias_establishments", raw)
        assert counts(result) == (0, 1, 98)
        assert School.objects.filter(name="Renamed Primary School").count() == 1

    def test_a_date_that_cannot_be_read_is_imported_as_no_date_and_reported_as_a_warning(self):
        raw = replace_cell(GIAS.read_bytes(), 57, "OpenDate", "31-02-2019")
        urn = int(read(GIAS).iloc[57 - 2]["URN"])
        result = run("gias_establishments", raw)
        assert result.status == ImportRun.Status.SUCCEEDED, result.message
        assert counts(result) == (99, 0, 0)
        assert School.objects.get(urn=urn).open_date is None
        # Every other school keeps the date the file gives it (01-01-1900 is GIAS's "not known").
        dated = {int(r.URN) for r in read(GIAS).itertuples() if r.OpenDate not in ("", "01-01-1900")}
        assert set(School.objects.exclude(open_date=None).values_list("urn", flat=True)) == dated - {urn}
        assert (result.errors, result.rejected, result.warning_count) == ([], 0, 1)
        assert result.message == "Records were: 99 created, 0 updated, 0 unchanged; 1 warning."
        reason = "is not a date (DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or YYYYMMDD)"
        problems = result.problems.values_list("kind", "line", "column", "value", "reason")
        assert list(problems) == [("warning", 57, "OpenDate", "31-02-2019", reason)]
        assert [
            (g["kind"], g["column"], g["reason"], g["count"], g["lines"], g["values"]) for g in result.problem_groups
        ] == [("warning", "OpenDate", reason, 1, [57], ["31-02-2019"])]

    def test_a_urn_that_cannot_be_read_writes_nothing_and_names_its_row_column_and_reason(self):
        raw = replace_cell(GIAS.read_bytes(), 57, "URN", "abc")
        result = run("gias_establishments", raw)
        assert result.status == ImportRun.Status.FAILED
        assert School.objects.count() == 0
        assert LocalAuthority.objects.count() == 0
        assert (result.rejected, result.error_count) == (1, 1)
        assert result.errors == [{"line": 57, "column": "URN", "value": "abc", "reason": "is not a whole number"}]
        assert result.message == (
            "Nothing was imported: 1 row has an error in a key column. Correct the file and check it again."
        )
        problems = result.problems.values_list("kind", "line", "column", "value")
        assert list(problems) == [("error", 57, "URN", "abc")]

    def test_a_bad_key_in_an_update_leaves_every_school_as_it_was(self):
        run("gias_establishments", GIAS.read_bytes())
        raw = replace_cell(GIAS.read_bytes(), 5, "EstablishmentName", "Renamed Primary School")
        raw = replace_cell(raw, 80, "LA (code)", "eleven")
        result = run("gias_establishments", raw)
        assert result.status == ImportRun.Status.FAILED
        assert result.errors == [
            {"line": 80, "column": "LA (code)", "value": "eleven", "reason": "is not a whole number"}
        ]
        assert not School.objects.filter(name="Renamed Primary School").exists()

    def test_a_value_that_cannot_be_read_in_an_update_is_stored_as_no_value_and_the_rest_updated(self):
        run("gias_establishments", GIAS.read_bytes())
        urn = int(read(GIAS).iloc[10 - 2]["URN"])
        assert School.objects.get(urn=urn).statutory_high_age == 11
        raw = replace_cell(GIAS.read_bytes(), 5, "EstablishmentName", "Renamed Primary School")
        raw = replace_cell(raw, 10, "StatutoryHighAge", "eleven")
        result = run("gias_establishments", raw)
        assert result.status == ImportRun.Status.SUCCEEDED, result.message
        assert counts(result) == (0, 2, 97)
        assert School.objects.filter(name="Renamed Primary School").count() == 1
        assert School.objects.get(urn=urn).statutory_high_age is None
        warning = result.problems.get(kind="warning")
        assert (warning.line, warning.column, warning.value, warning.reason) == (
            10,
            "StatutoryHighAge",
            "eleven",
            "is not a whole number",
        )

    def test_a_dry_run_reports_what_would_change_and_writes_nothing(self):
        result = run("gias_establishments", GIAS.read_bytes(), dry_run=True)
        assert result.status == ImportRun.Status.SUCCEEDED
        assert counts(result) == (99, 0, 0)
        assert result.message.startswith("Dry run: nothing was written.")
        assert School.objects.count() == 0
        assert LocalAuthority.objects.count() == 0

    def test_a_missing_column_is_one_clear_error_and_nothing_is_written(self):
        raw = GIAS.read_bytes().replace(b"URN,", b"Ref,", 1)
        result = run("gias_establishments", raw)
        assert result.status == ImportRun.Status.FAILED
        assert "missing the required column 'URN'" in result.message
        assert School.objects.count() == 0

    def test_the_run_records_who_when_what_and_the_file_hash(self):
        raw = GIAS.read_bytes()
        result = run("gias_establishments", raw, name=GIAS.name)
        assert result.file_name == GIAS.name
        assert result.sha256 == imports.sha256_of(raw)
        assert result.started_at
        assert result.finished_at
        assert result.duration_seconds >= 0


class TestLinksAndGroups:
    def test_links_for_schools_in_the_register_are_imported_and_the_rest_skipped(self, register):
        links = read(DATA / "gias" / "gias_links_edubasealldata20250422.csv", encoding="cp1252")
        in_register = links["URN"].astype(int).isin(set(School.objects.values_list("urn", flat=True)))
        result = run("gias_links", (DATA / "gias" / "gias_links_edubasealldata20250422.csv").read_bytes())
        assert result.status == ImportRun.Status.SUCCEEDED
        assert SchoolLink.objects.count() == in_register.sum() == result.created
        assert result.skipped == (~in_register).sum()
        unknown = links.loc[~in_register, "URN"].astype(int)
        assert result.unknown_school_count == unknown.nunique() > 0
        listed = result.problems.filter(kind="unknown_school").values_list("urn", flat=True)
        assert sorted(listed) == sorted(unknown.unique())

    def test_every_group_is_imported(self):
        path = DATA / "gias" / "gias_groups_2022_processed.csv"
        result = run("gias_groups", path.read_bytes())
        assert SchoolGroup.objects.count() == len(read(path)) == result.created

    def test_group_links_make_memberships_for_schools_in_the_register(self, register):
        path = DATA / "gias" / "gias_group_links_2022_processed.csv"
        frame = read(path)
        in_register = frame["URN"].astype(int).isin(set(School.objects.values_list("urn", flat=True)))
        result = run("gias_group_links", path.read_bytes())
        assert GroupMembership.objects.count() == in_register.sum() == result.created
        assert counts(run("gias_group_links", path.read_bytes())) == (0, 0, in_register.sum())

    def test_local_authority_codes(self):
        path = DATA / "reference" / "la_and_region_codes_meta.csv"
        run("local_authorities", path.read_bytes())
        assert LocalAuthority.objects.count() == len(read(path)) == 151
        assert LocalAuthority.objects.get(code=330).name == "Birmingham"


MEASURE_FILES = [
    ("census", "england_census_KSPDeveloper.csv", 2018),
    ("ks2", "england_ks2final_subset_columns_RalPan.csv", 2014),
    ("ks4", "england_ks4provisional_KSPDeveloper.csv", 2018),
    ("absence", "england_abs_KSPDeveloper.csv", 2018),
    ("absence", "england_abs_RalPan_older.csv", 2014),
]


@pytest.mark.parametrize(("kind", "name", "year"), MEASURE_FILES)
def test_performance_figures_match_the_file(register, kind, name, year):
    from schools import measures

    path = PERFORMANCE / name
    frame = read(path)
    urns = {str(u) for u in School.objects.values_list("urn", flat=True)}
    columns = [m.column for m in measures.for_source(kind) if m.column in frame.columns]
    schools = frame[frame["URN"].isin(urns)]
    if "RECTYPE" in frame.columns:
        schools = schools[schools["RECTYPE"].isin(["1", "2"])]
    expected = int((schools[columns] != "").to_numpy().sum())

    result = run(kind, path.read_bytes(), year=year)

    assert result.status == ImportRun.Status.SUCCEEDED, result.message
    assert PerformanceMeasure.objects.filter(academic_year=year).count() == expected == result.created
    assert NationalFigure.objects.filter(academic_year=year).exists()
    assert counts(run(kind, path.read_bytes(), year=year)) == (0, 0, expected)


def test_suppressed_figures_are_stored_as_no_value_with_their_marker(register):
    path = PERFORMANCE / "england_census_KSPDeveloper.csv"
    run("census", path.read_bytes(), year=2018)
    suppressed = PerformanceMeasure.objects.filter(marker="NA")
    assert suppressed.exists()
    assert not suppressed.exclude(value=None).exists()
    assert not PerformanceMeasure.objects.filter(value=0, marker="NA").exists()


def test_a_performance_file_needs_its_academic_year(register):
    result = run("ks4", (PERFORMANCE / "england_ks4provisional_KSPDeveloper.csv").read_bytes(), year=None)
    assert result.status == ImportRun.Status.FAILED
    assert "academic year" in result.message
    assert not PerformanceMeasure.objects.exists()


def test_a_figure_that_cannot_be_read_is_not_stored_and_reported_as_a_warning(register):
    path = PERFORMANCE / "england_abs_KSPDeveloper.csv"
    clean = path.read_bytes().decode("utf-8-sig").encode()
    # Line 6 is a school in the register, with its overall absence published.
    line = read(path).iloc[6 - 2]
    assert int(line["URN"]) in set(School.objects.values_list("urn", flat=True))
    assert line["PERCTOT"] == "4.2"
    all_figures = run("absence", clean, year=2018, dry_run=True).created
    result = run("absence", replace_cell(clean, 6, "PERCTOT", "four"), year=2018)
    assert result.status == ImportRun.Status.SUCCEEDED, result.message
    assert result.created == all_figures - 1
    school = PerformanceMeasure.objects.filter(school__urn=int(line["URN"]), academic_year=2018)
    assert not school.filter(measure="abs_overall_pct").exists()
    assert school.exists()  # its other figures are imported
    assert result.warning_count == 1
    warning = result.problems.get(kind="warning")
    assert (warning.line, warning.column, warning.value, warning.reason) == (
        6,
        "PERCTOT",
        "four",
        "is not a number or a published marker (SUPP, NE, NA, NP, LOWCOV, x, c, z …)",
    )


def test_a_urn_that_cannot_be_read_in_a_performance_file_writes_nothing(register):
    path = PERFORMANCE / "england_abs_KSPDeveloper.csv"
    raw = replace_cell(path.read_bytes().decode("utf-8-sig").encode(), 6, "URN", "four")
    result = run("absence", raw, year=2018)
    assert result.status == ImportRun.Status.FAILED
    assert result.errors == [{"line": 6, "column": "URN", "value": "four", "reason": "is not a whole number"}]
    assert not PerformanceMeasure.objects.exists()
    assert not NationalFigure.objects.exists()


class TestOfsted:
    """The Ofsted management information layouts, from fixtures built on the published columns."""

    @pytest.fixture
    def graded(self, ashfield, beacon_hill, castle):
        return run("ofsted_latest", (FIXTURES / "latest_inspections_graded_layout.csv").read_bytes())

    def test_each_inspection_of_each_row_is_recorded_in_its_own_shape(self, graded):
        assert graded.status == ImportRun.Status.SUCCEEDED, graded.message
        assert (graded.rows_read, graded.created, graded.skipped) == (4, 7, 1)
        assert graded.message == (
            "Records were: 7 created, 0 updated, 0 unchanged; 1 row skipped (1 school not in the register)."
        )
        shapes = dict(Inspection.objects.values_list("inspection_number", "shape"))
        assert shapes == {
            "10250001": "graded",
            "10190002": "graded",
            "10010003": "graded",
            "10000004": "graded",
            "10230005": "ungraded",
            "10340006": "judgements_only",
            "10200007": "graded",
        }

    def test_a_school_the_register_lacks_is_listed_by_urn_name_and_la(self, graded):
        assert graded.unknown_school_count == 1
        unknown = graded.problems.get(kind="unknown_school")
        assert (unknown.line, unknown.urn, unknown.name, unknown.la) == (5, 999999, "A School Elsewhere", "Birmingham")
        assert not Inspection.objects.filter(inspection_number="10340008").exists()

    def test_graded_values_and_categories_as_published(self, graded):
        latest = Inspection.objects.get(inspection_number="10250001")
        assert latest.overall_effectiveness == 4
        assert latest.category_of_concern == "special_measures"
        assert latest.quality_of_education == 4
        assert latest.safeguarding_effective is False
        assert latest.sixth_form is None
        assert str(latest.start_date) == "2023-03-14"
        assert latest.summary == "Inadequate (special measures)"

    def test_an_inspection_from_2024_25_keeps_its_judgements_without_an_overall_grade(self, graded):
        inspection = Inspection.objects.get(inspection_number="10340006")
        assert inspection.overall_effectiveness is None
        assert inspection.quality_of_education == 3
        assert inspection.summary == "Key judgements, no overall grade"

    def test_an_inspection_of_a_predecessor_school_says_so(self, graded):
        inspection = Inspection.objects.get(inspection_number="10010003")
        assert inspection.relates_to_current_urn is False
        assert inspection.urn_at_time == 103999

    def test_schools_point_at_their_latest_full_inspection(self, graded, ashfield, beacon_hill, castle):
        ashfield.refresh_from_db()
        beacon_hill.refresh_from_db()
        castle.refresh_from_db()
        assert (ashfield.ofsted_outcome, ashfield.latest_inspection.inspection_number) == ("inadequate", "10250001")
        # The later ungraded inspection does not replace the graded outcome.
        assert (beacon_hill.ofsted_outcome, beacon_hill.latest_inspection.inspection_number) == ("good", "10010003")
        assert castle.ofsted_outcome == "judgements_only"

    def test_report_cards_are_added_and_known_inspections_are_not_changed(self, graded, ashfield):
        result = run("ofsted_latest", (FIXTURES / "latest_inspections_report_card_layout.csv").read_bytes())
        assert result.status == ImportRun.Status.SUCCEEDED, result.message
        assert counts(result) == (2, 0, 2)
        assert result.skipped == 1
        card = Inspection.objects.get(inspection_number="10400010")
        assert card.shape == "report_card"
        assert card.overall_effectiveness is None
        assert (card.rc_achievement, card.rc_leadership_and_governance, card.rc_curriculum_and_teaching) == (5, 5, 4)
        assert card.rc_post_16 is None
        assert card.rc_safeguarding_met is True
        assert card.category_of_concern == "special_measures"
        ashfield.refresh_from_db()
        assert ashfield.ofsted_outcome == "rc_urgent_improvement"
        # The graded inspection keeps the type its first file gave, though this file leaves it blank.
        assert Inspection.objects.get(inspection_number="10250001").inspection_type == "S5 Inspection"

    def test_importing_the_same_ofsted_file_again_changes_nothing(self, graded):
        again = run("ofsted_latest", (FIXTURES / "latest_inspections_graded_layout.csv").read_bytes())
        assert counts(again) == (0, 0, 7)

    def test_a_report_card_grade_not_on_the_five_point_scale_is_no_grade_and_a_warning(self, ashfield):
        path = FIXTURES / "latest_inspections_report_card_layout.csv"
        raw = replace_cell(path.read_bytes(), 2, "Achievement", "Good", encoding="cp1252")
        result = run("ofsted_latest", raw)
        assert result.status == ImportRun.Status.SUCCEEDED, result.message
        card = Inspection.objects.get(inspection_number="10400010")
        assert card.rc_achievement is None
        assert (card.rc_leadership_and_governance, card.rc_curriculum_and_teaching) == (5, 4)
        assert result.warning_count == 1
        warning = result.problems.get(kind="warning")
        assert (warning.line, warning.column, warning.value) == (2, "Achievement", "Good")
        assert warning.reason.startswith("is not a report-card grade (exceptional, strong standard")

    def test_an_inspection_number_that_cannot_be_read_is_an_error_and_nothing_is_written(self, ashfield):
        path = FIXTURES / "latest_inspections_report_card_layout.csv"
        column = "Inspection number of latest full inspection"
        raw = replace_cell(path.read_bytes(), 2, column, "10400010 (draft)", encoding="cp1252")
        result = run("ofsted_latest", raw)
        assert result.status == ImportRun.Status.FAILED
        assert result.errors == [
            {"line": 2, "column": column, "value": "10400010 (draft)", "reason": "is not an inspection number"}
        ]
        assert not Inspection.objects.exists()


def test_the_demo_loads_and_a_second_load_changes_nothing(settings, tmp_path, capsys):
    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    settings.DEBUG = True
    call_command("load_demo")
    schools = School.objects.count()
    first_load_ends = ImportRun.objects.latest("pk").pk
    assert schools > 700
    assert Inspection.objects.filter(shape="report_card").exists()
    assert Inspection.objects.filter(shape="judgements_only").exists()
    # Welsh schools are Estyn's: the Central South Consortium's have Estyn records, none has Ofsted's.
    assert not Inspection.objects.filter(school__type_group_name="Welsh schools").exists()
    assert {"pre_2017", "inspection_areas", "no_summative"} <= set(
        School.objects.filter(la__code__in=[672, 673, 674, 675, 681]).values_list("estyn_inspections__shape", flat=True)
    )
    from boards.models import BoardMembership
    from schools.models import GovernanceContact
    from support.models import ActionPlan, Allocation, PartnerProfile, PartnerQualityRecord, Visit, VisitReport

    head_school = School.objects.get(assignments__user__email="sarah.collins@school.example")
    from accounts import demo as people

    assert PartnerProfile.objects.count() == 1 + len(people.PARTNERS)  # Birmingham's: Daniel Okafor and others
    assert set(VisitReport.objects.filter(visit__school=head_school).values_list("status", flat=True)) == {
        "shared",
        "quality_assured",
    }
    assert ActionPlan.objects.get(school=head_school).status == "draft"
    from boards.models import BoardMeeting, PriorityEntry

    assert PriorityEntry.objects.filter(school=head_school, status="on_list").exists()
    upcoming = BoardMeeting.objects.filter(status="scheduled").order_by("meets_on").first()
    assert upcoming.items.filter(school=head_school).exists()
    assert upcoming.pack_status == "ready"
    _each_demo_authoritys_report_names_it_and_counts_its_remit()
    _birmingham_officer_sees_chairs_partners_and_the_board(head_school)
    visits = Visit.objects.count()
    meetings = BoardMeeting.objects.count()
    added = (GovernanceContact, PartnerQualityRecord, Allocation, BoardMembership)
    records = [model.objects.count() for model in added]
    call_command("load_demo")
    assert [model.objects.count() for model in added] == records
    assert BoardMeeting.objects.count() == meetings
    assert School.objects.count() == schools
    assert Visit.objects.count() == visits
    second = ImportRun.objects.filter(pk__gt=first_load_ends)
    assert second.count() == 13
    assert all(run.created == 0 and run.updated == 0 for run in second)
    assert "Demo sign-ins" in capsys.readouterr().out


def _birmingham_officer_sees_chairs_partners_and_the_board(head_school):
    """What Birmingham's officer sees of the demo's governors, partners and board (seed 004)."""
    from django.test import Client
    from django.urls import reverse

    from accounts import demo as people
    from accounts.models import User
    from boards.models import Letter
    from support.models import Allocation

    # Everyone in the demo signs in with the published password, the people not listed too.
    for person in (people.OFFICER, people.PARTNERS[0], people.BOARD_MEMBERS[0]):
        assert User.objects.get(email=person.email).check_password(people.DEMO_PASSWORD)
    client = Client()
    client.force_login(User.objects.get(email=people.OFFICER.email))
    # The head's priority letter is addressed to the chair of governors by name.
    letter = Letter.objects.get(school=head_school, kind="priority")
    assert "Mrs Gwen Gray, chair of governors" in letter.recipients
    assert "and Mrs Gwen Gray, chair of governors," in letter.body
    # Every school on the priority list has a named partner but one, left for the officer to name;
    # one partner's days run over their capacity.
    partners = client.get(reverse("support:partners")).content.decode()
    unnamed = re.search(r"(\d+) of (\d+) priority schools? (?:has|have) no named priority partner", partners)
    assert unnamed
    assert 1 <= int(unnamed[1]) <= 2 < int(unnamed[2])
    over = [p for p in _partner_loads() if p.allocated > p.capacity_days]
    if Allocation.objects.exists():  # none in the summer holiday: no days are left in the year to give
        assert len(over) == 1
        assert "over capacity" in client.get(over[0].get_absolute_url()).content.decode()
    # The board's chair and its headteachers of each phase; the Education Improvement Group's meetings.
    board = client.get(reverse("boards:board-membership")).content.decode()
    for person in [people.BOARD_MEMBER, *people.BOARD_MEMBERS]:
        assert person.full_name in board
    eig = client.get(reverse("boards:eig-meetings")).content.decode()
    assert "Governance capacity in small maintained primaries" in eig
    assert head_school.name in eig.split('id="waiting"')[1]


def _partner_loads():
    from accounts import demo as people
    from accounts.authorities import working_in
    from accounts.models import Authority
    from support import selectors

    with working_in(Authority.objects.get(name=people.BIRMINGHAM.name)):
        return list(selectors.partners(selectors.current_year()))


def _each_demo_authoritys_report_names_it_and_counts_its_remit():
    from accounts import demo as people
    from accounts.authorities import working_in
    from accounts.models import Authority
    from reporting.models import MonthlyReport
    from reporting.selectors import maintained_schools
    from schools.access import remit

    for spec in people.AUTHORITIES:
        authority = Authority.objects.get(name=spec.name)
        with working_in(authority):
            report = MonthlyReport.objects.get()
            counted = {row.urn for row in maintained_schools()}
            theirs = set(remit(authority).values_list("urn", flat=True))
        assert report.title.startswith(f"{spec.name} school improvement monthly report")
        assert report.content["authority"] == spec.name
        assert counted
        assert counted <= theirs
        codes = set(School.objects.filter(urn__in=counted).values_list("la__code", flat=True))
        assert codes <= set(spec.la_codes)
        # Never an independent school, nor in England a Welsh one.
        groups = set(School.objects.filter(urn__in=counted).values_list("type_group_name", flat=True))
        assert "Independent schools" not in groups
        assert ("Welsh schools" in groups) == (spec.nation == Authority.Nation.WALES)


def test_the_demo_refuses_to_load_in_production(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is false"):
        call_command("load_demo")
    assert not School.objects.exists()
