"""Recording timeline events. Each is checked against the person's record and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import NotFound, ValidationFailed
from waypoint.registry import policies as registry_policies
from waypoint.registry.models import Patient
from waypoint.timeline.models import (
    Contact,
    ContactKind,
    MdtDiscussion,
    ProgressionEvent,
    Response,
    ResponseAssessment,
)

KINDS: dict[str, Any] = {
    "progression": ProgressionEvent,
    "response": ResponseAssessment,
    "mdt": MdtDiscussion,
    "contact": Contact,
}


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
) -> ProgressionEvent | ResponseAssessment | MdtDiscussion | Contact:
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None or not registry_policies.can_edit_patient(actor, patient):
        raise NotFound()
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
    if errors:
        raise ValidationFailed("The event was not recorded.", fields=errors)
    fields: dict[str, Any] = {"patient": patient, "on": on, "note": note.strip()[:4000]}
    if kind == "response":
        fields["result"] = result
    if kind == "contact":
        fields["kind"] = contact_kind
        fields["key_worker_introduced"] = key_worker_introduced
    record = KINDS[kind].objects.create(recorded_by=actor, **fields)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=f"timeline_{kind}",
        object_id=record.pk,
    )
    return record  # type: ignore[no-any-return]  # one of the four models
