"""Schools' EYFS and KS1 results from the authority's own collection (seed 004: the evidence for
categorisation includes "attainment in EYFS, KS1"): the template, the upload, and what is refused."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.authorities import working_in
from accounts.models import Authority, Role
from schools import collection, selectors
from schools.models import ImportRun, PerformanceMeasure
from tests.builtin_data import DEFAULT_AUTHORITY
from tests.factories import AuthorityFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("schools:authority-results")
YEAR = 2025
HEADER = ",".join(collection.HEADERS) + "\n"


def upload(client, user, text: str | bytes, name: str = "results.csv", year: int = YEAR):
    client.force_login(user)
    raw = text.encode() if isinstance(text, str) else text
    return client.post(URL, {"academic_year": str(year), "file": SimpleUploadedFile(name, raw)})


def test_seed_004_eyfs_and_ks1_results_from_the_authoritys_collection_are_held_per_school(client, olivia, ashfield):
    oak = SchoolFactory(la=ashfield.la, name="Oak Primary School")
    response = upload(client, olivia, HEADER + f"{ashfield.urn},Ashfield,71.5,82%,\n{oak.urn},Oak,64,,58\n")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert (run.kind, run.source, run.academic_year, run.created) == (
        ImportRun.Kind.AUTHORITY_RESULTS,
        "authority",
        YEAR,
        4,
    )
    assert run.message.startswith("From the authority's own collection.")
    held = PerformanceMeasure.objects.filter(academic_year=YEAR).values_list("school__urn", "measure", "value")
    assert set(held) == {
        (ashfield.urn, "eyfs_gld_pct", Decimal("71.5")),
        (ashfield.urn, "ks1_phonics_expected_pct", Decimal("82")),
        (oak.urn, "eyfs_gld_pct", Decimal("64")),
        (oak.urn, "ks1_rwm_expected_pct", Decimal("58")),
    }
    # Every page that shows a school's measures shows them, labelled.
    [row] = [r for r in selectors.performance_table(ashfield).rows if r.measure.code == "eyfs_gld_pct"]
    assert row.measure.label == "EYFS % reaching a good level of development"
    assert row.measure.format(row.cells[0].value) == "71.5%"
    # Uploading a correction updates the figure, not a second one.
    upload(client, olivia, HEADER + f"{ashfield.urn},Ashfield,73,,\n")
    assert PerformanceMeasure.objects.get(school=ashfield, measure="eyfs_gld_pct").value == Decimal("73")


def test_bad_rows_are_reported_row_by_row_and_nothing_is_written(client, olivia, ashfield, castle):
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(la_codes=[ashfield.la.code])  # Birmingham's alone
    rows = [
        f"{ashfield.urn},Ashfield,71,80,60",  # right, but the file is refused as a whole
        "999999,Nowhere,50,,",
        f"{castle.urn},Castle (another authority's),50,,",
        f"{ashfield.urn},Ashfield again,50,,",
        "abc,No URN,50,,",
        f"{SchoolFactory(la=ashfield.la).urn},Oak,101,fifty,",
    ]
    response = upload(client, olivia, HEADER + "\n".join(rows) + "\n")
    assert response.status_code == 200
    assert [(e.line, e.column, e.reason) for e in response.context["errors"]] == [
        (3, "URN", "is not a school in the register"),
        (4, "URN", "is not one of the authority's schools"),
        (5, "URN", "is on line 2 as well"),
        (6, "URN", "is not a URN"),
        (7, "EYFS % good level of development", "is not a percentage from 0 to 100"),
        (7, "KS1 phonics % meeting the expected standard", "is not a number"),
    ]
    assert "Nothing was imported: 5 rows have errors" in response.content.decode()
    assert not PerformanceMeasure.objects.exists()
    assert not ImportRun.objects.exists()


def test_the_template_downloaded_as_xlsx_is_filled_in_and_uploaded(client, olivia, ashfield, beacon_hill, castle):
    SchoolFactory(la=ashfield.la, name="Old Primary School", status_name="Closed")
    client.force_login(olivia)
    response = client.get(URL, {"year": str(YEAR), "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    # The authority's open schools with a primary phase: not its secondary academy, another's school, a closed one.
    assert rows == [tuple(collection.HEADERS), (ashfield.urn, "Ashfield Primary School", None, None, None)]
    sheet.cell(row=2, column=3, value=68)
    # A column an officer formats as a percentage holds 72.5% as 0.725: it is read as 72.5.
    sheet.cell(row=2, column=4, value=0.725).number_format = "0.0%"
    filled = io.BytesIO()
    sheet.parent.save(filled)
    upload(client, olivia, filled.getvalue(), name="results.xlsx")
    held = dict(PerformanceMeasure.objects.filter(school=ashfield, academic_year=YEAR).values_list("measure", "value"))
    assert held == {"eyfs_gld_pct": 68, "ks1_phonics_expected_pct": Decimal("72.5")}


def test_only_the_authority_that_imported_its_collection_sees_and_undoes_it(client, olivia, ashfield):
    upload(client, olivia, HEADER + f"{ashfield.urn},Ashfield,70,,\n")
    run = ImportRun.objects.get()
    with working_in(AuthorityFactory(la_codes=[ashfield.la.code])):
        stranger = UserFactory(role=Role.LA_OFFICER)
    client.force_login(stranger)
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.post(reverse("schools:import-undo", args=[run.pk])).status_code == 404
    assert "results.csv" not in client.get(reverse("schools:imports")).content.decode()
    assert PerformanceMeasure.objects.count() == 1

    client.force_login(olivia)
    assert "results.csv" in client.get(reverse("schools:imports")).content.decode()
    assert client.post(reverse("schools:import-undo", args=[run.pk])).status_code == 302
    assert not PerformanceMeasure.objects.exists()


def test_a_welsh_authoritys_template_holds_none_of_its_schools(in_wales):
    """EYFS and KS1 are English assessments: a Welsh primary school has neither."""
    in_wales.phase_name = "Primary"
    in_wales.save()
    assert not selectors.collection_schools().exists()
