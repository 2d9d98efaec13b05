"""The import page as a flow (issue 18): a dry run ends with "Import this file now", a failed
check keeps its file for another try, a file imported before waits for a reason, an import can
be undone, and the report groups its problems and offers every one of them as CSV."""

from __future__ import annotations

import csv
import io
import re
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Download
from schools.models import ImportProblem, ImportRun, School
from tests.conftest import ROOT
from tests.factories import ImportRunFactory
from tests.roles import NOT_OFFICERS, ROLES, assert_sends_to_sign_in
from tests.schools.test_importers import replace_cell

pytestmark = pytest.mark.django_db

PUBLISHED = ROOT / "tests" / "fixtures" / "published"
# Three schools, as GIAS published them in 2019: Windows-1252 with CRLF line ends.
GIAS = PUBLISHED / "gias" / "gias_edubasealldata_2019_cp1252_crlf_claim-additional-payments.csv"
# Ofsted's latest inspections of 22 schools, none of them in an empty register.
OFSTED = PUBLISHED / "ofsted" / "mi_latest_31aug2024_graded_first22rows.csv"


def upload(client, user, raw: bytes, *, kind="gias_establishments", name=GIAS.name, **fields):
    client.force_login(user)
    data = {"kind": kind, "file": SimpleUploadedFile(name, raw, content_type="text/csv")} | fields
    return client.post(reverse("schools:imports"), data)


