from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.careteam.models import Team
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
        .select_related("patient", "acknowledged_by", "helpline_call", "submitted_by")
        .order_by("waiting", "-level_rank", "respond_by", "reported_at", "id")
    )


def reports_for_patient(
    actor: User, patient: Patient, *, reason: str = ""
) -> QuerySet[SymptomReport]:
    return (
        reports_for_actor(actor, reason=reason)
        .filter(patient=patient)
        .select_related("acknowledged_by", "submitted_by")
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
