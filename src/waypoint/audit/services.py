"""Audit writing. Called by every service that reads or writes a patient record, inside the
same transaction as the work it records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction, AuditEvent
from waypoint.core.request_context import current_request_id

if TYPE_CHECKING:
    from waypoint.registry.models import Patient

SYSTEM_ROLE = "system"


def _role(actor: User | None) -> str:
    return actor.role if actor is not None else SYSTEM_ROLE


def audit_record(
    *,
    actor: User | None,
    action: AuditAction,
    patient: Patient | None,
    object_type: str,
    object_id: object = "",
    reason: str = "",
    detail: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=actor,
        actor_role=_role(actor),
        action=action,
        patient=patient,
        object_type=object_type,
        object_id=str(object_id)[:64],
        reason=reason[:300],
        detail=detail[:300],
        request_id=current_request_id(),
    )


def audit_record_many(
    *,
    actor: User | None,
    action: AuditAction,
    patient_ids: Iterable[int],
    object_type: str,
    reason: str = "",
    detail: str = "",
) -> int:
    """One event per patient in a single INSERT, for lists and bulk changes."""
    now = timezone.now()
    request_id = current_request_id()
    events = [
        AuditEvent(
            occurred_at=now,
            actor=actor,
            actor_role=_role(actor),
            action=action,
            patient_id=patient_id,
            object_type=object_type,
            object_id=str(patient_id),
            reason=reason[:300],
            detail=detail[:300],
            request_id=request_id,
        )
        for patient_id in patient_ids
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


@dataclass(frozen=True)
class AuditItem:
    """One record a bulk service wrote, for ``audit_record_each``."""

    action: AuditAction
    object_type: str
    object_id: object = ""
    detail: str = ""


def audit_record_each(
    *, actor: User | None, patient: Patient, items: Iterable[AuditItem], reason: str = ""
) -> int:
    """One event per record written, all in a single INSERT: the same trail as the
    single-record services leave, at the cost of one round trip for a whole import."""
    now = timezone.now()
    request_id = current_request_id()
    events = [
        AuditEvent(
            occurred_at=now,
            actor=actor,
            actor_role=_role(actor),
            action=item.action,
            patient=patient,
            object_type=item.object_type,
            object_id=str(item.object_id)[:64],
            reason=reason[:300],
            detail=item.detail[:300],
            request_id=request_id,
        )
        for item in items
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
