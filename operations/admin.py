from django.contrib import admin

from operations.models import PendingJob


@admin.register(PendingJob)
class PendingJobAdmin(admin.ModelAdmin):
    """Read only: the outbox is written and emptied by ``operations.jobs`` alone."""

    list_display = ["task", "created_at", "attempts", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["task"]
    readonly_fields = ["task", "args", "kwargs", "created_at", "attempts", "last_error", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
