from typing import Any

from django.contrib import admin

from waypoint.careteam.models import (
    Cover,
    OnCallShift,
    Organisation,
    Team,
    TeamMembership,
    TeamOpeningHours,
)


class TeamMembershipInline(admin.TabularInline[TeamMembership, Team]):
    model = TeamMembership
    extra = 1
    autocomplete_fields = ("user",)


class TeamOpeningHoursInline(admin.TabularInline[TeamOpeningHours, Team]):
    """The hours that decide who is told first about a red report (out of hours: on call)."""

    model = TeamOpeningHours
    extra = 0
    max_num = 7
    verbose_name = "opening hours (local time; bank holidays are always out of hours)"
    verbose_name_plural = "opening hours (local time; bank holidays are always out of hours)"


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "ods_code")
    search_fields = ("name", "ods_code")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "organisation", "in_hours_phone", "out_of_hours_phone")
    list_filter = ("organisation",)
    search_fields = ("name",)
    inlines = (TeamOpeningHoursInline, TeamMembershipInline)


@admin.register(Cover)
class CoverAdmin(admin.ModelAdmin[Cover]):
    list_display = ("absent_user", "cover_user", "starts_on", "ends_on", "cancelled_at")
    list_filter = ("starts_on",)
    readonly_fields = ("created_by", "cancelled_at")


@admin.register(OnCallShift)
class OnCallShiftAdmin(admin.ModelAdmin[OnCallShift]):
    """The on-call rota: the second step of the triage escalation chain."""

    list_display = ("team", "clinician", "starts_at", "ends_at")
    list_filter = ("team",)
    autocomplete_fields = ("clinician",)
    readonly_fields = ("created_by",)

    def save_model(self, request: Any, obj: OnCallShift, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
