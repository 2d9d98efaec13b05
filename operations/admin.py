"""The outbox, and the beat scheduler's timetable of the portal's regular jobs."""

from django import forms
from django.contrib import admin
from django_celery_beat import admin as beat
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

from core.admin import ReadOnlyAdmin
from operations.models import PendingJob


@admin.register(PendingJob)
class PendingJobAdmin(ReadOnlyAdmin):
    """Read only: the outbox is written and emptied by ``operations.jobs`` alone, and a job deleted
    here would be work asked for and silently lost."""

    list_display = ["task", "created_at", "attempts", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["task"]


# The regular jobs (the nightly recategorisation, the reminders, the monthly report, the outbox
# sweep) are rows the data migrations write, and the beat scheduler reads them as they are. They stay
# editable because moving a job in time or switching it off and on is the operational point of them,
# and it writes no record of the domain: the job still runs its one service. What a job runs and
# with which arguments is read only, and no job is added: either would start any task with any
# arguments outside the pages' permission checks (issue 17, finding 8). Nothing is deleted here:
# switch a job off instead (a schedule deleted would take the jobs using it with it).

for _model in (PeriodicTask, ClockedSchedule, CrontabSchedule, IntervalSchedule, SolarSchedule):
    admin.site.unregister(_model)


class RegularJobForm(forms.ModelForm):
    """django-celery-beat's form without its choice of task (which is read only here)."""

    class Meta:
        model = PeriodicTask
        fields = ["enabled", "description", "interval", "crontab", "solar", "clocked", "start_time"]


@admin.register(PeriodicTask)
class RegularJobAdmin(beat.PeriodicTaskAdmin):
    form = RegularJobForm
    change_form_template = None  # the package's template adds an inline script, which the CSP refuses
    fieldsets = (
        (None, {"fields": ("name", "task", "enabled", "description")}),
        ("When", {"fields": ("interval", "crontab", "crontab_translation", "solar", "clocked", "start_time")}),
        (
            "What it runs",
            {"fields": ("args", "kwargs", "one_off", "expires", "expire_seconds", "queue", "last_run_at")},
        ),
    )
    readonly_fields = [
        "name",
        "task",
        "crontab_translation",
        "args",
        "kwargs",
        "one_off",
        "expires",
        "expire_seconds",
        "queue",
        "last_run_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClockedSchedule)
class ClockedScheduleAdmin(beat.ClockedScheduleAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat.CrontabScheduleAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IntervalSchedule)
class IntervalScheduleAdmin(beat.IntervalScheduleAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SolarSchedule)
class SolarScheduleAdmin(beat.SolarScheduleAdmin):
    def has_delete_permission(self, request, obj=None):
        return False
