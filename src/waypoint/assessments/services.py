"""Starting, saving, finishing and declining needs assessments; requests and invitations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.assessments import selectors
from waypoint.assessments.models import (
    AssessmentInvitation,
    AssessmentMode,
    AssessmentRequest,
    AssessmentStatus,
    NeedsAssessment,
)
from waypoint.assessments.rules import hna
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.errors import Conflict, NotFound, ValidationFailed
from waypoint.notifications.services import messages_to_user
from waypoint.registry import policies as registry_policies
from waypoint.registry.messaging import message_to_patient
from waypoint.registry.models import Patient

ASSESSMENT_OBJECT = "needs_assessment"


def _patient_for(actor: User, patient_id: int) -> Patient:
    patient = Patient.objects.select_related("team").filter(pk=patient_id).first()
    if patient is None or not registry_policies.acts_for_patient(actor, patient):
        raise NotFound()
    return patient


def _invalid(error: hna.AnswersInvalid) -> ValidationFailed:
    return ValidationFailed("Some answers are not valid.", fields=error.errors)


@transaction.atomic
def hna_open(*, actor: User, patient_id: int, now: dt.datetime | None = None) -> NeedsAssessment:
    """The assessment in progress, or a new one: a person picks up where they left off."""
    now = now or timezone.now()
    patient = _patient_for(actor, patient_id)
    current = selectors.in_progress(patient)
    if current is not None:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            patient=patient,
            object_type=ASSESSMENT_OBJECT,
            object_id=current.pk,
        )
        return current
    status = selectors.hna_due_for([patient.pk], today=timezone.localdate(now))[patient.pk]
    mode = (
        AssessmentMode.PORTAL
        if has_permission(actor, Permission.VIEW_OWN_RECORD)
        else AssessmentMode.WITH_NURSE
    )
    try:
        with transaction.atomic():
            assessment = NeedsAssessment.objects.create(
                patient=patient,
                questionnaire_version=hna.RULES_VERSION,
                status=AssessmentStatus.IN_PROGRESS,
                mode=mode,
                started_by=actor,
                due_reason=status.reason if status.due else "on request",
            )
    except IntegrityError:  # opened at the same moment elsewhere
        found = selectors.in_progress(patient)
        if found is None:
            raise
        return found
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=ASSESSMENT_OBJECT,
        object_id=assessment.pk,
        detail=f"started: {AssessmentMode(mode).label.lower()}",
    )
    return assessment


@transaction.atomic
def hna_save(
    *,
    actor: User,
    assessment_id: int,
    answers: Mapping[str, object],
    finish: bool = False,
    now: dt.datetime | None = None,
) -> NeedsAssessment:
    """Merge ``answers`` into the draft; ``finish`` completes it (the distress score is needed)."""
    now = now or timezone.now()
    assessment = (
        NeedsAssessment.objects.select_for_update()
        .select_related("patient", "patient__team")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None or not registry_policies.acts_for_patient(actor, assessment.patient):
        raise NotFound()
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise Conflict("This assessment is already finished.")
    try:
        merged = hna.check_answers({**assessment.answers, **answers}, complete=finish)
    except hna.AnswersInvalid as exc:
        raise _invalid(exc) from exc
    assessment.answers = merged
    fields = ["answers", "updated_at"]
    if finish:
        result = hna.score(merged)
        assessment.status = AssessmentStatus.COMPLETED
        assessment.completed_at = now
        assessment.completed_by = actor
        assessment.distress = result.distress
        fields += ["status", "completed_at", "completed_by", "distress"]
    assessment.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=assessment.patient,
        object_type=ASSESSMENT_OBJECT,
        object_id=assessment.pk,
        detail="completed" if finish else "answers saved",
    )
    if finish:
        _tell_key_worker(assessment, now=now)
    return assessment


def _tell_key_worker(assessment: NeedsAssessment, *, now: dt.datetime) -> None:
    contact = contact_for_patient(assessment.patient, day=timezone.localdate(now))
    person = contact.contact_person
    if person is None:
        return
    urgent = assessment.awaits_psychosocial_decision
    subject = (
        "Waypoint: a needs assessment shows distress of 4 or more"
        if urgent
        else "Waypoint: a needs assessment is ready to discuss"
    )
    messages_to_user(
        user=person,
        subject=subject,
        body=(
            f"A needs assessment for {assessment.patient.team.name} is complete. Open "
            f"{settings.WAYPOINT_BASE_URL}/patients/{assessment.patient_id}/assessments/"
        ),
        topic="assessments.completed",
        reference=str(assessment.pk),
        now=now,
        sms=False,
    )


@transaction.atomic
def hna_decline(
    *, actor: User, patient_id: int, reason: str, now: dt.datetime | None = None
) -> NeedsAssessment:
    """The person did not want an assessment now: recorded, and it answers the trigger."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Say why.", fields={"reason": "Record why it was declined."})
    patient = _patient_for(actor, patient_id)
    current = selectors.in_progress(patient)
    if current is not None:
        current.status = AssessmentStatus.DECLINED
        current.declined_reason = reason[:300]
        current.completed_at = now
        current.completed_by = actor
        current.save(
            update_fields=[
                "status",
                "declined_reason",
                "completed_at",
                "completed_by",
                "updated_at",
            ]
        )
        assessment = current
    else:
        assessment = NeedsAssessment.objects.create(
            patient=patient,
            questionnaire_version=hna.RULES_VERSION,
            status=AssessmentStatus.DECLINED,
            mode=AssessmentMode.WITH_NURSE,
            started_by=actor,
            declined_reason=reason[:300],
            completed_at=now,
            completed_by=actor,
        )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=patient,
        object_type=ASSESSMENT_OBJECT,
        object_id=assessment.pk,
        detail="declined",
    )
    return assessment


