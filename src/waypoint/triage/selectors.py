from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record_many
from waypoint.careteam.models import Team
from waypoint.core.pagination import Page, paginate
from waypoint.registry.models import Patient
from waypoint.registry.policies import team_ids_for
from waypoint.triage.models import HelplineCall, ReportEvent, ReportStatus, SymptomReport
from waypoint.triage.policies import reports_for_actor


def queue_teams(actor: User) -> QuerySet[Team]:
    """The teams whose triage queue the actor works: their own, if they triage reports (a service
    manager of the team sees its figures, never its queue)."""
    if not has_permission(actor, Permission.TRIAGE_REPORTS):
        return Team.objects.none()
    return Team.objects.filter(id__in=team_ids_for(actor)).order_by("name")


def triage_queue_for_team(actor: User, *, team_id: int) -> QuerySet[SymptomReport]:
    """Reports not yet closed, waiting ones first, then by level and time left on the clock."""
    return (
        reports_for_actor(actor)
        .filter(team_id=team_id)
        .exclude(status=ReportStatus.CLOSED)
        .annotate(
            waiting=Case(
                When(status=ReportStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("patient", "acknowledged_by", "helpline_call")
        .order_by("waiting", "-level_rank", "respond_by", "reported_at", "id")
    )


def triage_queue_page(
    actor: User, *, team_id: int, page: int, page_size: int
) -> Page[SymptomReport]:
    result = paginate(triage_queue_for_team(actor, team_id=team_id), page=page, page_size=page_size)
    audit_record_many(
        actor=actor,
        action=AuditAction.LIST,
        patient_ids={r.patient_id for r in result.items if r.patient_id is not None},
        object_type="triage_queue",
    )
    return result


def outreach_for_team(actor: User, *, team_id: int, limit: int = 200) -> list[Patient]:
    """People in the team who missed check-ins in a row: the key worker reaches out to them."""
    from waypoint.registry.policies import patients_for_actor
    from waypoint.triage.monitoring import outreach_queryset

    people = list(outreach_queryset(patients_for_actor(actor).filter(team_id=team_id))[:limit])
    audit_record_many(
        actor=actor,
        action=AuditAction.LIST,
        patient_ids=[p.pk for p in people],
        object_type="check_in_outreach",
    )
    return people


def reports_for_patient(
    actor: User, patient: Patient, *, reason: str = ""
) -> QuerySet[SymptomReport]:
    return (
        reports_for_actor(actor, reason=reason)
        .filter(patient=patient)
        .select_related("acknowledged_by")
        .order_by("-reported_at", "-id")
    )


def report_history(report: SymptomReport) -> QuerySet[ReportEvent]:
    return report.events.select_related("actor", "recipient").order_by("at", "id")


def unregistered_calls(actor: User) -> QuerySet[HelplineCall]:
    return (
        HelplineCall.objects.filter(
            patient__isnull=True, report__in=reports_for_actor(actor).values("pk")
        )
        .select_related("report", "clinician")
        .order_by("-called_at")
    )
