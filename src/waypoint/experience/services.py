"""Sending, lapsing and answering experience surveys; paper entry by staff.

Every response is written with its audit event in one transaction. A submission is checked as a
whole: one invalid value refuses it all and saves nothing, so nothing is half-recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.careteam.selectors import current_assignment
from waypoint.core.errors import Conflict, NotFound, ValidationFailed
from waypoint.experience import selectors
from waypoint.experience.models import (
    ExperienceInvitation,
    ExperienceResponse,
    InvitationRoute,
    InvitationStatus,
    ResponseMode,
)
from waypoint.experience.rules import due, questionnaire
from waypoint.registry import policies as registry_policies
from waypoint.registry.messaging import message_to_patient
from waypoint.registry.models import Patient

RESPONSE_OBJECT = "experience_response"
INVITATION_TOPIC = "experience.invitation"
ALREADY_ANSWERED = "You have already answered this survey. Thank you: your answers are saved."
CLOSED = "This survey has closed. You will be asked again in a few months."


def _sent_on(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


def experience_invitations_send(*, now: dt.datetime, patient_ids: list[int]) -> int:
    """Invite each of these people whose survey is due. A due date is sent once: the unique
    (person, due date) row is the claim, so two workers racing send one message between them."""
    today = _sent_on(now)
    rules = selectors.schedule()
    _lapse(now=now, patient_ids=patient_ids)
    due_now = {
        pk: status
        for pk, status in selectors.experience_due_for(patient_ids, today=today).items()
        if status.due
    }
    sent = 0
    for patient in Patient.objects.filter(pk__in=due_now.keys()).select_related("team"):
        status = due_now[patient.pk]
        assert status.due_on is not None  # noqa: S101  # a due status has its date
        try:
            with transaction.atomic():
                invitation = ExperienceInvitation.objects.create(
                    patient=patient,
                    team=patient.team,
                    due_on=status.due_on,
                    reason=status.reason,
                    rules_version=status.rules_version,
                    route=InvitationRoute.PORTAL,
                    sent_at=now,
                    closes_on=due.closes_on(today, schedule=rules),
                )
                if _invite(patient, invitation, now=now):
                    invitation.route = InvitationRoute.MESSAGE
                    invitation.save(update_fields=["route"])
        except IntegrityError:  # sent already, by this pass or another worker
            continue
        sent += 1
    return sent


def _invite(patient: Patient, invitation: ExperienceInvitation, *, now: dt.datetime) -> bool:
    """A message with no name and no clinical detail: texts are read over shoulders."""
    if patient.user_id is not None:
        body = (
            "You have a short survey to answer on Waypoint. It takes about 2 minutes: "
            f"{settings.WAYPOINT_BASE_URL}/portal/survey/"
        )
    else:
        body = (
            "Waypoint: your care team would like you to answer a short survey about your care. "
            "Ask them for a paper copy when you next speak to them."
        )
    message = message_to_patient(
        patient=patient,
        subject="A short survey about your care",
        body=body,
        topic=INVITATION_TOPIC,
        reference=str(invitation.pk),
        now=now,
    )
    return message is not None


def experience_invitations_scan(*, now: dt.datetime, chunk: int = 2000) -> int:
    """Invite everyone whose survey fell due (run hourly by the worker)."""
    ids = list(
        Patient.objects.filter(died_on__isnull=True, metastatic_diagnosed_on__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(
        experience_invitations_send(now=now, patient_ids=ids[start : start + chunk])
        for start in range(0, len(ids), chunk)
    )


def _lapse(*, now: dt.datetime, patient_ids: list[int] | None = None) -> int:
    stale = ExperienceInvitation.objects.filter(
        status=InvitationStatus.OPEN, closes_on__lte=_sent_on(now)
    )
    if patient_ids is not None:
        stale = stale.filter(patient_id__in=patient_ids)
    return stale.update(status=InvitationStatus.LAPSED, lapsed_at=now)


def experience_invitations_lapse(*, now: dt.datetime) -> int:
    """Close every open invitation past its last day. One conditional UPDATE: safe to race."""
    return _lapse(now=now)


def _checked(answers: Mapping[str, object]) -> questionnaire.Answers:
    try:
        return questionnaire.check_answers(answers)
    except questionnaire.AnswersInvalid as exc:
        raise ValidationFailed(
            "Some answers could not be saved. Nothing was saved.", fields=exc.errors
        ) from exc


def _named_correctly(patient: Patient, name: str) -> bool | None:
    if not name:
        return None
    assignment = current_assignment(patient)
    if assignment is None:
        return False
    key_worker = assignment.key_worker
    return questionnaire.names_match(
        name, first_name=key_worker.first_name, last_name=key_worker.last_name
    )


def _save(
    *,
    actor: User,
    invitation: ExperienceInvitation,
    answers: questionnaire.Answers,
    mode: ResponseMode,
    now: dt.datetime,
) -> ExperienceResponse:
    try:
        with transaction.atomic():
            response = ExperienceResponse.objects.create(
                invitation=invitation,
                patient=invitation.patient,
                questionnaire_version=questionnaire.RULES_VERSION,
                mode=mode,
                completed_by=actor,
                submitted_at=now,
                key_worker_named_correctly=_named_correctly(
                    invitation.patient, answers.key_worker_name
                ),
                **answers.as_dict(),
            )
    except IntegrityError as exc:  # answered at the same moment elsewhere
        raise Conflict(ALREADY_ANSWERED) from exc
    invitation.status = InvitationStatus.ANSWERED
    invitation.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=invitation.patient,
        object_type=RESPONSE_OBJECT,
        object_id=response.pk,
        detail=f"{questionnaire.RULES_VERSION} ({mode})",
    )
    return response


@transaction.atomic
def experience_response_submit(
    *,
    actor: User,
    invitation_id: int,
    answers: Mapping[str, object],
    now: dt.datetime | None = None,
) -> ExperienceResponse:
    """The person answers their own survey on the portal, once."""
    now = now or timezone.now()
    invitation = (
        ExperienceInvitation.objects.select_for_update()
        .select_related("patient")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not registry_policies.is_own_record(actor, invitation.patient):
        raise NotFound()
    if invitation.status == InvitationStatus.ANSWERED:
        raise Conflict(ALREADY_ANSWERED)
    if not due.is_open(invitation.closes_on, today=_sent_on(now)):
        raise Conflict(CLOSED)
    checked = _checked(answers)
    return _save(
        actor=actor, invitation=invitation, answers=checked, mode=ResponseMode.PORTAL, now=now
    )


@transaction.atomic
def experience_paper_record(
    *,
    actor: User,
    patient_id: int,
    answers: Mapping[str, object],
    now: dt.datetime | None = None,
) -> ExperienceResponse:
    """A key worker or oncologist of the person's team types in a survey answered on paper.

    It answers the open invitation, or, for someone never sent one (no portal account and no
    message route), it is its own invitation: the response rate keeps its denominator and the
    next survey falls due an interval from today."""
    now = now or timezone.now()
    patient = Patient.objects.select_related("team").filter(pk=patient_id).first()
    if patient is None or not registry_policies.can_edit_patient(actor, patient):
        raise NotFound()
    checked = _checked(answers)
    today = _sent_on(now)
    _lapse(now=now, patient_ids=[patient.pk])
    invitation = (
        ExperienceInvitation.objects.select_for_update()
        .filter(patient=patient, status=InvitationStatus.OPEN, closes_on__gt=today)
        .first()
    )
    if invitation is None:
        try:
            with transaction.atomic():
                invitation = ExperienceInvitation.objects.create(
                    patient=patient,
                    team=patient.team,
                    due_on=today,
                    reason="answered on paper",
                    rules_version=due.RULES_VERSION,
                    route=InvitationRoute.PAPER,
                    sent_at=now,
                    closes_on=due.closes_on(today, schedule=selectors.schedule()),
                )
        except IntegrityError as exc:
            raise Conflict(
                "A survey for this person is already recorded today. Nothing was saved."
            ) from exc
    invitation.patient = patient
    return _save(
        actor=actor, invitation=invitation, answers=checked, mode=ResponseMode.PAPER, now=now
    )


@transaction.atomic
def experience_paper_open(*, actor: User, response_id: int) -> ExperienceResponse:
    """A paper entry, shown back only to the person who typed it, to check it."""
    response = (
        ExperienceResponse.objects.select_related("patient", "invitation")
        .filter(pk=response_id, mode=ResponseMode.PAPER, completed_by=actor)
        .first()
    )
    if response is None or not registry_policies.can_edit_patient(actor, response.patient):
        raise NotFound()
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        patient=response.patient,
        object_type=RESPONSE_OBJECT,
        object_id=response.pk,
        detail="paper entry checked by the person who typed it",
    )
    return response
