"""Support in the administration (issue 17, finding 8): read only, except what has no page of its
own, which saves through ``support.services``: the year's half-terms (``set_half_terms``), and
people's links to schools (``assign_partner``, with its conflict-of-interest check;
``assign_headteacher``; ``end_assignment``). Partners' profiles and declared interests, new
headteachers and the rest are written on the support pages."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from accounts.models import SchoolAssignment
from core.admin import ReadOnlyAdmin, ReadOnlyInline
from support import calendar, services
from support.models import (
    AcademicYear,
    HalfTerm,
    NewHeadteacher,
    PartnerInterest,
    PartnerOrganisation,
    PartnerProfile,
    ReminderSent,
    SelfReferral,
    Visit,
    VisitReport,
)

# The calendar -------------------------------------------------------------------------------------


class HalfTermFormSet(forms.BaseInlineFormSet):
    def half_terms(self) -> list[calendar.HalfTerm]:
        """The half-terms as entered, without those marked for deletion."""
        kept = [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        return [calendar.HalfTerm(d["number"], d["name"], d["starts"], d["ends"]) for d in kept]

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.start_year is None:
            return
        problems = services.half_term_problems(start_year=self.instance.start_year, half_terms=self.half_terms())
        if problems:
            raise ValidationError(problems)


class HalfTermInline(admin.TabularInline):
    model = HalfTerm
    formset = HalfTermFormSet
    extra = 0
    max_num = 6


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    """A year's half-terms as the LA sets them; a year with none uses England's defaults. Saved
    through ``services.set_half_terms``, which checks the six dates fit together."""

    inlines = [HalfTermInline]
    exclude = ["authority"]  # the authority the administrator works in
    actions = ["fill_with_defaults"]

    def get_readonly_fields(self, request, obj=None):
        return ["start_year"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Nothing yet: the year is written with its half-terms, in ``save_related``."""

    def save_related(self, request, form, formsets, change):
        half_terms = next((formset for formset in formsets if formset.model is HalfTerm), None)
        if half_terms is None and change:
            return  # someone who may not change half-terms changed nothing else
        terms = half_terms.half_terms() if half_terms else []
        year = services.set_half_terms(start_year=form.instance.start_year, half_terms=terms, by=request.user)
        form.instance.pk = year.pk

    def construct_change_message(self, request, form, formsets, add=False):
        """The half-terms are replaced as a whole by the service, not saved form by form."""
        return [{"added": {}}] if add else [{"changed": {"fields": ["Half-terms"]}}]

    @admin.action(description="Fill with England's default half-terms (years without dates only)")
    def fill_with_defaults(self, request, queryset):
        empty = queryset.filter(half_terms__isnull=True)
        for year in empty:
            services.ensure_calendar(year.start_year)
        self.message_user(request, f"{len(empty)} year(s) filled with England's default dates", messages.SUCCESS)


# People's links to schools --------------------------------------------------------------------------

# The services name the person by what they are to the school; here the field is the person.
_PERSON_FIELDS = {"partner": "user", "head": "user"}


class NewAssignmentForm(forms.ModelForm):
    class Meta:
        model = SchoolAssignment
        fields = ["user", "school", "relationship", "justification"]
        help_texts = {"justification": "Needed for a priority partner with a conflict of interest with the school."}

    def validate_unique(self):
        """An ended link of the same person, school and relationship starts again: the service's
        to find, not a duplicate to refuse."""

    def clean(self):
        data = super().clean()
        person, school, relationship = data.get("user"), data.get("school"), data.get("relationship")
        if person is None or school is None or not relationship:
            return data
        try:
            if relationship == SchoolAssignment.Relationship.PRIORITY_PARTNER:
                services.check_partner_assignment(
                    school=school, partner=person, justification=data.get("justification", "")
                )
            else:
                services.check_headteacher_assignment(head=person)
        except ValidationError as exc:
            raise ValidationError({_PERSON_FIELDS.get(f, f): m for f, m in exc.message_dict.items()}) from exc
        return data


class AssignmentEndForm(forms.ModelForm):
    class Meta:
        model = SchoolAssignment
        fields = ["ends_on"]
        help_texts = {"ends_on": "The last day the link gives access to the school; empty: it goes on."}

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        try:
            services.check_assignment_end(assignment=self.instance, ends_on=ends_on)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["ends_on"]) from exc
        return ends_on


@admin.register(SchoolAssignment)
class SchoolAssignmentAdmin(admin.ModelAdmin):
    """A priority partner assigned (as on a partner's page), a headteacher linked to a school, or
    either link ended. Kept, never deleted: who could see a school when stays on record."""

    list_display = ["user", "school", "relationship", "starts_on", "ends_on"]
    list_filter = ["relationship"]
    list_select_related = ["user", "school"]
    raw_id_fields = ["user", "school"]
    search_fields = ["user__email", "user__full_name", "school__name", "school__urn"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = AssignmentEndForm if obj else NewAssignmentForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "school", "relationship", "justification"]
        return ["user", "school", "relationship", "starts_on", "ends_on", "conflict", "justification", "assigned_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "school", "relationship", "starts_on", "conflict", "justification", "assigned_by"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = services.end_assignment(assignment=obj, ends_on=data["ends_on"], by=request.user)
        elif data["relationship"] == SchoolAssignment.Relationship.PRIORITY_PARTNER:
            saved = services.assign_partner(
                school=data["school"], partner=data["user"], by=request.user, justification=data["justification"]
            )
        else:
            saved = services.assign_headteacher(school=data["school"], head=data["user"], by=request.user)
        obj.pk = saved.pk


# Read only: written on the support pages ------------------------------------------------------------


class InterestInline(ReadOnlyInline):
    model = PartnerInterest
    fields = ["school", "relationship", "declared_on"]


@admin.register(PartnerProfile)
class PartnerProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "capacity_days", "dbs_checked_on", "contract_ends"]
    search_fields = ["user__full_name", "user__email", "specialisms"]
    list_select_related = ["user", "organisation"]
    inlines = [InterestInline]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["school", "visitor", "scheduled_for", "status"]
    list_select_related = ["school", "visitor"]


@admin.register(VisitReport)
class VisitReportAdmin(ReadOnlyAdmin):
    list_display = ["visit", "version", "author", "status"]
    list_select_related = ["visit__school", "author"]
    list_filter = ["status"]


@admin.register(NewHeadteacher)
class NewHeadteacherAdmin(ReadOnlyAdmin):
    list_display = ["who", "school", "starts_on"]
    raw_id_fields = ["school"]


admin.site.register(PartnerOrganisation, ReadOnlyAdmin)
admin.site.register(SelfReferral, ReadOnlyAdmin)
admin.site.register(ReminderSent, ReadOnlyAdmin)
