"""The account security page: how this person signs in, and ending their sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from waypoint.access.signin import signed_in_by
from waypoint.accounts.http import acting_user
from waypoint.accounts.services import user_sessions_end
from waypoint.core.outage import team_numbers_forget


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "access/security.html",
        {"account": user, "signed_in_by": signed_in_by(request)},
    )


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """Ends this account's sessions on every device, this one included."""
    user = acting_user(request)
    user_sessions_end(actor=user, user_id=user.pk, reason="signed out everywhere by the person")
    logout(request)
    messages.success(
        request, "You have been signed out on every device. Sign in again to carry on here."
    )
    response = redirect("login")
    team_numbers_forget(response)
    return response
