"""Who may report symptoms for whom, and who may see and act on which reports. Deny by default."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.registry.models import Patient, ProxyAccess
from waypoint.registry.policies import (
    MIN_REASON_LENGTH,
    can_view_patient,
    is_own_record,
    organisation_team_ids_for,
    team_ids_for,
)
from waypoint.triage.models import EventKind, ReportEvent, Source, SymptomReport


def reports_for_actor(actor: User, *, reason: str = "") -> QuerySet[SymptomReport]:
    """Reports the actor may see: the same scope as the patients they may see.

    A helpline nurse sees their own team's reports (unregistered callers), the calls they took and
    the reports the escalation chain asked them to act on (as an acute oncology nurse); other
    teams' reports only with a recorded reason, as for patient records.
    """
    base = SymptomReport.objects.all()
    if has_permission(actor, Permission.VIEW_TEAM_PATIENTS):
        return base.filter(team_id__in=team_ids_for(actor))
    if has_permission(actor, Permission.TRIAGE_REPORTS):
        asked_to_act = ReportEvent.objects.filter(
            report=OuterRef("pk"),
            recipient=actor,
            kind__in=(EventKind.ALERTED, EventKind.ESCALATED),
        )
        scope = Q(team_id__in=team_ids_for(actor)) | Q(submitted_by=actor) | Q(Exists(asked_to_act))
        if len(reason.strip()) >= MIN_REASON_LENGTH:
            scope |= Q(team_id__in=organisation_team_ids_for(actor))
        return base.filter(scope)
    if has_permission(actor, Permission.VIEW_OWN_RECORD):
        return base.filter(patient__user=actor)
    if has_permission(actor, Permission.ACT_AS_PROXY):
        # A carer sees only the reports they made themself, and only while the person still lets
        # them report for them: the person's other reports are theirs to share or not.
        still_allowed = _symptom_grants(actor).filter(patient=OuterRef("patient"))
        return base.filter(Q(submitted_by=actor) & Q(Exists(still_allowed)))
    return base.none()


def _symptom_grants(actor: User) -> QuerySet[ProxyAccess]:
    return ProxyAccess.objects.filter(
        carer=actor, ended_at__isnull=True, may_report_symptoms=True, patient__died_on=None
    )


def carer_grant_for(actor: User, patient: Patient) -> ProxyAccess | None:
    """The active grant that lets ``actor``, a carer, report symptoms for ``patient``; else None."""
    if not has_permission(actor, Permission.ACT_AS_PROXY):
        return None
    return _symptom_grants(actor).filter(patient=patient).order_by("id").first()


def sources_allowed(actor: User) -> frozenset[str]:
    if has_permission(actor, Permission.REPORT_OWN_SYMPTOMS):
        return frozenset({Source.PATIENT})
    if has_permission(actor, Permission.TRIAGE_REPORTS):
        return frozenset({Source.HELPLINE, Source.CLINICIAN})
    if has_permission(actor, Permission.ACT_AS_PROXY):
        return frozenset({Source.CARER})
    return frozenset()


def can_report_for(actor: User, patient: Patient, *, reason: str = "") -> bool:
    if has_permission(actor, Permission.REPORT_OWN_SYMPTOMS):
        return is_own_record(actor, patient)
    if has_permission(actor, Permission.TRIAGE_REPORTS):
        return can_view_patient(actor, patient, reason=reason)
    if has_permission(actor, Permission.ACT_AS_PROXY):
        # Only for the people whose grant includes the symptom check, and only while it lasts.
        return carer_grant_for(actor, patient) is not None
    return False


def can_act_on_report(actor: User, report: SymptomReport) -> bool:
    """Acknowledge or close: a clinician who may triage and may see the report without giving a
    reason (their teams' reports; for a helpline nurse, also the calls they took and the reports
    they were alerted to act on)."""
    return (
        has_permission(actor, Permission.TRIAGE_REPORTS)
        and reports_for_actor(actor).filter(pk=report.pk).exists()
    )
