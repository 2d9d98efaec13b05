"""The schools' records in the administration: read only. They come from the published files
(GIAS, Ofsted, performance tables) through ``schools.services.queue_import``, and intelligence
notes through ``add_intelligence_note``; both queue the school's recategorisation, which a change
made here would skip (issue 17, finding 8). A correction belongs in the next import."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from schools.models import (
    EstynInspection,
    ImportRun,
    Inspection,
    IntelligenceNote,
    LocalAuthority,
    NationalFigure,
    PerformanceMeasure,
    School,
    SchoolGroup,
)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region_name"]
    search_fields = ["code", "name"]


@admin.register(School)
class SchoolAdmin(ReadOnlyAdmin):
    list_display = ["urn", "name", "la", "phase_name", "status_name", "ofsted_outcome"]
    list_filter = ["status_name", "phase_name", "ofsted_outcome"]
    list_select_related = ["la"]
    search_fields = ["=urn", "name"]
    raw_id_fields = ["la", "trust", "federation", "latest_inspection"]


@admin.register(SchoolGroup)
class SchoolGroupAdmin(ReadOnlyAdmin):
    list_display = ["uid", "name", "type_name", "status"]
    search_fields = ["=uid", "name", "group_id"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = [
        "inspection_number",
        "school",
        "shape",
        "start_date",
        "overall_effectiveness",
        "category_of_concern",
    ]
    list_filter = ["shape", "category_of_concern"]
    list_select_related = ["school"]
    search_fields = ["=inspection_number", "=school__urn"]
    raw_id_fields = ["school"]


@admin.register(EstynInspection)
class EstynInspectionAdmin(ReadOnlyAdmin):
    """Entered through ``record_estyn_inspection`` or imported: read only here."""

    list_display = ["school", "start_date", "shape", "follow_up", "source"]
    list_filter = ["shape", "follow_up", "source"]
    list_select_related = ["school"]
    search_fields = ["=school__urn"]
    raw_id_fields = ["school", "recorded_by"]


@admin.register(PerformanceMeasure)
class PerformanceMeasureAdmin(ReadOnlyAdmin):
    list_display = ["school", "academic_year", "measure", "value", "marker"]
    list_filter = ["academic_year", "measure"]
    list_select_related = ["school"]
    search_fields = ["=school__urn"]
    raw_id_fields = ["school"]


@admin.register(NationalFigure)
class NationalFigureAdmin(ReadOnlyAdmin):
    list_display = ["academic_year", "measure", "phase", "value"]
    list_filter = ["academic_year", "phase"]


@admin.register(IntelligenceNote)
class IntelligenceNoteAdmin(ReadOnlyAdmin):
    list_display = ["school", "area", "noted_on", "risk_grade", "visibility", "author"]
    list_filter = ["area", "risk_grade", "visibility"]
    raw_id_fields = ["school", "author"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """The record of each file imported: kept, never deleted here."""

    list_display = ["queued_at", "kind", "file_name", "status", "created", "updated", "unchanged", "rejected"]
    list_filter = ["kind", "status"]
