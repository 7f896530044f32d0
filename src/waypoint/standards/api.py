from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from waypoint.accounts.http import acting_user
from waypoint.core.errors import ValidationFailed
from waypoint.core.http import access_reason
from waypoint.core.openapi import ErrorOut
from waypoint.registry.services import patient_open
from waypoint.standards import dashboard
from waypoint.standards.rules.standards import RULES_VERSION, TITLES, Result
from waypoint.standards.selectors import standards_and_due

router = Router(tags=["standards"])


class StandardOut(Schema):
    code: str
    title: str
    status: str
    deadline: dt.date | None
    evidence: str
    rules_version: str
    open: bool


class StandardsOut(Schema):
    standards: list[StandardOut]
    due: list[StandardOut]


def _out(r: Result) -> StandardOut:
    return StandardOut(
        code=r.code,
        title=TITLES[r.code],
        status=r.status.value,
        deadline=r.deadline,
        evidence=r.evidence,
        rules_version=r.rules_version,
        open=r.open,
    )


@router.get(
    "/patients/{patient_id}/standards",
    response=list[StandardOut],
    summary="Every care standard for the person now: met, not met, pending or not applicable",
)
def patient_standards(request: HttpRequest, patient_id: int) -> list[StandardOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    results, _ = standards_and_due(patient.pk, now=timezone.now())
    return [_out(r) for r in results]


@router.get(
    "/patients/{patient_id}/due",
    response=list[StandardOut],
    summary="What is still to do for the person, overdue first, then by deadline",
)
def patient_due(request: HttpRequest, patient_id: int) -> list[StandardOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    _, due = standards_and_due(patient.pk, now=timezone.now())
    return [_out(r) for r in due]


class CellOut(Schema):
    met: int
    not_met: int
    pending: int
    percent_met: float | None


class TrendPointOut(CellOut):
    as_of: dt.date


class DashboardRowOut(Schema):
    code: str
    title: str
    latest: CellOut
    trend: list[TrendPointOut]


class DashboardOut(Schema):
    scope: str
    team_ids: list[int]
    as_of: dt.date | None
    rules_version: str
    rows: list[DashboardRowOut]


class NotMetOut(Schema):
    patient_id: int
    given_name: str
    family_name: str
    nhs_number: str | None
    deadline: dt.date | None
    evidence: str


def _cell(c: dashboard.Cell) -> CellOut:
    return CellOut(met=c.met, not_met=c.not_met, pending=c.pending, percent_met=c.percent_met)


@router.get(
    "/standards/dashboard",
    response={200: DashboardOut, 404: ErrorOut},
    summary="Per cent met per standard, latest and at each month end, for a team, an "
    "organisation or every team you may see",
)
def standards_dashboard(
    request: HttpRequest, team: str = "", organisation: str = "", months: int = 6
) -> DashboardOut:
    if not 1 <= months <= 24:
        raise ValidationFailed("Choose 1 to 24 months.", fields={"months": "1 to 24"})
    actor = acting_user(request)
    scope = dashboard.scope_for(actor, team=team, organisation=organisation)
    since = timezone.localdate() - dt.timedelta(days=31 * months)
    days, rows = dashboard.dashboard_open(actor, scope, since=since)
    return DashboardOut(
        scope=scope.label,
        team_ids=scope.team_ids,
        as_of=days[-1] if days else None,
        rules_version=RULES_VERSION,
        rows=[
            DashboardRowOut(
                code=row.code,
                title=row.title,
                latest=_cell(row.latest),
                trend=[TrendPointOut(as_of=day, **_cell(c).dict()) for day, c in row.trend],
            )
            for row in rows
        ],
    )


@router.get(
    "/standards/{code}/not-met",
    response=list[NotMetOut],
    summary="People of one team not meeting a standard (the team's clinicians only; audited)",
)
def standards_not_met(request: HttpRequest, code: str, team: int) -> list[NotMetOut]:
    people = dashboard.not_met(acting_user(request), team_id=team, code=code)
    return [
        NotMetOut(
            patient_id=p.pk,
            given_name=p.given_name,
            family_name=p.family_name,
            nhs_number=p.nhs_number,
            deadline=snap.deadline,
            evidence=snap.evidence,
        )
        for p, snap in people
    ]
