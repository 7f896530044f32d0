"""Carers the person has agreed we may contact."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import ValidationFailed
from waypoint.registry import policies
from waypoint.registry.models import CarerContact, Patient
from waypoint.registry.services.patients import check_email, check_not_future, require_edit


def carer_errors(
    *,
    name: str,
    relationship: str,
    consent_given_on: dt.date | None,
    phone: str = "",
    email: str = "",
) -> dict[str, str]:
    """What is wrong with a carer's details, by field (empty when nothing)."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "required"
    if not relationship.strip():
        errors["relationship"] = "required"
    if consent_given_on is None:
        errors["consent_given_on"] = "record when the person agreed to us contacting this carer"
    check_not_future(consent_given_on, "consent_given_on", errors)
    if not phone.strip() and not email.strip():
        errors["phone"] = "give a phone number or an email address"
    check_email(email, "email", errors)
    return errors


@transaction.atomic
def carer_contact_add(
    *,
    actor: User | None,
    patient: Patient,
    name: str,
    relationship: str,
    consent_given_on: dt.date | None,
    phone: str = "",
    email: str = "",
    consent_scope: str = "",
) -> CarerContact:
    if actor is not None and not (
        policies.can_edit_patient(actor, patient)
        or policies.can_edit_own_contact_details(actor, patient)
    ):
        require_edit(actor, patient)
    errors = carer_errors(
        name=name,
        relationship=relationship,
        consent_given_on=consent_given_on,
        phone=phone,
        email=email,
    )
    if errors:
        raise ValidationFailed("The carer could not be added.", fields=errors)
    assert consent_given_on is not None  # noqa: S101  # checked above
    carer = CarerContact.objects.create(
        patient=patient,
        name=name.strip(),
        relationship=relationship.strip(),
        phone=phone.strip(),
        email=email.strip(),
        consent_given_on=consent_given_on,
        consent_scope=consent_scope.strip()
        or CarerContact._meta.get_field("consent_scope").default,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type="CarerContact",
        object_id=carer.pk,
    )
    return carer
