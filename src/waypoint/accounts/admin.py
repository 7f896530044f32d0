"""Accounts in Django's admin.

What an account may do is its role, whether it may sign in, its password and its API tokens.
Each of those is changed here only through a service that checks it and writes the audit event
(``user_create``, ``user_access_change``, ``user_password_set``, ``api_token_revoke``). Django's
own staff, superuser, group and permission switches are not offered: they follow the role.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from waypoint.accounts import services
from waypoint.accounts.admin_saving import admin_may, adopt_saved
from waypoint.accounts.http import acting_user
from waypoint.accounts.models import ApiToken, User
from waypoint.accounts.policies import Permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record

ACCESS_HELP = (
    "The role decides what this account may do; administrators also get this admin. Every "
    "change is recorded in the audit trail. You cannot change your own role or turn off your "
    "own account."
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        (
            "Waypoint",
            {
                "fields": ("job_title", "work_phone", "staff_identifier"),
                "description": "Single sign-on links a staff member by their email address or "
                "their staff identifier (whichever the organisation's sign-in service is set to "
                "match), the first time they sign in with it.",
            },
        ),
        ("Access", {"fields": ("role", "is_active"), "description": ACCESS_HELP}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Waypoint", {"fields": ("role", "first_name", "last_name", "job_title", "work_phone")}),
    )

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[User]]:
        form: type[ModelForm[User]] = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        actor = acting_user(request)
        account = obj

        class AccessCheckedForm(form):  # type: ignore[valid-type,misc]  # a class built at run time
            def clean(self) -> dict[str, Any]:
                data: dict[str, Any] = super().clean() or {}
                problems = services.user_access_problems(
                    actor=actor,
                    user=account,
                    role=data.get("role", account.role),
                    is_active=data.get("is_active", account.is_active),
                )
                for field, message in problems.items():
                    self.add_error(field, message)
                return data

        return AccessCheckedForm

    def save_model(
        self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool
    ) -> None:
        actor = acting_user(request)
        if not change:
            data = form.cleaned_data
            created = services.user_create(
                actor=actor,
                username=data["username"],
                role=obj.role,
                password=data["password1"] if data.get("set_usable_password") else None,
                first_name=obj.first_name,
                last_name=obj.last_name,
                work_phone=obj.work_phone,
                job_title=obj.job_title,
            )
            adopt_saved(obj, created)
            return
        # The details are saved here; the access, through the service that audits it.
        stored = User.objects.get(pk=obj.pk)
        role, is_active = obj.role, obj.is_active
        obj.role, obj.is_active = stored.role, stored.is_active
        super().save_model(request, obj, form, change)
        sign_on_keys = [
            f"{name} {getattr(stored, name) or '(none)'} to {getattr(obj, name) or '(none)'}"
            for name in ("email", "staff_identifier")
            if getattr(stored, name) != getattr(obj, name)
        ]
        if sign_on_keys:
            # Single sign-on links an account by these: changing one decides who may sign in as it.
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                patient=None,
                object_type=services.ACCOUNT_OBJECT,
                object_id=obj.pk,
                detail=f"{obj.username}: " + "; ".join(sign_on_keys),
            )
        if (role, is_active) != (stored.role, stored.is_active):
            adopt_saved(
                obj,
                services.user_access_change(
                    actor=actor, user_id=obj.pk, role=role, is_active=is_active
                ),
            )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's page, with the new password saved by ``user_password_set`` (audited)."""
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = self.change_password_form(user, request.POST)
        usable = form.is_valid() and form.cleaned_data["set_usable_password"]
        if not form.is_valid() or not (usable or "unset-password" in request.POST):
            # Django's page shows the errors (or the conflicting buttons) and saves nothing.
            return super().user_change_password(request, id, form_url)
        saved = services.user_password_set(
            actor=acting_user(request),
            user_id=user.pk,
            password=form.cleaned_data["password1"] if usable else None,
        )
        self.log_change(request, saved, self.construct_change_message(request, form, []))
        messages.success(
            request,
            "Password changed." if usable else "Password sign-in is turned off for this account.",
        )
        update_session_auth_hash(request, saved)
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=(saved.pk,)))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return admin_may(request, Permission.MANAGE_ACCOUNTS)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return admin_may(request, Permission.MANAGE_ACCOUNTS)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # An account is turned off, never deleted: the audit trail and the record name it.
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are created with `manage.py create_api_token`; here they can only be revoked, with
    the action, which is audited. A revoked token is kept and never works again."""

    list_display = ("prefix", "user", "label", "created_at", "last_used_at", "revoked_at")
    readonly_fields = (
        "user",
        "label",
        "prefix",
        "digest",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    search_fields = ("user__username", "prefix")
    actions = ("revoke",)

    @admin.action(description="Revoke the selected tokens", permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = acting_user(request)
        for token_id in queryset.values_list("pk", flat=True):
            services.api_token_revoke(actor=actor, token_id=token_id)
        messages.success(request, "The tokens are revoked.")

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return admin_may(request, Permission.MANAGE_ACCOUNTS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
