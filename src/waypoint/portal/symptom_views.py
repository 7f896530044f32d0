"""The symptom check: one question per page, then the outcome at once.

The same pages and steps serve the person themself and a carer the person allows to report for
them (portal/carer.py): ``Reporting`` says whose check it is and where its pages live, so the
questions, the grading and the advice shown are the same for both, written once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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
from waypoint.registry.models import Patient, ProxyAccess
from waypoint.treatment.models import TreatmentKind
from waypoint.treatment.selectors import active_line
from waypoint.triage import services
from waypoint.triage.models import Source
from waypoint.triage.presentation import describe_items, outcome_view
from waypoint.triage.rules.vocabulary import SYMPTOMS, Kind

NONE = "none"


@dataclass(frozen=True)
class Reporting:
    """Whose symptom check this is: the person's own (``proxy`` None), or a carer's for them."""

    patient: Patient
    proxy: ProxyAccess | None = None

    @property
    def session_key(self) -> str:
        # A carer helping two people keeps a separate draft for each, so answers about one
        # person can never be sent as the other's.
        return SESSION_KEY if self.proxy is None else f"{SESSION_KEY}:carer:{self.proxy.pk}"

    @property
    def source(self) -> str:
        return Source.PATIENT if self.proxy is None else Source.CARER

    def idempotency_key(self, draft: Draft) -> str:
        return f"portal-{draft.key}" if self.proxy is None else f"carer-{draft.key}"

    def step_url(self, step: str) -> str:
        if self.proxy is None:
            return reverse("portal_symptom_step", kwargs={"step": step})
        return reverse("carer_symptom_step", kwargs={"proxy_id": self.proxy.pk, "step": step})

    def result_url(self, report_id: int) -> str:
        if self.proxy is None:
            return reverse("portal_symptom_result", kwargs={"report_id": report_id})
        return reverse(
            "carer_symptom_result", kwargs={"proxy_id": self.proxy.pk, "report_id": report_id}
        )

    @property
    def home_url(self) -> str:
        if self.proxy is None:
            return reverse("portal_home")
        return reverse("carer_person", kwargs={"proxy_id": self.proxy.pk})

    def context(self) -> dict[str, object]:
        """What every page of the check shows: the team's numbers, and for a carer whose
        check it is (``helping``)."""
        return {
            "contact": contact_for_patient(self.patient, day=timezone.localdate()),
            "helping": self.proxy,
            "home_url": self.home_url,
        }


def _on_active_sact_line(patient: Patient) -> bool:
    line = active_line(patient)
    return line is not None and line.kind != TreatmentKind.ENDOCRINE


def _draft(request: HttpRequest, reporting: Reporting) -> Draft:
    return Draft.load(request.session.get(reporting.session_key), new_key=uuid.uuid4().hex)


def _save(request: HttpRequest, reporting: Reporting, draft: Draft) -> None:
    request.session[reporting.session_key] = draft.dump()


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
    return check_start(request, Reporting(own_patient(request)))


@permission_required(Permission.REPORT_OWN_SYMPTOMS)
def step_view(request: HttpRequest, step: str) -> HttpResponse:
    return check_step(request, Reporting(own_patient(request)), step)


@permission_required(Permission.VIEW_OWN_RECORD)
def result(request: HttpRequest, report_id: int) -> HttpResponse:
    return check_result(request, Reporting(own_patient(request)), report_id)


def check_start(request: HttpRequest, reporting: Reporting) -> HttpResponse:
    if request.GET.get("new"):
        request.session.pop(reporting.session_key, None)
    return redirect(reporting.step_url("emergency"))


def check_step(request: HttpRequest, reporting: Reporting, step: str) -> HttpResponse:
    patient = reporting.patient
    draft = _draft(request, reporting)
    on_line = _on_active_sact_line(patient)
    steps = draft.steps(on_active_sact_line=on_line)
    if step not in steps:
        raise Http404
    if step == "check":
        return _check(request, reporting, draft, steps)
    form = _form_for(step, draft, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _apply(step, draft, form.cleaned_data)
        _save(request, reporting, draft)
        if step == "emergency" and draft.emergency:
            # Do not ask anything more: store it now and tell them to call 999.
            return _submit(request, reporting, draft)
        steps = draft.steps(on_active_sact_line=on_line)
        return redirect(reporting.step_url(next_step(steps, step)))
    _save(request, reporting, draft)
    symptom = SYMPTOMS.get(step.removeprefix("item-")) if step.startswith("item-") else None
    back = previous_step(steps, step)
    response = render(
        request,
        "portal/symptom_step.html",
        {
            "step": step,
            "form": form,
            "symptom": symptom,
            "number": steps.index(step) + 1,
            "total": len(steps),
            "back_url": reporting.step_url(back) if back else reporting.home_url,
            **reporting.context(),
        },
        status=422 if request.method == "POST" else 200,
    )
    return remember_team(response, patient.team)


def _check(
    request: HttpRequest, reporting: Reporting, draft: Draft, steps: list[str]
) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, reporting, draft)
    rows = describe_items(draft.symptoms(), for_person=True)
    back = previous_step(steps, "check")
    return render(
        request,
        "portal/symptom_check.html",
        {
            "rows": rows,
            "draft": draft,
            "treatment_words": dict(TREATMENT_CHOICES).get(draft.treatment, ""),
            "number": len(steps),
            "total": len(steps),
            "back_url": reporting.step_url(back) if back else reporting.home_url,
            "change": {
                name: reporting.step_url(name) for name in ("symptoms", "treatment", "more")
            },
            **reporting.context(),
        },
    )


def _submit(request: HttpRequest, reporting: Reporting, draft: Draft) -> HttpResponse:
    try:
        report, _ = services.symptom_report_submit(
            actor=acting_user(request),
            patient=reporting.patient,
            source=reporting.source,
            data=services.ReportInput(
                symptoms=draft.symptoms(),
                context=draft.context(today=timezone.localdate()),
                free_text=draft.free_text,
            ),
            idempotency_key=reporting.idempotency_key(draft),
        )
    except ValidationFailed:
        # An answer no longer fits (the draft is from an older form): start again, keep nothing.
        request.session.pop(reporting.session_key, None)
        raise
    request.session.pop(reporting.session_key, None)
    return redirect(reporting.result_url(report.pk))


def check_result(request: HttpRequest, reporting: Reporting, report_id: int) -> HttpResponse:
    patient = reporting.patient
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
            **reporting.context(),
        },
    )
    return remember_team(response, patient.team)
