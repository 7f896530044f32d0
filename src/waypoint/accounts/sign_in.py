"""Failed sign-ins in the audit trail.

Django tells of every failed sign-in (the sign-in page's and the admin's) only through its
``user_login_failed`` signal, which is also how django-axes counts failures; this receiver is
connected after axes's (axes is installed first), so it sees whether the account was already
locked at this address. Neither the password nor a username that matches no account is kept: a
password typed into the username box must not land in a trail that is kept for years.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_failure_limit
from django.conf import settings
from django.http import HttpRequest

from waypoint.accounts.models import User
from waypoint.audit.services import access_denied_record
from waypoint.core.http import client_address

SIGN_IN = "sign_in"


def sign_in_failed_record(
    sender: object,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: object,
) -> None:
    if request is None:
        return
    typed = str(credentials.get("username") or "")
    user = User.objects.filter(username=typed).first() if typed else None
    address = client_address(request)
    where = f"from {address or 'an unknown address'} at {request.path}"
    failures = getattr(request, "axes_failures_since_start", None) or 0
    limit = get_failure_limit(request, credentials) if settings.AXES_ENABLED else 0
    if user is None:
        reason, detail = "Unknown username", f"Sign-in with a username that matches nobody, {where}"
    elif limit and failures > limit:
        reason, detail = "Sign-in while locked out", f"Sign-in as {user.username} {where}"
    elif not user.is_active:
        reason, detail = "Inactive account", f"Sign-in as {user.username} {where}"
    else:
        reason, detail = "Wrong password", f"Sign-in as {user.username} {where}"
        if limit and failures == limit:
            detail += "; now locked out at this address"
    access_denied_record(
        reason=reason, object_type=SIGN_IN, address=address, detail=detail, actor=user
    )
