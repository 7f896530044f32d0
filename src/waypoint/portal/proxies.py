"""The person's page "People who can help me": who they let act for them, and what each may see
and do. The person gives, changes and ends access here, through the registry's proxy services,
which check that the grant is theirs (someone else's is 404) and audit every change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.access.models import InvitationStatus
from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.forms import NhsForm
from waypoint.core.views import form_service_call
from waypoint.portal.views import own_patient
from waypoint.registry.models import Patient, ProxyAccess
from waypoint.registry.services.proxies import (
    ProxyScopes,
    proxies_for_patient,
    proxy_change,
    proxy_end,
    proxy_grant,
    proxy_invitation_resend,
)

ALWAYS_SHARED = (
    "They will always see your key worker and your team's numbers, in and out of hours, so "
    "that they can get help for you in a crisis."
)

# What each optional part means, in the person's words; the same words label the checkboxes and
# list what each carer can see, so the two never disagree.
SCOPE_WORDS: dict[str, tuple[str, str]] = {
    "appointments": (
        "Your meetings and support referrals",
        "The Living with Secondary Breast Cancer meetings you have booked, and the support "
        "services you have been referred to.",
    ),
    "resource_pack": (
        "The secondary resource pack",
        "Information about living with secondary breast cancer.",
    ),
    "report_symptoms": (
        "Report symptoms for you",
        "They can use the symptom check on your behalf. Your team will see that they sent it "
        "and who they are to you, and will contact you about it.",
    ),
    "timeline": (
        "Your care so far",
        "Your treatments, scans, meetings and reports, as you see them on your own page.",
    ),
}


def _scope_field(name: str, *, initial: bool) -> forms.BooleanField:
    label, hint = SCOPE_WORDS[name]
    return forms.BooleanField(required=False, initial=initial, label=label, help_text=hint)


class ScopesForm(NhsForm):
    appointments = _scope_field("appointments", initial=True)
    resource_pack = _scope_field("resource_pack", initial=True)
    report_symptoms = _scope_field("report_symptoms", initial=False)
    timeline = _scope_field("timeline", initial=False)

    def scopes(self) -> ProxyScopes:
        data = self.cleaned_data
        return ProxyScopes(
            appointments=bool(data["appointments"]),
            resource_pack=bool(data["resource_pack"]),
            report_symptoms=bool(data["report_symptoms"]),
            timeline=bool(data["timeline"]),
        )


class GiveAccessForm(ScopesForm):
    name = forms.CharField(label="Their full name", max_length=200)
    relationship = forms.CharField(
        label="Who they are to you",
        max_length=100,
        help_text="For example daughter, partner, friend or neighbour.",
    )
    email = forms.EmailField(
        label="Their email address",
        required=False,
        max_length=254,
        help_text="We send their invitation here. Give an email address or a mobile number.",
    )
    phone = forms.CharField(
        label="Their mobile number",
        required=False,
        max_length=32,
        help_text="If they have no email address, we text the invitation. For example "
        "07700 900123.",
    )

    field_order = [
        "name",
        "relationship",
        "email",
        "phone",
        "appointments",
        "resource_pack",
        "report_symptoms",
        "timeline",
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Give the name of the person you trust."
        self.fields["relationship"].error_messages["required"] = (
            "Say who they are to you, for example daughter or partner."
        )
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address like name@example.com, or leave it empty."
        )


@dataclass(frozen=True)
class CarerRow:
    """One person given access, as the person's page lists them."""

    proxy: ProxyAccess
    state: str  # "invited", "invitation_ended", "active" or "ended"
    state_words: str
    since: dt.datetime | None
    shares: tuple[str, ...]
    form: ScopesForm | None  # to change what they may see; None once ended


