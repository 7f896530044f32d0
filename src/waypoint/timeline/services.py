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
    if errors:
        raise ValidationFailed("The event was not recorded.", fields=errors)
    fields: dict[str, Any] = {"patient": patient, "on": on, "note": note.strip()[:4000]}
    if kind == "response":
        fields["result"] = result
    if kind == "contact":
        fields["kind"] = contact_kind
        fields["key_worker_introduced"] = key_worker_introduced
    if kind == "admission":
        fields.update(discharged_on=discharged_on, reason=reason.strip()[:300], unplanned=unplanned)
    record = KINDS[kind].objects.create(recorded_by=actor, **fields)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=f"timeline_{kind}",
        object_id=record.pk,
    )
    return record  # type: ignore[no-any-return]  # one of the KINDS models
