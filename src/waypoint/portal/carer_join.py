"""A carer using their invitation: the PERSON's date of birth (which someone they trust knows),
then the carer's own sign-in: a new account, or the carer account they already have (they may
help more than one person)."""

from __future__ import annotations

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
    invitation_by_token,
)
from waypoint.access.models import InvitationStatus
from waypoint.access.signin import SignInMethod, sign_in_complete
from waypoint.accounts.models import Role, User
from waypoint.core.errors import WaypointError
from waypoint.portal.join import BirthDateForm
from waypoint.registry.models import ProxyInvitation
from waypoint.registry.services.proxies import (
    proxy_invitation_accept,
    proxy_invitation_check_birth_date,
)

_CONFIRMED = "carer_join"  # access.invitations.confirmed_remember


def _unusable(request: HttpRequest, invitation: ProxyInvitation | None) -> HttpResponse:
    status = invitation.status_on(timezone.now()) if invitation is not None else None
    return render(
        request,
        "portal/join_unusable.html",
        {"status": status, "statuses": InvitationStatus, "carer": True},
        status=404 if invitation is None else 410,
    )


def _is_carer(user: object) -> bool:
    return isinstance(user, User) and user.is_active and user.role == Role.CARER


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(ProxyInvitation, token)
    if invitation is None or invitation.status_on(timezone.now()) != InvitationStatus.PENDING:
        return _unusable(request, invitation)
    if request.user.is_authenticated and not _is_carer(request.user):
        # Someone else's session on a shared computer must not take the carer's place.
        logout(request)
    patient = invitation.proxy.patient
    form = BirthDateForm(request.POST or None)
    form.fields["birth_date"].label = f"{patient.given_name}'s date of birth"
    form.fields["birth_date"].help_text = (
        f"We check it against {patient.given_name}'s record, so only someone they trust can "
        f"use this invitation."
    )
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            matches = proxy_invitation_check_birth_date(
                invitation_id=invitation.pk, birth_date=form.cleaned_data["birth_date"], now=now
            )
        except WaypointError:
            return _unusable(request, invitation)
        if matches:
            confirmed_remember(request.session, _CONFIRMED, invitation=invitation, now=now)
            return redirect("carer_join_account")
        invitation.refresh_from_db(fields=["withdrawn_at", "failed_checks"])
        if invitation.status_on(now) != InvitationStatus.PENDING:
            return _unusable(request, invitation)
        form.add_error(
            "birth_date",
            f"That is not the date of birth on {patient.given_name}'s record. Check it with "
            f"them and try again. After a few wrong tries the invitation stops working.",
        )
    return render(
        request,
        "portal/carer_join_birth_date.html",
        {"form": form, "patient": patient, "proxy": invitation.proxy},
    )


def _confirmed(request: HttpRequest) -> ProxyInvitation | None:
    return confirmed_invitation(
        request.session,
        _CONFIRMED,
        ProxyInvitation.objects.select_related("proxy__patient"),
        now=timezone.now(),
    )


@require_http_methods(["GET", "POST"])
def join_account(request: HttpRequest) -> HttpResponse:
    invitation = _confirmed(request)
    if invitation is None:
        return render(request, "portal/join_start_again.html", status=410)
    proxy = invitation.proxy
    existing = request.user if _is_carer(request.user) else None
    first, _, last = proxy.name.partition(" ")
    person = User(role=Role.CARER, first_name=first, last_name=last, email=proxy.email)
    form = AccountSetupForm(request.POST or None, person=person, initial={"username": proxy.email})
    if request.method == "POST" and (existing is not None or form.is_valid()):
        try:
            carer = proxy_invitation_accept(
                invitation_id=invitation.pk,
                now=timezone.now(),
                existing_carer=existing if isinstance(existing, User) else None,
                username="" if existing else form.cleaned_data["username"],
                password="" if existing else form.cleaned_data["password1"],
            )
        except WaypointError:
            return _unusable(request, invitation)
        request.session.pop(_CONFIRMED, None)
        response = redirect(reverse("carer_home"))
        if existing is None:
            sign_in_complete(request, user=carer, method=SignInMethod.INVITATION, response=response)
        return response
    return render(
        request,
        "portal/carer_join_account.html",
        {"form": form, "proxy": proxy, "patient": proxy.patient, "existing": existing},
    )
