"""How long a signed-in session has left, so a page can warn before it ends.

Django counts a session's age from its last save, which it does not store; an absolute expiry is
stored instead (when the person signs in, and again on "Stay signed in"), so the time left is known
exactly and the warning is shown at the right moment. Reading it never writes the session, so a
page costs no extra queries.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

_EXPIRY_KEY = "_session_expiry"  # where Django's set_expiry keeps a custom expiry


def session_extend(request: HttpRequest) -> None:
    request.session.set_expiry(timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))


def session_expires_in(request: HttpRequest) -> int:
    """Seconds until the session ends (a full session for one signed in before expiries were
    stored, which is the longest it can have left)."""
    if _EXPIRY_KEY not in request.session:
        return int(settings.SESSION_COOKIE_AGE)
    return max(0, request.session.get_expiry_age())


def session_start(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """On signing in (``user_logged_in``): the session's end is fixed from now."""
    if request is not None and hasattr(request, "session"):
        session_extend(request)
