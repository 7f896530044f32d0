"""Support pages: the directory, a person's referrals and offers (team), and the portal's."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.models import Role
from waypoint.accounts.policies import Permission
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.errors import NotFound, WaypointError
from waypoint.core.forms import NhsForm
from waypoint.core.views import form_page, form_service_call
from waypoint.registry.models import Patient
from waypoint.registry.services import patient_open, patient_open_own
from waypoint.support import resource_pack, selectors, services, sessions
from waypoint.support.forms import (
    OfferForm,
    PackOrderForm,
    PortalReferralForm,
    ReferralForm,
    ReferralMoveForm,
)
from waypoint.support.models import (
    Booking,
    BookingStatus,
    OfferKind,
    PeerSession,
    Referral,
    ReferralStatus,
    ServiceKind,
    ServiceMode,
)


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


def _act(request: HttpRequest, form: NhsForm, action: str, done: str, **kwargs: object) -> bool:
    """Call the service ``action``; on success say ``done``, else put its errors on ``form``."""
    return form_service_call(
        request,
        form,
        lambda: getattr(services, action)(actor=acting_user(request), **kwargs),
        done=done,
    )


def _patient_page(patient: Patient) -> dict[str, str]:
    return {
        "back_url": reverse("patient_support", args=[patient.pk]),
        "back_text": "Back to support and referrals",
        "caption": f"{patient.given_name} {patient.family_name}",
    }


@require_POST
@permission_required(Permission.EDIT_TEAM_PATIENTS)
def refer(request: HttpRequest, patient_id: int) -> HttpResponse:
    form = ReferralForm(request.POST)
    if form.is_valid() and _act(
        request,
        form,
        "referral_create",
        "The referral is made.",
        patient_id=patient_id,
        service_id=form.cleaned_data["service_id"],
        reason=form.cleaned_data["reason"],
    ):
        return redirect("patient_support", patient_id=patient_id)
    patient = patient_open(actor=acting_user(request), patient_id=patient_id)
    service = selectors.service_named(form.data.get("service_id"))
    return form_page(
        request,
        form,
        title=f"Refer to {service}" if service else "Make a referral",
        submit="Refer",
        **_patient_page(patient),
    )


@require_POST
@permission_required(Permission.EDIT_TEAM_PATIENTS)
def move(request: HttpRequest, patient_id: int, referral_id: int) -> HttpResponse:
    form = ReferralMoveForm(request.POST)
    if form.is_valid() and _act(
        request,
        form,
        "referral_move",
        "The referral is updated.",
        referral_id=referral_id,
        to=form.cleaned_data["status"],
        note=form.cleaned_data["note"],
        booked_for=form.cleaned_data["booked_for"],
    ):
        return redirect("patient_support", patient_id=patient_id)
    patient = patient_open(actor=acting_user(request), patient_id=patient_id)
    referral = selectors.referrals_of(patient).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound()
    return form_page(
        request,
        form,
        title=f"Update the referral to {referral.service.name}",
        intro=f"It is {referral.get_status_display().lower()} now.",
        submit="Update",
        **_patient_page(patient),
    )


@require_POST
@permission_required(Permission.EDIT_TEAM_PATIENTS)
def offer(request: HttpRequest, patient_id: int) -> HttpResponse:
    form = OfferForm(request.POST)
    if form.is_valid() and _act(
        request,
        form,
        "offer_record",
        "The offer is recorded.",
        patient_id=patient_id,
        kind=form.cleaned_data["kind"],
        accepted=form.accepted_answer(),
        note=form.cleaned_data["note"],
    ):
        return redirect("patient_support", patient_id=patient_id)
    patient = patient_open(actor=acting_user(request), patient_id=patient_id)
    return form_page(
        request,
        form,
        title="Record support offered",
        submit="Record the offer",
        **_patient_page(patient),
    )


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_support(request: HttpRequest) -> HttpResponse:
    patient = patient_open_own(actor=acting_user(request))
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
    patient = patient_open_own(actor=acting_user(request))
    form = PortalReferralForm(request.POST)
    if form.is_valid() and _act(
        request,
        form,
        "referral_create",
        "Your request is sent. The service will contact you.",
        patient_id=patient.pk,
        service_id=form.cleaned_data["service_id"],
        reason=form.cleaned_data["reason"] or "I would like support from this service.",
    ):
        return redirect("portal_support")
    service = selectors.service_named(form.data.get("service_id"))
    return form_page(
        request,
        form,
        title=f"Ask {service} to contact you" if service else "Ask a service to contact you",
        submit="Send",
        back_url=reverse("portal_support"),
        back_text="Back to support",
    )


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_sessions(request: HttpRequest) -> HttpResponse:
    patient = patient_open_own(actor=acting_user(request))
    now = timezone.now()
    mine = {
        b.session_id: b
        for b in Booking.objects.filter(patient=patient).exclude(status=BookingStatus.CANCELLED)
    }
    rows = [
        (s, sessions.places_left(s), mine.get(s.pk))
        for s in sessions.upcoming_sessions(now=now)[:50]
    ]
    return render(
        request,
        "support/portal_sessions.html",
        {
            "rows": rows,
            "patient": patient,
            "contact": contact_for_patient(patient, day=timezone.localdate()),
        },
    )


@require_POST
@permission_required(Permission.VIEW_OWN_RECORD)
def portal_book(request: HttpRequest, session_id: int) -> HttpResponse:
    patient = patient_open_own(actor=acting_user(request))
    try:
        booking = sessions.session_book(
            actor=acting_user(request), session_id=session_id, patient_id=patient.pk
        )
    except WaypointError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Your place is booked."
            if booking.status == BookingStatus.BOOKED
            else "The session is full, so you are on the waiting list. If a place comes free, "
            "it is yours and we will tell you.",
        )
    return redirect("portal_sessions")


@require_POST
@permission_required(Permission.VIEW_OWN_RECORD)
def portal_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    patient_open_own(actor=acting_user(request))
    sessions.booking_cancel(actor=acting_user(request), booking_id=booking_id)
    messages.success(request, "Your booking is cancelled.")
    return redirect("portal_sessions")


@permission_required(Permission.VIEW_OWN_RECORD, Permission.VIEW_TEAM_PATIENTS)
def session_calendar(request: HttpRequest, session_id: int) -> HttpResponse:
    session = PeerSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    response = HttpResponse(sessions.session_ics(session), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="peer-session-{session.pk}.ics"'
    return response


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_pack(request: HttpRequest) -> HttpResponse:
    patient = patient_open_own(actor=acting_user(request))
    form = PackOrderForm(
        request.POST or None,
        initial={
            "name": patient.full_name,
            "address": patient.address,
            "postcode": patient.postcode,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and form_service_call(
            request,
            form,
            lambda: resource_pack.pack_order(
                actor=acting_user(request), patient_id=patient.pk, **form.cleaned_data
            ),
            done="Your pack is ordered. It should arrive within a week.",
        )
    ):
        return redirect("portal_pack")
    return render(
        request,
        "support/portal_pack.html",
        {
            "patient": patient,
            "sections": resource_pack.sections(),
            "orders": patient.resource_pack_orders.order_by("-requested_at"),
            "contact": contact_for_patient(patient, day=timezone.localdate()),
            "form": form,
        },
    )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _helpline() -> tuple[str, str]:
    return settings.WAYPOINT_HELPLINE_PHONE, settings.WAYPOINT_HELPLINE_HOURS


@permission_required(Permission.VIEW_OWN_RECORD, Permission.VIEW_TEAM_PATIENTS)
def pack_pdf(request: HttpRequest) -> HttpResponse:
    """A person gets their own team's numbers printed in the pack; staff get a blank copy with
    lines to write them on (the posted copy is printed per order, below)."""
    contact = None
    if acting_user(request).role == Role.PATIENT:
        contact = contact_for_patient(
            patient_open_own(actor=acting_user(request)), day=timezone.localdate()
        )
    return _pdf_response(
        resource_pack.pack_pdf(contact=contact, helpline=_helpline()),
        "secondary-resource-pack.pdf",
    )


@permission_required(Permission.MANAGE_OUTBOX)
def pack_order_pdf(request: HttpRequest, order_id: int) -> HttpResponse:
    """The copy to post for one order, with that person's own numbers."""
    order = resource_pack.order_for_printing(actor=acting_user(request), order_id=order_id)
    contact = contact_for_patient(order.patient, day=timezone.localdate())
    return _pdf_response(
        resource_pack.pack_pdf(contact=contact, helpline=_helpline()),
        f"secondary-resource-pack-order-{order.pk}.pdf",
    )


@permission_required(Permission.MANAGE_OUTBOX)
def pack_orders(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        resource_pack.order_dispatch(
            actor=acting_user(request), order_id=int(request.POST.get("order_id") or 0)
        )
        messages.success(request, "Marked as sent.")
        return redirect("pack_orders")
    orders = resource_pack.orders_to_send().select_related("patient")[:500]
    return render(request, "support/pack_orders.html", {"orders": orders})
