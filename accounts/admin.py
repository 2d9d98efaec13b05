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
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.authorities import current_authority_id
from accounts.models import Authority, Membership, SchoolAssignment, User
from core.admin import ReadOnlyAdmin, ReadOnlyInline


class SchoolAssignmentInline(ReadOnlyInline):
    """The person's schools, to read; each opens in the assignments' admin, which can end it."""

    model = SchoolAssignment
    fk_name = "user"
    fields = ["school", "relationship", "starts_on", "ends_on"]
    show_change_link = True


class AuthorityForm(forms.ModelForm):
    la_codes = forms.CharField(
        label="LA codes", help_text="The DfE three-digit codes of the LAs it serves, separated by commas: 330, 937"
    )

    class Meta:
        model = Authority
        fields = ["name", "nation", "la_codes", "academies"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["la_codes"] = ", ".join(str(code) for code in self.instance.la_codes)

    def clean_la_codes(self):
        try:
            return [int(code) for code in self.cleaned_data["la_codes"].replace(" ", "").split(",") if code]
        except ValueError:
            raise forms.ValidationError("Give the DfE three-digit LA codes, for example 330, 937") from None


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    """Authorities, managed by platform administrators (``services.save_authority``); an authority
    is never deleted here, which would take its cases with it."""

    form = AuthorityForm
    list_display = ["name", "nation", "la_codes", "academies"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.save_authority(authority=obj, by=request.user)


class MembershipInline(admin.TabularInline):
    """The person's role in each authority, given through ``services.add_member``; an authority's
    administrator sees and gives roles in their own authority only."""

    model = Membership
    fields = ["authority", "role"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        found = super().get_queryset(request).select_related("authority")
        return found if request.user.is_superuser else found.filter(authority_id=current_authority_id())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "authority" and not request.user.is_superuser:
            kwargs["queryset"] = Authority.objects.filter(pk=current_authority_id())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name", "organisation"]
    inlines = [MembershipInline, SchoolAssignmentInline]
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

    def get_queryset(self, request):
        """An authority's administrator manages its own people; a platform administrator, everyone."""
        people = super().get_queryset(request)
        if request.user.is_superuser:
            return people
        return people.filter(memberships__authority_id=current_authority_id()).distinct()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # someone new works in the authority they were added in
            authority = Authority.objects.get(pk=current_authority_id())
            services.add_member(user=obj, authority=authority, role=obj.role, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            services.add_member(
                user=form.instance, authority=membership.authority, role=membership.role, by=request.user
            )
        return None

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
