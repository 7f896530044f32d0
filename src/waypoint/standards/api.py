from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from waypoint.core.http import access_reason, acting_user
from waypoint.registry.services import patient_open
from waypoint.standards.rules.standards import TITLES
from waypoint.standards.selectors import standards_for

router = Router(tags=["standards"])


class StandardOut(Schema):
    code: str
    title: str
    status: str
    deadline: dt.date | None
    evidence: str
    rules_version: str


@router.get(
    "/patients/{patient_id}/standards",
    response=list[StandardOut],
    summary="Every care standard for the person now: met, not met, pending or not applicable",
)
def patient_standards(request: HttpRequest, patient_id: int) -> list[StandardOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    results = standards_for([patient.pk], now=timezone.now())[patient.pk]
    return [
        StandardOut(
            code=r.code,
            title=TITLES[r.code],
            status=r.status.value,
            deadline=r.deadline,
            evidence=r.evidence,
            rules_version=r.rules_version,
        )
        for r in results
    ]
