from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from waypoint.core.bounds import InputDate
from waypoint.core.http import access_reason, acting_user
from waypoint.registry.services import patient_open
from waypoint.timeline import selectors, services

router = Router(tags=["timeline"])


class EntryOut(Schema):
    on: dt.date
    at: dt.datetime | None
    kind: str
    title: str
    detail: str


class TimelineEventIn(Schema):
    kind: str
    on: InputDate
    note: str = Field(default="", max_length=4000)
    result: str = ""
    contact_kind: str = ""
    key_worker_introduced: bool = False
    discharged_on: InputDate | None = None
    reason: str = Field(default="", max_length=300, description="Why admitted (admission)")
    unplanned: bool = True


class TimelineEventOut(Schema):
    id: int
    kind: str
    on: dt.date


@router.get(
    "/patients/{patient_id}/timeline",
    response=list[EntryOut],
    summary="Everything that happened in the person's care, newest first",
)
def get_timeline(request: HttpRequest, patient_id: int) -> list[EntryOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    return [
        EntryOut(on=e.on, at=e.at, kind=e.kind, title=e.title, detail=e.detail)
        for e in selectors.timeline_for(patient)
    ]


@router.post(
    "/patients/{patient_id}/timeline",
    response={201: TimelineEventOut},
    summary=(
        "Record progression, a response assessment, an MDT discussion, a contact, a hospital"
        " admission or a support review"
    ),
)
def record(
    request: HttpRequest, patient_id: int, payload: TimelineEventIn
) -> Status[TimelineEventOut]:
    event = services.timeline_record(
        actor=acting_user(request),
        patient_id=patient_id,
        kind=payload.kind,
        on=payload.on,
        note=payload.note,
        result=payload.result,
        contact_kind=payload.contact_kind,
        key_worker_introduced=payload.key_worker_introduced,
        discharged_on=payload.discharged_on,
        reason=payload.reason,
        unplanned=payload.unplanned,
    )
    return Status(201, TimelineEventOut(id=event.pk, kind=payload.kind, on=event.on))
