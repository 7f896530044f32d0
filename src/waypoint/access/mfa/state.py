"""What the second step keeps in the session between one request and the next.

Everything here is server-side (the session's row), never in a cookie's value or a page: the
half-finished sign-in, the authenticator secret being set up, a passkey ceremony's challenge, and
recovery codes waiting to be shown once. Each is short-lived and most are taken when used, so a
challenge or a half-finished sign-in cannot be replayed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.util import random_hex
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from waypoint.access.signin import SIGNED_IN_BY, SignInMethod, signed_in_by
from waypoint.accounts.models import User

_PENDING = "waypoint_mfa_pending"
_TOTP_SETUP = "waypoint_mfa_totp_setup"
_CHALLENGE = "waypoint_mfa_challenge:"
_NEW_CODES = "waypoint_mfa_new_recovery_codes"
_KEY_BYTES = 20  # django-otp's default, as RFC 4226 recommends for SHA-1
_KEY_HEX_LENGTH = 2 * _KEY_BYTES

# Between a right password and the second step: long enough to find a phone, short enough that
# a sign-in left half-done on a shared computer cannot be finished by the next person.
PENDING_LIFETIME = dt.timedelta(minutes=5)
# A passkey ceremony's challenge is good for this long, once.
CHALLENGE_LIFETIME = dt.timedelta(minutes=5)

REGISTER = "register"
AUTHENTICATE = "authenticate"


@dataclass(frozen=True)
class PendingSignIn:
    user: User
    next_url: str


def _now() -> float:
    return timezone.now().timestamp()


def pending_start(request: HttpRequest, *, user: User, next_url: str) -> None:
    """The password was right and a second step is needed. The session gets a new key first, so
    a session identifier planted before the password was typed cannot follow the sign-in."""
    request.session.cycle_key()
    request.session.pop(_CHALLENGE + AUTHENTICATE, None)
    request.session[_PENDING] = {"user_id": user.pk, "next": next_url, "started_at": _now()}


def pending_sign_in(request: HttpRequest) -> PendingSignIn | None:
    """The half-finished sign-in, if there is one that has not expired; an expired one is
    forgotten. The account is read afresh, so one turned off meanwhile goes no further."""
    raw = request.session.get(_PENDING)
    if not isinstance(raw, dict):
        return None
    user_id, next_url, started_at = raw.get("user_id"), raw.get("next"), raw.get("started_at")
    if (
        not isinstance(user_id, int)
        or not isinstance(next_url, str)
        or not isinstance(started_at, int | float)
        or not 0 <= _now() - started_at <= PENDING_LIFETIME.total_seconds()
    ):
        pending_clear(request)
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        pending_clear(request)
        return None
    return PendingSignIn(user=user, next_url=next_url)


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(_PENDING, None)
    request.session.pop(_CHALLENGE + AUTHENTICATE, None)


def safe_next(request: HttpRequest, next_url: str, default: str) -> str:
    """The address to go to after signing in: only one on this site (checked again here, though
    it was checked when kept, since an address is only as safe as where it is used)."""
    allowed = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if next_url and allowed else default


def totp_setup_key(request: HttpRequest) -> str:
    """The secret of the authenticator app being set up (hex, as django-otp stores it). The same
    one until it is confirmed, so reloading the page does not undo a scan already made."""
    key = request.session.get(_TOTP_SETUP)
    if not isinstance(key, str) or len(key) != _KEY_HEX_LENGTH:
        key = random_hex(_KEY_BYTES)
        request.session[_TOTP_SETUP] = key
    return key


def totp_setup_clear(request: HttpRequest) -> None:
    request.session.pop(_TOTP_SETUP, None)


def challenge_keep(request: HttpRequest, purpose: str, challenge: bytes, *, name: str = "") -> None:
    request.session[_CHALLENGE + purpose] = {
        "challenge": bytes_to_base64url(challenge),
        "name": name,
        "issued_at": _now(),
    }


def challenge_take(request: HttpRequest, purpose: str) -> tuple[bytes, str] | None:
    """The challenge issued for ``purpose`` and the name kept with it, removed as it is read so
    that it answers one ceremony only; None if there is none or it is too old."""
    raw = request.session.pop(_CHALLENGE + purpose, None)
    if not isinstance(raw, dict):
        return None
    challenge, name, issued_at = raw.get("challenge"), raw.get("name"), raw.get("issued_at")
    if (
        not isinstance(challenge, str)
        or not isinstance(name, str)
        or not isinstance(issued_at, int | float)
        or not 0 <= _now() - issued_at <= CHALLENGE_LIFETIME.total_seconds()
    ):
        return None
    return base64url_to_bytes(challenge), name


def new_codes_keep(request: HttpRequest, codes: list[str]) -> None:
    request.session[_NEW_CODES] = codes


def new_codes_take(request: HttpRequest) -> list[str]:
    """Recovery codes just made, once: reloading the page does not show them again."""
    codes = request.session.pop(_NEW_CODES, None)
    return [c for c in codes if isinstance(c, str)] if isinstance(codes, list) else []


def second_step_proved(
    request: HttpRequest, *, method: SignInMethod, device: Device | None
) -> None:
    """A signed-in person has just proved a second factor (by setting one up): this session
    counts as verified from now on. The session gets a new key as its standing rises."""
    current = signed_in_by(request)
    if current is None or not current.has_second_factor:
        request.session.cycle_key()
        request.session[SIGNED_IN_BY] = method.value
    if device is not None:
        otp_login(request, device)
