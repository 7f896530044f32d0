from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from waypoint.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Waypoint", {"fields": ("role", "job_title", "work_phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Waypoint", {"fields": ("role", "first_name", "last_name", "job_title", "work_phone")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are created with `manage.py create_api_token`; here they can only be revoked."""

    list_display = ("prefix", "user", "label", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "label", "prefix", "digest", "created_at", "last_used_at")
    search_fields = ("user__username", "prefix")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
