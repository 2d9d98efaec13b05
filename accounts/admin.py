from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import SchoolAssignment, User


class SchoolAssignmentInline(admin.TabularInline):
    model = SchoolAssignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ["school", "assigned_by"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name", "organisation"]
    inlines = [SchoolAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "organisation", "role")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "password1", "password2")}),
    )


@admin.register(SchoolAssignment)
class SchoolAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "relationship", "starts_on", "ends_on"]
    list_filter = ["relationship"]
    raw_id_fields = ["user", "school", "assigned_by"]
    search_fields = ["user__email", "user__full_name", "school__name", "school__urn"]
