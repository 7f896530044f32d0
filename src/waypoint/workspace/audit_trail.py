"""Searching the audit trail: administrators only."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditEvent
from waypoint.core.errors import Forbidden


def audit_events_search(
    *,
    actor: User,
    username: str = "",
    patient_id: int | None = None,
    action: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AuditEvent]:
    if not has_permission(actor, Permission.SEARCH_AUDIT):
        raise Forbidden("Only administrators can search the audit trail.")
    events = AuditEvent.objects.select_related("actor")
    if username:
        events = events.filter(actor__username=username)
    if patient_id is not None:
        events = events.filter(patient_id=patient_id)
    if action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    if until is not None:
        events = events.filter(occurred_at__lt=until)
    return events
