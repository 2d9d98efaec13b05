from django.contrib import admin, messages

from schoolimprovement.admin import ReadOnlyAdmin
from support import calendar
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


class HalfTermInline(admin.TabularInline):
    model = HalfTerm
    extra = 0
    max_num = 6


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    """A year's half-terms as the LA sets them; a year with none uses England's defaults."""

    inlines = [HalfTermInline]
    actions = ["fill_with_defaults"]

    @admin.action(description="Fill with England's default half-terms (years without dates only)")
    def fill_with_defaults(self, request, queryset):
        filled = 0
        for year in queryset:
            if year.half_terms.exists():
                continue
            HalfTerm.objects.bulk_create(
                HalfTerm(year=year, number=t.number, name=t.name, starts=t.starts, ends=t.ends)
                for t in calendar.england_half_terms(year.start_year)
            )
            filled += 1
        self.message_user(request, f"{filled} year(s) filled with England's default dates", messages.SUCCESS)


class InterestInline(admin.TabularInline):
    model = PartnerInterest
    extra = 0
    raw_id_fields = ["school"]


@admin.register(PartnerProfile)
class PartnerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "capacity_days", "dbs_checked_on", "contract_ends"]
    search_fields = ["user__full_name", "user__email", "specialisms"]
    list_select_related = ["user", "organisation"]
    inlines = [InterestInline]


admin.site.register(PartnerOrganisation)


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
class NewHeadteacherAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "starts_on"]
    raw_id_fields = ["school"]


admin.site.register(SelfReferral, ReadOnlyAdmin)
admin.site.register(ReminderSent, ReadOnlyAdmin)
