from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from waypoint.core.request_context import reset_request_id, set_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Accepts a well-formed ``X-Request-ID`` from the proxy or makes one, and echoes it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]  # read by views and logs
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class DomainErrorMiddleware:
    """Turns domain errors raised in page views into Waypoint's 404, 403 and 400 pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from waypoint.core import error_pages
        from waypoint.core.errors import Forbidden, NotFound, WaypointError

        if isinstance(exception, NotFound):
            return error_pages.page_not_found(request, exception)
        if isinstance(exception, Forbidden):
            return error_pages.permission_denied(request, exception)
        if isinstance(exception, WaypointError):
            return error_pages.bad_request(request, exception)
        return None
