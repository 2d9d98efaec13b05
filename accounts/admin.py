"""People, and the records of signing in, in the administration (issue 17, finding 8).

People are managed here: adding someone, their role, and deactivating them (which ends their
sessions and revokes their API tokens: ``accounts.signals``). Nobody is deleted, which would take
their part of the audit trail and the download log with them. Their links to schools are written
through ``support.services`` (``support.admin``); their authenticators only by themselves, or reset by
an administrator through ``services.reset_two_factor``. The lockout records of django-axes (its own
admin is off: ``AXES_ENABLE_ADMIN``) are read only: the failure log is never deleted, and a lock is
lifted through ``services.lift_lockout``, never by deleting rows. No API token is shown or made here.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import SchoolAssignment, User
from core.admin import ReadOnlyAdmin, ReadOnlyInline


class SchoolAssignmentInline(ReadOnlyInline):
    """The person's schools, to read; each opens in the assignments' admin, which can end it."""

    model = SchoolAssignment
    fk_name = "user"
    fields = ["school", "relationship", "starts_on", "ends_on"]
    show_change_link = True


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name", "organisation"]
    inlines = [SchoolAssignmentInline]
    actions = ["reset_two_factor"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "organisation", "role")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "password1", "password2")}),
    )

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the person's history, downloads and decisions stay theirs

    @admin.action(description="Reset two-factor authentication (lost authenticator and recovery codes)")
    def reset_two_factor(self, request, queryset):
        reset = 0
        for person in queryset:
            try:
                services.reset_two_factor(user=person, by=request.user)
            except PermissionDenied as exc:
                self.message_user(request, f"{person}: {exc}", messages.ERROR)
                continue
            self.log_change(request, person, "Reset two-factor authentication")
            reset += 1
        if reset:
            message = (
                f"Two-factor authentication reset for {reset} person(s): they set it up again at their next sign-in"
            )
            self.message_user(request, message, messages.SUCCESS)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    """What a person may do comes from their role (``accounts.policy``), not from groups."""


# Authenticators: made and confirmed by their owner alone (a device added here would be a secret the
# administrator knows); the secret and the recovery codes are never shown.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "confirmed"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]


@admin.register(StaticDevice)
class RecoveryCodesAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "name", "created_at", "last_used_at"]


# Signing in (django-axes) --------------------------------------------------------------------------


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnlyAdmin):
    """Wrong passwords counted per account and address: the live state of each lockout."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start", "user_agent"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "path_info", "attempt_time", "failures_since_start"]
    actions = ["lift_lockout"]

    @admin.action(description="Lift the lockout of these accounts from these addresses")
    def lift_lockout(self, request, queryset):
        attempts = list(queryset)
        try:
            lifted = services.lift_lockout(attempts=attempts, by=request.user)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        for attempt in attempts:
            self.log_change(request, attempt, "Lifted the lockout")
        self.message_user(request, f"Lockout lifted for {lifted} account and address pair(s)", messages.SUCCESS)


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ReadOnlyAdmin):
    """Every wrong password and every attempt refused while locked: kept, never deleted here."""

    list_display = ["attempt_time", "username", "ip_address", "locked_out", "user_agent"]
    list_filter = ["attempt_time", "locked_out"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "path_info", "attempt_time", "locked_out"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Successful sign-ins per address, when kept (``AXES_DISABLE_ACCESS_LOG``)."""

    list_display = ["attempt_time", "logout_time", "username", "ip_address", "user_agent"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "path_info", "attempt_time", "logout_time"]
