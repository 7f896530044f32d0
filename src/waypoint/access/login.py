"""The sign-in and sign-out pages.

A right password signs the person in only if they have no second step set up. If they have one,
nobody is signed in yet: the half-finished sign-in is kept in the session and the second step is
asked for (mfa/signin_views.py), which ends, like every way in, in ``sign_in_complete``.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from waypoint.access.mfa import state as second_step
from waypoint.access.mfa.selectors import has_second_factor
from waypoint.access.signin import SignInMethod, sign_in_complete
from waypoint.accounts.models import User
from waypoint.core.outage import team_numbers_forget
from waypoint.core.session import session_expires_in
from waypoint.core.session import session_extend as extend


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
        user = form.get_user()
        assert isinstance(user, User)  # noqa: S101  # AUTH_USER_MODEL
        if has_second_factor(user):
            # get_success_url has already refused an address on another site.
            second_step.pending_start(self.request, user=user, next_url=self.get_success_url())
            return redirect("login_verify")
        response = HttpResponseRedirect(self.get_success_url())
        sign_in_complete(self.request, user=user, method=SignInMethod.PASSWORD, response=response)
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        team_numbers_forget(response)
        return response


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
