"""Worklists and caseloads: reads of many patient records, each recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record_many
from waypoint.careteam import selectors
from waypoint.careteam.rules.suggestion import Candidate, Suggestion, suggest_key_worker
from waypoint.core.clinical_settings import key_worker_deadline_days
from waypoint.core.errors import Forbidden
from waypoint.core.pagination import paginate
from waypoint.registry import policies
from waypoint.registry.models import Patient


@dataclass(frozen=True)
class UnassignedRow:
    patient: Patient
    waiting_since: dt.date
    days_waiting: int
    overdue: bool
    suggestion: Suggestion | None


@dataclass(frozen=True)
class UnassignedPage:
    rows: list[UnassignedRow]
    count: int
    page: int
    page_size: int
    overdue_count: int
    key_worker_deadline_days: int  # overdue after this many days (KW1)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def require_team_view(actor: User) -> None:
    if not has_permission(actor, Permission.VIEW_TEAM_PATIENTS):
        raise Forbidden("This list is for the care team.")


@transaction.atomic
def unassigned_worklist_open(
    *, actor: User, day: dt.date, page: int = 1, page_size: int = 50
) -> UnassignedPage:
    require_team_view(actor)
    deadline = key_worker_deadline_days()
    visible = policies.patients_for_actor(actor)
    counts = selectors.unassigned_base(visible).aggregate(
        total=Count("id"),
        overdue=Count(
            "id", filter=Q(metastatic_diagnosed_on__lt=day - dt.timedelta(days=deadline))
        ),
    )
    queryset = selectors.unassigned_queryset(visible)
    result = paginate(
        queryset.select_related("team"), page=page, page_size=page_size, count=counts["total"]
    )
    overdue_count = counts["overdue"]
    teams = {p.team_id: p.team for p in result.items}
    candidates = selectors.key_worker_candidates_by_team(teams.keys(), day=day)
    # Balance within the page: each suggestion counts the ones made before it.
    loads: dict[int, dict[int, Candidate]] = {
        team_id: {c.user_id: c for c in cands} for team_id, cands in candidates.items()
    }
    rows: list[UnassignedRow] = []
    for patient in result.items:
        waiting_since: dt.date = patient.waiting_since  # type: ignore[attr-defined]  # annotated
        team_loads = loads.get(patient.team_id, {})
        suggestion = suggest_key_worker(team_loads.values())
        if suggestion is not None:
            chosen = team_loads[suggestion.user_id]
            team_loads[suggestion.user_id] = Candidate(
                chosen.user_id, chosen.name, chosen.caseload + 1, chosen.on_leave
            )
        days = (day - waiting_since).days
        rows.append(
            UnassignedRow(
                patient=patient,
                waiting_since=waiting_since,
                days_waiting=days,
                overdue=(day - patient.metastatic_diagnosed_on).days > deadline
                if patient.metastatic_diagnosed_on
                else False,
                suggestion=suggestion,
            )
        )
    audit_record_many(
        actor=actor,
        action=AuditAction.LIST,
        patient_ids=[p.pk for p in result.items],
        object_type="Patient",
        detail="unassigned worklist",
    )
    return UnassignedPage(
        rows=rows,
        count=result.count,
        page=result.page,
        page_size=result.page_size,
        overdue_count=overdue_count,
        key_worker_deadline_days=deadline,
    )
