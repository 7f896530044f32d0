"""Recording timeline events. Each is checked against the person's record and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import AuditItem, audit_record, audit_record_each
from waypoint.core.errors import NotFound, ValidationFailed
from waypoint.registry import policies as registry_policies
from waypoint.registry.models import Patient
from waypoint.timeline.models import (
    Contact,
    ContactKind,
    HospitalAdmission,
    MdtDiscussion,
    ProgressionEvent,
    Response,
    ResponseAssessment,
    SupportReview,
)

KINDS: dict[str, Any] = {
    "progression": ProgressionEvent,
    "response": ResponseAssessment,
    "mdt": MdtDiscussion,
    "contact": Contact,
    "admission": HospitalAdmission,
    "support_review": SupportReview,
}
TimelineEvent = (
    ProgressionEvent
    | ResponseAssessment
    | MdtDiscussion
    | Contact
    | HospitalAdmission
    | SupportReview
)


def timeline_event_errors(
    *,
    patient: Patient,
    kind: str,
    on: dt.date,
    result: str = "",
    contact_kind: str = "",
    discharged_on: dt.date | None = None,
    reason: str = "",
) -> dict[str, str]:
    """What is wrong with an event of ``patient``'s timeline, by field (empty when nothing)."""
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = f"One of {', '.join(KINDS)}."
    if on > timezone.localdate():
        errors["on"] = "The date cannot be in the future."
    if patient.birth_date and on < patient.birth_date:
        errors["on"] = "The date cannot be before the person was born."
    if kind == "response" and result not in Response.values:
        errors["result"] = f"One of {', '.join(Response.values)}."
    if kind == "contact" and contact_kind not in ContactKind.values:
        errors["contact_kind"] = f"One of {', '.join(ContactKind.values)}."
    if kind == "admission":
        if not reason.strip():
            errors["reason"] = "Say why the person was admitted."
        if discharged_on is not None and discharged_on < on:
            errors["discharged_on"] = "Discharge cannot be before admission."
        elif discharged_on is not None and discharged_on > timezone.localdate():
            errors["discharged_on"] = "The date cannot be in the future."
    return errors


def _fields(
    patient: Patient,
    kind: str,
    on: dt.date,
    *,
    note: str,
    result: str,
    contact_kind: str,
    key_worker_introduced: bool,
    discharged_on: dt.date | None,
    reason: str,
    unplanned: bool,
) -> dict[str, Any]:
    fields: dict[str, Any] = {"patient": patient, "on": on, "note": note.strip()[:4000]}
    if kind == "response":
        fields["result"] = result
    if kind == "contact":
        fields["kind"] = contact_kind
        fields["key_worker_introduced"] = key_worker_introduced
    if kind == "admission":
        fields.update(discharged_on=discharged_on, reason=reason.strip()[:300], unplanned=unplanned)
    return fields


@transaction.atomic
def timeline_record(
    *,
    actor: User,
    patient_id: int,
    kind: str,
    on: dt.date,
    note: str = "",
    result: str = "",
    contact_kind: str = "",
    key_worker_introduced: bool = False,
    discharged_on: dt.date | None = None,
    reason: str = "",
    unplanned: bool = True,
) -> TimelineEvent:
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None or not registry_policies.can_edit_patient(actor, patient):
        raise NotFound()
    errors = timeline_event_errors(
        patient=patient,
        kind=kind,
        on=on,
        result=result,
        contact_kind=contact_kind,
        discharged_on=discharged_on,
        reason=reason,
    )
    if errors:
        raise ValidationFailed("The event was not recorded.", fields=errors)
    fields = _fields(
        patient,
        kind,
        on,
        note=note,
        result=result,
        contact_kind=contact_kind,
        key_worker_introduced=key_worker_introduced,
        discharged_on=discharged_on,
        reason=reason,
        unplanned=unplanned,
    )
    record = KINDS[kind].objects.create(recorded_by=actor, **fields)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=f"timeline_{kind}",
        object_id=record.pk,
    )
    return record  # type: ignore[no-any-return]  # one of the KINDS models


@dataclass(frozen=True)
class TimelineInput:
    kind: str
    on: dt.date
    note: str = ""
    result: str = ""
    contact_kind: str = ""
    key_worker_introduced: bool = False
    discharged_on: dt.date | None = None
    reason: str = ""
    unplanned: bool = True


def timeline_records_import(
    *, actor: User, patient: Patient, events: Sequence[TimelineInput]
) -> list[TimelineEvent]:
    """Record several events of one person's timeline (an import): the checks of
    ``timeline_record`` for each, one policy check, one INSERT per kind and one for the audit
    events (one per event). Any problem (``events.1.result``) writes nothing; everything is
    checked first, so a refusal leaves a caller's transaction usable and the writes need no
    savepoint of their own."""
    if not registry_policies.can_edit_patient(actor, patient):
        raise NotFound()
    errors: dict[str, str] = {}
    for i, e in enumerate(events):
        found = timeline_event_errors(
            patient=patient,
            kind=e.kind,
            on=e.on,
            result=e.result,
            contact_kind=e.contact_kind,
            discharged_on=e.discharged_on,
            reason=e.reason,
        )
        errors.update({f"events.{i}.{name}": message for name, message in found.items()})
    if errors:
        raise ValidationFailed("The events were not recorded.", fields=errors)
    records: list[Any] = [
        KINDS[e.kind](
            recorded_by=actor,
            **_fields(
                patient,
                e.kind,
                e.on,
                note=e.note,
                result=e.result,
                contact_kind=e.contact_kind,
                key_worker_introduced=e.key_worker_introduced,
                discharged_on=e.discharged_on,
                reason=e.reason,
                unplanned=e.unplanned,
            ),
        )
        for e in events
    ]
    with transaction.atomic(savepoint=False):
        for model in dict.fromkeys(type(r) for r in records):
            model.objects.bulk_create([r for r in records if type(r) is model])
        audit_record_each(
            actor=actor,
            patient=patient,
            items=[
                AuditItem(AuditAction.CREATE, f"timeline_{e.kind}", r.pk)
                for e, r in zip(events, records, strict=True)
            ],
        )
    return records
