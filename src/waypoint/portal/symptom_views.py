"""The person's symptom check: one question per page, then the outcome at once."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.errors import ValidationFailed
from waypoint.portal.symptom_steps import (
    EMERGENCY_CODES,
    EMERGENCY_WORDS,
    SESSION_KEY,
    TREATMENT_CHOICES,
    Draft,
    next_step,
    previous_step,
    reportable,
)
from waypoint.portal.views import own_patient, remember_team
from waypoint.registry.models import Patient
from waypoint.treatment.models import TreatmentKind
from waypoint.treatment.selectors import active_line
from waypoint.triage import services
from waypoint.triage.models import Source
from waypoint.triage.presentation import describe_items, outcome_view
from waypoint.triage.rules.vocabulary import SYMPTOMS, Kind

NONE = "none"


def _on_active_sact_line(patient: Patient) -> bool:
    line = active_line(patient)
    return line is not None and line.kind != TreatmentKind.ENDOCRINE


def _draft(request: HttpRequest) -> Draft:
    return Draft.load(request.session.get(SESSION_KEY), new_key=uuid.uuid4().hex)


def _save(request: HttpRequest, draft: Draft) -> None:
    request.session[SESSION_KEY] = draft.dump()


def _form_for(step: str, draft: Draft, data: Any = None) -> forms.Form:
    form = forms.Form(data)
    if step == "emergency":
        form.fields["emergency"] = forms.MultipleChoiceField(
            required=True,
            choices=[(c, EMERGENCY_WORDS[c]) for c in EMERGENCY_CODES] + [(NONE, "None of these")],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Tick what you have now, or 'None of these'."},
        )
        form.initial["emergency"] = draft.emergency or ([NONE] if draft.selected else [])
    elif step == "symptoms":
        form.fields["symptoms"] = forms.MultipleChoiceField(
            required=True,
            choices=[(s.code, s.question) for s in reportable()]
            + [(NONE, "None of these: I want to tell you something else")],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Tick at least one, or 'None of these'."},
        )
        form.initial["symptoms"] = draft.selected
    elif step.startswith("item-"):
        symptom = SYMPTOMS[step.removeprefix("item-")]
        if symptom.kind is Kind.GRADED:
            form.fields["answer"] = forms.ChoiceField(
                choices=[(str(i), words) for i, words in enumerate(symptom.grades, start=1)],
                widget=forms.RadioSelect(attrs={"class": "nhsuk-radios__input"}),
                error_messages={"required": "Choose the answer that fits best."},
            )
        elif symptom.kind is Kind.COUNTED:
            form.fields["answer"] = forms.IntegerField(
                min_value=0,
                max_value=1000,
                error_messages={"required": "Enter a number, or 0 if none."},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        else:
            form.fields["answer"] = forms.DecimalField(
                min_value=30,
                max_value=45,
                max_digits=4,
                decimal_places=1,
                error_messages={
                    "required": "Enter your temperature, for example 37.8.",
                    "min_value": "Check the reading: enter a temperature between 30 and 45.",
                    "max_value": "Check the reading: enter a temperature between 30 and 45.",
                },
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
            )
        if symptom.code in draft.answers:
            form.initial["answer"] = draft.answers[symptom.code]
    elif step == "treatment":
        form.fields["treatment"] = forms.ChoiceField(
            choices=TREATMENT_CHOICES,
            widget=forms.RadioSelect(attrs={"class": "nhsuk-radios__input"}),
            error_messages={"required": "Choose an answer. If you are not sure, say so."},
        )
        form.initial["treatment"] = draft.treatment
    elif step == "more":
        form.fields["free_text"] = forms.CharField(
            required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
        )
        form.initial["free_text"] = draft.free_text
    return form


def _apply(step: str, draft: Draft, cleaned: dict[str, Any]) -> None:
    if step == "emergency":
        draft.emergency = [c for c in cleaned["emergency"] if c != NONE]
    elif step == "symptoms":
        chosen = [c for c in cleaned["symptoms"] if c != NONE]
        draft.selected = chosen
        draft.answers = {k: v for k, v in draft.answers.items() if k in chosen}
    elif step.startswith("item-"):
        value = cleaned["answer"]
        draft.answers[step.removeprefix("item-")] = (
            float(value) if SYMPTOMS[step.removeprefix("item-")].kind is Kind.MEASURED else value
        )
    elif step == "treatment":
        draft.treatment = cleaned["treatment"]
    elif step == "more":
        draft.free_text = cleaned["free_text"].strip()


@permission_required(Permission.REPORT_OWN_SYMPTOMS)
def start(request: HttpRequest) -> HttpResponse:
    own_patient(request)
    if request.GET.get("new"):
        request.session.pop(SESSION_KEY, None)
    return redirect("portal_symptom_step", step="emergency")


@permission_required(Permission.REPORT_OWN_SYMPTOMS)
def step_view(request: HttpRequest, step: str) -> HttpResponse:
    patient = own_patient(request)
    draft = _draft(request)
    on_line = _on_active_sact_line(patient)
    steps = draft.steps(on_active_sact_line=on_line)
    if step not in steps:
        raise Http404
    if step == "check":
        return _check(request, patient, draft, steps)
    form = _form_for(step, draft, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _apply(step, draft, form.cleaned_data)
        _save(request, draft)
        if step == "emergency" and draft.emergency:
            # Do not ask anything more: store it now and tell them to call 999.
            return _submit(request, patient, draft)
        steps = draft.steps(on_active_sact_line=on_line)
        return redirect("portal_symptom_step", step=next_step(steps, step))
    _save(request, draft)
    symptom = SYMPTOMS.get(step.removeprefix("item-")) if step.startswith("item-") else None
    response = render(
        request,
        "portal/symptom_step.html",
        {
            "step": step,
            "form": form,
            "symptom": symptom,
            "number": steps.index(step) + 1,
            "total": len(steps),
            "back": previous_step(steps, step),
            "contact": contact_for_patient(patient, day=timezone.localdate()),
        },
        status=422 if request.method == "POST" else 200,
    )
    return remember_team(response, patient.team)


def _check(request: HttpRequest, patient: Patient, draft: Draft, steps: list[str]) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, patient, draft)
    rows = describe_items(draft.symptoms(), for_person=True)
    return render(
        request,
        "portal/symptom_check.html",
        {
            "rows": rows,
            "draft": draft,
            "treatment_words": dict(TREATMENT_CHOICES).get(draft.treatment, ""),
            "number": len(steps),
            "total": len(steps),
            "back": previous_step(steps, "check"),
            "contact": contact_for_patient(patient, day=timezone.localdate()),
        },
    )


def _submit(request: HttpRequest, patient: Patient, draft: Draft) -> HttpResponse:
    try:
        report, _ = services.symptom_report_submit(
            actor=acting_user(request),
            patient=patient,
            source=Source.PATIENT,
            data=services.ReportInput(
                symptoms=draft.symptoms(),
                context=draft.context(today=timezone.localdate()),
                free_text=draft.free_text,
            ),
            idempotency_key=f"portal-{draft.key}",
        )
    except ValidationFailed:
        # An answer no longer fits (the draft is from an older form): start again, keep nothing.
        request.session.pop(SESSION_KEY, None)
        raise
    request.session.pop(SESSION_KEY, None)
    return redirect("portal_symptom_result", report_id=report.pk)


@permission_required(Permission.VIEW_OWN_RECORD)
def result(request: HttpRequest, report_id: int) -> HttpResponse:
    patient = own_patient(request)
    report = services.report_open(actor=acting_user(request), report_id=report_id)
    if report.patient_id != patient.pk:
        raise Http404
    response = render(
        request,
        "portal/symptom_result.html",
        {
            "report": report,
            "outcome": outcome_view(report),
            "rows": describe_items(report.symptoms, for_person=True),
            "contact": contact_for_patient(patient, day=timezone.localdate()),
        },
    )
    return remember_team(response, patient.team)
