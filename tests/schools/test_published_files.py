"""Every real published file gathered for issue 18 (``tests/fixtures/published/``) imports, as a dry
run and for real, with no error: a test per file asserting what it created, warned about and
skipped (docs/data-formats.md describes each file; data/SOURCES.md says where it came from).

The register each Ofsted or performance file is imported against holds every school the file
names but its last two, so that each test also sees those two named as not in the register.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from categorisation import services as categorisation_services
from categorisation.models import CategoryDecision, Framework, RiskAssessment, SchoolCategory
from schools import imports, services, signals, upsert
from schools.importers.base import decode
from schools.models import (
    GroupMembership,
    ImportChange,
    ImportProblem,
    ImportRun,
    Inspection,
    LocalAuthority,
    NationalFigure,
    PerformanceMeasure,
    School,
    SchoolGroup,
    SchoolLink,
)
from tests.factories import InspectionFactory, LocalAuthorityFactory, SchoolFactory
from tests.schools.test_importers import GIAS as GIAS_SAMPLE

pytestmark = pytest.mark.django_db

PUBLISHED = Path(__file__).resolve().parent.parent / "fixtures" / "published"


def run(kind: str, raw: bytes, *, dry_run: bool = False, year: int | None = None) -> ImportRun:
    started = services.start_command_import(
        kind=kind, file_name="file.csv", raw=raw, dry_run=dry_run, academic_year=year
    )
    imports.run_import(run=started, raw=raw)
    started.refresh_from_db()
    return started


def urns_in(raw: bytes) -> list[int]:
    """The file's URNs in order of first appearance (rows without a numeric URN left out)."""
    seen: dict[int, None] = {}
    for row in csv.DictReader(io.StringIO(decode(raw, "cp1252"))):
        text = (row.get("URN") or "").strip().removesuffix(".0")
        if text.isdigit():
            seen.setdefault(int(text), None)
    return list(seen)


def register_for(raw: bytes) -> list[int]:
    """Schools for every URN in the file but the last two; returns the two left out."""
    urns = urns_in(raw)
    la = LocalAuthorityFactory(code=999, name="Test LA")
    School.objects.bulk_create([SchoolFactory.build(urn=urn, la=la) for urn in urns[:-2]])
    return urns[-2:]


def outcome(result: ImportRun) -> dict:
    return {
        "status": result.status,
        "errors": result.error_count,
        "created": result.created,
        "updated": result.updated,
        "warnings": result.warning_count,
        "skipped": result.skipped,
        "unknown": result.unknown_school_count,
    }


# GIAS: file, (rows read, schools created, rows skipped as out of scope, warnings)
GIAS = {
    "gias_edubasealldata_2017_teaching-vacancies.csv": (9, 9, 0, 0),
    "gias_edubasealldata_2019_cp1252_crlf_claim-additional-payments.csv": (3, 3, 0, 0),
    "gias_edubasealldata_2023-03_welsh-row_utf8-replacement-char_publish-teacher-training.csv": (7, 6, 1, 0),
    "gias_edubasealldata_2024_itt-mentor-services.csv": (8, 7, 1, 0),
    "gias_edubasealldata_2025-01_u0092-mojibake_publish-teacher-training.csv": (1, 1, 0, 0),
    "gias_edubasealldata_2025_excel-resaved_sap-sector.csv": (3, 3, 0, 0),
    "gias_search_download_2021-05_fullset_surrey936_sample.csv": (112, 93, 19, 0),
    "gias_search_download_2021-05_selectedfields_hampshire850_surrey936.csv": (729, 729, 0, 0),
    "gias_search_download_2022-04_fullset_linked_hampshire850_surrey936_sample.csv": (92, 92, 0, 0),
}


@pytest.mark.parametrize("name", GIAS)
def test_each_published_gias_file_imports(name):
    raw = (PUBLISHED / "gias" / name).read_bytes()
    rows, created, skipped, warnings = GIAS[name]
    checked = run("gias_establishments", raw, dry_run=True)
    expected = {"status": "succeeded", "errors": 0, "created": created, "updated": 0}
    expected |= {"warnings": warnings, "skipped": skipped, "unknown": 0}
    assert outcome(checked) == expected
    assert checked.rows_read == rows
    assert School.objects.count() == 0
    imported = run("gias_establishments", raw)
    assert outcome(imported) == expected
    assert School.objects.count() == created
    assert ImportProblem.objects.filter(run=imported, kind="skipped").count() == skipped


