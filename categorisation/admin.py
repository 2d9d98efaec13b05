"""Categorisation in the administration: read only, except the inspection intervals, which have no
page of their own and are saved through ``services.set_inspection_policy`` (issue 17, finding 8).
Frameworks and their versions are changed on the Frameworks pages, whose services check a version
before it is adopted and queue the reassessment a change needs."""

import json
from dataclasses import asdict

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from categorisation import services
from categorisation.models import (
    CategoryDecision,
    Framework,
    FrameworkVersion,
    InspectionPolicySetting,
    RecategorisationRun,
    RiskAssessment,
)
from core.admin import ReadOnlyAdmin


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "mapping", "is_active"]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ReadOnlyAdmin):
    list_display = ["framework", "number", "status", "adopted_at"]
    list_filter = ["framework", "status"]


class InspectionPolicyForm(forms.ModelForm):
    class Meta:
        model = InspectionPolicySetting
        fields = ["values"]
        help_texts = {
            "values": "Only the settings to change from their defaults (“Intervals in use” lists them all), for "
            'example {"good_earliest_months": 30}; the rest keep their defaults.'
        }

    def clean_values(self):
        values = self.cleaned_data["values"]
        problems = services.inspection_policy_problems(values)
        if problems:
            raise ValidationError(problems)
        return values


@admin.register(InspectionPolicySetting)
class InspectionPolicySettingAdmin(admin.ModelAdmin):
    """The months after a last inspection in which the next is expected: keys as in
    categorisation.windows.InspectionPolicy (e.g. good_earliest_months). Saved through
    ``set_inspection_policy``, which checks them and queues every school's reassessment."""

    form = InspectionPolicyForm
    list_display = ["__str__", "updated_at"]
    readonly_fields = ["in_use"]

    @admin.display(description="Intervals in use")
    def in_use(self, setting):
        problems = services.inspection_policy_problems(setting.values)  # a row saved before they were checked
        return " ".join(problems) if problems else json.dumps(asdict(setting.policy))

    def has_add_permission(self, request):
        return not InspectionPolicySetting.objects.exists()  # one row: add it once, then change it

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.set_inspection_policy(by=request.user, values=form.cleaned_data["values"])
        obj.pk, obj.updated_at = saved.pk, saved.updated_at


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyAdmin):
    """Every assessment, as written (they keep no history rows: each is its own record)."""

    list_display = ["school", "version", "proposed", "run", "assessed_at"]
    list_select_related = ["school", "version__framework", "proposed", "run"]
    list_filter = ["run__trigger", "version__framework"]
    search_fields = ["school__urn", "school__name", "=run__pk"]
    raw_id_fields = ["school"]


@admin.register(CategoryDecision)
class CategoryDecisionAdmin(ReadOnlyAdmin):
    list_display = ["school", "category", "previous", "kind", "decided_by", "decided_at"]
    list_select_related = ["school", "category", "previous", "decided_by"]


@admin.register(RecategorisationRun)
class RecategorisationRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "trigger", "status", "schools", "assessed", "unchanged"]
