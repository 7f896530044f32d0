"""Staff who must use two-step verification and have not, this session, reach only the page where
they set it up.

When ``WAYPOINT_REQUIRE_STAFF_SECOND_FACTOR`` is on, a staff member signed in with a password
alone (or an invitation) may open the account security page and the pages that set up a method,
sign out, keep the session alive, and nothing else: every other page sends them to the security
page with a note saying why, and the JSON API and /fhir answer 403 in their own error formats.
Setting up a method proves it, so the session counts as verified from then on
(state.second_step_proved). Single sign-on counts as verified: the organisation's provider does
its own strong sign-in.

Bearer tokens are not affected: an administrator makes them for systems, not for people at a
browser. A request that carries one has any session set aside, so only the token speaks for it
and a half-signed-in session cannot borrow the token's way past this check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from waypoint.access.mfa.selectors import second_factor_required
from waypoint.access.signin import signed_in_by
from waypoint.accounts.models import User

# The pages such a person may reach, by URL name.
ALLOWED = frozenset(
    {
        "account_security",
        "sign_out_everywhere",
        "logout",
        "session_extend",
        "health_live",
        "health_ready",
        "mfa_authenticator_add",
        "mfa_authenticator_remove",
        "mfa_passkey_options",
        "mfa_passkey_add",
        "mfa_passkey_remove",
        "mfa_recovery_codes",
        "mfa_recovery_codes_regenerate",
    }
)
MESSAGE = (
    "Your organisation asks all staff to use two-step verification. Set up an authenticator app "
    "or a passkey below to carry on using Waypoint."
)
_API = "/api/"
_FHIR = "/fhir"


def _is_fhir(path: str) -> bool:
    return path == _FHIR or path.startswith(_FHIR + "/")


def needs_second_step(request: HttpRequest) -> bool:
    """Whether this request's session belongs to someone who must, and has not yet, taken the
    second step."""
    user = request.user
    if not isinstance(user, User) or not second_factor_required(user):
        return False
    method = signed_in_by(request)
    return method is None or not method.has_second_factor


class SecondFactorRequiredMiddleware:
    """After django-otp's OTPMiddleware (and so after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not needs_second_step(request):
            return None
        path = request.path_info
        if path.startswith(_API) or _is_fhir(path):
            if request.headers.get("Authorization"):
                request.user = AnonymousUser()
                return None
            return _refused(path)
        match = request.resolver_match
        if match is not None and match.url_name in ALLOWED:
            return None
        if path.startswith("/" + str(settings.STATIC_URL).lstrip("/")):
            return None
        messages.info(request, MESSAGE)
        return redirect("account_security")


def _refused(path: str) -> HttpResponse:
    text = (
        "Two-step verification is required for staff. Sign in with your second step, or set one "
        "up on the account security page, to use this."
    )
    if _is_fhir(path):
        return JsonResponse(
            {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "security", "diagnostics": text}],
            },
            status=403,
            content_type="application/fhir+json",
        )
    return JsonResponse(
        {"error": {"code": "second_factor_required", "message": text, "fields": {}}},
        status=403,
    )
