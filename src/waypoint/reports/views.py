from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waypoint.accounts.http import acting_user
from waypoint.core.csv_export import csv_download
from waypoint.core.errors import NotFound, ValidationFailed
from waypoint.core.forms import apply_service_errors
from waypoint.experience.results import shown
from waypoint.experience.selectors import experience_summary
from waypoint.reports import charts, presenters
from waypoint.reports.exports import write_csv
from waypoint.reports.forms import ReportFilterForm
from waypoint.reports.selectors import report_choices_for
from waypoint.reports.services import INDICATORS, Report, report_open


def _form(request: HttpRequest) -> ReportFilterForm:
    form = ReportFilterForm(request.GET or None)
    teams, organisations = report_choices_for(acting_user(request))
    form.set_choices(
        teams=[(t.pk, t.name) for t in teams], organisations=[(o.pk, o.name) for o in organisations]
    )
    return form


def _open(
    request: HttpRequest, form: ReportFilterForm, indicators: tuple[str, ...], *, export: bool
) -> Report:
    data = form.cleaned_data if form.is_bound else {}
    return report_open(
        actor=acting_user(request),
        indicators=indicators,
        team_id=data.get("team"),
        organisation_id=data.get("organisation"),
        since=data.get("since"),
        until=data.get("until"),
        export=export,
    )


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    """Every indicator for the chosen scope; 404 for anyone with no team to see."""
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/index.html", {"form": form}, status=400)
    try:
        report = _open(request, form, INDICATORS, export=False)
    except ValidationFailed as exc:
        apply_service_errors(form, exc)
        return render(request, "reports/index.html", {"form": form}, status=400)
    n = report.threshold
    assert report.prevalence and report.incidence and report.response_times and report.survival  # noqa: S101  # all four were asked for
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "report": report,
            "scope": report.scope,
            "query": request.GET.urlencode(),
            "prevalence": presenters.present_prevalence(report.prevalence, n),
            "incidence": presenters.present_incidence(report.incidence, n),
            "response_times": presenters.present_response_times(report.response_times, n),
            "survival": presenters.present_survival(report.survival, n, report.minimum_group),
            "x_ticks": charts.X_TICKS,
            "y_ticks": charts.Y_TICKS,
            "extra_sections": [_experience_section(report)],
        },
    )


def _experience_section(report: Report) -> dict[str, object]:
    """The patient-experience survey's headline figures for the same teams and period, with the
    same suppression as the rest of the page; its own page has the trend and the comments."""
    scope = report.scope
    summary = experience_summary(
        team_ids=list(scope.team_ids), since=scope.since, until=scope.until
    )
    return {
        "id": "experience",
        "title": "Patient experience",
        "template": "reports/includes/experience.html",
        "data": {
            "summary": summary,
            "total": shown(summary.total, threshold=report.threshold or None),
            "team_id": scope.team_id,
            "organisation_id": scope.organisation_id,
        },
    }


@login_required
def report_csv(request: HttpRequest, indicator: str) -> HttpResponse:
    if indicator not in INDICATORS:
        raise NotFound()
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse("The choice of scope or period is not valid.", status=400)
    report = _open(request, form, (indicator,), export=True)
    response, writer = csv_download(f"{indicator}.csv")
    write_csv(writer, indicator, report)
    return response
