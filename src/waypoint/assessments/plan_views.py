"""Care and support plan pages: the team's view and editor, the person's view, and the PDF."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.assessments import care_plans
from waypoint.assessments.models import ActionStatus, CarePlanRevision
from waypoint.assessments.rules import hna
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.errors import ValidationFailed
from waypoint.core.forms import NhsDateInput, NhsForm, normalise_newlines
from waypoint.registry.models import Patient
from waypoint.registry.services import patient_get_for_update, patient_open, patient_open_own

EXTRA_ROWS = 3
CONCERN_CHOICES = [("", "General")] + [
    (c.code, f"{d.title}: {c.text}") for d in hna.DOMAINS for c in d.concerns
]


class ActionForm(NhsForm):
    concern = forms.ChoiceField(required=False, choices=CONCERN_CHOICES)
    action = forms.CharField(required=False, max_length=500)
    owner = forms.CharField(
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    due_on = forms.DateField(required=False, widget=NhsDateInput())
    status = forms.ChoiceField(choices=ActionStatus.choices)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("action") or "").strip() and not (data.get("owner") or "").strip()


ActionFormSet = forms.formset_factory(ActionForm, extra=0)


def _initial(patient: Patient, revisions: list[CarePlanRevision]) -> list[dict[str, Any]]:
    if revisions:
        rows = [
            {
                "concern": a.concern,
                "action": a.action,
                "owner": a.owner,
                "due_on": a.due_on,
                "status": a.status,
            }
            for a in revisions[0].actions.all()
        ]
    else:
        rows = [
            {"concern": s.concern, "status": ActionStatus.TO_DO}
            for s in care_plans.suggested_actions(patient)
        ]
    return rows + [{"status": ActionStatus.TO_DO} for _ in range(EXTRA_ROWS)]


def _place_row_errors(kept: list[ActionForm], error: ValidationFailed) -> list[str]:
    """Put the service's ``actions.<i>.<field>`` errors beside the field of the row they are
    about (``i`` counts only the rows kept, not the empty ones); answer the rest."""
    rest: list[str] = []
    for key, message in error.fields.items():
        parts = key.split(".")
        if (
            len(parts) == 3
            and parts[1].isdigit()
            and int(parts[1]) < len(kept)
            and parts[2] in ActionForm.base_fields
        ):
            form = kept[int(parts[1])]
            form.add_error(parts[2], message)
            form.mark_invalid(parts[2])
        else:
            rest.append(message)
    return rest or ([] if any(f.errors for f in kept) else [error.message])


@permission_required(Permission.VIEW_TEAM_PATIENTS)
def plan(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    patient = patient_open(actor=actor, patient_id=patient_id)
    return render(
        request,
        "assessments/care_plan.html",
        {"patient": patient, "revisions": care_plans.revisions_of(patient), "portal": False},
    )


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def edit(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    patient = patient_get_for_update(actor=actor, patient_id=patient_id)
    revisions = care_plans.revisions_of(patient)
    formset = ActionFormSet(request.POST or None, initial=_initial(patient, revisions))
    if request.method == "POST":
        note = normalise_newlines(request.POST.get("note", ""))
        agreed = bool(request.POST.get("agreed_with_person"))
    else:
        # The form starts from the current plan, so saving it unchanged keeps every part of it.
        latest = revisions[0] if revisions else None
        note = latest.note if latest else ""
        agreed = latest.agreed_with_person if latest else True
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        kept = [f for f in formset.forms if not f.is_blank()]
        actions = [
            care_plans.ActionInput(
                action=f.cleaned_data.get("action") or "",
                owner=f.cleaned_data.get("owner") or "",
                due_on=f.cleaned_data.get("due_on"),
                status=f.cleaned_data.get("status") or ActionStatus.TO_DO,
                concern=f.cleaned_data.get("concern") or "",
            )
            for f in kept
        ]
        try:
            revision = care_plans.care_plan_revise(
                actor=actor,
                patient_id=patient.pk,
                actions=actions,
                note=note,
                agreed_with_person=agreed,
            )
        except ValidationFailed as exc:
            problems = _place_row_errors(kept, exc)
        else:
            messages.success(request, f"Revision {revision.number} of the plan is saved.")
            return redirect("care_plan", patient_id=patient.pk)
    return render(
        request,
        "assessments/care_plan_edit.html",
        {
            "patient": patient,
            "formset": formset,
            "note": note,
            "agreed": agreed,
            "problems": problems,
        },
        status=422 if problems or (request.method == "POST" and not formset.is_valid()) else 200,
    )


def _pdf_response(request: HttpRequest, patient: Patient, number: int | None) -> HttpResponse:
    revisions = care_plans.revisions_of(patient)
    chosen = next((r for r in revisions if number is None or r.number == number), None)
    if chosen is None:
        raise Http404
    audit_record(
        actor=acting_user(request),
        action=AuditAction.EXPORT,
        patient=patient,
        object_type=care_plans.PLAN_OBJECT,
        object_id=chosen.pk,
        detail=f"PDF of revision {chosen.number}",
    )
    response = HttpResponse(
        care_plans.care_plan_pdf(revision=chosen, patient=patient), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="care-plan-{patient.pk}-revision-{chosen.number}.pdf"'
    )
    return response


@permission_required(Permission.VIEW_TEAM_PATIENTS)
def pdf(request: HttpRequest, patient_id: int, number: int) -> HttpResponse:
    patient = patient_open(actor=acting_user(request), patient_id=patient_id)
    return _pdf_response(request, Patient.objects.select_related("team").get(pk=patient.pk), number)


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_plan(request: HttpRequest) -> HttpResponse:
    patient = patient_open_own(actor=acting_user(request))
    return render(
        request,
        "assessments/care_plan.html",
        {
            "patient": patient,
            "revisions": care_plans.revisions_of(patient)[:1],
            "portal": True,
            "contact": contact_for_patient(patient, day=timezone.localdate()),
        },
    )


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_pdf(request: HttpRequest) -> HttpResponse:
    patient = patient_open_own(actor=acting_user(request))
    return _pdf_response(request, Patient.objects.select_related("team").get(pk=patient.pk), None)