# Ofsted: file, (rows read, inspections created, warnings, rows skipped)
OFSTED = {
    # pandas re-save: 3.0, 9.0 and 1451.0 read as numbers
    "mi_latest_31aug2024_bradford_subset_pandas_resaved.csv": (61, 59, 0, 2),
    # early years "8" on three 2012-era inspections: undocumented, so a warning each
    "mi_latest_31aug2024_graded_first22rows.csv": (22, 48, 3, 2),
    "mi_all_inspections_ytd_published_by_31may2025_sept2024_layout_sliced.csv": (55, 104, 3, 2),
    "mi_all_inspections_ytd_published_by_28feb2026_report_card_sliced.csv": (80, 78, 0, 2),
    "mi_latest_as_at_30jun2026_report_card_layout_sliced.csv": (41, 47, 0, 2),
    "mi_latest_2026_report_card_layout_first18rows_hemaleed.csv": (18, 17, 0, 2),
}


@pytest.mark.parametrize("name", OFSTED)
def test_each_published_ofsted_file_imports(name):
    raw = (PUBLISHED / "ofsted" / name).read_bytes()
    missing = register_for(raw)
    rows, created, warnings, skipped = OFSTED[name]
    checked = run("ofsted_latest", raw, dry_run=True)
    expected = {"status": "succeeded", "errors": 0, "created": created, "updated": 0}
    expected |= {"warnings": warnings, "skipped": skipped, "unknown": 2}
    assert outcome(checked) == expected
    assert checked.rows_read == rows
    assert not Inspection.objects.exists()
    imported = run("ofsted_latest", raw)
    assert outcome(imported) == expected
    assert Inspection.objects.count() == imported.created
    named = ImportProblem.objects.filter(run=imported, kind="unknown_school")
    assert sorted(named.values_list("urn", flat=True)) == sorted(missing)
    assert all(named.values_list("name", flat=True))


def test_a_file_naming_50_schools_the_register_lacks_lists_all_50_by_urn_and_name():
    raw = (PUBLISHED / "ofsted" / "mi_all_inspections_ytd_published_by_28feb2026_report_card_sliced.csv").read_bytes()
    urns = urns_in(raw)
    assert len(urns) > 50
    la = LocalAuthorityFactory(code=999)
    School.objects.bulk_create([SchoolFactory.build(urn=urn, la=la) for urn in urns[50:]])
    names = {int(r["URN"]): r["School name"] for r in csv.DictReader(io.StringIO(raw.decode()))}
    result = run("ofsted_latest", raw)
    assert result.unknown_school_count == 50
    assert "50 schools not in the register" in result.message
    listed = ImportProblem.objects.filter(run=result, kind="unknown_school")
    assert {(p.urn, p.name) for p in listed} == {(urn, names[urn]) for urn in urns[:50]}
    # Skipped counts rows, never more than were read.
    assert result.skipped <= result.rows_read
    group = next(g for g in result.problem_groups if g["kind"] == "unknown_school")
    assert group["count"] == 50


def snapshot() -> dict:
    """Every record an import can touch, as values, to compare before and after an undo."""
    models = [School, Inspection, PerformanceMeasure, NationalFigure, LocalAuthority, SchoolGroup, SchoolLink]
    models.append(GroupMembership)
    return {
        model.__name__: sorted(
            (tuple(sorted((k, str(v)) for k, v in row.items() if k not in ("updated_at",))))
            for row in model.objects.values()
        )
        for model in models
    }


GIAS_2019 = PUBLISHED / "gias" / "gias_edubasealldata_2019_cp1252_crlf_claim-additional-payments.csv"
KS4_2019 = PUBLISHED / "performance" / "ks4final_2018-2019_la936-surrey_sample.csv"


