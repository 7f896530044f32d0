"""Ending every carer's access to a person at once (their death), used by the patient services."""

from __future__ import annotations

import datetime as dt

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.registry.models import Patient, ProxyAccess, ProxyEndReason, ProxyInvitation

PROXY_OBJECT = "proxy_access"


def proxy_access_end_all(
    *, patient: Patient, actor: User | None, reason: ProxyEndReason, now: dt.datetime
) -> int:
    """End every active grant for ``patient`` and withdraw their pending invitations, in the
    caller's transaction. Returns how many grants ended."""
    active = list(ProxyAccess.objects.select_for_update().filter(patient=patient, ended_at=None))
    for proxy in active:
        proxy.ended_at = now
        proxy.ended_by = actor
        proxy.ended_reason = reason
        proxy.save(update_fields=["ended_at", "ended_by", "ended_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            patient=patient,
            object_type=PROXY_OBJECT,
            object_id=proxy.pk,
            detail=f"Access of {proxy.name} ({proxy.relationship}) ended: {reason.label.lower()}",
        )
    ProxyInvitation.objects.filter(proxy__in=active, accepted_at=None, withdrawn_at=None).update(
        withdrawn_at=now, withdrawn_reason="The access was ended"
    )
    return len(active)
