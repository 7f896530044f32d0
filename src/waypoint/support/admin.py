from django.contrib import admin

from waypoint.support.models import PeerSession, SupportService


@admin.register(SupportService)
class SupportServiceAdmin(admin.ModelAdmin[SupportService]):
    """The support directory is kept by admins."""

    list_display = ("name", "kind", "provider", "area_served", "mode", "is_active")
    list_filter = ("kind", "mode", "is_active")
    search_fields = ("name", "provider", "area_served")


@admin.register(PeerSession)
class PeerSessionAdmin(admin.ModelAdmin[PeerSession]):
    list_display = ("title", "starts_at", "mode", "capacity", "cancelled_at")
    list_filter = ("mode",)
    search_fields = ("title", "location")
