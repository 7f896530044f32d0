"""Reading the team's triage queue and outreach list: reads of many records, each recorded in the
audit trail (so they are services, not selectors)."""

from __future__ import annotations

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record_many
from waypoint.core.pagination import Page, paginate
from waypoint.registry.models import Patient
from waypoint.registry.policies import patients_for_actor
from waypoint.triage.models import SymptomReport
from waypoint.triage.monitoring import outreach_queryset
from waypoint.triage.selectors import triage_queue_for_team


def triage_queue_page(
    actor: User, *, team_id: int, page: int, page_size: int
) -> Page[SymptomReport]:
    """One page of the team's queue; everyone named on it is recorded as seen in a list."""
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

    people = list(outreach_queryset(patients_for_actor(actor).filter(team_id=team_id))[:limit])
    audit_record_many(
        actor=actor,
        action=AuditAction.LIST,
        patient_ids=[p.pk for p in people],
        object_type="check_in_outreach",
    )
    return people
