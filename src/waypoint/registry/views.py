from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.core.errors import WaypointError
from waypoint.core.forms import NhsForm, apply_service_errors
from waypoint.core.pagination import Page
from waypoint.registry import policies, results, services
from waypoint.registry.forms import (
    BiopsyForm,
    CarerForm,
    PatientEditForm,
    PrimaryDiagnosisForm,
    ProxyForm,
    ReceptorResultForm,
    SearchForm,
    SecondaryDiagnosisForm,
)
from waypoint.registry.models import Patient, ProxyAccess
from waypoint.registry.services import proxies


@permission_required(Permission.VIEW_TEAM_PATIENTS, Permission.SEARCH_ORGANISATION_PATIENTS)
def search(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    asks_reason = policies.needs_reason(actor)
    form = SearchForm(request.GET or None)
    if not asks_reason:
        del form.fields["reason"]
    result: Page[Patient] | None = None
    reason = ""
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        reason = form.cleaned_data.get("reason", "") or ""
        try:
            result = services.patient_search(
                actor=actor, query=form.cleaned_data["q"], reason=reason
            )
        except WaypointError as exc:
            apply_service_errors(form, exc)
    return render(
        request,
        "registry/search.html",
        {
            "form": form,
            "result": result,
            "reason_query": urlencode({"reason": reason}) if reason else "",
            "can_register": has_permission(actor, Permission.REGISTER_PATIENT),
        },
    )


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def secondary_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    form = SecondaryDiagnosisForm(request.POST or None, initial={"biopsy_decision": "not_decided"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sites = [
            services.SiteInput(code, data["other_site"] if code == "other" else "")
            for code in data["sites"]
        ]
        try:
            services.secondary_diagnosis_record(
                actor=actor,
                patient=patient,
                diagnosed_on=data["diagnosed_on"],
                presentation=data["presentation"],
                sites=sites,
                er=data["er"],
                pr=data["pr"],
                her2=data["her2"],
                receptors_assessed_on=data["receptors_assessed_on"],
                biopsy_decision=data["biopsy_decision"],
                biopsy_not_feasible_reason=data["biopsy_not_feasible_reason"],
            )
        except WaypointError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Secondary diagnosis recorded.")
            return redirect("patient_detail", patient.pk)
    return render(request, "registry/secondary_new.html", {"form": form, "patient": patient})


_EDIT_FIELDS = tuple(PatientEditForm.base_fields)


def _record_form_page(
    request: HttpRequest,
    patient_id: int,
    *,
    form_class: type[NhsForm],
    title: str,
    initial: Callable[[Patient], dict[str, Any]] | None = None,
    save: Callable[[User, Patient, dict[str, Any]], str | None],
) -> HttpResponse:
    """A form on one person's record: show it, save through a service, or show its errors.

    ``save`` calls the service and returns the message to show on the record page, or None when
    there was nothing to save.
    """
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    form = form_class(request.POST or None, initial=initial(patient) if initial else {})
    if request.method == "POST" and form.is_valid():
        try:
            done = save(actor, patient, form.cleaned_data)
        except WaypointError as exc:
            apply_service_errors(form, exc)
        else:
            if done is None:
                messages.info(request, "Nothing was changed.")
            else:
                messages.success(request, done)
            return redirect("patient_detail", patient.pk)
    return render(
        request,
        "registry/simple_form.html",
        {"form": form, "patient": patient, "title": title},
        status=422 if form.errors else 200,
    )


def _blank(value: object) -> bool:
    return value in ("", None)


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def patient_edit(request: HttpRequest, patient_id: int) -> HttpResponse:
    def current(patient: Patient) -> dict[str, Any]:
        return {name: getattr(patient, name) for name in _EDIT_FIELDS}

    def save(actor: User, patient: Patient, data: dict[str, Any]) -> str | None:
        before = current(patient)
        changes = {
            name: value
            for name, value in data.items()
            if value != before[name] and not (_blank(value) and _blank(before[name]))
        }
        if not changes:
            return None
        services.patient_update(actor=actor, patient=patient, changes=changes)
        return "Details saved."

    return _record_form_page(
        request,
        patient_id,
        form_class=PatientEditForm,
        title="Change details",
        initial=current,
        save=save,
    )


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def primary_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    def save(actor: User, patient: Patient, data: dict[str, Any]) -> str:
        services.primary_diagnosis_record(actor=actor, patient=patient, **data)
        return "Primary diagnosis recorded."

    return _record_form_page(
        request,
        patient_id,
        form_class=PrimaryDiagnosisForm,
        title="Record the primary diagnosis",
        save=save,
    )


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def carer_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    def save(actor: User, patient: Patient, data: dict[str, Any]) -> str:
        services.carer_contact_add(actor=actor, patient=patient, **data)
        return "Carer added."

    return _record_form_page(
        request, patient_id, form_class=CarerForm, title="Add a carer", save=save
    )


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def proxy_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A clinician records someone the person trusts, with the person's consent."""

    def save(actor: User, patient: Patient, data: dict[str, Any]) -> str:
        granted = proxies.proxy_grant(
            actor=actor,
            patient_id=patient.pk,
            name=data["name"],
            relationship=data["relationship"],
            email=data["email"],
            phone=data["phone"],
            consent_note=data["consent_note"],
            scopes=proxies.ProxyScopes(
                appointments=data["appointments"],
                resource_pack=data["resource_pack"],
                report_symptoms=data["report_symptoms"],
                timeline=data["timeline"],
            ),
            now=timezone.now(),
        )
        return f"{granted.proxy.name} is invited ({granted.invitation.sent_to})."

    return _record_form_page(
        request,
        patient_id,
        form_class=ProxyForm,
        title="Give someone access to act for the person",
        save=save,
    )


@permission_required(Permission.EDIT_TEAM_PATIENTS)
@require_POST
def proxy_end(request: HttpRequest, patient_id: int, proxy_id: int) -> HttpResponse:
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    proxy = ProxyAccess.objects.filter(pk=proxy_id, patient=patient).first()
    if proxy is None:
        raise Http404
    proxies.proxy_end(actor=actor, proxy_id=proxy.pk, now=timezone.now())
    messages.success(request, f"{proxy.name} can no longer act for {patient.given_name}.")
    return redirect("patient_detail", patient.pk)


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def receptor_result_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    def save(actor: User, patient: Patient, data: dict[str, Any]) -> str:
        results.receptor_result_record(actor=actor, patient=patient, **data)
        return "Receptor result recorded."

    return _record_form_page(
        request,
        patient_id,
        form_class=ReceptorResultForm,
        title="Record a receptor result",
        save=save,
    )


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def biopsy_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    def save(actor: User, patient: Patient, data: dict[str, Any]) -> str:
        results.biopsy_record(actor=actor, patient=patient, **data)
        return "Biopsy recorded."

    return _record_form_page(
        request, patient_id, form_class=BiopsyForm, title="Record a biopsy", save=save
    )