def _row(proxy: ProxyAccess, *, now: dt.datetime) -> CarerRow:
    scopes = ProxyScopes.of(proxy)
    shares = (
        "Your key worker and your team's numbers",
        *(SCOPE_WORDS[name][0] for name in SCOPE_WORDS if getattr(scopes, name)),
    )
    form = None
    if proxy.is_active:
        form = ScopesForm(
            prefix=f"carer-{proxy.pk}",
            initial={name: getattr(scopes, name) for name in SCOPE_WORDS},
        )
    if not proxy.is_active:
        reason = proxy.get_ended_reason_display().lower() if proxy.ended_reason else ""
        words = f"Access ended ({reason})" if reason else "Access ended"
        return CarerRow(proxy, "ended", words, proxy.ended_at, shares, None)
    invitations = list(proxy.invitations.all())  # prefetched, newest first
    if proxy.carer_id is not None:
        accepted = next((i.accepted_at for i in invitations if i.accepted_at), None)
        return CarerRow(proxy, "active", "Active: they have accepted", accepted, shares, form)
    latest = invitations[0] if invitations else None
    if latest is not None and latest.status_on(now) == InvitationStatus.PENDING:
        return CarerRow(
            proxy, "invited", "Invited: they have not accepted yet", latest.created_at, shares, form
        )
    return CarerRow(
        proxy,
        "invitation_ended",
        "Invited, but the invitation has run out: send it again",
        latest.created_at if latest else proxy.created_at,
        shares,
        form,
    )


def _page(
    request: HttpRequest, patient: Patient, form: GiveAccessForm, *, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "portal/carers.html",
        {
            "patient": patient,
            "contact": contact_for_patient(patient, day=timezone.localdate()),
            "rows": [_row(p, now=now) for p in proxies_for_patient(patient)],
            "form": form,
            "always_shared": ALWAYS_SHARED,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.VIEW_OWN_RECORD)
def carers(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    form = GiveAccessForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and form_service_call(
            request,
            form,
            lambda: proxy_grant(
                actor=acting_user(request),
                patient_id=patient.pk,
                name=form.cleaned_data["name"],
                relationship=form.cleaned_data["relationship"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                scopes=form.scopes(),
                now=timezone.now(),
            ),
            done=f"We have sent {form.cleaned_data.get('name', '')} an invitation. They can "
            f"see what you chose once they accept it.",
        ):
            return redirect("portal_carers")
        return _page(request, patient, form, status=422)
    return _page(request, patient, form)


def _tell_errors(request: HttpRequest, form: forms.Form) -> None:
    """A change made from a list of several carers goes back to the list, with the reason it
    could not be made (for example, the access had already ended)."""
    for error in form.non_field_errors():
        messages.error(request, str(error))


@require_POST
@permission_required(Permission.VIEW_OWN_RECORD)
def carer_change(request: HttpRequest, proxy_id: int) -> HttpResponse:
    own_patient(request)
    form = ScopesForm(request.POST, prefix=f"carer-{proxy_id}")
    if form.is_valid():
        form_service_call(
            request,
            form,
            lambda: proxy_change(
                actor=acting_user(request), proxy_id=proxy_id, scopes=form.scopes()
            ),
            done="Saved. They see only what you ticked, from now on.",
        )
    _tell_errors(request, form)
    return redirect("portal_carers")


@require_POST
@permission_required(Permission.VIEW_OWN_RECORD)
def carer_resend(request: HttpRequest, proxy_id: int) -> HttpResponse:
    own_patient(request)
    form = forms.Form()
    if not form_service_call(
        request,
        form,
        lambda: proxy_invitation_resend(
            actor=acting_user(request), proxy_id=proxy_id, now=timezone.now()
        ),
        done="We have sent the invitation again. The earlier one no longer works.",
    ):
        _tell_errors(request, form)
    return redirect("portal_carers")


@require_http_methods(["GET", "POST"])
@permission_required(Permission.VIEW_OWN_RECORD)
def carer_end(request: HttpRequest, proxy_id: int) -> HttpResponse:
    patient = own_patient(request)
    proxy = next((p for p in proxies_for_patient(patient) if p.pk == proxy_id), None)
    if proxy is None:
        raise Http404
    if request.method == "POST":
        proxy_end(actor=acting_user(request), proxy_id=proxy.pk, now=timezone.now())
        messages.success(request, f"{proxy.name} can no longer see your information.")
        return redirect("portal_carers")
    if not proxy.is_active:
        return redirect("portal_carers")
    return render(
        request,
        "portal/carers_end.html",
        {
            "proxy": proxy,
            "patient": patient,
            "contact": contact_for_patient(patient, day=timezone.localdate()),
        },
    )
