"""Care teams in Django's admin.

Team memberships and on-call shifts decide who sees a team's patients and who is alerted about
their red reports, and Waypoint has no other page for them, so the admin keeps them, but every
add, change and removal goes through the services (``team_membership_add``/``_remove``,
``rota.on_call_shift_save``/``_remove``), which check the rules and write the audit event. Cover
has its own page (/cover/, for the key worker who is away and their service manager) where the
rules are checked, so here it is read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import ForeignKey
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse

from waypoint.accounts.admin_saving import admin_may, adopt_saved
from waypoint.accounts.http import acting_user
from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission
from waypoint.careteam import rota, services
from waypoint.careteam.models import (
    Cover,
    OnCallShift,
    Organisation,
    Team,
    TeamMembership,
    TeamOpeningHours,
)
from waypoint.core.forms import NhsDateTimeInput


def _staff_in(roles: tuple[str, ...]) -> models.QuerySet[User]:
    """A plain, labelled select of active staff in ``roles`` (the admin's searchable widget has
    no accessible name, and a list of every account would include the people in the registry)."""
    return User.objects.filter(role__in=roles, is_active=True).order_by("last_name", "first_name")


class TeamMembershipInline(admin.StackedInline[TeamMembership, Team]):
    """Stacked, so that every field (lead, delete) has its own label. Saved through the services
    by ``TeamAdmin.save_formset``."""

    model = TeamMembership
    extra = 1
    fields = ("user", "is_lead")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "user":
            kwargs["queryset"] = _staff_in(services.MEMBER_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest, obj: Team | None = None) -> bool:
        return admin_may(request, Permission.MANAGE_TEAMS)

    def has_change_permission(self, request: HttpRequest, obj: Team | None = None) -> bool:
        return admin_may(request, Permission.MANAGE_TEAMS)

    def has_delete_permission(self, request: HttpRequest, obj: Team | None = None) -> bool:
        return admin_may(request, Permission.MANAGE_TEAMS)


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

    def has_delete_permission(self, request: HttpRequest, obj: Team | None = None) -> bool:
        # Deleting a team would take its memberships and rota with it, unaudited.
        return False

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Team],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        if formset.model is not TeamMembership:
            super().save_formset(request, form, formset, change)
            return
        actor = acting_user(request)
        team = form.instance
        added: list[TeamMembership] = []
        changed: list[tuple[TeamMembership, list[str]]] = []
        removed: list[TeamMembership] = []
        for inline in formset.forms:
            membership = inline.instance
            if inline in formset.deleted_forms:
                if membership.pk is not None:
                    services.team_membership_remove(actor=actor, membership_id=membership.pk)
                    removed.append(membership)
                continue
            if not inline.has_changed() or not inline.cleaned_data:
                continue
            if membership.pk is not None and "user" in inline.changed_data:
                # Another person in this row: the first leaves the team, the second joins.
                services.team_membership_remove(actor=actor, membership_id=membership.pk)
            saved = services.team_membership_add(
                actor=actor,
                team=team,
                user=inline.cleaned_data["user"],
                is_lead=bool(inline.cleaned_data.get("is_lead")),
            )
            if membership.pk is None:
                added.append(saved)
            else:
                changed.append((saved, inline.changed_data))
        # What the admin's history records of the change (normally set by formset.save()).
        formset.new_objects = added
        formset.changed_objects = changed
        formset.deleted_objects = removed


@admin.register(Cover)
class CoverAdmin(admin.ModelAdmin[Cover]):
    """Read-only: cover is arranged and cancelled on Waypoint's Cover page, where the rules
    (same team, a clinician, the right person arranging) are checked and the change audited."""

    list_display = ("absent_user", "cover_user", "starts_on", "ends_on", "cancelled_at")
    list_filter = ("starts_on",)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {
            **(extra_context or {}),
            "subtitle": "Cover is arranged and cancelled on the Cover page (/cover/) by the key "
            "worker who is away or their service manager.",
        }
        return super().changelist_view(request, extra_context=context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Cover | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Cover | None = None) -> bool:
        return False


class OnCallShiftForm(forms.ModelForm[OnCallShift]):
    class Meta:
        model = OnCallShift
        fields = ("team", "clinician", "starts_at", "ends_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clinician, starts_at, ends_at = (
            data.get("clinician"),
            data.get("starts_at"),
            data.get("ends_at"),
        )
        if clinician is not None and starts_at is not None and ends_at is not None:
            problems = rota.on_call_shift_problems(
                clinician=clinician, starts_at=starts_at, ends_at=ends_at
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return data


@admin.register(OnCallShift)
class OnCallShiftAdmin(admin.ModelAdmin[OnCallShift]):
    """The on-call rota: the second step of the triage escalation chain. Saved and removed
    through ``careteam.rota``, which checks and audits."""

    form = OnCallShiftForm
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
        if db_field.name == "clinician":
            kwargs["queryset"] = _staff_in(rota.ON_CALL_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: OnCallShift, form: ModelForm[OnCallShift], change: bool
    ) -> None:
        data = form.cleaned_data
        saved = rota.on_call_shift_save(
            actor=acting_user(request),
            team=data["team"],
            clinician_id=data["clinician"].pk,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            shift_id=obj.pk if change else None,
        )
        adopt_saved(obj, saved)

    def delete_model(self, request: HttpRequest, obj: OnCallShift) -> None:
        rota.on_call_shift_remove(actor=acting_user(request), shift_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[OnCallShift]) -> None:
        actor = acting_user(request)
        for shift_id in queryset.values_list("pk", flat=True):
            rota.on_call_shift_remove(actor=actor, shift_id=shift_id)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return admin_may(request, Permission.MANAGE_ON_CALL)

    def has_change_permission(self, request: HttpRequest, obj: OnCallShift | None = None) -> bool:
        return admin_may(request, Permission.MANAGE_ON_CALL)

    def has_delete_permission(self, request: HttpRequest, obj: OnCallShift | None = None) -> bool:
        return admin_may(request, Permission.MANAGE_ON_CALL)
