from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import ForeignKey
from django.http import HttpRequest

from waypoint.accounts.models import Role, User
from waypoint.careteam.models import (
    Cover,
    OnCallShift,
    Organisation,
    Team,
    TeamMembership,
    TeamOpeningHours,
)
from waypoint.core.forms import NhsDateTimeInput

# Who may be a team member or on call: active clinical staff, never a person's own account.
CLINICAL_ROLES = (Role.KEY_WORKER, Role.HELPLINE_NURSE, Role.ONCOLOGIST)


def _clinicians_only(
    db_field: ForeignKey[Any, Any], kwargs: dict[str, Any], name: str
) -> dict[str, Any]:
    """A plain, labelled select of clinical staff (the admin's searchable widget has no
    accessible name, and a list of every account would include the people in the registry)."""
    if db_field.name == name:
        kwargs["queryset"] = User.objects.filter(role__in=CLINICAL_ROLES, is_active=True).order_by(
            "last_name", "first_name"
        )
    return kwargs


class TeamMembershipInline(admin.StackedInline[TeamMembership, Team]):
    """Stacked, so that every field (lead, delete) has its own label."""

    model = TeamMembership
    extra = 1

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        return super().formfield_for_foreignkey(
            db_field, request, **_clinicians_only(db_field, kwargs, "user")
        )


class TeamOpeningHoursInline(admin.StackedInline[TeamOpeningHours, Team]):
    """The hours that decide who is told first about a red report (out of hours: on call).
    Stacked, so that every field has its own label."""

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
    readonly_fields = ("created_by",)
    # One labelled local date-and-time field each, instead of the admin's unlabelled pair.
    formfield_overrides = {
        models.DateTimeField: {"form_class": forms.DateTimeField, "widget": NhsDateTimeInput}
    }

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        return super().formfield_for_foreignkey(
            db_field, request, **_clinicians_only(db_field, kwargs, "clinician")
        )

    def save_model(self, request: Any, obj: OnCallShift, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
