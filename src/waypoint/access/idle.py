"""Signing out a session that has ended: idle too long, or past its absolute lifetime.

An unattended screen on a ward or at home may show a person's record to whoever passes, so a
signed-in session ends after a while without use (staff sooner than patients and carers), and
after a fixed time however busy (so a second factor is asked for again at least that often).
waypoint.core.session works out the ends; this middleware enforces them on every request, moves
the idle end on, and tells the person what happened. The page's timeout warning
(core/includes/session_timeout.html) shows before either end; it is a courtesy, this is the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone

from waypoint.access.signin import SIGN_IN_OBJECT
from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.http import client_address
from waypoint.core.outage import team_numbers_forget
from waypoint.core.session import EndedBy, idle_time, session_ended, session_touch


def _minutes(user: User) -> str:
    minutes = round(idle_time(user).total_seconds() / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _lifetime_words() -> str:
    seconds = int(settings.SESSION_COOKIE_AGE)
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "1 hour" if hours == 1 else f"{hours} hours"
    minutes = max(1, round(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _why(user: User, ended: EndedBy) -> str:
    if ended == EndedBy.IDLE:
        return (
            f"You were signed out because you had not used Waypoint for {_minutes(user)}. "
            "Sign in again to carry on."
        )
    return (
        f"You were signed out because a sign-in to Waypoint lasts {_lifetime_words()}. "
        "Sign in again to carry on."
    )


def _machine_path(request: HttpRequest) -> bool:
    """The API and FHIR, which answer not signed in in their own format."""
    path = request.path
    return path.startswith(("/api/", "/fhir/")) or path == "/fhir"


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and isinstance(user, User)):
            return self.get_response(request)
        now = timezone.now()
        ended = session_ended(request, now=now)
        if ended is None:
            session_touch(request, now=now)
            return self.get_response(request)
        return self._signed_out(request, user, ended)

    def _signed_out(self, request: HttpRequest, user: User, ended: EndedBy) -> HttpResponse:
        audit_record(
            actor=user,
            action=AuditAction.SIGN_OUT,
            patient=None,
            object_type=SIGN_IN_OBJECT,
            object_id=user.pk,
            reason=ended.value,
            detail=(
                f"Signed out: no use for {_minutes(user)}"
                if ended == EndedBy.IDLE
                else f"Signed out: the sign-in lasts {_lifetime_words()}"
            )
            + f", seen from {client_address(request) or 'an unknown address'}",
        )
        logout(request)
        if _machine_path(request):
            # The endpoint answers for itself, as to anyone not signed in: the API's 401
            # envelope, FHIR's OperationOutcome; a bearer token sent as well still counts.
            return self.get_response(request)
        # Shown on the next page, which is the sign-in page: a redirect here, or the warning's
        # script taking the person there after "Stay signed in" is refused.
        messages.info(request, _why(user, ended))
        login = reverse("login")
        response: HttpResponse
        if _wants_json(request):
            response = JsonResponse(
                {"error": {"code": "signed_out", "message": _why(user, ended), "fields": {}}},
                status=401,
            )
        elif request.path == login:
            response = self.get_response(request)
        elif request.method == "GET":
            response = HttpResponseRedirect(
                f"{login}?{urlencode({'next': request.get_full_path()})}"
            )
        else:
            # What a form sent is not replayed after signing in; the page's script has kept the
            # text typed, and puts it back when the person returns to the form.
            response = HttpResponseRedirect(login)
        team_numbers_forget(response)
        return response
