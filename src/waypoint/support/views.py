"""Support pages: the directory, a person's referrals and offers (team), and the portal's."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.accounts.policies import Permission
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.errors import WaypointError
from waypoint.core.http import acting_user
from waypoint.core.views import permission_required
from waypoint.portal.views import own_patient
from waypoint.registry.models import Patient
from waypoint.registry.services import patient_open
from waypoint.support import selectors, services
from waypoint.support.models import OfferKind, Referral, ReferralStatus, ServiceKind, ServiceMode


def _search_context(request: HttpRequest) -> dict[str, object]:
    params = {k: request.GET.get(k, "").strip()[:100] for k in ("kind", "area", "mode", "q")}
    return {
        "params": params,
        "kinds": ServiceKind.choices,
        "modes": ServiceMode.choices,
        "services": selectors.services_search(**params),
    }


def _referral_rows(patient: Patient) -> list[tuple[Referral, bool]]:
    today = timezone.localdate()
    return [(r, selectors.overdue(r, today=today)) for r in selectors.referrals_of(patient)]


@permission_required(Permission.VIEW_TEAM_PATIENTS, Permission.SEARCH_ORGANISATION_PATIENTS)
def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "support/directory.html", _search_context(request))


@permission_required(Permission.VIEW_TEAM_PATIENTS)
def patient_support(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    patient = patient_open(actor=actor, patient_id=patient_id)
    context = _search_context(request)
    context.update(
        {
            "patient": patient,
            "referrals": _referral_rows(patient),
            "offers": selectors.offers_of(patient),
            "offer_kinds": OfferKind.choices,
            "statuses": ReferralStatus.choices,
        }
    )
    return render(request, "support/patient_support.html", context)


def _act(request: HttpRequest, action: str, done: str, **kwargs: object) -> None:
    try:
        getattr(services, action)(actor=acting_user(request), **kwargs)
    except WaypointError as exc:
        if exc.status_code == 404:
            raise
        detail = "; ".join(exc.fields.values()) if exc.fields else ""
        messages.warning(request, f"{exc.message} {detail}".strip())
    else:
        messages.success(request, done)


@require_POST
@permission_required(Permission.EDIT_TEAM_PATIENTS)
def refer(request: HttpRequest, patient_id: int) -> HttpResponse:
    _act(
        request,
        "referral_create",
        "The referral is made.",
        patient_id=patient_id,
        service_id=int(request.POST.get("service_id") or 0),
        reason=request.POST.get("reason", ""),
    )
    return redirect("patient_support", patient_id=patient_id)


@require_POST
@permission_required(Permission.EDIT_TEAM_PATIENTS)
def move(request: HttpRequest, patient_id: int, referral_id: int) -> HttpResponse:
    booked = request.POST.get("booked_for") or None
    _act(
        request,
        "referral_move",
        "The referral is updated.",
        referral_id=referral_id,
        to=request.POST.get("status", ""),
        note=request.POST.get("note", ""),
        booked_for=timezone.make_aware(dt.datetime.fromisoformat(booked)) if booked else None,
    )
    return redirect("patient_support", patient_id=patient_id)


@require_POST
@permission_required(Permission.EDIT_TEAM_PATIENTS)
def offer(request: HttpRequest, patient_id: int) -> HttpResponse:
    answer = request.POST.get("accepted", "")
    _act(
        request,
        "offer_record",
        "The offer is recorded.",
        patient_id=patient_id,
        kind=request.POST.get("kind", ""),
        accepted={"yes": True, "no": False}.get(answer),
        note=request.POST.get("note", ""),
    )
    return redirect("patient_support", patient_id=patient_id)


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_support(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    context = _search_context(request)
    context.update(
        {
            "patient": patient,
            "referrals": _referral_rows(patient),
            "contact": contact_for_patient(patient, day=timezone.localdate()),
        }
    )
    return render(request, "support/portal_support.html", context)


@require_POST
@permission_required(Permission.VIEW_OWN_RECORD)
def portal_refer(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    _act(
        request,
        "referral_create",
        "Your request is sent. The service will contact you.",
        patient_id=patient.pk,
        service_id=int(request.POST.get("service_id") or 0),
        reason=request.POST.get("reason", "") or "I would like support from this service.",
    )
    return redirect("portal_support")
