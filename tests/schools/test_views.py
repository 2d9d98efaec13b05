"""The schools pages, for every role: who may open what, and what they see."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.models import ImportRun, IntelligenceNote, School
from tests.conftest import DATA
from tests.factories import (
    ImportRunFactory,
    InspectionFactory,
    IntelligenceNoteFactory,
    LocalAuthorityFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["olivia", "adam", "alice", "bob", "hannah", "ezra", "bella", "colin"]


def status_for(client, user, url, method="get", **data):
    client.force_login(user)
    response = getattr(client, method)(url, data)
    client.logout()
    return response.status_code


# Permission matrix for every page this issue adds --------------------------------------------

PAGES = {
    # page name: (url builder, {role: status})
    "home": (lambda s: reverse("home"), dict.fromkeys(ROLES, 200)),
    "school list": (lambda s: reverse("schools:list"), dict.fromkeys(ROLES, 200) | {"colin": 403}),
    "school list CSV": (lambda s: reverse("schools:list-csv"), dict.fromkeys(ROLES, 200) | {"colin": 403}),
    "Ashfield's page": (
        lambda s: reverse("schools:detail", args=[s["ashfield"].urn]),
        {"olivia": 200, "adam": 200, "alice": 200, "bob": 404, "hannah": 200, "ezra": 404, "bella": 404, "colin": 404},
    ),
    "Beacon Hill's page": (
        lambda s: reverse("schools:detail", args=[s["beacon_hill"].urn]),
        {"olivia": 200, "adam": 200, "alice": 404, "bob": 200, "hannah": 404, "ezra": 200, "bella": 404, "colin": 404},
    ),
    "a school that does not exist": (
        lambda s: reverse("schools:detail", args=[999998]),
        dict.fromkeys(ROLES, 404),
    ),
    "add a note to Ashfield": (
        lambda s: reverse("schools:note-create", args=[s["ashfield"].urn]),
        {"olivia": 200, "adam": 200, "alice": 200, "bob": 404, "hannah": 404, "ezra": 404, "bella": 404, "colin": 404},
    ),
    "Ashfield's chair and clerk": (
        lambda s: reverse("schools:governance", args=[s["ashfield"].urn]),
        dict.fromkeys(ROLES, 403) | {"olivia": 200, "adam": 200},
    ),
    "record a review of Ashfield's governance": (
        lambda s: reverse("schools:governance-review", args=[s["ashfield"].urn]),
        dict.fromkeys(ROLES, 403) | {"olivia": 200, "adam": 200},
    ),
    "imports": (
        lambda s: reverse("schools:imports"),
        dict.fromkeys(ROLES, 403) | {"olivia": 200, "adam": 200},
    ),
    "an import": (
        lambda s: reverse("schools:import-detail", args=[s["run"].pk]),
        dict.fromkeys(ROLES, 403) | {"olivia": 200, "adam": 200},
    ),
    "administration": (
        lambda s: reverse("admin:index"),
        dict.fromkeys(ROLES, 302) | {"adam": 200},
    ),
}


@pytest.fixture
def things(ashfield, beacon_hill, castle):
    return {"ashfield": ashfield, "beacon_hill": beacon_hill, "castle": castle, "run": ImportRunFactory()}


@pytest.mark.parametrize("page", PAGES)
def test_every_role_gets_exactly_what_it_may_see(client, everyone, things, page):
    build, expected = PAGES[page]
    url = build(things)
    got = {role: status_for(client, everyone[role], url) for role in ROLES}
    assert got == expected


@pytest.mark.parametrize("page", [p for p in PAGES if p != "administration"])
def test_anonymous_visitors_are_sent_to_sign_in(client, things, page):
    url = PAGES[page][0](things)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=")


def test_a_partner_cannot_add_a_note_to_another_partners_school(client, alice, bob, ashfield):
    client.force_login(bob)
    response = client.post(reverse("schools:note-create", args=[ashfield.urn]), _note_form())
    assert response.status_code == 404
    assert not IntelligenceNote.objects.exists()


# The school list --------------------------------------------------------------------------


def list_names(client, user, **params) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("schools:list"), params)
    assert response.status_code == 200
    return [s.name for s in response.context["page"].object_list]


def test_a_partner_lists_only_their_schools(client, alice, castle, beacon_hill):
    assert list_names(client, alice) == ["Ashfield Primary School"]


def test_an_executive_head_lists_each_of_their_schools(client, ezra):
    assert list_names(client, ezra) == ["Beacon Hill Academy", "Castle Secondary School"]


def test_search_by_name_urn_or_laestab(client, olivia, ashfield, beacon_hill, castle):
    assert list_names(client, olivia, q="beacon") == ["Beacon Hill Academy"]
    assert list_names(client, olivia, q=str(castle.urn)) == ["Castle Secondary School"]
    assert list_names(client, olivia, q="330/2001") == ["Ashfield Primary School"]
    assert list_names(client, olivia, q="3302001") == ["Ashfield Primary School"]


def test_filters_by_la_phase_and_latest_ofsted_outcome(client, olivia, ashfield, beacon_hill, castle, warwickshire):
    beacon_hill.ofsted_outcome = "requires_improvement"
    beacon_hill.save()
    assert list_names(client, olivia, la=warwickshire.pk) == ["Castle Secondary School"]
    assert list_names(client, olivia, phase="Secondary") == ["Beacon Hill Academy", "Castle Secondary School"]
    assert list_names(client, olivia, ofsted="requires_improvement") == ["Beacon Hill Academy"]
    assert list_names(client, olivia, ofsted="none") == ["Ashfield Primary School", "Castle Secondary School"]


def options(client, user, name: str) -> list[str]:
    """The options a filter offers on the school list, after its "All ..." one."""
    client.force_login(user)
    page = client.get(reverse("schools:list")).content.decode()
    select = re.search(rf'<select name="{name}".*?</select>', page, re.DOTALL).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)[1:]


def test_the_filters_offer_only_the_las_and_phases_of_the_schools_one_can_see(
    client, olivia, alice, ashfield, castle, birmingham
):
    LocalAuthorityFactory(code=331, name="Coventry")  # in the authority's remit, without a school
    SchoolFactory(la=birmingham, name="Oak Through School", phase_name="All through")
    SchoolFactory(la=birmingham, name="Elm Through School", phase_name="All-Through")
    SchoolFactory(la=birmingham, name="Ash Through School", phase_name="All-through")

    assert options(client, olivia, "la") == ["Birmingham (330)", "Warwickshire (937)"]
    assert options(client, olivia, "phase") == ["All-through", "Primary", "Secondary"]
    assert list_names(client, olivia, phase="All-through") == [
        "Ash Through School",
        "Elm Through School",
        "Oak Through School",
    ]
    # A partner is offered only what their own schools have.
    assert options(client, alice, "la") == ["Birmingham (330)"]
    assert options(client, alice, "phase") == ["Primary"]


def test_sorting(client, olivia, ashfield, beacon_hill, castle):
    ashfield.pupils_on_roll, beacon_hill.pupils_on_roll, castle.pupils_on_roll = 200, 900, 600
    for school in (ashfield, beacon_hill, castle):
        school.save()
    assert list_names(client, olivia, sort="-pupils") == [
        "Beacon Hill Academy",
        "Castle Secondary School",
        "Ashfield Primary School",
    ]
    assert list_names(client, olivia, sort="-name")[0] == "Castle Secondary School"


def test_pages_of_fifty(client, olivia, birmingham):
    SchoolFactory.create_batch(120, la=birmingham)
    client.force_login(olivia)
    response = client.get(reverse("schools:list"), {"page": 3})
    assert len(response.context["page"].object_list) == 20
    assert "Page 3 of 3" in response.content.decode()


def test_the_csv_holds_the_filtered_list(client, olivia, ashfield, beacon_hill, castle):
    InspectionFactory(school=beacon_hill)
    client.force_login(olivia)
    response = client.get(reverse("schools:list-csv"), {"phase": "Secondary"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r["School name"] for r in rows] == ["Beacon Hill Academy", "Castle Secondary School"]
    assert rows[0]["URN"] == str(beacon_hill.urn)


def test_a_partners_csv_holds_only_their_schools(client, alice, beacon_hill):
    client.force_login(alice)
    response = client.get(reverse("schools:list-csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r["School name"] for r in rows] == ["Ashfield Primary School"]


def _list_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("schools:list"), {"sort": "-inspected"})
        assert response.status_code == 200
    return len(queries)


def test_the_list_makes_the_same_number_of_queries_for_10_and_500_schools(client, olivia, birmingham):
    def add(n):
        for school in SchoolFactory.create_batch(n, la=birmingham):
            inspection = InspectionFactory(school=school)
            school.latest_inspection = inspection
            school.ofsted_outcome = "good"
            school.save(update_fields=["latest_inspection", "ofsted_outcome"])

    add(10)
    with_ten = _list_queries(client, olivia)
    add(490)
    with_five_hundred = _list_queries(client, olivia)
    assert with_ten == with_five_hundred
    assert with_five_hundred <= 12


# The school page --------------------------------------------------------------------------


def school_page(client, user, school) -> str:
    client.force_login(user)
    response = client.get(reverse("schools:detail", args=[school.urn]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_inspection_is_shown_in_its_own_shape(client, olivia, ashfield):
    InspectionFactory(school=ashfield, overall_effectiveness=3, start_date="2019-05-01")
    InspectionFactory(school=ashfield, judgements_only=True, quality_of_education=2)
    InspectionFactory(school=ashfield, report_card=True, rc_achievement=5)
    InspectionFactory(school=ashfield, ungraded=True, start_date="2022-02-02")
    page = school_page(client, olivia, ashfield)
    assert "Graded inspection" in page
    assert "Requires improvement" in page
    assert "Inspection with key judgements, no overall grade" in page
    assert "Not given: inspections from September 2024 to November 2025" in page
    assert "Report card inspection" in page
    assert "Urgent improvement" in page
    assert "School remains Good" in page
    assert page.index("3 February 2026") < page.index("14 January 2025") < page.index("2 February 2022")


def test_seed_003_an_ungraded_outcome_shows_what_it_says_about_the_next_inspection(client, olivia, ashfield):
    InspectionFactory(
        school=ashfield,
        ungraded=True,
        start_date="2023-03-08",
        ungraded_outcome="School remains Good (Concerns) - S5 Next",
    )
    page = school_page(client, olivia, ashfield)
    assert "Standards may not be maintained: a graded inspection to follow" in page


def test_performance_is_shown_against_national_with_markers_not_zero(client, olivia, ashfield):
    from tests.factories import NationalFigureFactory, PerformanceMeasureFactory

    PerformanceMeasureFactory(school=ashfield, measure="abs_overall_pct", academic_year=2018, value="5.7")
    PerformanceMeasureFactory(school=ashfield, measure="ks2_aps", academic_year=2014, value=None, marker="SUPP")
    NationalFigureFactory(measure="abs_overall_pct", academic_year=2018, phase="primary", value="4.0")
    page = school_page(client, olivia, ashfield)
    assert "5.7%" in page
    assert "National 4.0%: worse" in page
    assert "SUPP" in page
    assert "2014/15" in page
    assert "2018/19" in page


@pytest.fixture
def notes(ashfield, olivia):
    return {
        level: IntelligenceNoteFactory(school=ashfield, author=olivia, visibility=level, text=f"{level} note")
        for level in IntelligenceNote.Visibility.values
    }


@pytest.mark.parametrize(
    ("viewer", "visible"),
    [
        ("olivia", {"restricted", "partner", "school"}),
        ("alice", {"partner", "school"}),
        ("hannah", {"school"}),
    ],
)
def test_intelligence_notes_are_shown_only_to_those_who_may_read_them(
    client, everyone, notes, ashfield, viewer, visible
):
    page = school_page(client, everyone[viewer], ashfield)
    shown = {level for level in IntelligenceNote.Visibility.values if f"{level} note" in page}
    assert shown == visible


def _note_form(**overrides):
    return {
        "area": "finance",
        "noted_on_0": "3",
        "noted_on_1": "11",
        "noted_on_2": "2026",
        "source": "Finance team",
        "risk_grade": "high",
        "visibility": "partner",
        "text": "Deficit budget set.",
    } | overrides


def test_an_officer_adds_a_note(client, olivia, ashfield):
    client.force_login(olivia)
    response = client.post(reverse("schools:note-create", args=[ashfield.urn]), _note_form(visibility="restricted"))
    assert response.status_code == 302
    note = IntelligenceNote.objects.get()
    assert (note.author, note.school, note.visibility, str(note.noted_on)) == (
        olivia,
        ashfield,
        "restricted",
        "2026-11-03",
    )


def test_a_partner_cannot_make_a_note_officers_only(client, alice, ashfield):
    client.force_login(alice)
    response = client.post(reverse("schools:note-create", args=[ashfield.urn]), _note_form(visibility="restricted"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not IntelligenceNote.objects.exists()


def test_a_note_needs_its_fields_and_a_past_date(client, olivia, ashfield):
    client.force_login(olivia)
    response = client.post(
        reverse("schools:note-create", args=[ashfield.urn]), _note_form(source="", noted_on_2="2099")
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the source" in page
    assert "must be today or in the past" in page
    assert not IntelligenceNote.objects.exists()


def test_the_error_summary_links_reach_the_day_of_a_date_and_the_first_radio(client, olivia, ashfield):
    client.force_login(olivia)
    page = client.post(reverse("schools:note-create", args=[ashfield.urn]), {"text": ""}).content.decode()
    # The date as a whole and the radio group have no element of their own to take the focus.
    assert 'href="#id_noted_on_0">Enter the date of the intelligence</a>' in page
    assert 'id="id_noted_on_0"' in page
    assert 'href="#id_risk_grade_1">Select the risk</a>' in page
    assert 'href="#id_source">Enter the source</a>' in page


# Imports ------------------------------------------------------------------------------------


def upload(client, user, path, **fields):
    client.force_login(user)
    with path.open("rb") as handle:
        return client.post(reverse("schools:imports"), {"kind": "gias_establishments", "file": handle} | fields)


def test_an_officer_uploads_a_register_and_sees_the_result(client, olivia, django_capture_on_commit_callbacks):
    path = DATA / "gias" / "gias_establishments_sample_2021_npq-registration.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, olivia, path)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert run.started_by == olivia
    page = client.get(response["Location"]).content.decode()
    assert "Import complete" in page
    assert "Records were: 99 created, 0 updated, 0 unchanged." in page


def _upload_changed_register(client, olivia, capture, tmp_path, line: int, column: str, value: str) -> str:
    """Upload the register with one cell changed; the page of the import it made."""
    from tests.schools.test_importers import replace_cell

    source = DATA / "gias" / "gias_establishments_sample_2021_npq-registration.csv"
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(replace_cell(source.read_bytes(), line, column, value))
    with capture(execute=True):
        response = upload(client, olivia, path)
    return client.get(response["Location"]).content.decode()


def _table_cells(page: str, table_id: str) -> list[str]:
    table = re.search(rf'<table [^>]*id="{table_id}">(.*?)</table>', page, re.S)
    assert table, f"no table {table_id}"
    return [cell.strip() for cell in re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', table.group(1), re.S)]


def test_a_value_that_cannot_be_read_is_imported_and_shown_as_a_warning_with_line_column_and_value(
    client, olivia, django_capture_on_commit_callbacks, tmp_path
):
    page = _upload_changed_register(
        client, olivia, django_capture_on_commit_callbacks, tmp_path, 12, "CloseDate", "yesterday"
    )
    assert "Import complete" in page
    assert "Records were: 99 created, 0 updated, 0 unchanged; 1 warning." in page
    assert "The file was not imported" not in page
    # Column, problem, rows, first lines, first values.
    assert _table_cells(page, "warning-table") == [
        "CloseDate",
        "The value is not a date (DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or YYYYMMDD)",
        "1",
        "12",
        "yesterday",
    ]
    run = ImportRun.objects.get()
    response = client.get(reverse("schools:import-problems", args=[run.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][:5] == [
        "Warning",
        "12",
        "CloseDate",
        "yesterday",
        "The value is not a date (DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or YYYYMMDD)",
    ]
    assert len(rows) == 2


def test_a_file_with_a_bad_key_is_not_imported_and_shows_each_error_with_line_and_column(
    client, olivia, django_capture_on_commit_callbacks, tmp_path
):
    page = _upload_changed_register(
        client, olivia, django_capture_on_commit_callbacks, tmp_path, 12, "URN", "yesterday"
    )
    assert "The file was not imported" in page
    assert "Nothing was imported: 1 row has an error in a key column. Correct the file and check it again." in page
    assert _table_cells(page, "error-table") == ["URN", "The value is not a whole number", "1", "12", "yesterday"]
    assert not School.objects.exists()


def test_the_upload_form_explains_what_is_missing(client, olivia):
    client.force_login(olivia)
    response = client.post(reverse("schools:imports"), {"kind": "ks4"})
    page = response.content.decode()
    assert "Select a file to upload" in page
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00workbook", "edubasealldata.csv"),  # an .xlsx renamed
        (b"%PDF-1.7\n%binary", "edubasealldata.csv"),
        (b"URN,EstablishmentName\n1\x00\x00,School\n", "edubasealldata.csv"),
    ],
)
def test_a_file_that_is_not_really_csv_is_refused_before_anything_is_stored(client, olivia, tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    response = upload(client, olivia, path)
    assert response.status_code == 200
    assert "The selected file must be a CSV file: this one is a spreadsheet, PDF or other binary file" in (
        response.content.decode()
    )
    assert not ImportRun.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client, olivia, tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(b"URN,EstablishmentName\n" + b"100000,Oak School\n" * 100)
    response = upload(client, olivia, path)
    assert "The selected file must be smaller than 1000" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_performance_file_needs_an_academic_year(client, olivia, tmp_path):
    path = tmp_path / "england_ks4provisional.csv"
    path.write_bytes(b"RECTYPE,URN,ATT8SCR\n1,100000,50\n")
    response = upload(client, olivia, path, kind="ks4")
    assert "Select the academic year the performance tables file covers" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_running_import_shows_its_progress_and_refreshes(client, olivia):
    run = ImportRunFactory(status=ImportRun.Status.RUNNING, phase="Checking rows", rows_total=200, rows_processed=50)
    client.force_login(olivia)
    page = client.get(run.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "25%" in page
    assert "Checking rows" in page


def test_the_officer_home_page_counts_and_lists_recent_imports(client, olivia, ashfield):
    ImportRunFactory(file_name="edubasealldata20261101.csv")
    client.force_login(olivia)
    page = client.get(reverse("home")).content.decode()
    assert "edubasealldata20261101.csv" in page
    assert "open schools" in page


def test_a_partners_home_lists_their_schools(client, alice, beacon_hill):
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert "Ashfield Primary School" in page
    assert "Beacon Hill Academy" not in page


def test_the_upload_form_is_not_nested_in_another_form(client, olivia):
    client.force_login(olivia)
    page = client.get(reverse("schools:imports")).content.decode()
    assert page.count("<form") == 3  # the header's search, sign out, and the upload
    assert page.count("</form>") == 3
    assert 'enctype="multipart/form-data"' in page
