"""Bearer tokens at the door of /api/v1/ and /fhir: one check for both.

A token acts only if it is known, not revoked and its account active (else 401, as before); if
sign-in to its account is not locked at the client's address (else 403 ``locked_out``); and
within its limit a minute for writes, counted per token in the database (else 429
``rate_limited`` with Retry-After). Every refusal is written to the audit trail, at most once a
minute for the same reason, token and address (audit.services.access_denied_record). The API
answers refusals with its JSON envelope (config/api_base.py), /fhir with an OperationOutcome
(fhir/http.py).
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from waypoint.accounts.models import ApiToken, User
from waypoint.accounts.services import TokenState, api_token_lookup, api_token_rate_take
from waypoint.audit.services import access_denied_record
from waypoint.core.errors import WaypointError
from waypoint.core.http import client_address

# The audit trail's object type for a refused token request.
AUDIT_OBJECT = "api_token"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_INVALID_REASONS = {
    TokenState.UNKNOWN: "Unknown API token",
    TokenState.REVOKED: "Revoked API token",
    TokenState.INACTIVE: "API token of an inactive account",
}


class TokenRefused(WaypointError):
    """A valid token that may not act now: its account is locked out here, or it is over its
    limit. ``retry_after`` is in seconds (0: not known)."""

    def __init__(self, message: str, *, status_code: int, code: str, retry_after: int = 0):
        super().__init__(message, code=code)
        self.status_code = status_code
        self.retry_after = retry_after


def _limit(request: HttpRequest) -> tuple[str, int, str] | None:
    """The limit this request counts against: its scope, how many a minute, and what it is
    called in the refusal."""
    path = request.path_info
    if request.method == "POST" and (path == "/fhir" or path.startswith("/fhir/")):
        return "fhir_post", settings.WAYPOINT_FHIR_POSTS_PER_MINUTE, "FHIR imports"
    if request.method in WRITE_METHODS and path.startswith("/api/v1/"):
        return "api_write", settings.WAYPOINT_TOKEN_WRITES_PER_MINUTE, "changes"
    return None


def _refuse(request: HttpRequest, *, reason: str, token: ApiToken | None) -> None:
    address = client_address(request)
    named = f", token {token.prefix}…" if token is not None else ""
    access_denied_record(
        reason=reason,
        object_type=AUDIT_OBJECT,
        address=address,
        detail=f"{request.method} {request.path} from {address or 'an unknown address'}{named}",
        actor=token.user if token is not None else None,
        object_id=token.pk if token is not None else "",
    )


def _locked_out(request: HttpRequest, user: User) -> bool:
    if not settings.AXES_ENABLED:
        return False
    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def bearer_user(request: HttpRequest, token: str) -> User | None:
    """The user a bearer token acts for, or None for a token that is not valid (the caller
    answers 401). Raises ``TokenRefused`` for a valid token that may not act now."""
    found = api_token_lookup(token=token)
    if found.state != TokenState.VALID or found.token is None:
        _refuse(request, reason=_INVALID_REASONS[found.state], token=found.token)
        return None
    user = found.token.user
    if _locked_out(request, user):
        _refuse(request, reason="API token refused: sign-in locked out", token=found.token)
        cool_off = get_cool_off(request)
        minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
        raise TokenRefused(
            "Sign-in to this account is locked at this address after repeated wrong passwords, "
            "so its API tokens are refused from here too. Try again "
            + (f"{minutes} minutes after the last failed sign-in" if minutes else "later")
            + ", or ask an administrator to lift the lock.",
            status_code=403,
            code="locked_out",
        )
    limit = _limit(request)
    if limit is not None:
        scope, per_minute, called = limit
        wait = api_token_rate_take(
            token=found.token, scope=scope, limit=per_minute, now=timezone.now()
        )
        if wait:
            _refuse(request, reason="Too many requests", token=found.token)
            raise TokenRefused(
                f"Too many {called} with this token: at most {per_minute} a minute. "
                f"Try again in {wait} seconds.",
                status_code=429,
                code="rate_limited",
                retry_after=wait,
            )
    return user
