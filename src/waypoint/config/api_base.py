"""The JSON API at /api/v1/: authentication and the one error envelope."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from waypoint.accounts.auth import ApiTokenAuth, SessionAuth
from waypoint.accounts.bearer import TokenRefused
from waypoint.core import error_pages
from waypoint.core.errors import WaypointError
from waypoint.core.openapi import WaypointAPI
from waypoint.core.outage import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)

api = WaypointAPI(
    title="Waypoint API",
    version="1",
    description=(
        "Care and support for people living with secondary breast cancer. Every error answers "
        '`{"error": {"code", "message", "fields"}}`. Records outside your scope answer 404.'
    ),
    auth=[ApiTokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def error_response(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    return api.create_response(
        request,
        {"error": {"code": code, "message": message, "fields": fields or {}}},
        status=status,
    )


def _field_path(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def _on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for err in exc.errors:
        key = _field_path(tuple(err.get("loc", ())))
        fields.setdefault(key, str(err.get("msg", "Invalid value.")))
    return error_response(
        request,
        status=422,
        code="validation_failed",
        message="Some of the data sent is not valid.",
        fields=fields,
    )


@api.exception_handler(WaypointError)
def _on_domain_error(request: HttpRequest, exc: WaypointError) -> HttpResponse:
    return error_response(
        request, status=exc.status_code, code=exc.code, message=exc.message, fields=exc.fields
    )


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, status=404, code="not_found", message="Not found.")


@api.exception_handler(AuthenticationError)
def _on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request,
        status=401,
        code="unauthenticated",
        message="Sign in, or send a valid bearer token.",
    )


@api.exception_handler(TokenRefused)
def _on_token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    """A valid token that may not act now (accounts/bearer.py): 403 locked_out, or 429
    rate_limited with Retry-After."""
    response = error_response(request, status=exc.status_code, code=exc.code, message=exc.message)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(
        request, status=exc.status_code, code="http_error", message=str(exc.message)
    )


@api.exception_handler(IntegrityError)
def _on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    """A race lost against a concurrent write (a duplicate NHS number, say): nothing was saved."""
    return error_response(
        request,
        status=409,
        code="conflict",
        message="This conflicts with a record saved at the same moment. Nothing was changed.",
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _on_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database cannot be reached (core/outage.py), whether in a view or while checking the
    token or the session: 503 with Retry-After, the same answer as the rest of the site's."""
    logger.warning("The database cannot be reached: %s", exc)
    response = error_response(
        request, status=503, code="unavailable", message=error_pages.UNAVAILABLE_MESSAGE
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(Exception)
def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error", exc_info=exc)
    return error_response(
        request, status=500, code="server_error", message="Something went wrong on our side."
    )
