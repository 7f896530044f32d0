from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from waypoint.accounts.http import acting_user
from waypoint.core.bounds import SMALLINT_MAX, InputDate
from waypoint.core.errors import NotFound
from waypoint.core.http import access_reason
from waypoint.registry.services import patient_get_for_update, patient_open
from waypoint.treatment import selectors, services
from waypoint.treatment.models import TreatmentCycle

router = Router(tags=["treatment"])


class TreatmentLineIn(Schema):
    kind: str
    drugs: str = Field(max_length=300)
    started_on: InputDate
    intent: str = "palliative"


class StopIn(Schema):
    stopped_on: InputDate
    reason: str


class TreatmentLineOut(Schema):
    id: int
    patient_id: int
    line_number: int
    kind: str
    drugs: str
    intent: str
    started_on: dt.date
    stopped_on: dt.date | None
    stop_reason: str
    is_active: bool


@router.get(
    "/patients/{patient_id}/treatment-lines",
    response=list[TreatmentLineOut],
    summary="Lines of systemic therapy",
)
def list_lines(request: HttpRequest, patient_id: int) -> list[TreatmentLineOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    return [TreatmentLineOut.from_orm(line) for line in selectors.treatment_lines(patient)]


@router.post(
    "/patients/{patient_id}/treatment-lines",
    response={201: TreatmentLineOut},
    summary="Start the next line of therapy",
)
def start_line(
    request: HttpRequest, patient_id: int, payload: TreatmentLineIn
) -> Status[TreatmentLineOut]:
    actor = acting_user(request)
    patient = patient_get_for_update(actor=actor, patient_id=patient_id)
    line = services.treatment_line_start(
        actor=actor,
        patient=patient,
        kind=payload.kind,
        drugs=payload.drugs,
        started_on=payload.started_on,
        intent=payload.intent,
        today=timezone.localdate(),
    )
    return Status(201, TreatmentLineOut.from_orm(line))


@router.post(
    "/treatment-lines/{line_id}/stop", response=TreatmentLineOut, summary="Stop a line of therapy"
)
def stop_line(request: HttpRequest, line_id: int, payload: StopIn) -> TreatmentLineOut:
    line = services.treatment_line_stop(
        actor=acting_user(request),
        line_id=line_id,
        stopped_on=payload.stopped_on,
        reason=payload.reason,
        today=timezone.localdate(),
    )
    return TreatmentLineOut.from_orm(line)


class CycleIn(Schema):
    started_on: InputDate
    number: int | None = Field(
        default=None, ge=1, le=SMALLINT_MAX, description="Omit for the next cycle."
    )
    dose_modified: bool = False
    note: str = Field(default="", max_length=500)


class CycleOut(Schema):
    id: int
    line_id: int
    number: int
    started_on: dt.date
    dose_modified: bool
    note: str


@router.get(
    "/treatment-lines/{line_id}/cycles", response=list[CycleOut], summary="Cycles of a line"
)
def list_cycles(request: HttpRequest, line_id: int) -> list[TreatmentCycle]:
    patient_id = selectors.line_patient_id(line_id)
    if patient_id is None:
        raise NotFound()
    patient_open(actor=acting_user(request), patient_id=patient_id, reason=access_reason(request))
    return selectors.cycles_of_line(line_id)


@router.post(
    "/treatment-lines/{line_id}/cycles",
    response={201: CycleOut},
    summary="Record a cycle of a line (the next number unless given)",
)
def record_cycle(request: HttpRequest, line_id: int, payload: CycleIn) -> Status[CycleOut]:
    cycle = services.treatment_cycle_record(
        actor=acting_user(request),
        line_id=line_id,
        started_on=payload.started_on,
        number=payload.number,
        dose_modified=payload.dose_modified,
        note=payload.note,
        today=timezone.localdate(),
    )
    return Status(201, CycleOut.from_orm(cycle))
