"""Recording lines of systemic therapy. A later change (progression, stopping) ends a line; lines
are never deleted."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Conflict, NotFound, ValidationFailed
from waypoint.registry.models import Patient
from waypoint.registry.policies import can_edit_patient
from waypoint.treatment.models import (
    StopReason,
    TreatmentCycle,
    TreatmentIntent,
    TreatmentKind,
    TreatmentLine,
)

LINE_OBJECT = "treatment_line"


def _check_may_record(actor: User, patient: Patient) -> None:
    if not (
        has_permission(actor, Permission.RECORD_TREATMENT) and can_edit_patient(actor, patient)
    ):
        raise NotFound()


@transaction.atomic
def treatment_line_start(
    *,
    actor: User,
    patient: Patient,
    kind: str,
    drugs: str,
    started_on: dt.date,
    intent: str = TreatmentIntent.PALLIATIVE,
    today: dt.date,
) -> TreatmentLine:
    """Start the next line. An active line must be stopped first (one active line at a time)."""
    _check_may_record(actor, patient)
    errors: dict[str, str] = {}
    if kind not in TreatmentKind.values:
        errors["kind"] = "Choose the kind of treatment."
    if intent not in TreatmentIntent.values:
        errors["intent"] = "Choose the intent."
    if not drugs.strip():
        errors["drugs"] = "Enter the drugs, for example 'Palbociclib and letrozole'."
    if started_on > today:
        errors["started_on"] = "The start date cannot be in the future."
    if errors:
        raise ValidationFailed("The treatment line was not recorded.", fields=errors)
    locked = list(TreatmentLine.objects.select_for_update().filter(patient=patient).order_by("id"))
    if any(line.stopped_on is None for line in locked):
        raise Conflict(
            "Stop the current line before starting the next.",
            fields={"started_on": "There is already an active line."},
        )
    number = (
        TreatmentLine.objects.filter(patient=patient).aggregate(n=Max("line_number"))["n"] or 0
    ) + 1
    line = TreatmentLine.objects.create(
        patient=patient,
        line_number=number,
        kind=kind,
        drugs=drugs.strip(),
        intent=intent,
        started_on=started_on,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=LINE_OBJECT,
        object_id=line.pk,
        detail=f"line {number}: {kind}",
    )
    return line


@transaction.atomic
def treatment_line_stop(
    *, actor: User, line_id: int, stopped_on: dt.date, reason: str, today: dt.date
) -> TreatmentLine:
    line = (
        TreatmentLine.objects.select_for_update()
        .select_related("patient")
        .filter(pk=line_id)
        .first()
    )
    if line is None:
        raise NotFound()
    _check_may_record(actor, line.patient)
    if line.stopped_on is not None:
        raise Conflict("This line has already stopped.")
    errors: dict[str, str] = {}
    if reason not in StopReason.values:
        errors["reason"] = "Choose why the line stopped."
    if stopped_on < line.started_on:
        errors["stopped_on"] = "The stop date must be on or after the start date."
    if stopped_on > today:
        errors["stopped_on"] = "The stop date cannot be in the future."
    if errors:
        raise ValidationFailed("The line was not stopped.", fields=errors)
    line.stopped_on = stopped_on
    line.stop_reason = reason
    line.save(update_fields=["stopped_on", "stop_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=line.patient,
        object_type=LINE_OBJECT,
        object_id=line.pk,
        detail=f"stopped: {reason}",
    )
    return line


@transaction.atomic
def treatment_cycle_record(
    *,
    actor: User,
    line_id: int,
    started_on: dt.date,
    today: dt.date,
    number: int | None = None,
    dose_modified: bool = False,
    note: str = "",
) -> TreatmentCycle:
    """Record a cycle of a line; without ``number`` it is the next one. A cycle starts within its
    line (on or after the line's start and, for a stopped line, on or before its stop)."""
    line = (
        TreatmentLine.objects.select_for_update()
        .select_related("patient")
        .filter(pk=line_id)
        .first()
    )
    if line is None:
        raise NotFound()
    _check_may_record(actor, line.patient)
    errors: dict[str, str] = {}
    if started_on > today:
        errors["started_on"] = "The cycle cannot start in the future."
    elif started_on < line.started_on:
        errors["started_on"] = "A cycle cannot start before its line."
    elif line.stopped_on is not None and started_on > line.stopped_on:
        errors["started_on"] = "This line had stopped by then."
    taken = set(line.cycles.values_list("number", flat=True))
    if number is None:
        number = max(taken, default=0) + 1
    elif number < 1:
        errors["number"] = "Cycles are numbered from 1."
    elif number in taken:
        errors["number"] = f"Cycle {number} of this line is already recorded."
    if errors:
        raise ValidationFailed("The cycle was not recorded.", fields=errors)
    cycle = TreatmentCycle.objects.create(
        line=line,
        number=number,
        started_on=started_on,
        dose_modified=dose_modified,
        note=note.strip()[:500],
        recorded_by=actor,
    )
    if line.last_dose_on is None or started_on > line.last_dose_on:
        line.last_dose_on = started_on
        line.save(update_fields=["last_dose_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=line.patient,
        object_type="treatment_cycle",
        object_id=cycle.pk,
        detail=f"line {line.line_number} cycle {number}",
    )
    return cycle
