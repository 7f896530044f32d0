"""The pages for 400, 403, 404 and 500, wired as Django's error handlers in config/urls.py.

Pages get Waypoint's layout, a plain explanation and a way on. The JSON API keeps its error
envelope (``{"error": {"code", "message", "fields"}}``) and /fhir its OperationOutcome, so a
client never receives an HTML page it cannot read.

The 500 page and the 503 page (the database cannot be reached, core/outage.py) are drawn without
the request's context processors, the session and ``base.html``: they are shown when something
has already failed, often the database, so they read only settings, the one advice source (through
the ``help_now`` tag) and the team numbers kept in the person's browser. A 503 carries Retry-After,
which tells a proxy or a client to try again rather than that the request was wrong.
"""

from __future__ import annotations

import json
import sys

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from waypoint.core.errors import WaypointError
from waypoint.core.outage import RETRY_AFTER_SECONDS, database_unavailable, team_numbers_recalled

# FHIR R4 OperationOutcome issue types (http://hl7.org/fhir/issue-type) for each status.
_FHIR_ISSUE = {
    400: "invalid",
    403: "forbidden",
    404: "not-found",
    500: "exception",
    503: "transient",
}
_API_CODE = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    500: "server_error",
    503: "unavailable",
}
UNAVAILABLE_MESSAGE = "The service is unavailable for a moment. Try again shortly."
_API_MESSAGE = {
    400: "The request could not be understood.",
    403: "You may not do this.",
    404: "Not found.",
    500: "Something went wrong on our side.",
    503: UNAVAILABLE_MESSAGE,
}


def _machine_error(request: HttpRequest, status: int, message: str = "") -> HttpResponse | None:
    """The API's envelope or FHIR's OperationOutcome for paths that machines call, else None."""
    text = message or _API_MESSAGE[status]
    if request.path.startswith("/api/"):
        body = {"error": {"code": _API_CODE[status], "message": text, "fields": {}}}
        return JsonResponse(body, status=status)
    if request.path == "/fhir" or request.path.startswith("/fhir/"):
        outcome = {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "fatal" if status >= 500 else "error",
                    "code": _FHIR_ISSUE[status],
                    "diagnostics": text,
                }
            ],
        }
        return HttpResponse(
            json.dumps(outcome),
            status=status,
            content_type="application/fhir+json; fhirVersion=4.0.1; charset=utf-8",
        )
    return None


def _back_url(request: HttpRequest) -> str:
    """The page the person came from, if it was one of ours; otherwise the home page."""
    referer = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except SuspiciousOperation:  # the 400 for a host not in ALLOWED_HOSTS comes here too
        return "/"
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def _page(request: HttpRequest, status: int, template: str, message: str = "") -> HttpResponse:
    machine = _machine_error(request, status, message)
    if machine is not None:
        return machine
    return render(
        request, template, {"back_url": _back_url(request), "message": message}, status=status
    )


def _caused_by_outage(exception: BaseException | None) -> bool:
    """Whether the database being unreachable is behind ``exception``: Django reports a session it
    could not save at the end of a request as "interrupted" (a 400), whatever the reason."""
    seen = 0
    while exception is not None and seen < 5:
        if database_unavailable(exception):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, SessionInterrupted) and _caused_by_outage(exception):
        return service_unavailable(request)
    # A domain error's message is written for people ("Say why you need this record"); anything
    # else that lands here (a malformed request) is described in general words only.
    message = exception.message if isinstance(exception, WaypointError) else ""
    return _page(request, 400, "400.html", message)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, "403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, "404.html")


def _without_database(request: HttpRequest, status: int, template: str) -> HttpResponse:
    html = loader.get_template(template).render(
        {
            "helpline_phone": settings.WAYPOINT_HELPLINE_PHONE,
            "helpline_hours": settings.WAYPOINT_HELPLINE_HOURS,
            "out_of_hours_phone": settings.WAYPOINT_OUT_OF_HOURS_PHONE,
            "team": team_numbers_recalled(request),
        }
    )
    response = HttpResponse(html, status=status)
    # It names the person's team: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Called by Django while it handles the exception, so the exception is still current."""
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return _machine_error(request, 500) or _without_database(request, 500, "500.html")


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 for a request that failed because the database cannot be reached, wherever it failed:
    the page says so and where to get help now; the API and /fhir answer their own JSON."""
    response = _machine_error(request, 503) or _without_database(request, 503, "503.html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token (usually one left open past the end of a session,
    or opened before signing in again): say so in plain words; nothing was saved."""
    machine = _machine_error(request, 403, "The request's security token is missing or expired.")
    if machine is not None:
        return machine
    return render(request, "403_csrf.html", {"back_url": _back_url(request)}, status=403)
