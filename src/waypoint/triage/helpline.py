"""Helpline calls, logged the way the UKONS triage log sheet asks.

The nurse on the phone is the clinician responding, so the call's report starts acknowledged by
them, with the advice and disposition as the action taken. A follow-up keeps it on the team's queue
until someone records the outcome. A caller who is not yet registered is triaged all the same; the
call is linked to their record once they are registered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Conflict, NotFound, ValidationFailed
from waypoint.registry.models import Patient
from waypoint.registry.policies import patients_for_actor
from waypoint.registry.rules.nhs_number import normalise_nhs_number
from waypoint.triage import policies
from waypoint.triage.models import (
    CallerRelationship,
    Disposition,
    EventKind,
    HelplineCall,
    ReportEvent,
    Source,
)
from waypoint.triage.selectors import queue_teams
from waypoint.triage.services import ReportInput, symptom_report_submit


@dataclass(frozen=True)
class CallInput:
    caller_name: str
    caller_relationship: str
    callback_number: str
    advice_given: str
    disposition: str
    called_at: dt.datetime | None = None
    follow_up_due: dt.datetime | None = None
    notes: str = ""
    person_given_name: str = ""
    person_family_name: str = ""
    person_birth_date: dt.date | None = None
    person_nhs_number: str = ""


def _check(call: CallInput, *, registered: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not call.caller_name.strip():
        errors["caller_name"] = "Enter the caller's name."
    if call.caller_relationship not in CallerRelationship.values:
        errors["caller_relationship"] = "Choose how the caller is related to the person."
    if not call.callback_number.strip():
        errors["callback_number"] = "Enter a number to call back on."
    if not call.advice_given.strip():
        errors["advice_given"] = "Record the advice you gave."
    if call.disposition not in Disposition.values:
        errors["disposition"] = "Choose what happens next."
    if not registered and not (call.person_given_name.strip() and call.person_family_name.strip()):
        errors["person_family_name"] = (
            "Find the person in the registry, or enter their name so they can be registered."
        )
    if call.person_nhs_number:
        try:
            normalise_nhs_number(call.person_nhs_number)
        except ValueError as exc:
            errors["person_nhs_number"] = str(exc)
    return errors


def helpline_call_log(
    *,
    actor: User,
    patient_id: int | None,
    call: CallInput,
    report: ReportInput,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> HelplineCall:
    now = now or timezone.now()
    if not has_permission(actor, Permission.LOG_HELPLINE_CALL):
        raise NotFound()
    errors = _check(call, registered=patient_id is not None)
    if errors:
        raise ValidationFailed("Some of the call details are missing.", fields=errors)
    reason = f"Helpline call from {call.caller_name.strip()} ({call.caller_relationship})"
    patient = None
    if patient_id is not None:
        patient = patients_for_actor(actor, reason=reason).filter(pk=patient_id).first()
        if patient is None:
            raise NotFound()
    team = None if patient else queue_teams(actor).first()
    if patient is None and team is None:
        raise ValidationFailed(
            "You need to belong to a team to log a call for an unregistered person."
        )
    disposition = Disposition(call.disposition).label
    with transaction.atomic():
        stored, created = symptom_report_submit(
            actor=actor,
            patient=patient,
            team=team,
            source=Source.HELPLINE,
            data=ReportInput(
                symptoms=report.symptoms,
                reported_at=report.reported_at or call.called_at,
                context=report.context,
                free_text=report.free_text,
            ),
            idempotency_key=idempotency_key,
            reason=reason,
            acknowledge_with=f"Helpline call: {disposition}. Advice: {call.advice_given.strip()}",
            now=now,
        )
        if not created:
            return stored.helpline_call
        logged = HelplineCall.objects.create(
            report=stored,
            called_at=call.called_at or now,
            caller_name=call.caller_name.strip(),
            caller_relationship=call.caller_relationship,
            callback_number=call.callback_number.strip(),
            patient=patient,
            person_given_name=call.person_given_name.strip(),
            person_family_name=call.person_family_name.strip(),
            person_birth_date=call.person_birth_date,
            person_nhs_number=normalise_nhs_number(call.person_nhs_number)
            if call.person_nhs_number
            else "",
            advice_given=call.advice_given.strip(),
            disposition=call.disposition,
            follow_up_due=call.follow_up_due,
            clinician=actor,
            notes=call.notes.strip(),
        )
        if call.follow_up_due is None:
            stored.status = "closed"
            stored.closed_by = actor
            stored.closed_at = now
            stored.outcome = f"Handled on the call: {disposition}."
            stored.save(update_fields=["status", "closed_by", "closed_at", "outcome"])
    return logged


@transaction.atomic
def helpline_call_link_patient(
    *, actor: User, call_id: int, patient_id: int, now: dt.datetime | None = None
) -> HelplineCall:
    """Attach an unregistered caller's call (and its report) to their new registry record."""
    now = now or timezone.now()
    call = (
        HelplineCall.objects.select_for_update().select_related("report").filter(pk=call_id).first()
    )
    if call is None or not policies.can_act_on_report(actor, call.report):
        raise NotFound()
    if call.patient_id is not None:
        raise Conflict("This call is already linked to a person.")
    reason = f"Linking helpline call {call.pk} to the person's record"
    patient: Patient | None = patients_for_actor(actor, reason=reason).filter(pk=patient_id).first()
    if patient is None:
        raise NotFound()
    call.patient = patient
    call.save(update_fields=["patient"])
    report = call.report
    report.patient = patient
    report.team = patient.team
    report.save(update_fields=["patient", "team"])
    ReportEvent.objects.create(
        report=report,
        at=now,
        kind=EventKind.LINKED,
        actor=actor,
        detail=f"Linked to the registered record of {patient.given_name} {patient.family_name}",
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=patient,
        object_type="helpline_call",
        object_id=call.pk,
        reason=reason,
        detail="linked an unregistered caller's call",
    )
    return call
