"""Recording lines of systemic therapy. A later change (progression, stopping) ends a line; lines
are never deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import AuditItem, audit_record, audit_record_each
from waypoint.core.bounds import SMALLINT_MAX
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
    elif not 1 <= number <= SMALLINT_MAX:
        errors["number"] = f"Cycles are numbered from 1 to {SMALLINT_MAX:,}."
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


@dataclass(frozen=True)
class LineInput:
    """One line of an imported history: a new line (``line_id`` None) or more of the person's
    active line, with the cycles it had and, when it ended, the stop."""

    kind: str
    drugs: str
    started_on: dt.date
    intent: str = TreatmentIntent.PALLIATIVE
    line_id: int | None = None
    cycle_dates: Sequence[dt.date] = ()
    stopped_on: dt.date | None = None
    stop_reason: str = ""


def _cycle_errors(line: TreatmentLine, day: dt.date, today: dt.date) -> str:
    if day > today:
        return "The cycle cannot start in the future."
    if day < line.started_on:
        return "A cycle cannot start before its line."
    if line.stopped_on is not None and day > line.stopped_on:
        return "This line had stopped by then."
    return ""


def treatment_history_import(
    *, actor: User, patient: Patient, lines: Sequence[LineInput], today: dt.date
) -> list[TreatmentLine]:
    """Record a person's lines in order, as ``treatment_line_start``, ``treatment_cycle_record``
    and ``treatment_line_stop`` would one after another (one active line at a time, cycles
    numbered on, within their line), with one policy check, one read of the person's lines
    (locked), one INSERT per model and one for the audit events (one per line, cycle and stop).
    Any problem (``lines.0.started_on``) writes nothing; everything is checked first, so a
    refusal leaves a caller's transaction usable and the writes need no savepoint of their own.
    Returns the lines in the order given."""
    _check_may_record(actor, patient)
    errors: dict[str, str] = {}
    out: list[TreatmentLine] = []
    # Refusals are collected, never raised inside the block: raising would leave a caller's
    # transaction unusable, as this block has no savepoint of its own.
    with transaction.atomic(savepoint=False):
        held = {
            line.pk: line
            for line in TreatmentLine.objects.select_for_update().filter(patient=patient)
        }
        continued = {i.line_id for i in lines if i.line_id is not None}
        taken: dict[int, set[int]] = {}
        for line_id, n in TreatmentCycle.objects.filter(line_id__in=continued).values_list(
            "line_id", "number"
        ):
            taken.setdefault(line_id, set()).add(n)
        cycles = _plan_history(patient, lines, held, taken, today, errors, out, actor)
        if not errors:
            _write_history(actor, patient, lines, out, cycles)
    if errors:
        raise ValidationFailed("The treatment history was not recorded.", fields=errors)
    return out


def _plan_history(
    patient: Patient,
    lines: Sequence[LineInput],
    held: dict[int, TreatmentLine],
    taken: dict[int, set[int]],
    today: dt.date,
    errors: dict[str, str],
    out: list[TreatmentLine],
    actor: User,
) -> list[TreatmentCycle]:
    """The rows to write, in memory, checked as the single services would one after another."""
    number = max((line.line_number for line in held.values()), default=0)
    active = next((line for line in held.values() if line.stopped_on is None), None)
    cycles: list[TreatmentCycle] = []
    for i, item in enumerate(lines):
        where = f"lines.{i}"
        if item.line_id is None:
            line = _planned_line(actor, patient, item, today, f"{where}.", errors)
            if active is not None:
                errors[f"{where}.started_on"] = "There is already an active line."
            number += 1
            line.line_number = number
            used: set[int] = set()
        else:
            found = held.get(item.line_id)
            if found is None:
                errors[f"{where}.line_id"] = "Not a line of this person."
                continue
            line = found
            if line.stopped_on is not None:
                errors[f"{where}.line_id"] = "This line has already stopped."
            used = taken.setdefault(line.pk, set())
        for k, day in enumerate(item.cycle_dates):
            problem = _cycle_errors(line, day, today)
            if problem:
                errors[f"{where}.cycle_dates.{k}"] = problem
                continue
            used.add(max(used, default=0) + 1)
            cycles.append(
                TreatmentCycle(
                    line=line,
                    number=max(used),
                    started_on=day,
                    note="Imported from FHIR",
                    recorded_by=actor,
                )
            )
            if line.last_dose_on is None or day > line.last_dose_on:
                line.last_dose_on = day
        if item.stopped_on is not None:
            if item.stop_reason not in StopReason.values:
                errors[f"{where}.stop_reason"] = "Choose why the line stopped."
            if item.stopped_on < line.started_on:
                errors[f"{where}.stopped_on"] = "The stop date must be on or after the start date."
            if item.stopped_on > today:
                errors[f"{where}.stopped_on"] = "The stop date cannot be in the future."
            line.stopped_on = item.stopped_on
            line.stop_reason = item.stop_reason
        active = line if line.stopped_on is None else None
        out.append(line)
    return cycles


def _planned_line(
    actor: User,
    patient: Patient,
    item: LineInput,
    today: dt.date,
    prefix: str,
    errors: dict[str, str],
) -> TreatmentLine:
    if item.kind not in TreatmentKind.values:
        errors[prefix + "kind"] = "Choose the kind of treatment."
    if item.intent not in TreatmentIntent.values:
        errors[prefix + "intent"] = "Choose the intent."
    if not item.drugs.strip():
        errors[prefix + "drugs"] = "Enter the drugs, for example 'Palbociclib and letrozole'."
    if item.started_on > today:
        errors[prefix + "started_on"] = "The start date cannot be in the future."
    return TreatmentLine(
        patient=patient,
        kind=item.kind,
        drugs=item.drugs.strip(),
        intent=item.intent,
        started_on=item.started_on,
        recorded_by=actor,
    )


def _write_history(
    actor: User,
    patient: Patient,
    lines: Sequence[LineInput],
    out: list[TreatmentLine],
    cycles: list[TreatmentCycle],
) -> None:
    new = [line for line in out if line.pk is None]
    continued = {line.pk: line for line in out if line.pk is not None}
    TreatmentLine.objects.bulk_create(new)
    for line in continued.values():
        line.save(update_fields=["last_dose_on", "stopped_on", "stop_reason", "updated_at"])
    owners = [cycle.line for cycle in cycles]  # held in memory: no query
    for cycle, line in zip(cycles, owners, strict=True):
        cycle.line = line  # the new lines have their keys now
    TreatmentCycle.objects.bulk_create(cycles)
    audit = [
        AuditItem(AuditAction.CREATE, LINE_OBJECT, line.pk, f"line {line.line_number}: {line.kind}")
        for line in new
    ]
    audit += [
        AuditItem(
            AuditAction.CREATE,
            "treatment_cycle",
            c.pk,
            f"line {line.line_number} cycle {c.number}",
        )
        for c, line in zip(cycles, owners, strict=True)
    ]
    audit += [
        AuditItem(AuditAction.UPDATE, LINE_OBJECT, line.pk, f"stopped: {item.stop_reason}")
        for item, line in zip(lines, out, strict=True)
        if item.stopped_on is not None
    ]
    audit_record_each(actor=actor, patient=patient, items=audit)
