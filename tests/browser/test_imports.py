"""Browser journeys through the import page as a flow (issue 18): a dry run, then "Import this file
now" without a second upload; the same file again, imported only with a reason; and a report of
the schools a file names that the register lacks, downloaded as CSV.

The import task runs inline as each request commits (tests/conftest.py), so each page shows the
finished run when it loads: the tests wait for the page, never for time."""

import csv
import io
import re

from playwright.sync_api import expect

from schools.models import ImportRun
from tests.browser.conftest import journey_step, sign_in
from tests.browser.test_journeys import menu
from tests.conftest import ROOT

PUBLISHED = ROOT / "tests" / "fixtures" / "published"
GIAS = PUBLISHED / "gias" / "gias_edubasealldata_2019_cp1252_crlf_claim-additional-payments.csv"
OFSTED = PUBLISHED / "ofsted" / "mi_latest_31aug2024_graded_first22rows.csv"


def upload(page, path, kind: str, *, dry_run: bool = False) -> None:
    menu(page).get_by_role("link", name="Imports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports")
    page.get_by_label("What kind of file is it?").select_option(label=kind)
    page.get_by_label("Upload a file").set_input_files(path)
    if dry_run:
        page.get_by_label("Dry run").check()
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(path.name)


def test_an_officer_checks_a_file_imports_it_and_is_asked_why_before_importing_it_again(
    page, live_server, olivia, console_errors
):
    sign_in(page, live_server, olivia)
    upload(page, GIAS, "GIAS establishments (edubasealldata)", dry_run=True)
    expect(page.locator(".govuk-panel__title")).to_have_text("File checked")
    expect(page.locator(".govuk-panel__body")).to_contain_text("3 created")
    journey_step(page, "officer", "imports-1-file-checked")

    page.get_by_role("button", name="Import this file now").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Import complete")
    expect(page.locator("#created")).to_have_text("3")
    imported = ImportRun.objects.get(dry_run=False)
    expect(page).to_have_url(f"{live_server.url}{imported.get_absolute_url()}")
    expect(page.get_by_role("link", name="Undo this import")).to_be_visible()
    journey_step(page, "officer", "imports-2-imported")

    upload(page, GIAS, "GIAS establishments (edubasealldata)")
    expect(page.locator("#imported-before")).to_contain_text(
        "This file was imported before: GIAS establishments (edubasealldata) on "
    )
    expect(page.locator("#imported-before").get_by_role("link", name=f"import {imported.pk}")).to_be_visible()
    journey_step(page, "officer", "imports-3-asked-why")

    page.get_by_role("button", name="Import it again").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why this file should be imported again")
    page.get_by_role("link", name="Enter why this file should be imported again").click()
    expect(page.get_by_label("Why import it again?")).to_be_focused()

    page.get_by_label("Why import it again?").fill("A school's record was edited by hand by mistake.")
    page.get_by_role("button", name="Import it again").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Import complete")
    expect(page.locator(".govuk-summary-list")).to_contain_text("A school's record was edited by hand by mistake.")
    again = ImportRun.objects.latest("pk")
    assert (again.status, again.duplicate_of) == (ImportRun.Status.SUCCEEDED, imported)
    assert console_errors == []


def test_an_officer_sees_which_schools_are_not_in_the_register_and_downloads_them(
    page, live_server, olivia, tmp_path, console_errors
):
    sign_in(page, live_server, olivia)
    upload(page, OFSTED, "Ofsted management information: latest or all inspections")
    expect(page.locator(".govuk-panel__title")).to_have_text("Import complete")
    expect(page.locator("#unknown-school-count")).to_have_text("22")
    expect(page.locator("#unknown-school-table tbody tr")).to_have_count(20)
    expect(page.locator("#more-unknown-schools")).to_contain_text("And 2 more")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="download the list (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "schools-not-in-the-register.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Kind", "Line", "Column", "Value", "Problem", "URN", "School name", "LA"]
    assert len(rows) == 1 + 22
    assert {row[0] for row in rows[1:]} == {"School not in the register"}

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download every problem (CSV)").click()
    assert re.fullmatch(r"import-\d+-problems\.csv", download_info.value.suggested_filename)
    assert console_errors == []


def test_an_officer_checks_a_file_as_the_wrong_kind_and_checks_it_again_without_uploading_it(
    page, live_server, olivia, console_errors
):
    sign_in(page, live_server, olivia)
    upload(page, GIAS, "Local authority and region codes", dry_run=True)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file was not imported")
    expect(page.get_by_role("heading", name="Check the file again")).to_be_visible()
    expect(page.get_by_label("What kind of file is it?")).to_have_value("local_authorities")
    expect(page.get_by_label("Dry run")).to_be_checked()
    journey_step(page, "officer", "imports-4-check-again")

    page.get_by_label("What kind of file is it?").select_option(label="GIAS establishments (edubasealldata)")
    page.get_by_role("button", name="Check the file again").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("File checked")
    expect(page.get_by_role("button", name="Import this file now")).to_be_visible()
    failed = ImportRun.objects.get(kind="local_authorities")
    expect(page.get_by_role("link", name=f"import {failed.pk}")).to_be_visible()  # where the file came from
    assert console_errors == []


def test_an_officer_fills_in_the_authoritys_eyfs_and_ks1_template_corrects_a_row_and_imports_it(
    page, live_server, olivia, ashfield, console_errors, tmp_path
):
    """Seed 004's "attainment in EYFS, KS1", from the authority's own collection: the template
    downloaded, a bad row reported and nothing written, then the corrected file imported."""
    sign_in(page, live_server, olivia)
    page.get_by_role("link", name="Upload the authority's EYFS and KS1 results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("EYFS and KS1 results from the authority's collection")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    saved = tmp_path / "template.csv"
    download_info.value.save_as(saved)
    header, row = saved.read_text(encoding="utf-8-sig").splitlines()
    assert row == f"{ashfield.urn},Ashfield Primary School,,,"

    def upload_results(values: str) -> None:
        raw = f"{header}\n{ashfield.urn},Ashfield Primary School,{values}\n".encode()
        page.get_by_label("Upload the filled-in template").set_input_files(
            files=[{"name": "eyfs-ks1.csv", "mimeType": "text/csv", "buffer": raw}]
        )
        page.get_by_role("button", name="Upload and import").click()

    upload_results("71.5,120,")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nothing was imported: 1 row has errors")
    expect(page.locator("#row-errors")).to_contain_text("Is not a percentage from 0 to 100")

    upload_results("71.5,82,")
    expect(page.get_by_role("heading", level=1)).to_have_text("eyfs-ks1.csv")
    expect(page.locator(".govuk-panel__title")).to_have_text("Import complete")
    expect(page.locator("#created")).to_have_text("2")

    page.goto(f"{live_server.url}/schools/{ashfield.urn}/")
    expect(page.get_by_role("row", name=re.compile("EYFS % reaching a good level of development"))).to_contain_text(
        "71.5%"
    )
    assert console_errors == []
