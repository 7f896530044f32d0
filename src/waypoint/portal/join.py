"""Using an invitation to the portal: the link from an email or text, or the code on a letter,
then the person's date of birth, then their new sign-in. None of these pages needs an account.

The date of birth, once confirmed, is remembered in the session for a short while only, tied to
that one invitation; the account is made by the last step in one transaction.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from waypoint.access.invitations import (
    AccountSetupForm,
    confirmed_invitation,
    confirmed_remember,
    invitation_by_letter_code,
    invitation_by_token,
)
from waypoint.access.models import InvitationStatus
from waypoint.access.signin import SignInMethod, sign_in_complete
from waypoint.access.sso.services import (
    pending_patient_identity_peek,
    pending_patient_identity_take,
)
from waypoint.accounts.models import Role, User
from waypoint.core.errors import Conflict, NotFound
from waypoint.core.forms import NhsDateInput, NhsForm
from waypoint.registry.models import PortalInvitation
from waypoint.registry.services.invitations import (
    ExternalIdentityInput,
    has_active_account,
    patient_link_by_nhs_number,
    portal_invitation_accept,
    portal_invitation_check_birth_date,
)

_CONFIRMED = "portal_join"  # access.invitations.confirmed_remember
_WRONG_DATE = (
    "That date of birth does not match the one your team has. Check it and try again. After "
    "a few wrong tries the invitation stops working, and your team can send a new one."
)


class BirthDateForm(NhsForm):
    birth_date = forms.DateField(
        label="Your date of birth",
        help_text="We check it against your record, so only you can use this invitation.",
        widget=NhsDateInput(attrs={"autocomplete": "bday"}),
    )


class LetterForm(BirthDateForm):
    code = forms.CharField(
        label="The code on your letter",
        max_length=20,
        help_text="10 letters and numbers, for example ABCDE-12345.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    field_order = ["code", "birth_date"]


def _unusable(request: HttpRequest, invitation: PortalInvitation | None) -> HttpResponse:
    now = timezone.now()
    status = invitation.status_on(now) if invitation is not None else None
    return render(
        request,
        "portal/join_unusable.html",
        {"status": status, "statuses": InvitationStatus},
        status=404 if invitation is None else 410,
    )


def _confirm(request: HttpRequest, invitation: PortalInvitation, form: BirthDateForm) -> bool:
    birth_date = form.cleaned_data["birth_date"]
    now = timezone.now()
    try:
        matches = portal_invitation_check_birth_date(
            invitation_id=invitation.pk, birth_date=birth_date, now=now
        )
    except NotFound:
        return False
    if not matches:
        form.add_error("birth_date", _WRONG_DATE)
        return False
    confirmed_remember(request.session, _CONFIRMED, invitation=invitation, now=now)
    return True


def _start_page(request: HttpRequest, invitation: PortalInvitation | None) -> HttpResponse | None:
    """The page to show instead, when this browser cannot start with this invitation."""
    if invitation is None or invitation.status_on(timezone.now()) != InvitationStatus.PENDING:
        return _unusable(request, invitation)
    if request.user.is_authenticated:
        # Someone else's session on a shared computer must not take the new account's place.
        logout(request)
    return None


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(PortalInvitation, token)
    refused = _start_page(request, invitation)
    if refused is not None:
        return refused
    assert invitation is not None  # noqa: S101  # _start_page refused otherwise
    form = BirthDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _confirm(request, invitation, form):
        return redirect("portal_join_account")
    invitation.refresh_from_db(fields=["withdrawn_at", "failed_checks"])
    if invitation.status_on(timezone.now()) != InvitationStatus.PENDING:
        return _unusable(request, invitation)
    return render(
        request,
        "portal/join_birth_date.html",
        {"form": form, "team": invitation.patient.team, "by_letter": False},
    )


@require_http_methods(["GET", "POST"])
def join_by_letter(request: HttpRequest) -> HttpResponse:
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = invitation_by_letter_code(PortalInvitation, form.cleaned_data["code"])
        if invitation is None:
            form.add_error(
                "code",
                "We cannot find that code. Check it against your letter; it may have expired "
                "or been replaced by a newer one.",
            )
        else:
            refused = _start_page(request, invitation)
            if refused is not None:
                return refused
            if _confirm(request, invitation, form):
                return redirect("portal_join_account")
    return render(request, "portal/join_birth_date.html", {"form": form, "by_letter": True})


def _confirmed_invitation(request: HttpRequest) -> PortalInvitation | None:
    return confirmed_invitation(
        request.session,
        _CONFIRMED,
        PortalInvitation.objects.select_related("patient__team", "patient__user"),
        now=timezone.now(),
    )


@require_http_methods(["GET", "POST"])
def join_account(request: HttpRequest) -> HttpResponse:
    invitation = _confirmed_invitation(request)
    if invitation is None:
        return render(request, "portal/join_start_again.html", status=410)
    patient = invitation.patient
    if has_active_account(patient):
        return _unusable(request, invitation)
    person = User(
        role=Role.PATIENT,
        first_name=patient.given_name,
        last_name=patient.family_name,
        email=patient.email,
    )
    form = AccountSetupForm(
        request.POST or None, person=person, initial={"username": patient.email}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = portal_invitation_accept(
                invitation_id=invitation.pk,
                now=timezone.now(),
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except (Conflict, NotFound):
            return _unusable(request, invitation)
        request.session.pop(_CONFIRMED, None)
        response = redirect(reverse("portal_home"))
        sign_in_complete(request, user=user, method=SignInMethod.INVITATION, response=response)
        return response
    return render(
        request,
        "portal/join_account.html",
        {
            "form": form,
            "patient": patient,
            "team": patient.team,
            "patient_sso": settings.WAYPOINT_OIDC_PATIENT,
        },
    )


@require_http_methods(["GET"])
def sso_link(request: HttpRequest) -> HttpResponse:
    """Back from the patient sign-in service with an account there that Waypoint does not know:
    link it to the record of the invitation confirmed in this browser, or to the record with the
    NHS number the service verified (and the same date of birth). Otherwise explain the way in."""
    pending = pending_patient_identity_peek(request.session)
    if pending is None:
        return render(request, "portal/join_start_again.html", status=410)
    identity = ExternalIdentityInput(issuer=pending.issuer, subject=pending.subject)
    now = timezone.now()
    user: User | None = None
    try:
        invitation = _confirmed_invitation(request)
        if invitation is not None:
            user = portal_invitation_accept(invitation_id=invitation.pk, now=now, identity=identity)
        elif pending.nhs_number:
            user = patient_link_by_nhs_number(
                nhs_number=pending.nhs_number,
                birth_date=pending.birth_date,
                identity=identity,
                now=now,
            )
    except (Conflict, NotFound):
        user = None
    if user is None:
        return render(request, "portal/join_sso_unknown.html", {"pending": pending}, status=404)
    pending_patient_identity_take(request.session)
    request.session.pop(_CONFIRMED, None)
    response = redirect(reverse("portal_home"))
    sign_in_complete(request, user=user, method=SignInMethod.PATIENT_SSO, response=response)
    return response
