"""What every /fhir endpoint shares: ``application/fhir+json``, bearer-token (or, for reads, browser
session) authentication, and errors as an OperationOutcome (FHIR R4 §3.1.0.4, RESTful API: "an
OperationOutcome SHOULD be returned" with 4xx and 5xx responses).

The rest of the API answers errors with Waypoint's JSON envelope; FHIR clients expect an
OperationOutcome instead, so /fhir is served by plain Django views wrapped by ``fhir_view``.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from waypoint.accounts.bearer import TokenRefused, bearer_user
from waypoint.accounts.models import User
from waypoint.core.errors import WaypointError
from waypoint.fhir.mapping.issues import Issue as Issue  # re-exported for the views

logger = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"
FHIR_VERSION = "4.0.1"

# WaypointError.code → OperationOutcome issue type (http://hl7.org/fhir/issue-type).
_ISSUE_TYPES = {
    "validation_failed": "invalid",
    "not_found": "not-found",
    "forbidden": "forbidden",
    "conflict": "conflict",
    "unauthenticated": "login",
    "locked_out": "forbidden",
    "rate_limited": "throttled",
}


def operation_outcome(issues: Sequence[Issue]) -> dict[str, Any]:
    """An OperationOutcome resource. FHIR requires at least one issue; an empty list becomes one
    informational "all OK"."""
    listed = list(issues) or [Issue("information", "informational", "All OK.")]
    return {"resourceType": "OperationOutcome", "issue": [i.as_fhir() for i in listed]}


def fhir_response(resource: dict[str, Any], *, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(resource, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type=f"{FHIR_JSON}; fhirVersion={FHIR_VERSION}; charset=utf-8",
    )
    return response


def outcome_response(status: int, *issues: Issue) -> HttpResponse:
    return fhir_response(operation_outcome(issues), status=status)


def _bearer_user(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return bearer_user(request, token.strip())


FhirView = Callable[..., HttpResponse]


def fhir_view(*, methods: Sequence[str]) -> Callable[[FhirView], FhirView]:
    """Authenticate, allow only ``methods``, and turn every error into an OperationOutcome.

    Writes need a bearer token (so they are exempt from the CSRF check, which protects cookie
    sessions); reads also accept the browser session. The view receives the acting user as
    ``actor``.
    """
    allowed = {m.upper() for m in methods}

    def wrap(view: FhirView) -> FhirView:
        @csrf_exempt
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                response = outcome_response(
                    405, Issue("error", "not-supported", f"{request.method} is not supported here.")
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                actor = _bearer_user(request)
            except TokenRefused as exc:
                response = outcome_response(
                    exc.status_code,
                    Issue("error", _ISSUE_TYPES.get(exc.code, "security"), exc.message),
                )
                if exc.retry_after:
                    response["Retry-After"] = str(exc.retry_after)
                return response
            session_user = request.user
            if (
                actor is None
                and request.method in ("GET", "HEAD")
                and isinstance(session_user, User)
                and session_user.is_active
            ):
                actor = session_user
            if actor is None:
                response = outcome_response(
                    401,
                    Issue(
                        "error", "login", "Send a valid bearer token (Authorization: Bearer wp_…)."
                    ),
                )
                response["WWW-Authenticate"] = 'Bearer realm="waypoint"'
                return response
            request.user = actor
            try:
                return view(request, *args, actor=actor, **kwargs)
            except WaypointError as exc:
                issues = [
                    Issue("error", _ISSUE_TYPES.get(exc.code, "processing"), message, (field,))
                    for field, message in exc.fields.items()
                ] or [Issue("error", _ISSUE_TYPES.get(exc.code, "processing"), exc.message)]
                return outcome_response(exc.status_code, *issues)
            except Http404:
                return outcome_response(404, Issue("error", "not-found", "Not found."))
            except (OperationalError, InterfaceError):
                # The database cannot be reached: the site's one answer for that, a 503
                # OperationOutcome with Retry-After (core/error_pages.py), not a 500.
                raise
            except Exception:
                logger.exception("Unhandled FHIR error")
                return outcome_response(
                    500, Issue("fatal", "exception", "Something went wrong on our side.")
                )

        return inner

    return wrap
