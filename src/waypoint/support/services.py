"""Referrals to support services, and the support offered to each person."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.assessments.models import AssessmentStatus, NeedsAssessment
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from waypoint.registry import policies as registry_policies
from waypoint.registry.models import Patient
from waypoint.support import policies as support_policies
from waypoint.support.models import (
    OfferKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
    ServiceKind,
    SupportOffer,
    SupportService,
)
from waypoint.support.rules import referrals as rules

REFERRAL_OBJECT = "referral"


@transaction.atomic
def referral_create(
    *,
    actor: User,
    patient_id: int,
    service_id: int,
    reason: str,
    now: dt.datetime | None = None,
) -> Referral:
    """A clinician refers; a person may refer themselves to non-clinical services."""
    now = now or timezone.now()
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise NotFound()
    self_referral = registry_policies.is_own_record(actor, patient)
    if not self_referral and not registry_policies.can_edit_patient(actor, patient):
        raise NotFound()
    service = SupportService.objects.filter(pk=service_id, is_active=True).first()
    if service is None:
        raise ValidationFailed("Choose a service.", fields={"service": "No such service."})
    if self_referral and not service.self_referral:
        raise ValidationFailed(
            "Your team refers you to this service. Ask your key worker.",
            fields={"service": "This service needs a referral from your care team."},
        )
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Say why.", fields={"reason": "Say what the referral is for."})
    referral = Referral.objects.create(
        patient=patient,
        service=service,
        reason=reason[:4000],
        status=ReferralStatus.REQUESTED,
        self_referral=self_referral,
        requested_by=actor,
        requested_at=now,
        respond_by=timezone.localdate(now) + dt.timedelta(days=service.response_days),
    )
    ReferralEvent.objects.create(
        referral=referral, at=now, status=ReferralStatus.REQUESTED, actor=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=REFERRAL_OBJECT,
        object_id=referral.pk,
        detail=f"{'self-referral' if self_referral else 'referral'} to {service.kind}",
    )
    if service.kind in (ServiceKind.PSYCHOLOGY, ServiceKind.PALLIATIVE) and not self_referral:
        _answer_distress(patient, referral, actor, now)
    return referral


def _answer_distress(patient: Patient, referral: Referral, actor: User, now: dt.datetime) -> None:
    """A psychosocial referral is the decision a distress score of 4 or more asks for (DT1)."""
    for assessment in NeedsAssessment.objects.filter(
        patient=patient, status=AssessmentStatus.COMPLETED, psychosocial_decision=""
    ):
        if assessment.awaits_psychosocial_decision:
            assessment.psychosocial_decision = (
                f"Referred to {referral.service.name} on {timezone.localdate(now):%d %B %Y}."
            )
            assessment.psychosocial_decided_at = now
            assessment.psychosocial_decided_by = actor
            assessment.save(
                update_fields=[
                    "psychosocial_decision",
                    "psychosocial_decided_at",
                    "psychosocial_decided_by",
                ]
            )


@transaction.atomic
def referral_move(
    *,
    actor: User,
    referral_id: int,
    to: str,
    note: str = "",
    booked_for: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    now = now or timezone.now()
    referral = (
        Referral.objects.select_for_update()
        .select_related("patient")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise NotFound()
    person = registry_policies.is_own_record(actor, referral.patient)
    if not person and not registry_policies.can_edit_patient(actor, referral.patient):
        raise NotFound()
    if person and to != ReferralStatus.CANCELLED:
        raise ValidationFailed("You can cancel your own referral; the service updates the rest.")
    if to not in ReferralStatus.values:
        raise ValidationFailed(
            "Unknown status.", fields={"status": f"One of {ReferralStatus.values}"}
        )
    if not rules.may_move(referral.status, to):
        raise Conflict(
            f"A referral that is {referral.get_status_display().lower()} cannot become {to}."
        )
    note = note.strip()
    if to in rules.NEEDS_REASON and not note:
        raise ValidationFailed("Give the reason.", fields={"note": f"Say why it was {to}."})
    if to == ReferralStatus.BOOKED and booked_for is None:
        raise ValidationFailed("Give the date.", fields={"booked_for": "When is it booked for?"})
    referral.status = to
    referral.status_reason = note[:300] if to in rules.NEEDS_REASON else referral.status_reason
    if booked_for is not None:
        referral.booked_for = booked_for
    if to not in rules.OPEN:
        referral.closed_at = now
    referral.save()
    ReferralEvent.objects.create(referral=referral, at=now, status=to, actor=actor, note=note[:300])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=referral.patient,
        object_type=REFERRAL_OBJECT,
        object_id=referral.pk,
        detail=f"now {to}",
    )
    return referral


@transaction.atomic
def offer_record(
    *,
    actor: User,
    patient_id: int,
    kind: str,
    accepted: bool | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> SupportOffer:
    """Record that formal support was offered (and whether the person took it up): by the
    person's clinicians only (``policies.can_record_offer``). Someone who may see the record but
    not record offers (the person themselves) is told so; anyone else gets 404."""
    now = now or timezone.now()
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise NotFound()
    if not support_policies.can_record_offer(actor, patient):
        if registry_policies.can_view_patient(actor, patient):
            raise Forbidden(
                "Your care team records the support they offer you. To ask for support "
                "yourself, refer yourself to a service from your support page."
            )
        raise NotFound()
    if kind not in OfferKind.values:
        raise ValidationFailed("Unknown offer.", fields={"kind": f"One of {OfferKind.values}"})
    offer = SupportOffer.objects.create(
        patient=patient,
        kind=kind,
        offered_at=now,
        offered_by=actor,
        accepted=accepted,
        note=note.strip()[:300],
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type="support_offer",
        object_id=offer.pk,
        detail=kind,
    )
    return offer
