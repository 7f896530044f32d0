"""Accounts at outside sign-in services in Django's admin: seen, and unlinked, never edited.

A member of staff is linked by signing in once through the organisation's provider (matched by
the email or staff identifier an administrator put on their account); a patient by the portal's
checks. Here an administrator sees who is linked to what and can unlink an identity (a leaver, a
wrong match) through ``external_identity_unlink``, which writes the audit event. Adding and
editing are not offered: a link made by hand would skip the checks that make it trustworthy.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from waypoint.access.models import ExternalIdentity
from waypoint.access.sso.services import external_identity_unlink
from waypoint.accounts.http import acting_user
from waypoint.core.errors import WaypointError


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin[ExternalIdentity]):
    list_display = (
        "user",
        "provider",
        "issuer",
        "subject",
        "linked_at",
        "linked_by",
        "last_used_at",
    )
    list_filter = ("provider",)
    list_select_related = ("user", "linked_by")
    search_fields = ("user__username", "user__email", "subject")
    readonly_fields = (
        "user",
        "provider",
        "issuer",
        "subject",
        "linked_at",
        "linked_by",
        "last_used_at",
    )
    actions = ["unlink"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ExternalIdentity | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ExternalIdentity | None = None
    ) -> bool:
        # Deleting is unlinking, and goes through the audited action below.
        return False

    @admin.action(description="Unlink the selected sign-in accounts")
    def unlink(self, request: HttpRequest, queryset: QuerySet[ExternalIdentity]) -> None:
        actor = acting_user(request)
        done = 0
        for identity_id in queryset.values_list("pk", flat=True):
            try:
                external_identity_unlink(actor=actor, identity_id=identity_id)
            except WaypointError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return
            done += 1
        self.message_user(
            request,
            f"Unlinked {done} sign-in account{'s' if done != 1 else ''}. "
            "They can no longer be used to sign in until linked again.",
            messages.SUCCESS,
        )
