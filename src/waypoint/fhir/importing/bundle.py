"""Importing a FHIR Bundle: all or nothing per bundle, through the services that audit.

The pure mapping (``mapping.inbound``) reads and checks the bundle; this package matches people
already registered (NHS number, then any identifier), checks the actor may change them, writes
through the registry, treatment and timeline services inside one transaction, and keeps the
provenance (``ImportedResource``). Any error-level issue rolls the whole bundle back, so the
report always lists every problem and a failed import leaves nothing behind.

This module runs the bundle; ``matching`` finds who is registered already, one module per
resource kind writes (``patient``, ``conditions``, ``observations``, ``procedures``,
``medications``; ``history`` is the registry call the middle three share), and all of them share
``context``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.core.errors import Forbidden
from waypoint.fhir.importing.context import ImportContext, Known, PersonContext
from waypoint.fhir.importing.history import history_fresh, history_write
from waypoint.fhir.importing.matching import imported_before, patients_matched
from waypoint.fhir.importing.medications import medications_write
from waypoint.fhir.importing.observations import statuses_fresh, statuses_write
from waypoint.fhir.importing.patient import PatientWriter
from waypoint.fhir.importing.report import ImportReport
from waypoint.fhir.mapping.inbound import MappedBundle, PatientBundle, map_bundle
from waypoint.fhir.mapping.issues import information
from waypoint.fhir.mapping.rules import InboundConfig
from waypoint.fhir.models import ImportedResource, ImportOutcome
from waypoint.registry.models import Patient


def inbound_config() -> InboundConfig:
    return InboundConfig(
        de_novo_window_days=settings.WAYPOINT_FHIR_DE_NOVO_WINDOW_DAYS,
        presentation_unknown=settings.WAYPOINT_FHIR_PRESENTATION_UNKNOWN,
        undated=settings.WAYPOINT_FHIR_UNDATED,
        line_window_days=settings.WAYPOINT_FHIR_LINE_WINDOW_DAYS,
    )


def can_import(actor: User | None) -> bool:
    """Importing registers people and records their diagnoses and treatment."""
    return actor is None or (
        has_permission(actor, Permission.REGISTER_PATIENT)
        and has_permission(actor, Permission.EDIT_TEAM_PATIENTS)
    )


class _Rollback(Exception):
    pass


def bundle_import(
    *,
    actor: User | None,
    bundle: Mapping[str, Any],
    team_id: int | None,
    dry_run: bool = False,
    config: InboundConfig | None = None,
) -> ImportReport:
    """Import one Bundle (transaction, batch or collection). ``actor`` None is the system (the
    management command without ``--as``); it cannot record treatment or timeline events, which
    need the clinician who records them."""
    if not can_import(actor):
        raise Forbidden("You cannot import records.")
    mapped = map_bundle(bundle, config=config or inbound_config())
    report = ImportReport(bundle_type=mapped.bundle_type, dry_run=dry_run)
    report.issues.extend(mapped.issues)
    if mapped.has_errors:
        return report
    try:
        with transaction.atomic():
            _write(ImportContext(actor=actor, team_id=team_id, report=report), mapped)
            if not report.ok or dry_run:
                raise _Rollback
    except _Rollback:
        report.written = False
        if dry_run and report.ok:
            report.issues.append(
                information("informational", "Dry run: the bundle is valid; nothing was written.")
            )
        return report
    report.written = True
    return report


def _write(ctx: ImportContext, mapped: MappedBundle) -> None:
    people = mapped.patients
    matched = patients_matched(ctx, people)
    known = imported_before(matched)
    patients = PatientWriter(ctx)
    for person in people:
        _person(ctx, patients, person, matched.get(person.patient.entry.index), known)
    if ctx.report.ok:
        ImportedResource.objects.bulk_create(ctx.rows, batch_size=500)


def _person(
    ctx: ImportContext,
    patients: PatientWriter,
    person: PatientBundle,
    existing: Patient | None,
    known: Known,
) -> None:
    pin = person.patient
    if existing is not None and not patients.may_change(pin, existing):
        return
    patient = existing if existing is not None else patients.register(pin)
    if patient is None:
        return
    ctx.report.patient_ids.append(patient.pk)
    pc = PersonContext(ctx=ctx, person=person, patient=patient, known=known)
    # Diagnoses, results and treatment first, then any death: the registry refuses a new
    # diagnosis for someone recorded as dead, and a death always comes last in a history.
    _clinical(pc)
    if existing is not None:
        seen = pc.state(pin.entry)
        if seen == "unchanged":
            pc.fresh(pin.entry, "Patient")
        else:
            patients.update_existing(pc, previously_imported=seen == "changed")
    elif pin.died_on is not None:
        patients.record_death(pc)


def _clinical(pc: PersonContext) -> None:
    history = history_fresh(pc)
    if history:
        history_write(pc, history)
    statuses = statuses_fresh(pc)
    if statuses:
        statuses_write(pc, statuses)
    medications_write(pc)
    for skipped in pc.person.skipped:
        if pc.fresh(skipped.entry, "nothing"):
            pc.keep(skipped.entry, ImportOutcome.SKIPPED)
