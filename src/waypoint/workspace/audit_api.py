from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from waypoint.accounts.http import acting_user
from waypoint.audit.models import AuditEvent
from waypoint.audit.selectors import access_log_for_patient
from waypoint.core.bounds import MAX_PAGE, InputDateTime
from waypoint.core.http import access_reason
from waypoint.core.pagination import paginate
from waypoint.registry.services import patient_open
from waypoint.workspace.audit_trail import audit_events_search

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor: str
    actor_name: str
    actor_role: str
    action: str
    patient: int | None
    object_type: str
    object_id: str
    reason: str
    detail: str
    request_id: str

    @staticmethod
    def of(event: AuditEvent) -> AuditEventOut:
        return AuditEventOut(
            id=event.pk,
            occurred_at=event.occurred_at,
            actor=event.actor.username if event.actor else "system",
            actor_name=event.actor.display_name if event.actor else "Waypoint",
            actor_role=event.actor_role,
            action=event.action,
            patient=event.patient_id,
            object_type=event.object_type,
            object_id=event.object_id,
            reason=event.reason,
            detail=event.detail,
            request_id=event.request_id,
        )


class AuditPage(Schema):
    items: list[AuditEventOut]
    count: int
    page: int
    pages: int


class AuditQuery(Schema):
    username: str = ""
    patient: int | None = None
    action: str = ""
    since: InputDateTime | None = None
    until: InputDateTime | None = None
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=50, ge=1, le=200)


@router.get(
    "/patients/{patient_id}/access-log",
    response=AuditPage,
    summary="Who has seen or changed this record",
)
def access_log(request: HttpRequest, patient_id: int, page: int = 1, reason: str = "") -> AuditPage:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request, reason)
    )
    result = paginate(access_log_for_patient(patient), page=page, page_size=50)
    return AuditPage(
        items=[AuditEventOut.of(e) for e in result.items],
        count=result.count,
        page=result.page,
        pages=result.pages,
    )


@router.get("/audit-events", response=AuditPage, summary="Search the audit trail (admins)")
def search_events(request: HttpRequest, params: Query[AuditQuery]) -> AuditPage:
    events = audit_events_search(
        actor=acting_user(request),
        username=params.username,
        patient_id=params.patient,
        action=params.action,
        since=params.since,
        until=params.until,
    )
    result = paginate(events, page=params.page, page_size=params.page_size)
    return AuditPage(
        items=[AuditEventOut.of(e) for e in result.items],
        count=result.count,
        page=result.page,
        pages=result.pages,
    )
