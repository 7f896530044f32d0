from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.careteam.selectors import AggregateScope
from waypoint.core.csv_export import csv_download
from waypoint.core.errors import NotFound
from waypoint.standards import dashboard
from waypoint.standards.rules.standards import TITLES


def months_param(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("months", "6")), 1), 24)
    except ValueError:
        return 6


def _scope(request: HttpRequest) -> tuple[AggregateScope, int]:
    scope = dashboard.scope_for(
        acting_user(request),
        team=request.GET.get("team", ""),
        organisation=request.GET.get("organisation", ""),
    )
    return scope, months_param(request)


@permission_required(Permission.VIEW_AGGREGATES, Permission.VIEW_TEAM_PATIENTS)
def standards_dashboard(request: HttpRequest) -> HttpResponse:
    scope, months = _scope(request)
    since = timezone.localdate() - dt.timedelta(days=31 * months)
    days, rows = dashboard.dashboard_open(acting_user(request), scope, since=since)
    team_id = scope.team_id
    return render(
        request,
        "standards/dashboard.html",
        {
            "rows": rows,
            "days": days,
            "label": scope.label,
            "teams": scope.teams,
            "organisations": scope.organisations,
            "team_id": team_id,
            "organisation_id": scope.organisation_id,
            "months": months,
            "can_drill": team_id is not None
            and acting_user(request).role in ("key_worker", "oncologist"),
        },
    )


@permission_required(Permission.VIEW_AGGREGATES, Permission.VIEW_TEAM_PATIENTS)
def standards_csv(request: HttpRequest) -> HttpResponse:
    scope, months = _scope(request)
    label = scope.label
    since = timezone.localdate() - dt.timedelta(days=31 * months)
    _, rows = dashboard.dashboard_open(acting_user(request), scope, since=since, export=True)
    response, writer = csv_download("care-standards.csv")
    writer.writerow(
        [
            "scope",
            "as_of",
            "standard",
            "title",
            "met",
            "not_met",
            "pending",
            "not_applicable",
            "percent_met",
        ]
    )
    for row in rows:
        for day, cell in row.trend:
            writer.writerow(
                [
                    label,
                    day.isoformat(),
                    row.code,
                    row.title,
                    cell.met,
                    cell.not_met,
                    cell.pending,
                    cell.not_applicable,
                    "" if cell.percent_met is None else cell.percent_met,
                ]
            )
    return response


@permission_required(Permission.VIEW_TEAM_PATIENTS)
def drill_down(request: HttpRequest, code: str) -> HttpResponse:
    try:
        team_id = int(request.GET.get("team", ""))
    except ValueError as exc:
        raise NotFound() from exc
    people = dashboard.not_met(acting_user(request), team_id=team_id, code=code)
    return render(
        request,
        "standards/not_met.html",
        {"people": people, "code": code, "title": TITLES.get(code, ""), "team_id": team_id},
    )