def page_of(client, run: ImportRun) -> str:
    response = client.get(run.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def run_inline(django_capture_on_commit_callbacks):
    """The import task runs as the request's transaction commits, as the worker would run it."""

    def run(make_request):
        with django_capture_on_commit_callbacks(execute=True):
            return make_request()

    return run


# A dry run, then "Import this file now" ---------------------------------------------------------


def test_a_checked_dry_run_imports_its_file_without_a_second_upload(client, olivia, run_inline):
    response = run_inline(lambda: upload(client, olivia, GIAS.read_bytes(), dry_run="on"))
    dry_run = ImportRun.objects.get()
    assert response["Location"] == dry_run.get_absolute_url()
    page = page_of(client, dry_run)
    assert "File checked" in page
    assert "Import this file now" in page
    assert not School.objects.exists()

    response = run_inline(lambda: client.post(reverse("schools:import-now", args=[dry_run.pk])))

    imported = ImportRun.objects.exclude(pk=dry_run.pk).get()
    assert response["Location"] == imported.get_absolute_url()
    assert (imported.dry_run, imported.status) == (False, ImportRun.Status.SUCCEEDED)
    assert imported.sha256 == dry_run.sha256
    assert imported.imported_from == dry_run
    assert imported.started_by == olivia
    assert School.objects.count() == 3
    assert "Import complete" in page_of(client, imported)
    page = page_of(client, dry_run)
    assert "Import this file now" not in page
    assert (
        f'This file was imported: see <a class="govuk-link" href="/imports/{imported.pk}/">import {imported.pk}</a>'
        in page
    )


def test_an_officer_uploads_dfes_la_level_figures_on_the_imports_page_without_a_year(client, olivia, run_inline):
    eyfsp = ROOT / "data" / "ees" / "eyfsp_headline_measures_2021-22_la_slice.csv"
    client.force_login(olivia)
    page = client.get(reverse("schools:imports"))
    assert "Explore Education Statistics: local authority figures" in page.content.decode()
    run_inline(lambda: upload(client, olivia, eyfsp.read_bytes(), kind="ees_la_figures", name=eyfsp.name))
    imported = ImportRun.objects.get()
    assert (imported.status, imported.created) == (ImportRun.Status.SUCCEEDED, 78), imported.message
    assert "Import complete" in page_of(client, imported)


def test_import_this_file_now_is_refused_once_the_file_was_imported(client, olivia, run_inline):
    run_inline(lambda: upload(client, olivia, GIAS.read_bytes(), dry_run="on"))
    dry_run = ImportRun.objects.get()
    run_inline(lambda: client.post(reverse("schools:import-now", args=[dry_run.pk])))

    response = client.post(reverse("schools:import-now", args=[dry_run.pk]), follow=True)

    assert ImportRun.objects.count() == 2
    assert response.redirect_chain == [(dry_run.get_absolute_url(), 302)]
    assert "This file has been imported already" in response.content.decode()


def test_a_failed_import_offers_no_import_now(client, olivia):
    run = ImportRunFactory(dry_run=True, status=ImportRun.Status.FAILED, message="Nothing was imported.")
    client.force_login(olivia)
    assert "Import this file now" not in page_of(client, run)


# A failed check, checked again -------------------------------------------------------------------


def test_a_failed_check_keeps_its_file_to_check_again_as_another_kind(client, olivia, run_inline):
    run_inline(lambda: upload(client, olivia, GIAS.read_bytes(), kind="local_authorities", dry_run="on"))
    failed = ImportRun.objects.get()
    assert failed.status == ImportRun.Status.FAILED
    page = page_of(client, failed)
    assert "The file was not imported" in page
    assert "Check the file again" in page
    assert '<option value="local_authorities" selected>' in page
    assert re.search(r'<input[^>]*name="dry_run"[^>]*checked', page)

    response = run_inline(
        lambda: client.post(
            reverse("schools:import-retry", args=[failed.pk]),
            {"kind": "gias_establishments", "academic_year": "", "dry_run": "on"},
        )
    )

    again = ImportRun.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert (again.kind, again.dry_run, again.status) == ("gias_establishments", True, ImportRun.Status.SUCCEEDED)
    assert again.imported_from == failed
    assert again.sha256 == failed.sha256
    assert "File checked" in page_of(client, again)


def test_checking_again_as_performance_tables_needs_a_year(client, olivia, run_inline):
    run_inline(lambda: upload(client, olivia, GIAS.read_bytes(), kind="local_authorities"))
    failed = ImportRun.objects.get()

    response = client.post(reverse("schools:import-retry", args=[failed.pk]), {"kind": "ks4", "academic_year": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Select the academic year the performance tables file covers" in page
    assert ImportRun.objects.count() == 1


def test_a_cancelled_import_is_not_offered_for_another_check(client, olivia):
    run = ImportRunFactory(
        status=ImportRun.Status.FAILED, message="Cancelled by Olivia Officer: the file was not imported again."
    )
    run.file.save("edubasealldata.csv", io.BytesIO(b"URN\n1\n"))
    client.force_login(olivia)
    page = page_of(client, run)
    assert "Check the file again" not in page
    assert "The file was not imported" not in page
    assert '<strong class="govuk-tag govuk-tag--grey">Cancelled</strong>' in page


# A file imported before -------------------------------------------------------------------------


@pytest.fixture
def imported(client, olivia, run_inline) -> ImportRun:
    run_inline(lambda: upload(client, olivia, GIAS.read_bytes()))
    return ImportRun.objects.get()


def test_a_file_imported_before_waits_for_a_reason(client, olivia, imported, run_inline):
    response = run_inline(lambda: upload(client, olivia, GIAS.read_bytes()))

    again = ImportRun.objects.exclude(pk=imported.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert again.status == ImportRun.Status.AWAITING_CONFIRMATION
    assert again.duplicate_of == imported
    page = page_of(client, again)
    assert "This file was imported before: GIAS establishments (edubasealldata) on " in page
    assert f'<a class="govuk-link" href="/imports/{imported.pk}/">import {imported.pk}</a>' in page
    assert "Why import it again?" in page
    assert "Do not import it" in page
    assert '<strong class="govuk-tag govuk-tag--yellow">Waiting for confirmation</strong>' in page
    assert 'http-equiv="refresh"' not in page  # the officer is typing the reason


def test_importing_a_file_again_needs_a_reason(client, olivia, imported, run_inline):
    upload(client, olivia, GIAS.read_bytes())
    again = ImportRun.objects.exclude(pk=imported.pk).get()

    response = client.post(reverse("schools:import-confirm", args=[again.pk]), {"reason": "  "})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert '<a href="#id_reason">Enter why this file should be imported again</a>' in page
    again.refresh_from_db()
    assert again.status == ImportRun.Status.AWAITING_CONFIRMATION

    reason = "The LA codes were corrected by hand by mistake"
    response = run_inline(lambda: client.post(reverse("schools:import-confirm", args=[again.pk]), {"reason": reason}))

    assert response["Location"] == again.get_absolute_url()
    again.refresh_from_db()
    assert again.status == ImportRun.Status.SUCCEEDED
    assert again.confirmation_reason == reason
    page = page_of(client, again)
    assert "Imported again because" in page
    assert reason in page


def test_do_not_import_it_cancels_the_import(client, olivia, imported):
    upload(client, olivia, GIAS.read_bytes())
    again = ImportRun.objects.exclude(pk=imported.pk).get()

    response = client.post(reverse("schools:import-cancel", args=[again.pk]), follow=True)

    again.refresh_from_db()
    assert again.status == ImportRun.Status.FAILED
    assert again.message.startswith("Cancelled")
    page = response.content.decode()
    assert "The file was not imported again" in page
    assert "Check the file again" not in page
    # The choice was made: neither button is offered twice.
    response = client.post(
        reverse("schools:import-confirm", args=[again.pk]), {"reason": "Changed my mind"}, follow=True
    )
    assert "This import is no longer waiting for confirmation." in response.content.decode()
    again.refresh_from_db()
    assert again.status == ImportRun.Status.FAILED


def test_a_dry_run_of_a_file_imported_before_says_so(client, olivia, imported, run_inline):
    run_inline(lambda: upload(client, olivia, GIAS.read_bytes(), dry_run="on"))
    dry_run = ImportRun.objects.exclude(pk=imported.pk).get()

    assert dry_run.status == ImportRun.Status.SUCCEEDED
    page = page_of(client, dry_run)
    assert "The same file was imported before: GIAS establishments (edubasealldata) on " in page
    assert f'href="/imports/{imported.pk}/">import {imported.pk}</a>' in page


# Undo ---------------------------------------------------------------------------------------------


def test_an_import_that_changed_records_is_undone(client, olivia, imported, run_inline):
    renamed = replace_cell(GIAS.read_bytes(), 2, "EstablishmentName", "Penistone Academy", encoding="cp1252")
    run_inline(lambda: upload(client, olivia, renamed))
    update = ImportRun.objects.exclude(pk=imported.pk).get()
    assert update.updated == 1
    assert School.objects.get(urn=106653).name == "Penistone Academy"
    page = page_of(client, update)
    assert f'<a class="govuk-link" href="/imports/{update.pk}/undo/">Undo this import</a>' in page

    confirm = client.get(reverse("schools:import-undo", args=[update.pk])).content.decode()
    assert "created 0 records and changed 1 record." in confirm
    assert "Undo this import</button>" in confirm

    response = client.post(reverse("schools:import-undo", args=[update.pk]), follow=True)

    assert response.redirect_chain == [(update.get_absolute_url(), 302)]
    assert School.objects.get(urn=106653).name == "Penistone Grammar School"
    update.refresh_from_db()
    assert update.undone_by == olivia
    page = response.content.decode()
    assert "Import undone" in page
    assert "Undone by Olivia Officer on " in page
    assert '<strong class="govuk-tag govuk-tag--grey">Undone</strong>' in page
    assert "Undo this import" not in page


def test_an_import_that_cannot_be_undone_says_why(client, olivia):
    # Made before imports kept what they changed: there is nothing to put back from.
    run = ImportRunFactory(created=10, started_by=olivia)
    client.force_login(olivia)
    page = page_of(client, run)
    assert "This import was made before imports could be undone." in page
    assert "Undo this import</a>" not in page

    confirm = client.get(reverse("schools:import-undo", args=[run.pk]))
    assert confirm.status_code == 200
    assert "This import was made before imports could be undone." in confirm.content.decode()
    assert "Undo this import</button>" not in confirm.content.decode()

    refused = client.post(reverse("schools:import-undo", args=[run.pk]))
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    run.refresh_from_db()
    assert run.undone_at is None


def test_a_dry_run_offers_no_undo(client, olivia):
    run = ImportRunFactory(dry_run=True)
    client.force_login(olivia)
    assert "Undo" not in page_of(client, run)


# The report: problems grouped, every one of them as CSV ---------------------------------------------


def test_schools_not_in_the_register_are_named_and_grouped(client, olivia, run_inline):
    run_inline(lambda: upload(client, olivia, OFSTED.read_bytes(), kind="ofsted_latest", name=OFSTED.name))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.unknown_school_count == 22

    page = page_of(client, run)
    first = run.problems.filter(kind=ImportProblem.Kind.UNKNOWN_SCHOOL).order_by("pk")
    table = page.split('id="unknown-school-table"')[1].split("</table>")[0]
    assert table.count('<tr class="govuk-table__row">') == 1 + 20
    assert all(f">{p.urn}<" in table and escape(p.name) in table for p in first[:20])
    assert f">{first[20].urn}<" not in table
    assert "And 2 more – " in page
    assert f'href="/imports/{run.pk}/problems.csv?kind=unknown_school" download>download the list (CSV)' in page
    assert "The URN is not in the register" in page
    assert "Schools not in the register (22)" in page


def test_a_file_with_errors_lists_them_grouped_with_their_lines(client, olivia, run_inline):
    raw = GIAS.read_bytes()
    for line in (2, 4):
        raw = replace_cell(raw, line, "URN", "not a URN", encoding="cp1252")
    run_inline(lambda: upload(client, olivia, raw))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED

    page = page_of(client, run)
    assert "The file was not imported" in page
    errors = page.split('id="error-table"')[1].split("</table>")[0]
    assert '<td class="govuk-table__cell">URN</td>' in errors
    assert "The value is not a whole number" in errors
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in errors
    assert '<td class="govuk-table__cell">2, 4</td>' in errors
    assert "not a URN" in errors


@pytest.fixture
def reported(olivia) -> ImportRun:
    """A run whose report has a group of each kind, as the import service records them."""
    run = ImportRunFactory(
        started_by=olivia,
        error_count=1,
        warning_count=7,
        skipped=1,
        unknown_school_count=1,
        problem_groups=[
            {
                "kind": "error",
                "column": "URN",
                "reason": "is not a whole number",
                "count": 1,
                "lines": [9],
                "values": ["=1+1"],
            },
            {
                "kind": "warning",
                "column": "OpenDate",
                "reason": "is not a date (DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or YYYYMMDD)",
                "count": 7,
                "lines": [2, 3, 4, 5, 6],
                "values": ["yesterday", ""],
            },
            {"kind": "skipped", "column": "", "reason": "a totals row", "count": 1, "lines": [12], "values": []},
            {
                "kind": "unknown_school",
                "column": "URN",
                "reason": "is not in the register",
                "count": 1,
                "lines": [10],
                "values": ["999999 Nowhere School"],
            },
        ],
    )
    kind = ImportProblem.Kind
    rows = [ImportProblem(run=run, kind=kind.ERROR, line=9, column="URN", value="=1+1", reason="is not a whole number")]
    rows += [
        ImportProblem(
            run=run, kind=kind.WARNING, line=line, column="OpenDate", value="yesterday", reason="is not a date"
        )
        for line in range(2, 9)
    ]
    rows += [
        ImportProblem(run=run, kind=kind.SKIPPED, line=12, reason="a totals row"),
        ImportProblem(
            run=run,
            kind=kind.UNKNOWN_SCHOOL,
            line=10,
            column="URN",
            value="999999",
            reason="is not in the register",
            urn=999999,
            name="Nowhere School",
            la="Camden",
        ),
    ]
    ImportProblem.objects.bulk_create(rows)
    return run


def test_problems_are_grouped_by_kind_column_and_reason(client, olivia, reported):
    client.force_login(olivia)
    page = page_of(client, reported)

    for heading in ["Errors (1)", "Warnings (7)", "Rows skipped (1)", "Schools not in the register (1)"]:
        assert heading in page
    warnings = page.split('id="warning-table"')[1].split("</table>")[0]
    assert "OpenDate" in warnings
    assert "The value is not a date (DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or YYYYMMDD)" in warnings
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">7</td>' in warnings
    assert "2, 3, 4, 5, 6, …" in warnings
    assert "yesterday, (empty)" in warnings
    skipped = page.split('id="skipped-table"')[1].split("</table>")[0]
    assert "The whole row" in skipped
    assert "A totals row" in skipped
    assert f'href="/imports/{reported.pk}/problems.csv" download>Download every problem (CSV)' in page
    assert "Nowhere School" in page
    assert "And 0 more" not in page


def test_the_page_of_an_import_reads_the_same_queries_however_many_problems(client, olivia, reported):
    client.force_login(olivia)
    page_of(client, reported)  # the first request reads what later ones find cached
    with CaptureQueriesContext(connection) as few:
        page_of(client, reported)
    ImportProblem.objects.bulk_create(
        ImportProblem(run=reported, kind="unknown_school", line=n, urn=200000 + n, name=f"School {n}")
        for n in range(100)
    )
    with CaptureQueriesContext(connection) as many:
        page_of(client, reported)
    assert len(many) == len(few), "\n".join(q["sql"][:150] for q in many.captured_queries)


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_every_problem_downloads_as_csv(client, olivia, reported):
    client.force_login(olivia)
    response = client.get(reverse("schools:import-problems", args=[reported.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="import-{reported.pk}-problems.csv"'
    assert "no-store" in response["Cache-Control"]
    assert Download.objects.get(user=olivia).filename == f"import-{reported.pk}-problems.csv"  # who downloaded it
    rows = csv_rows(response)
    assert rows[0] == ["Kind", "Line", "Column", "Value", "Problem", "URN", "School name", "LA"]
    assert len(rows) == 1 + 10
    # A value that looks like a formula is written as text, never run by a spreadsheet.
    assert rows[1] == ["Error", "9", "URN", "'=1+1", "The value is not a whole number", "", "", ""]
    assert rows[2] == ["Warning", "2", "OpenDate", "yesterday", "The value is not a date", "", "", ""]
    assert rows[9] == ["Row skipped", "12", "", "", "A totals row", "", "", ""]
    assert rows[10] == [
        "School not in the register",
        "10",
        "URN",
        "999999",
        "The URN is not in the register",
        "999999",
        "Nowhere School",
        "Camden",
    ]


def test_the_schools_not_in_the_register_download_alone(client, olivia, reported):
    client.force_login(olivia)
    response = client.get(reverse("schools:import-problems", args=[reported.pk]), {"kind": "unknown_school"})

    assert response["Content-Disposition"] == 'attachment; filename="schools-not-in-the-register.csv"'
    rows = csv_rows(response)
    assert [row[0] for row in rows[1:]] == ["School not in the register"]
    assert client.get(reverse("schools:import-problems", args=[reported.pk]), {"kind": "nonsense"}).status_code == 404


# Who may use each page -----------------------------------------------------------------------------

PAGES = ["schools:import-undo", "schools:import-problems"]
BUTTONS = ["schools:import-now", "schools:import-retry", "schools:import-confirm", "schools:import-cancel"]


@pytest.mark.parametrize("name", PAGES)
def test_only_officers_and_administrators_open_the_new_pages(client, everyone, name):
    run = ImportRunFactory()
    url = reverse(name, args=[run.pk])
    got = {}
    for role in ROLES:
        client.force_login(everyone[role])
        response = client.get(url)
        got[role] = response.status_code
    assert got == {"olivia": 200, "adam": 200} | NOT_OFFICERS


@pytest.mark.parametrize("name", BUTTONS)
def test_only_officers_and_administrators_press_the_new_buttons(client, everyone, name):
    run = ImportRunFactory(status=ImportRun.Status.AWAITING_CONFIRMATION, dry_run=False)
    url = reverse(name, args=[run.pk])
    for role in NOT_OFFICERS:
        client.force_login(everyone[role])
        response = client.post(url, {"reason": "Because", "kind": "gias_establishments", "dry_run": "on"})
        assert response.status_code == 403, role
    assert ImportRun.objects.get() == run
    run.refresh_from_db()
    assert run.status == ImportRun.Status.AWAITING_CONFIRMATION
    client.force_login(everyone["olivia"])
    assert client.get(url).status_code == 405  # a button, not a page


def test_an_administrator_may_answer_for_a_file_imported_before(client, adam):
    run = ImportRunFactory(status=ImportRun.Status.AWAITING_CONFIRMATION, dry_run=False)
    client.force_login(adam)
    response = client.post(reverse("schools:import-cancel", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.message.startswith("Cancelled by ")


@pytest.mark.parametrize("name", PAGES + BUTTONS)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    run = ImportRunFactory()
    assert_sends_to_sign_in(client, reverse(name, args=[run.pk]))
    response = client.post(reverse(name, args=[run.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
