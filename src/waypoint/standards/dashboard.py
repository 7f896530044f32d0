"""Standards dashboards: counts from the snapshots, in the database, for the teams a viewer may
see in aggregate; drill-down to people only for viewers who may see them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record, audit_record_many
from waypoint.careteam.selectors import AggregateScope, aggregate_scope_for
from waypoint.core.errors import NotFound
from waypoint.registry.models import Patient
from waypoint.registry.policies import patients_for_actor, team_ids_for
from waypoint.standards.models import StandardSnapshot
from waypoint.standards.rules.standards import RULES, TITLES


def scope_for(actor: User, *, team: str = "", organisation: str = "") -> AggregateScope:
    """The viewer's scope from the ``team`` or ``organisation`` parameter (a team wins); anything
    outside what they may see, or not a number, is not found."""
    try:
        team_id = int(team) if team else None
        organisation_id = int(organisation) if organisation and team_id is None else None
    except ValueError as exc:
        raise NotFound() from exc
    return aggregate_scope_for(actor, team_id=team_id, organisation_id=organisation_id)


@dataclass(frozen=True)
class Cell:
    met: int
    not_met: int
    pending: int
    not_applicable: int

    @property
    def judged(self) -> int:
        return self.met + self.not_met

    @property
    def percent_met(self) -> float | None:
        return round(100 * self.met / self.judged, 1) if self.judged else None


@dataclass(frozen=True)
class Row:
    code: str
    title: str
    latest: Cell
    trend: list[tuple[dt.date, Cell]]


def snapshot_days(team_ids: list[int], *, since: dt.date) -> list[dt.date]:
    days = (
        StandardSnapshot.objects.filter(team_id__in=team_ids, as_of__gte=since)
        .values_list("as_of", flat=True)
        .distinct()
        .order_by("as_of")
    )
    # One point a month: the latest snapshot in each month.
    by_month: dict[tuple[int, int], dt.date] = {}
    for day in days:
        by_month[(day.year, day.month)] = day
    return sorted(by_month.values())


def dashboard(team_ids: list[int], *, since: dt.date) -> tuple[list[dt.date], list[Row]]:
    days = snapshot_days(team_ids, since=since)
    counts: dict[tuple[dt.date, str], dict[str, int]] = defaultdict(dict)
    for row in (
        StandardSnapshot.objects.filter(team_id__in=team_ids, as_of__in=days)
        .values("as_of", "code", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(row["as_of"], row["code"])][row["status"]] = row["n"]

    def cell(day: dt.date, code: str) -> Cell:
        c = counts.get((day, code), {})
        return Cell(
            c.get("met", 0), c.get("not_met", 0), c.get("pending", 0), c.get("not_applicable", 0)
        )

    rows = [
        Row(
            code=code,
            title=TITLES[code],
            latest=cell(days[-1], code) if days else Cell(0, 0, 0, 0),
            trend=[(day, cell(day, code)) for day in days],
        )
        for code, _ in RULES
    ]
    return days, rows


@transaction.atomic
def dashboard_open(
    actor: User, scope: AggregateScope, *, since: dt.date, export: bool = False
) -> tuple[list[dt.date], list[Row]]:
    """The dashboard's figures for the viewer's scope, with the aggregate view (or export)
    recorded in the audit trail: no person is named, but the registry was read."""
    figures = dashboard(scope.team_ids, since=since)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT if export else AuditAction.AGGREGATE,
        patient=None,
        object_type="standards_dashboard",
        detail=f"{scope.label} (teams {','.join(map(str, scope.team_ids))}); since {since}",
    )
    return figures


def not_met(actor: User, *, team_id: int, code: str) -> list[tuple[Patient, StandardSnapshot]]:
    """People of one team not meeting a standard on the latest snapshot: only for viewers who
    may see those people (never for an aggregate-only viewer). Audited as a list."""
    if code not in dict(RULES) or not has_permission(actor, Permission.VIEW_TEAM_PATIENTS):
        raise NotFound()
    if not team_ids_for(actor).filter(team_id=team_id).exists():
        raise NotFound()  # another team's list: as if it did not exist, as everywhere else
    allowed = patients_for_actor(actor).filter(team_id=team_id)
    latest = (
        StandardSnapshot.objects.filter(team_id=team_id)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )
    if latest is None:
        return []
    snaps = {
        s.patient_id: s
        for s in StandardSnapshot.objects.filter(
            team_id=team_id, as_of=latest, code=code, status="not_met"
        )
    }
    people = list(allowed.filter(pk__in=snaps.keys()).order_by("family_name", "given_name")[:500])
    audit_record_many(
        actor=actor,
        action=AuditAction.LIST,
        patient_ids=[p.pk for p in people],
        object_type="standards_not_met",
        detail=code,
    )
    return [(p, snaps[p.pk]) for p in people]