@transaction.atomic
def psychosocial_decision_record(
    *, actor: User, assessment_id: int, decision: str, now: dt.datetime | None = None
) -> NeedsAssessment:
    """DT1: the referral made (or why none) after a distress score of 4 or more."""
    now = now or timezone.now()
    decision = decision.strip()
    if not decision:
        raise ValidationFailed(
            "Record the decision.", fields={"decision": "Record the referral made, or why not."}
        )
    assessment = (
        NeedsAssessment.objects.select_for_update()
        .select_related("patient")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None or not registry_policies.can_edit_patient(actor, assessment.patient):
        raise NotFound()
    if assessment.status != AssessmentStatus.COMPLETED:
        raise Conflict("Only a completed assessment has a distress decision.")
    assessment.psychosocial_decision = decision[:4000]
    assessment.psychosocial_decided_at = now
    assessment.psychosocial_decided_by = actor
    assessment.save(
        update_fields=[
            "psychosocial_decision",
            "psychosocial_decided_at",
            "psychosocial_decided_by",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=assessment.patient,
        object_type=ASSESSMENT_OBJECT,
        object_id=assessment.pk,
        detail="psychosocial decision recorded",
    )
    return assessment


@transaction.atomic
def hna_request(
    *, actor: User, patient_id: int, now: dt.datetime | None = None
) -> AssessmentRequest:
    """The person, or their clinician, asks for an assessment: it falls due today."""
    now = now or timezone.now()
    patient = _patient_for(actor, patient_id)
    request = AssessmentRequest.objects.create(
        patient=patient, requested_on=timezone.localdate(now), requested_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type="assessment_request",
        object_id=request.pk,
    )
    return request


def hna_invitations_send(*, now: dt.datetime, patient_ids: list[int]) -> int:
    """Invite each of these people whose assessment is due and who has not been invited for it."""
    today = timezone.localdate(now)
    due = selectors.hna_due_for(patient_ids, today=today)
    sent = 0
    people = {
        p.pk: p
        for p in Patient.objects.filter(
            pk__in=[pk for pk, status in due.items() if status.due], died_on__isnull=True
        )
    }
    for pk, patient in people.items():
        status = due[pk]
        assert status.since is not None  # noqa: S101  # a due status has its date
        try:
            with transaction.atomic():
                AssessmentInvitation.objects.create(
                    patient=patient, due_since=status.since, reason=status.reason, sent_at=now
                )
                _invite(patient, now=now)
        except IntegrityError:
            continue
        sent += 1
    return sent


def _invite(patient: Patient, *, now: dt.datetime) -> None:
    body = (
        "Waypoint: your care team would like to know how you are, beyond your symptoms. Your "
        "needs assessment takes about 10 minutes and you can stop and carry on later: "
        f"{settings.WAYPOINT_BASE_URL}/portal/assessment/"
    )
    message_to_patient(
        patient=patient,
        subject="Your needs assessment",
        body=body,
        topic="assessments.invitation",
        reference=str(patient.pk),
        now=now,
    )


def hna_invitations_scan(*, now: dt.datetime, chunk: int = 2000) -> int:
    """Invite everyone in the registry whose assessment fell due (run hourly by the worker)."""
    ids = list(
        Patient.objects.filter(died_on__isnull=True, metastatic_diagnosed_on__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(
        hna_invitations_send(now=now, patient_ids=ids[start : start + chunk])
        for start in range(0, len(ids), chunk)
    )
