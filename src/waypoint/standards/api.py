from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from waypoint.core.http import access_reason, acting_user
from waypoint.registry.services import patient_open
from waypoint.standards.rules.standards import TITLES, Result
from waypoint.standards.selectors import standards_and_due

router = Router(tags=["standards"])


class StandardOut(Schema):
    code: str
    title: str
    status: str
    deadline: dt.date | None
    evidence: str
    rules_version: str
    open: bool


class StandardsOut(Schema):
    standards: list[StandardOut]
    due: list[StandardOut]


def _out(r: Result) -> StandardOut:
    return StandardOut(
        code=r.code,
        title=TITLES[r.code],
        status=r.status.value,
        deadline=r.deadline,
        evidence=r.evidence,
        rules_version=r.rules_version,
        open=r.open,
    )


@router.get(
    "/patients/{patient_id}/standards",
    response=list[StandardOut],
    summary="Every care standard for the person now: met, not met, pending or not applicable",
)
def patient_standards(request: HttpRequest, patient_id: int) -> list[StandardOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    results, _ = standards_and_due(patient.pk, now=timezone.now())
    return [_out(r) for r in results]


@router.get(
    "/patients/{patient_id}/due",
    response=list[StandardOut],
    summary="What is still to do for the person, overdue first, then by deadline",
)
def patient_due(request: HttpRequest, patient_id: int) -> list[StandardOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    _, due = standards_and_due(patient.pk, now=timezone.now())
    return [_out(r) for r in due]
