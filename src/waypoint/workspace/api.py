"""The composing layer's API endpoints: answers drawn from many apps.

``/patients/{patient_id}/timeline`` is served here whole: django-ninja gives one path to one
router, and its GET merges every app's events. Its POST is the timeline's own recording handler
(timeline/api.py), mounted here unchanged; both keep the operation ids they had in the timeline's
router, so the API document and its clients do not change.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from waypoint.accounts.http import acting_user
from waypoint.core.http import access_reason
from waypoint.registry.services import patient_open
from waypoint.timeline import api as timeline_api
from waypoint.workspace.timeline import timeline_for

router = Router(tags=["timeline"])


class EntryOut(Schema):
    on: dt.date
    at: dt.datetime | None
    kind: str
    title: str
    detail: str


@router.get(
    "/patients/{patient_id}/timeline",
    response=list[EntryOut],
    summary="Everything that happened in the person's care, newest first",
    operation_id="waypoint_timeline_api_get_timeline",
)
def get_timeline(request: HttpRequest, patient_id: int) -> list[EntryOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    return [
        EntryOut(on=e.on, at=e.at, kind=e.kind, title=e.title, detail=e.detail)
        for e in timeline_for(patient)
    ]


router.post(
    "/patients/{patient_id}/timeline",
    response={201: timeline_api.TimelineEventOut},
    summary=(
        "Record progression, a response assessment, an MDT discussion, a contact, a hospital"
        " admission or a support review"
    ),
)(timeline_api.record)
