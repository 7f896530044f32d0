"""The timeline's recording endpoint: progression, a response assessment, an MDT discussion, a
contact, a hospital admission or a support review.

It shares its path with the merged chronology (GET), which draws on apps above the timeline, and
django-ninja serves one path from one router, so the workspace's router mounts this handler
(workspace/api.py). The handler, its schemas and its service stay here, with what they record.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from waypoint.accounts.http import acting_user
from waypoint.core.bounds import InputDate
from waypoint.timeline import services


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
