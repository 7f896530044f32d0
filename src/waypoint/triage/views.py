"""Clinicians' triage pages: the team queue, one report, and the helpline call form."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission, has_permission
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.errors import Conflict, NotFound, ValidationFailed, WaypointError
from waypoint.core.forms import apply_service_errors
from waypoint.core.http import page_number
from waypoint.core.views import form_page
from waypoint.registry import policies as registry_policies
from waypoint.registry.models import Patient
from waypoint.registry.services import patient_open, patient_search
from waypoint.treatment.selectors import active_line
from waypoint.triage import helpline, selectors, services
from waypoint.triage import queue as queue_reads
from waypoint.triage.forms import (
    AcknowledgeForm,
    CloseForm,
    GradeOnlyForm,
    HelplineCallForm,
    LinkCallForm,
    symptoms_from_answers,
)
from waypoint.triage.models import HelplineCall, SymptomReport
from waypoint.triage.presentation import describe_items, outcome_view
from waypoint.triage.rules.grading import Outcome


@permission_required(Permission.TRIAGE_REPORTS)
def queue(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    teams = list(selectors.queue_teams(actor))
    if not teams:
        return render(request, "triage/queue.html", {"teams": [], "team": None})
    try:
        team_id = int(request.GET.get("team", teams[0].pk))
    except ValueError:
        team_id = teams[0].pk
    team = next((t for t in teams if t.pk == team_id), None)
    if team is None:
        raise NotFound()
    page = queue_reads.triage_queue_page(
        actor, team_id=team.pk, page=page_number(request), page_size=50
    )
    return render(
        request,
        "triage/queue.html",
        {
            "teams": teams,
            "team": team,
            "page": page,
            "now": timezone.now(),
            # Missed check-ins name people of the team, which only the team's own clinicians
            # see without a reason; a helpline nurse's queue is the calls and reports alone.
            "outreach": queue_reads.outreach_for_team(actor, team_id=team.pk)
            if has_permission(actor, Permission.VIEW_TEAM_PATIENTS)
            else None,
        },
    )


@permission_required(Permission.TRIAGE_REPORTS, Permission.VIEW_OWN_RECORD)
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = acting_user(request)
    if actor.role == "patient":
        return redirect("portal_symptom_result", report_id=report_id)
    report = services.report_open(
        actor=actor, report_id=report_id, reason=request.GET.get("reason", "")[:300]
    )
    return _render_detail(request, report, AcknowledgeForm(), CloseForm())


def _render_detail(
    request: HttpRequest,
    report: SymptomReport,
    ack_form: AcknowledgeForm,
    close_form: CloseForm,
    status: int = 200,
) -> HttpResponse:
    contact = (
        contact_for_patient(report.patient, day=timezone.localdate()) if report.patient else None
    )
    call = getattr(report, "helpline_call", None)
    return render(
        request,
        "triage/report_detail.html",
        {
            "report": report,
            "outcome": outcome_view(report),
            "answers": describe_items(report.symptoms),
            "history": selectors.report_history(report),
            "contact": contact,
            "call": call,
            "ack_form": ack_form,
            "close_form": close_form,
            "now": timezone.now(),
            # A helpline nurse opens the record from a report they are dealing with: that report
            # is the reason the record asks them for, and it is recorded as such.
            "record_query": (
                urlencode({"reason": f"Dealing with symptom report {report.pk}"})
                if registry_policies.needs_reason(acting_user(request))
                else ""
            ),
        },
        status=status,
    )


@require_POST
@permission_required(Permission.TRIAGE_REPORTS)
def acknowledge(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = acting_user(request)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.symptom_report_acknowledge(
                actor=actor, report_id=report_id, action_taken=form.cleaned_data["action_taken"]
            )
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        except WaypointError as exc:
            if exc.status_code == 404:
                raise
            messages.error(request, exc.message)
            return redirect("triage_report", report_id=report_id)
        else:
            messages.success(request, "You have acknowledged the report. The clock has stopped.")
            return redirect("triage_report", report_id=report_id)
    report = services.report_open(actor=actor, report_id=report_id)
    return _render_detail(request, report, form, CloseForm(), status=422)


@require_POST
@permission_required(Permission.TRIAGE_REPORTS)
def close(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = acting_user(request)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.symptom_report_close(
                actor=actor,
                report_id=report_id,
                outcome=form.cleaned_data["outcome"],
                action_taken=form.cleaned_data["action_taken"],
            )
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        except WaypointError as exc:
            if exc.status_code == 404:
                raise
            messages.error(request, exc.message)
            return redirect("triage_report", report_id=report_id)
        else:
            messages.success(request, "The outcome is recorded and the report is closed.")
            return redirect("triage_report", report_id=report_id)
    report = services.report_open(actor=actor, report_id=report_id)
    return _render_detail(request, report, AcknowledgeForm(), form, status=422)


# --- Helpline ----------------------------------------------------------------------------------


def _chosen_patient(request: HttpRequest, reason: str) -> Patient | None:
    """The person the call is about, opened (and so audited) with the call as the reason."""
    raw = request.POST.get("patient") or request.GET.get("patient")
    if not raw:
        return None
    try:
        patient_id = int(raw)
    except ValueError:
        return None
    opened = patient_open(actor=acting_user(request), patient_id=patient_id, reason=reason)
    return Patient.objects.select_related("team").get(pk=opened.pk)


def _grade_form_outcome(
    form: GradeOnlyForm | HelplineCallForm, patient: Patient | None
) -> tuple[Outcome | None, str]:
    """Grade the symptom part of a bound form; answer the outcome or why it could not be graded."""
    try:
        graded = services.triage_grade(
            data=services.ReportInput(
                symptoms=symptoms_from_answers(form.symptom_answers()),
                context=form.context(),
                free_text=form.cleaned_data.get("free_text") or "",
            ),
            patient=patient,
            now=timezone.now(),
        )
    except ValidationFailed as exc:
        return None, "; ".join(exc.fields.values()) or exc.message
    return graded.outcome, ""


@permission_required(Permission.LOG_HELPLINE_CALL)
def helpline_call(request: HttpRequest) -> HttpResponse:
    """The call form, in the order of a call: person, caller, symptoms, grade, advice, log."""
    actor = acting_user(request)
    reason = "Helpline call"
    patient = _chosen_patient(request, reason)
    search_query = request.GET.get("q", "").strip()
    results = None
    if search_query and patient is None:
        results = patient_search(
            actor=actor, query=search_query, reason=reason, page=1, page_size=10
        )
    outcome = None
    grade_problem = ""
    if request.method == "POST":
        form = HelplineCallForm(request.POST)
        if request.POST.get("action") == "grade":
            # Grade what is entered so far; the form is shown again, unjudged, to carry on with.
            grade_form = GradeOnlyForm(request.POST)
            grade_form.is_valid()
            outcome, grade_problem = _grade_form_outcome(grade_form, patient)
            initial = request.POST.dict()
            if outcome is not None and not initial.get("advice_given", "").strip():
                # The words to say, from the one advice source, ready to edit into what was said.
                initial["advice_given"] = outcome_view(outcome).read_out
            form = HelplineCallForm(initial=initial)
        elif form.is_valid():
            outcome, grade_problem = _grade_form_outcome(form, patient)
            try:
                call = _log(request, form, patient)
            except (ValidationFailed, Conflict) as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, f"The call is logged ({call.report.get_level_display()})."
                )
                return redirect("triage_report", report_id=call.report_id)
    else:
        form = HelplineCallForm(
            initial={"idempotency_key": uuid.uuid4().hex, "caller_relationship": "self"}
        )
    context = {
        "form": form,
        "patient": patient,
        "contact": contact_for_patient(patient, day=timezone.localdate()) if patient else None,
        "line": active_line(patient) if patient else None,
        "search_query": search_query,
        "results": results,
        "outcome": outcome_view(outcome) if outcome else None,
        "grade_problem": grade_problem,
        "in_call_form": True,
    }
    return render(request, "triage/helpline_call.html", context)


def _log(request: HttpRequest, form: HelplineCallForm, patient: Patient | None) -> HelplineCall:
    data = form.cleaned_data
    called_at = data.get("called_at")
    return helpline.helpline_call_log(
        actor=acting_user(request),
        patient_id=patient.pk if patient else None,
        call=helpline.CallInput(
            caller_name=data["caller_name"],
            caller_relationship=data["caller_relationship"],
            callback_number=data["callback_number"],
            advice_given=data["advice_given"],
            disposition=data["disposition"],
            called_at=called_at,
            follow_up_due=data.get("follow_up_due"),
            notes=data.get("notes") or "",
            person_given_name=data.get("person_given_name") or "",
            person_family_name=data.get("person_family_name") or "",
            person_birth_date=data.get("person_birth_date"),
            person_nhs_number=data.get("person_nhs_number") or "",
        ),
        report=services.ReportInput(
            symptoms=symptoms_from_answers(form.symptom_answers()),
            reported_at=called_at,
            context=form.context(),
            free_text=data.get("free_text") or "",
        ),
        idempotency_key=data.get("idempotency_key") or "",
    )


@require_POST
@permission_required(Permission.LOG_HELPLINE_CALL)
def helpline_grade(request: HttpRequest) -> HttpResponse:
    """The live grade panel (htmx): grades what is on the form so far, stores nothing."""
    patient = _chosen_patient(request, "Helpline call")
    form = GradeOnlyForm(request.POST)
    form.is_valid()
    outcome, problem = _grade_form_outcome(form, patient)
    return render(
        request,
        "triage/_grade_panel.html",
        {
            "outcome": outcome_view(outcome) if outcome else None,
            "grade_problem": problem,
            "in_call_form": True,
        },
    )


@permission_required(Permission.LOG_HELPLINE_CALL)
def unregistered_calls(request: HttpRequest) -> HttpResponse:
    calls = selectors.unregistered_calls(acting_user(request))[:200]
    return render(request, "triage/unregistered.html", {"calls": calls})


@require_POST
@permission_required(Permission.LOG_HELPLINE_CALL)
def link_call(request: HttpRequest, call_id: int) -> HttpResponse:
    actor = acting_user(request)
    form = LinkCallForm(request.POST)
    if form.is_valid():
        nhs_number = form.cleaned_data["nhs_number"]
        scope = registry_policies.patients_for_actor(
            actor, reason=f"Linking helpline call {call_id}"
        )
        patient_id = scope.filter(nhs_number=nhs_number).values_list("pk", flat=True).first()
        if patient_id is not None:
            helpline.helpline_call_link_patient(actor=actor, call_id=call_id, patient_id=patient_id)
            messages.success(request, "The call is now on the person's record.")
            return redirect(reverse("patient_detail", args=[patient_id]))
        form.add_error(
            "nhs_number", "Nobody with that NHS number is registered yet. Register them first."
        )
    return form_page(
        request,
        form,
        title="Link the call to a registered person",
        submit="Link",
        back_url=reverse("triage_unregistered"),
        back_text="Back to unregistered callers",
    )