def test_the_same_bytes_under_another_year_wait_for_a_confirmation_with_a_reason(
    django_capture_on_commit_callbacks, olivia
):
    raw = KS4_2019.read_bytes()
    register_for(raw)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.queue_import(kind="ks4", file_name="ks4.csv", raw=raw, by=olivia, academic_year=2018)
    first.refresh_from_db()
    assert first.status == "succeeded"
    assert first.created
    held = PerformanceMeasure.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.queue_import(kind="ks4", file_name="ks4.csv", raw=raw, by=olivia, academic_year=2019)
    again.refresh_from_db()
    assert again.status == ImportRun.Status.AWAITING_CONFIRMATION
    assert again.duplicate_of == first
    assert PerformanceMeasure.objects.count() == held
    assert not PerformanceMeasure.objects.filter(academic_year=2019).exists()
    with pytest.raises(services.ValidationError):
        services.confirm_import(run=again, by=olivia, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(run=again, by=olivia, reason="The DfE republished 2019/20 with the same file")
    again.refresh_from_db()
    assert again.status == "succeeded"
    assert again.confirmation_reason == "The DfE republished 2019/20 with the same file"
    assert PerformanceMeasure.objects.filter(academic_year=2019).count() == held


def test_undo_restores_every_record_exactly_and_waits_for_what_depends_on_it(olivia):
    empty = snapshot()
    register = run("gias_establishments", GIAS_2019.read_bytes())
    after_register = snapshot()
    # A later register changes two schools' names and one's pupils.
    text = GIAS_2019.read_bytes().decode("cp1252")
    changed = text.replace("Fleetville Junior School", "Fleetville Junior Academy").replace(
        "St Thomas à Becket", "St Thomas a Becket"
    )
    assert changed != text
    update = run("gias_establishments", changed.encode("cp1252"))
    assert update.updated == 2
    # Its journal keeps of each school as it was only what changed: the name, not the 40-odd fields
    # the file carries.
    journal = [before for change in ImportChange.objects.filter(run=update) for _key, before in change.records]
    assert len(journal) == 2
    assert all(set(before) == {"name"} for before in journal)
    assert {"name": "Fleetville Junior School"} in journal
    # The first import cannot be undone while the later one changed the same schools.
    assert "later import" in imports.undo_blocker(register, thorough=True)
    with pytest.raises(services.ValidationError):
        services.undo_import(run=register, by=olivia)
    services.undo_import(run=update, by=olivia)
    assert snapshot() == after_register
    assert imports.undo_blocker(update) == "This import has been undone already."
    services.undo_import(run=register, by=olivia)
    assert snapshot() == empty
    register.refresh_from_db()
    assert register.undone_by == olivia
    assert register.undone_at


def test_an_import_whose_journal_is_stored_a_few_records_at_a_time_is_undone_exactly(olivia, monkeypatch):
    """The journal is stored as the import writes it, so that an import changing every school of a
    national register never holds all their old values: undone, it puts back exactly what was."""
    monkeypatch.setattr(upsert, "STORE_EVERY", 7)
    empty = snapshot()
    raw = GIAS_SAMPLE.read_bytes()
    register = run("gias_establishments", raw)
    after_register = snapshot()
    rows = list(csv.reader(io.StringIO(raw.decode("cp1252"), newline="")))
    name = rows[0].index("EstablishmentName")
    for row in rows[1:]:
        row[name] += " (renamed)"
    renamed = io.StringIO()
    csv.writer(renamed, lineterminator="\r\n").writerows(rows)
    reassessed: list[list[int]] = []

    def receiver(sender, school_ids, **kwargs):
        reassessed.append(school_ids)

    signals.facts_changed.connect(receiver)
    try:
        update = run("gias_establishments", renamed.getvalue().encode("cp1252"))
    finally:
        signals.facts_changed.disconnect(receiver)
    assert update.updated == len(rows) - 1 > 7
    assert reassessed == [sorted(School.objects.values_list("pk", flat=True))]  # every school it renamed
    assert sum(len(change.records) for change in ImportChange.objects.filter(run=update)) == update.updated
    services.undo_import(run=update, by=olivia)
    assert snapshot() == after_register
    services.undo_import(run=register, by=olivia)
    assert snapshot() == empty


def test_an_import_is_not_undone_while_records_it_added_are_used(olivia):
    register = run("gias_establishments", GIAS_2019.read_bytes())
    school = School.objects.first()
    InspectionFactory(school=school)
    assert "used by other records" in imports.undo_blocker(register, thorough=True)
    assert School.objects.filter(pk=school.pk).exists()


def test_undo_of_an_ofsted_import_puts_back_each_school_s_latest_outcome(olivia):
    raw = (PUBLISHED / "ofsted" / "mi_latest_31aug2024_graded_first22rows.csv").read_bytes()
    register_for(raw)
    before = snapshot()
    result = run("ofsted_latest", raw)
    assert School.objects.exclude(ofsted_outcome="").exists()
    services.undo_import(run=result, by=olivia)
    assert snapshot() == before


def test_ofsted_s_codes_for_no_judgement_are_stored_as_such_never_as_a_grade(client, olivia):
    raw = (PUBLISHED / "ofsted" / "mi_latest_31aug2024_graded_first22rows.csv").read_bytes()
    register_for(raw)
    run("ofsted_latest", raw)
    # URN 100005: early years and sixth form "9" on its latest graded inspection (2014).
    inspection = Inspection.objects.get(inspection_number="ITS425578")
    assert inspection.early_years is None
    assert inspection.sixth_form is None
    assert inspection.not_graded == {
        "quality_of_education": "9",
        "behaviour_and_attitudes": "9",
        "personal_development": "9",
        "early_years": "9",
        "sixth_form": "9",
    }
    assert ("Early years provision", "Not applicable, or not judged at the time (9)") in inspection.graded_judgements
    client.force_login(olivia)
    page = client.get(inspection.school.get_absolute_url()).content.decode()
    assert "Not applicable, or not judged at the time (9)" in page


def test_a_notice_to_improve_from_an_earlier_framework_is_kept_with_its_meaning():
    raw = (PUBLISHED / "ofsted" / "mi_latest_31aug2024_graded_first22rows.csv").read_bytes().decode()
    header, *rows = raw.splitlines(keepends=True)
    column = next(csv.reader([header])).index("Previous category of concern")
    first = next(csv.reader([rows[0]]))
    first[column] = "NTI"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(first)
    changed = (header + out.getvalue() + "".join(rows[1:])).encode()
    register_for(changed)
    result = run("ofsted_latest", changed)
    assert result.status == "succeeded"
    assert result.warning_count == 3
    previous = Inspection.objects.get(school__urn=int(first[1]), start_date__year__lt=2020)
    assert previous.category_of_concern == "notice_to_improve"
    assert previous.get_category_of_concern_display() == "Notice to improve"


def test_the_import_command_refuses_a_file_imported_before_until_told_why(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "edubasealldata20190820.csv"
    path.write_bytes(GIAS_2019.read_bytes())
    call_command("import_file", "gias_establishments", str(path), "--no-progress")
    with pytest.raises(CommandError, match="imported before"):
        call_command("import_file", "gias_establishments", str(path), "--no-progress")
    assert ImportRun.objects.count() == 1
    call_command("import_file", "gias_establishments", str(path), "--dry-run", "--no-progress")
    call_command("import_file", "gias_establishments", str(path), "--no-progress", "--again", "GIAS corrected a row")
    again = ImportRun.objects.filter(dry_run=False).latest("pk")
    assert again.confirmation_reason == "GIAS corrected a row"
    assert again.duplicate_of is not None
    assert (again.created, again.updated) == (0, 0)


# Performance tables: file, (kind, academic year, rows read, rows set aside as not schools)
PERFORMANCE = {
    "ks2final_2016-2017_la936-surrey_sample.csv": ("ks2", 2016, 123, 2),
    "ks2final_2018-2019_la850-hampshire_sample.csv": ("ks2", 2018, 111, 2),
    "ks4final_2016-2017_la850-hampshire_sample.csv": ("ks4", 2016, 83, 2),
    "ks4final_2018-2019_la936-surrey_sample.csv": ("ks4", 2018, 71, 2),
    "ks5final_2015-2016_england_sample.csv": ("ks5", 2015, 449, 29),
    "ks5final_2016-2017_england_sample.csv": ("ks5", 2016, 166, 15),
    "ks4-pupdest_2019-release_england_sample.csv": ("ks4_destinations", 2018, 472, 27),
}


@pytest.mark.parametrize("name", PERFORMANCE)
def test_each_published_performance_file_imports(name):
    """Every figure of every school in the register is created (a number, or no value with its
    marker); the rows that are not schools, and the two schools left out of the register, are
    skipped; nothing is an error or a warning."""
    raw = (PUBLISHED / "performance" / name).read_bytes()
    kind, year, rows, set_aside = PERFORMANCE[name]
    parsed = imports.read_file(kind, raw)
    urns = list(dict.fromkeys(r["urn"] for r in parsed.prepared.records))
    missing = urns[-2:]
    la = LocalAuthorityFactory(code=999)
    School.objects.bulk_create([SchoolFactory.build(urn=urn, la=la) for urn in urns[:-2]])
    checked = run(kind, raw, dry_run=True, year=year)
    in_register = [r for r in parsed.prepared.records if r["urn"] not in missing]
    figures = sum(len(r["figures"]) for r in in_register)
    missing_rows = sum(1 for r in parsed.prepared.records if r["urn"] in missing)
    expected = {"status": "succeeded", "errors": 0, "created": figures, "updated": 0}
    expected |= {"warnings": 0, "skipped": set_aside + missing_rows, "unknown": 2}
    assert figures > 0
    assert outcome(checked) == expected
    assert checked.rows_read == rows
    assert not PerformanceMeasure.objects.exists()
    imported = run(kind, raw, year=year)
    assert outcome(imported) == expected
    assert PerformanceMeasure.objects.filter(academic_year=year).count() == figures
    assert imported.skipped <= imported.rows_read


def test_undo_of_an_import_that_added_schools_removes_what_recategorisation_worked_out_for_them(
    django_capture_on_commit_callbacks, olivia
):
    """Recategorisation after an import assesses each new school; those assessments and proposals
    are the engine's, worked out again after the undo, so they never stop it (an officer's
    decision about a new school does)."""
    assert Framework.objects.filter(is_active=True).exists()
    SchoolFactory()  # a school that was there before, whose standing the undo must keep
    with django_capture_on_commit_callbacks(execute=True):
        categorisation_services.recategorise(trigger="manual")
    before = snapshot() | standings()
    with django_capture_on_commit_callbacks(execute=True):
        register = run("gias_establishments", GIAS_2019.read_bytes())
    added = School.objects.filter(urn__in=urns_in(GIAS_2019.read_bytes()))
    assert added.count() == 3
    assert SchoolCategory.objects.filter(school__in=added).count() == 3
    assert RiskAssessment.objects.filter(school__in=added).count() == 3
    assert imports.undo_blocker(register, thorough=True) == ""
    with django_capture_on_commit_callbacks(execute=True):
        services.undo_import(run=register, by=olivia)
    assert snapshot() | standings() == before
    assert not CategoryDecision.objects.exists()


def test_an_officer_s_decision_about_a_school_an_import_added_stops_its_undo(
    django_capture_on_commit_callbacks, olivia
):
    with django_capture_on_commit_callbacks(execute=True):
        register = run("gias_establishments", GIAS_2019.read_bytes())
    school = School.objects.get(urn=urns_in(GIAS_2019.read_bytes())[0])
    categorisation_services.agree_category(school=school, by=olivia)
    assert imports.undo_blocker(register, thorough=True) == (
        "Records this import added are now used by other records (1 category decision, 1 school category), "
        "so it cannot be undone."
    )


def standings() -> dict:
    """Each school's risk assessments and standing, by URN, for the snapshot of an undo."""
    return {
        "assessments": sorted(
            RiskAssessment.objects.values_list("school__urn", "proposed__code", "result_hash", "fired")
        ),
        "standings": sorted(
            SchoolCategory.objects.values_list("school__urn", "framework__code", "proposed__code", "category__code")
        ),
    }
