"""The outbox in Django's admin: only the failed messages an administrator must act on, masked.

Every email and text message is a row in the outbox, with the person's address and words that may
say what their care is about. An administrator needs neither for the ones that were delivered or
are still being tried, so those are only counted; a failed one is shown with its address masked,
a neutral kind instead of its topic and subject, and no body. Waypoint's own page for the same
work is /messages/. Sending again goes through ``services.message_retry``, which is audited.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from waypoint.accounts.http import acting_user
from waypoint.accounts.models import Role, User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.core.errors import WaypointError
from waypoint.notifications import services
from waypoint.notifications.masking import mask_address, without_address
from waypoint.notifications.models import MessageStatus, OutboundMessage

SHOWN = ("created_at", "kind", "masked_to", "attempts", "error")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin[OutboundMessage]):
    list_display = SHOWN
    list_display_links = None
    list_filter = ("channel",)
    fields = SHOWN
    readonly_fields = SHOWN
    actions = ("send_again",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboundMessage]:
        return (
            super()
            .get_queryset(request)
            .filter(status=MessageStatus.FAILED)
            .select_related("recipient")
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        others = OutboundMessage.objects.exclude(status=MessageStatus.FAILED).count()
        context = {
            **(extra_context or {}),
            "title": "Failed messages",
            "subtitle": f"{others} other messages (sent, or still being tried) are not listed.",
        }
        return super().changelist_view(request, extra_context=context)

    @admin.display(description="Kind")
    def kind(self, message: OutboundMessage) -> str:
        recipient: User | None = message.recipient
        to_staff = recipient is not None and recipient.role != Role.PATIENT
        return f"{message.get_channel_display()} to {'staff' if to_staff else 'a person'}"

    @admin.display(description="To")
    def masked_to(self, message: OutboundMessage) -> str:
        return mask_address(message.channel, message.to)

    @admin.display(description="Last error")
    def error(self, message: OutboundMessage) -> str:
        return without_address(message.last_error, message.to, message.channel)[:300]

    @admin.action(description="Send the selected messages again", permissions=["retry"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        actor = acting_user(request)
        sent_again = 0
        for message in queryset:
            try:
                services.message_retry(actor=actor, message=message, now=timezone.now())
            except WaypointError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                sent_again += 1
        if sent_again:
            self.message_user(request, f"{sent_again} messages will be sent again.")

    def has_retry_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return isinstance(user, User) and has_permission(user, Permission.MANAGE_OUTBOX)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
