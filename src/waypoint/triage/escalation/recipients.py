"""Who each step of the escalation chain is, and what may reach them at this hour."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from waypoint.accounts.models import Role, User
from waypoint.careteam.models import TeamMembership
from waypoint.careteam.selectors import (
    OnDuty,
    absent_user_ids,
    contact_for_patient,
    on_call_at,
    on_duty_for_patient,
    on_duty_for_team,
)
from waypoint.notifications.services import is_mobile
from waypoint.triage.models import EventKind, SymptomReport

STEP_LABELS = {
    "key_worker": "the key worker (or cover)",
    "on_call": "the team's on-call clinician",
    "team_lead": "the team lead",
    "acute_oncology": "an acute oncology nurse",
}
URGENT_LEVELS = frozenset({"red", "emergency"})
TOLD = (EventKind.ALERTED, EventKind.ESCALATED, EventKind.INFORMED)


def chain() -> list[str]:
    return list(settings.WAYPOINT_ESCALATION_CHAIN)


def step_recipients(report: SymptomReport, step: str, *, now: dt.datetime) -> list[User]:
    """The people of one chain step for this report at ``now``, whether or not already alerted."""
    day = timezone.localdate(now)
    if step == "key_worker":
        if report.patient is None:
            return []
        person = contact_for_patient(report.patient, day=day).contact_person
        return [person] if person is not None and person.is_active else []
    if step == "on_call":
        return on_call_at(report.team_id, now=now)
    if step == "team_lead":
        people = [
            m.user
            for m in TeamMembership.objects.filter(
                team_id=report.team_id, is_lead=True, user__is_active=True
            )
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user_id")
        ]
    elif step == "acute_oncology":
        # The organisation's acute oncology and helpline nurses: members of any of its teams.
        people = list(
            User.objects.filter(
                role=Role.HELPLINE_NURSE,
                is_active=True,
                memberships__team__organisation_id=report.team.organisation_id,
            )
            .distinct()
            .order_by("last_name", "first_name", "id")
        )
    else:
        raise ValueError(f"Unknown escalation step {step!r}")
    away = absent_user_ids((u.pk for u in people), day=day)
    return [u for u in people if u.pk not in away]


def reachable(user: User, *, texts: bool = True) -> bool:
    """Whether a message can reach this person: an email address, or a mobile when texts go."""
    return bool(user.email) or (texts and is_mobile(user.work_phone))


def duty_for(report: SymptomReport, *, now: dt.datetime) -> OnDuty:
    if report.patient is not None:
        return on_duty_for_patient(report.patient, now=now)
    return on_duty_for_team(report.team, now=now)


def texts_allowed(report: SymptomReport, *, in_hours: bool) -> bool:
    """Red and emergency reports text at any hour; amber texts only in the team's hours."""
    return report.level in URGENT_LEVELS or in_hours


def already_told(report: SymptomReport) -> set[int]:
    return set(
        report.events.filter(kind__in=TOLD, recipient__isnull=False).values_list(
            "recipient_id", flat=True
        )
    )
