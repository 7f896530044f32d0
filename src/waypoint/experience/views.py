"""The survey on the portal, paper entry by staff, and the results page with its CSV.

The portal page asks every question on one page (each is one tap and any may be skipped); a
refused submission is shown again with every answer the person gave still chosen.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.bounds import DATE_RANGE_MESSAGE, date_in_range
from waypoint.core.csv_export import csv_download
from waypoint.core.errors import Conflict, NotFound, ValidationFailed
from waypoint.experience import charts, results, selectors, services
from waypoint.experience.models import ExperienceResponse
from waypoint.experience.rules import questionnaire
from waypoint.registry import policies as registry_policies
from waypoint.registry.services import patient_open, patient_open_own

FIELDS = [q.code for q in questionnaire.QUESTIONS] + [
    questionnaire.KEY_WORKER_NAME,
    questionnaire.COMMENT,
]


def _posted(data: QueryDict) -> dict[str, object]:
    return {name: data.get(name, "") for name in FIELDS}


def _error_list(errors: dict[str, str]) -> list[tuple[str, str]]:
    """(anchor, text) for the error summary, each naming its question."""
    names = {q.code: q.text for q in questionnaire.QUESTIONS} | {
        questionnaire.KEY_WORKER_NAME: "Your key worker's name",
        questionnaire.COMMENT: "Anything else",
    }
    return [
        (f"{field}-error" if field in names else "", f"{names[field]} {message}")
        if field in names
        else ("", message)
        for field, message in errors.items()
    ]


def _form_context(values: dict[str, object], errors: dict[str, str]) -> dict[str, object]:
    return {
        "error_list": _error_list(errors),
        "questions": questionnaire.QUESTIONS,
        "offered_text": questionnaire.OFFERED_TEXT,
        "values": values,
        "errors": errors,
        "name_max": questionnaire.KEY_WORKER_NAME_MAX,
        "comment_max": questionnaire.COMMENT_MAX,
    }


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_survey(request: HttpRequest) -> HttpResponse:
    patient = patient_open_own(actor=acting_user(request))
    contact = contact_for_patient(patient, day=timezone.localdate())
    invitation = selectors.open_invitation(patient, today=timezone.localdate())
    if invitation is None:
        latest = selectors.latest_invitation(patient)
        answered = latest is not None and latest.status == "answered"
        return render(
            request,
            "experience/survey_none.html",
            {
                "contact": contact,
                "message": services.ALREADY_ANSWERED
                if answered
                else "There is no survey for you to answer now. We will let you know when there "
                "is one.",
            },
            status=409 if request.method == "POST" else 200,
        )
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = _posted(request.POST)
        try:
            services.experience_response_submit(
                actor=acting_user(request), invitation_id=invitation.pk, answers=values
            )
        except ValidationFailed as exc:
            errors, status = exc.fields, 422
        except Conflict as exc:
            return render(
                request,
                "experience/survey_none.html",
                {"contact": contact, "message": exc.message},
                status=409,
            )
        else:
            return redirect("portal_survey_thanks")
    return render(
        request,
        "experience/survey.html",
        {
            "contact": contact,
            "patient_view": True,
            "last_day": invitation.closes_on - dt.timedelta(days=1),
            **_form_context(values, errors),
        },
        status=status,
    )


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_survey_thanks(request: HttpRequest) -> HttpResponse:
    patient = patient_open_own(actor=acting_user(request))
    return render(
        request,
        "experience/thanks.html",
        {"contact": contact_for_patient(patient, day=timezone.localdate())},
    )


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def paper_entry(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    patient = patient_open(actor=actor, patient_id=patient_id)
    if not registry_policies.can_edit_patient(actor, patient):
        raise NotFound()
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = _posted(request.POST)
        try:
            response = services.experience_paper_record(
                actor=actor, patient_id=patient.pk, answers=values
            )
        except ValidationFailed as exc:
            errors, status = exc.fields, 422
        except Conflict as exc:
            errors, status = {"__all__": exc.message}, 409
        else:
            return redirect("experience_paper_done", patient_id=patient.pk, response_id=response.pk)
    return render(
        request,
        "experience/survey.html",
        {"patient": patient, "patient_view": False, **_form_context(values, errors)},
        status=status,
    )


def _answer_rows(response: ExperienceResponse) -> list[tuple[str, str]]:
    rows = []
    for q in questionnaire.QUESTIONS:
        value = getattr(response, q.code)
        text = q.text if not q.group else f"{questionnaire.OFFERED_TEXT} {q.text.lower()}"
        rows.append((text, dict(q.options).get(value, "Skipped")))
    rows.append(("Their key worker's name", response.key_worker_name or "Not written"))
    rows.append(("Anything else", response.comment or "Nothing written"))
    return rows


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def paper_done(request: HttpRequest, patient_id: int, response_id: int) -> HttpResponse:
    response = services.experience_paper_open(actor=acting_user(request), response_id=response_id)
    if response.patient_id != patient_id:
        raise NotFound()
    return render(
        request,
        "experience/paper_done.html",
        {"response": response, "patient": response.patient, "rows": _answer_rows(response)},
    )


def _int(value: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise NotFound() from exc


def _date(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(
            "Give dates as YYYY-MM-DD.", fields={field: "Give a date as YYYY-MM-DD."}
        ) from exc
    if not date_in_range(day):
        raise ValidationFailed(DATE_RANGE_MESSAGE, fields={field: DATE_RANGE_MESSAGE})
    return day


def _open(request: HttpRequest, *, export: bool) -> results.Results:
    return results.experience_results_open(
        actor=acting_user(request),
        team_id=_int(request.GET.get("team", "")),
        organisation_id=_int(request.GET.get("organisation", "")),
        since=_date(request.GET.get("since", ""), "since"),
        until=_date(request.GET.get("until", ""), "until"),
        export=export,
    )


def _query(found: results.Results) -> str:
    scope = found.scope
    parts = [f"since={found.summary.since.isoformat()}", f"until={found.summary.until.isoformat()}"]
    if scope.team_id is not None:
        parts.insert(0, f"team={scope.team_id}")
    elif scope.organisation_id is not None:
        parts.insert(0, f"organisation={scope.organisation_id}")
    return "&".join(parts)


@login_required
def results_page(request: HttpRequest) -> HttpResponse:
    """Patients, helpline nurses and anyone without teams to see get 404, like any record."""
    found = _open(request, export=False)
    total = results.shown(found.summary.total, threshold=found.threshold)
    months = [
        (m.month, results.shown(m.figures, threshold=found.threshold)) for m in found.summary.months
    ]
    return render(
        request,
        "experience/results.html",
        {
            "found": found,
            "scope": found.scope,
            "summary": found.summary,
            "total": total,
            "months": months,
            "bars": charts.bars(total),
            "trend": charts.trend(months),
            "query": _query(found),
        },
    )


@login_required
def results_csv(request: HttpRequest) -> HttpResponse:
    """Always with small numbers suppressed: a CSV leaves the page and its viewer."""
    found = _open(request, export=True)
    response, writer = csv_download("patient-experience.csv")
    writer.writerow(
        ["scope", "month", "measure", "title", "count", "of", "percent", "questionnaire"]
    )
    periods = [("whole period", found.summary.total)] + [
        (m.month.strftime("%Y-%m"), m.figures) for m in found.summary.months
    ]
    for label, figures in periods:
        shown = results.shown(figures, threshold=found.threshold)
        version = found.summary.questionnaire_version
        writer.writerow(
            [
                found.scope.label,
                label,
                "response_rate",
                "Responses to invitations sent",
                shown.responses,
                shown.invitations,
                shown.response_rate,
                version,
            ]
        )
        for share in shown.shares:
            writer.writerow(
                [
                    found.scope.label,
                    label,
                    share.code,
                    share.indicator,
                    share.positive,
                    share.answered,
                    share.percent,
                    version,
                ]
            )
    return response
