from django.contrib import admin

from categorisation.models import (
    CategoryDecision,
    Framework,
    FrameworkVersion,
    InspectionPolicySetting,
    RecategorisationRun,
    RiskAssessment,
)
from schoolimprovement.admin import ReadOnlyAdmin


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "mapping", "is_active"]
    readonly_fields = ["is_active"]  # switched on the Frameworks page, which queues a reassessment


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["framework", "number", "status", "adopted_at"]
    list_filter = ["framework", "status"]
    readonly_fields = ["status", "adopted_by", "adopted_at", "created_by", "based_on"]


@admin.register(InspectionPolicySetting)
class InspectionPolicySettingAdmin(admin.ModelAdmin):
    """The months after a last inspection in which the next is expected: keys as in
    categorisation.windows.InspectionPolicy (e.g. good_earliest_months)."""

    list_display = ["__str__", "updated_at"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["school", "version", "proposed", "assessed_at"]
    list_select_related = ["school", "version__framework", "proposed"]
    raw_id_fields = ["school"]


@admin.register(CategoryDecision)
class CategoryDecisionAdmin(ReadOnlyAdmin):
    list_display = ["school", "category", "previous", "kind", "decided_by", "decided_at"]
    list_select_related = ["school", "category", "previous", "decided_by"]


@admin.register(RecategorisationRun)
class RecategorisationRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "trigger", "status", "schools", "assessed", "unchanged"]
