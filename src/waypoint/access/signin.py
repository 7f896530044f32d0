"""The one place a person becomes signed in, whatever way they proved who they are.

Every way in (password, password and a second factor, single sign-on, an accepted invitation)
ends here, so that each does the same things: Django's ``login`` (a new session key, the
``user_logged_in`` signal that fixes the session's end), the way they signed in kept in the session
(the second-factor rule reads it), the team numbers of whoever used this computer before forgotten,
and an audit event.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.http import client_address
from waypoint.core.outage import team_numbers_forget

SIGNED_IN_BY = "waypoint_signed_in_by"
SIGN_IN_OBJECT = "sign_in"
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInMethod(StrEnum):
    # Names of ways in, not secrets (S105).
    PASSWORD = "password"  # noqa: S105  # a password alone
    PASSWORD_TOTP = "password+totp"  # noqa: S105  # and an authenticator-app code
    PASSWORD_RECOVERY = "password+recovery"  # noqa: S105  # and a one-use recovery code
    PASSWORD_PASSKEY = "password+passkey"  # noqa: S105  # and a passkey
    STAFF_SSO = "sso:staff"  # the organisation's OpenID Connect provider
    PATIENT_SSO = "sso:patient"  # the patient OpenID Connect provider
    INVITATION = "invitation"  # a password set just now from a one-use invitation link

    @property
    def has_second_factor(self) -> bool:
        """Whether this way in proved more than a password. A staff identity provider is trusted
        with its own strong sign-in (a smartcard, its own second factor)."""
        return self not in {SignInMethod.PASSWORD, SignInMethod.INVITATION}


def sign_in_complete(
    request: HttpRequest, *, user: User, method: SignInMethod, response: HttpResponse | None = None
) -> None:
    """Sign ``user`` in on this request, recorded as ``method``. Pass the response the view will
    send, so the previous person's kept team numbers are forgotten on it."""
    login(request, user, backend=_MODEL_BACKEND)
    request.session[SIGNED_IN_BY] = method.value
    audit_record(
        actor=user,
        action=AuditAction.SIGN_IN,
        patient=None,
        object_type=SIGN_IN_OBJECT,
        object_id=user.pk,
        detail=f"Signed in ({method.value}) from {client_address(request) or 'an unknown address'}",
    )
    if response is not None:
        team_numbers_forget(response)


def signed_in_by(request: HttpRequest) -> SignInMethod | None:
    raw = request.session.get(SIGNED_IN_BY)
    try:
        return SignInMethod(raw) if raw else None
    except ValueError:
        return None
