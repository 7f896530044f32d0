"""Audit writing. Called by every service that reads or writes a patient record, inside the
same transaction as the work it records."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.core.cache import cache
from django.utils import timezone

from waypoint.audit.models import AuditAction, AuditEvent
from waypoint.core.request_context import current_request_id


class Actor(Protocol):
    """Who acted: an account (accounts.User). The trail sits below the accounts app, so it
    names only what it records."""

    @property
    def pk(self) -> int: ...

    @property
    def role(self) -> str: ...


class Subject(Protocol):
    """Whose record: a person in the registry (registry.Patient)."""

    @property
    def pk(self) -> int: ...


SYSTEM_ROLE = "system"
# The actor role of a refused attempt by someone not known (an unknown username or token).
ANONYMOUS_ROLE = "anonymous"
# A refused attempt is recorded at most once a minute for the same reason, account or token, and
# address (``access_denied_record``).
DENIAL_QUIET_SECONDS = 60


def _role(actor: Actor | None) -> str:
    return actor.role if actor is not None else SYSTEM_ROLE


def audit_record(
    *,
    actor: Actor | None,
    action: AuditAction,
    patient: Subject | None,
    object_type: str,
    object_id: object = "",
    reason: str = "",
    detail: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_role=_role(actor),
        action=action,
        patient_id=patient.pk if patient is not None else None,
        object_type=object_type,
        object_id=str(object_id)[:64],
        reason=reason[:300],
        detail=detail[:300],
        request_id=current_request_id(),
    )


def audit_record_many(
    *,
    actor: Actor | None,
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
            actor_id=actor.pk if actor is not None else None,
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
    *, actor: Actor | None, patient: Subject, items: Iterable[AuditItem], reason: str = ""
) -> int:
    """One event per record written, all in a single INSERT: the same trail as the
    single-record services leave, at the cost of one round trip for a whole import."""
    now = timezone.now()
    request_id = current_request_id()
    events = [
        AuditEvent(
            occurred_at=now,
            actor_id=actor.pk if actor is not None else None,
            actor_role=_role(actor),
            action=item.action,
            patient_id=patient.pk if patient is not None else None,
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


def access_denied_record(
    *,
    reason: str,
    object_type: str,
    address: str,
    detail: str,
    actor: Actor | None = None,
    object_id: object = "",
) -> AuditEvent | None:
    """Record a refused sign-in or token request (action ``denied``, no patient), at most once a
    minute for the same reason, account or token (``actor``, ``object_id``) and address.

    Whoever is refused may be a stranger sending as fast as they like; the trail is append-only
    and kept for years, so a flood must not become a row a request. Unknown usernames and tokens
    are recorded without the name or token typed (``actor`` and ``object_id`` empty), so rotating
    them from one address does not get past the limit either: rows grow with addresses and real
    accounts, not with requests. The first refusal of each minute is kept and the rest of that
    minute only counted by the lockout and rate limits themselves. The quiet minute is held in
    Django's cache; with the default local-memory cache each server process keeps its own, so a
    burst can leave one row per process rather than one in all.
    """
    who = str(actor.pk) if actor is not None else ""
    raw = "\0".join([reason, object_type, who, str(object_id), address])
    key = "waypoint-denied:" + hashlib.sha256(raw.encode()).hexdigest()
    if not cache.add(key, 1, timeout=DENIAL_QUIET_SECONDS):
        return None
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_role=actor.role if actor is not None else ANONYMOUS_ROLE,
        action=AuditAction.DENIED,
        patient_id=None,
        object_type=object_type,
        object_id=str(object_id)[:64],
        reason=reason[:300],
        detail=detail[:300],
        request_id=current_request_id(),
    )
