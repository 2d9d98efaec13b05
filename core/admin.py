"""Admin pieces shared by the apps.

The administration pages are not a second way to write (issue 17, finding 8): every model there is
read only (``ReadOnlyAdmin``) unless its admin saves through the service the portal's pages use.
``tests/test_admin_write_paths.py`` holds the list of the exceptions and fails on any other."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only through the portal's services (their own workflow or audit value):
    the administration pages may list and read them, never add, change or delete them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline list of related records to read on another record's page, never to write. Name
    its ``fields``: all are shown read only (non-editable ones included)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields or [])

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoDeleteAdmin(admin.ModelAdmin):
    """A record the administration may add or change (through a service) but never delete."""

    def has_delete_permission(self, request, obj=None):
        return False
