from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from waypoint.accounts.http import acting_user
from waypoint.accounts.models import Role
from waypoint.core.outage import team_numbers_forget
from waypoint.core.session import session_expires_in
from waypoint.core.session import session_extend as extend

_HOME_BY_ROLE: dict[str, str] = {
    Role.KEY_WORKER: "caseload",
    Role.ONCOLOGIST: "caseload",
    Role.HELPLINE_NURSE: "patient_search",
    Role.SERVICE_MANAGER: "overview",
    Role.ADMIN: "audit_search",
    Role.PATIENT: "portal_home",
}


class LoginForm(AuthenticationForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # AuthenticationForm's own
        self.fields["username"].widget.attrs.update(
            {"class": "nhsuk-input nhsuk-u-width-two-thirds", "autocomplete": "username"}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "nhsuk-input nhsuk-u-width-two-thirds", "autocomplete": "current-password"}
        )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        # Team numbers kept for the outage page belong to whoever signs in now (the portal keeps
        # a patient's again); never to the last person at this computer (core/outage.py).
        response = super().form_valid(form)
        team_numbers_forget(response)
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        team_numbers_forget(response)
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(_HOME_BY_ROLE.get(acting_user(request).role, "login"))


@require_POST
def session_extend(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in" (the timeout warning): the session runs a full length again from now."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {"error": {"code": "signed_out", "message": "You have been signed out.", "fields": {}}},
            status=401,
        )
    extend(request)
    return JsonResponse({"expires_in": session_expires_in(request)})
