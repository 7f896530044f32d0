from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from waypoint.accounts.http import acting_user
from waypoint.core.openapi import ErrorOut
from waypoint.reports import presenters
from waypoint.reports.schemas import (
    IncidenceOut,
    PrevalenceOut,
    ReportQuery,
    ResponseTimesOut,
    SurvivalOut,
)
from waypoint.reports.services import Report, report_open

router = Router(tags=["reports"])


def _open(request: HttpRequest, indicator: str, params: ReportQuery) -> Report:
    return report_open(
        actor=acting_user(request),
        indicators=(indicator,),
        team_id=params.team,
        organisation_id=params.organisation,
        since=params.since,
        until=params.until,
    )


@router.get(
    "/reports/prevalence",
    response={200: PrevalenceOut, 404: ErrorOut},
    summary="People living with secondary breast cancer now, by each breakdown",
)
def prevalence(request: HttpRequest, params: Query[ReportQuery]) -> PrevalenceOut:
    report = _open(request, "prevalence", params)
    assert report.prevalence is not None  # noqa: S101  # asked for
    return PrevalenceOut.build(
        report, presenters.present_prevalence(report.prevalence, report.threshold)
    )


@router.get(
    "/reports/incidence",
    response={200: IncidenceOut, 404: ErrorOut},
    summary="New secondary diagnoses per month over the period, by each breakdown",
)
def incidence(request: HttpRequest, params: Query[ReportQuery]) -> IncidenceOut:
    report = _open(request, "incidence", params)
    assert report.incidence is not None  # noqa: S101  # asked for
    return IncidenceOut.build(
        report, presenters.present_incidence(report.incidence, report.threshold)
    )


@router.get(
    "/reports/response-times",
    response={200: ResponseTimesOut, 404: ErrorOut},
    summary="Time from a symptom report being received to its acknowledgement, by level",
)
def response_times(request: HttpRequest, params: Query[ReportQuery]) -> ResponseTimesOut:
    report = _open(request, "response-times", params)
    assert report.response_times is not None  # noqa: S101  # asked for
    return ResponseTimesOut.build(
        report, presenters.present_response_times(report.response_times, report.threshold)
    )


@router.get(
    "/reports/survival",
    response={200: SurvivalOut, 404: ErrorOut},
    summary="Kaplan–Meier survival from secondary diagnosis, by receptor subtype",
)
def survival(request: HttpRequest, params: Query[ReportQuery]) -> SurvivalOut:
    report = _open(request, "survival", params)
    assert report.survival is not None  # noqa: S101  # asked for
    return SurvivalOut.build(
        report,
        presenters.present_survival(report.survival, report.threshold, report.minimum_group),
    )
