from django.contrib import admin

from waypoint.notifications.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin[OutboundMessage]):
    """Read-only: messages are written by services and delivered by the worker."""

    list_display = ("created_at", "channel", "to", "topic", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "topic")
    search_fields = ("to", "reference")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
