"""When a signed-in session ends: the one place that works it out.

A session has two ends, and ends at whichever comes first:

- the idle end: WAYPOINT_STAFF_IDLE_MINUTES (patients and carers: WAYPOINT_PATIENT_IDLE_MINUTES)
  after the person last used Waypoint. Each request moves it on (waypoint.access.idle), and so
  does "Stay signed in" on the timeout warning;
- the absolute end: WAYPOINT_SESSION_SECONDS (SESSION_COOKIE_AGE) after signing in. Nothing moves
  it: however busy the session, the person then signs in again, with their second factor.

Both are kept in the session as seconds since 1970, so the time left is known exactly and the
warning shows at the right moment, and reading them never writes the session. Django's own expiry
(the session row and the cookie) is set a while past the absolute end, so that when a person comes
back after either end the session is still there to be ended properly: signed out, audited and
told why, rather than silently forgotten.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

IDLE_ENDS_KEY = "waypoint_idle_ends_at"
ENDS_KEY = "waypoint_session_ends_at"
_DJANGO_EXPIRY_KEY = "_session_expiry"  # where Django's set_expiry keeps a custom expiry
# How long past its end a session is kept, so that whoever comes back within it is told why they
# were signed out. Beyond it the row and the cookie are gone and the sign-in page simply shows.
EXPLAIN_FOR = dt.timedelta(hours=1)
# Moving the idle end on is a write of the session (a database UPDATE); doing it on every request
# would add a write to every page view, image and htmx update. It is moved only when it would move
# by more than this (or a tenth of the idle time, if that is less), so a person is signed out at
# most this much earlier than the idle time after their last request, and a busy session costs one
# write a minute.
TOUCH_RESOLUTION = dt.timedelta(minutes=1)


class EndedBy(StrEnum):
    IDLE = "idle"
    LIFETIME = "lifetime"


@dataclass(frozen=True)
class SessionEnds:
    idle: dt.datetime
    absolute: dt.datetime

    @property
    def first(self) -> dt.datetime:
        return min(self.idle, self.absolute)

    @property
    def by_lifetime(self) -> bool:
        """Whether the absolute end comes first (or with the idle end): nothing the person does
        can keep them signed in past it."""
        return self.absolute <= self.idle


def idle_time(user: object) -> dt.timedelta:
    """Staff are signed out sooner than patients and carers: a staff screen shows many people's
    records. Anyone whose kind is unknown gets the staff time, the shorter. (The user is read by
    attribute: core sits below accounts and imports none of it.)"""
    staff = getattr(user, "is_staff_member", True)
    minutes = (
        settings.WAYPOINT_STAFF_IDLE_MINUTES if staff else settings.WAYPOINT_PATIENT_IDLE_MINUTES
    )
    return dt.timedelta(minutes=minutes)


def lifetime() -> dt.timedelta:
    return dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def _at(seconds: object) -> dt.datetime | None:
    if isinstance(seconds, int | float) and not isinstance(seconds, bool):
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return None


def _store(request: HttpRequest, key: str, when: dt.datetime) -> None:
    request.session[key] = round(when.timestamp(), 3)


def session_ends(request: HttpRequest, *, now: dt.datetime | None = None) -> SessionEnds:
    """The two ends of the signed-in session on ``request``. A session signed in before the ends
    were kept (or whose values are damaged) is given the longest it could have: its fixed end,
    or a full session, and a full idle time from now."""
    now = now or timezone.now()
    absolute = _at(request.session.get(ENDS_KEY))
    if absolute is None:
        absolute = (
            request.session.get_expiry_date()
            if _DJANGO_EXPIRY_KEY in request.session
            else now + lifetime()
        )
    idle = _at(request.session.get(IDLE_ENDS_KEY)) or now + idle_time(request.user)
    return SessionEnds(idle=min(idle, absolute), absolute=absolute)


def session_ended(request: HttpRequest, *, now: dt.datetime) -> EndedBy | None:
    """Whether the signed-in session on ``request`` has ended, and by which end."""
    ends = session_ends(request, now=now)
    if now < ends.first:
        return None
    return EndedBy.LIFETIME if ends.by_lifetime else EndedBy.IDLE


def session_start(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """On signing in (``user_logged_in``): both ends are fixed from now."""
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now()
    absolute = now + lifetime()
    _store(request, ENDS_KEY, absolute)
    _store(request, IDLE_ENDS_KEY, min(now + idle_time(kwargs.get("user")), absolute))
    request.session.set_expiry(absolute + EXPLAIN_FOR)


def session_touch(request: HttpRequest, *, now: dt.datetime) -> None:
    """A request from the signed-in person: the idle end moves on, never past the absolute end,
    and only when it would move by more than ``TOUCH_RESOLUTION`` (see there)."""
    ends = session_ends(request, now=now)
    wanted = min(now + idle_time(request.user), ends.absolute)
    step = min(TOUCH_RESOLUTION, idle_time(request.user) / 10)
    if IDLE_ENDS_KEY not in request.session or ENDS_KEY not in request.session:
        _store(request, ENDS_KEY, ends.absolute)
        _store(request, IDLE_ENDS_KEY, wanted)
    elif wanted - ends.idle > step:
        _store(request, IDLE_ENDS_KEY, wanted)


def session_extend(request: HttpRequest) -> None:
    """ "Stay signed in": a full idle time again from now, never past the absolute end."""
    now = timezone.now()
    ends = session_ends(request, now=now)
    _store(request, ENDS_KEY, ends.absolute)
    _store(request, IDLE_ENDS_KEY, min(now + idle_time(request.user), ends.absolute))


def _seconds_until(end: dt.datetime, now: dt.datetime) -> int:
    # Rounded up: a page's countdown must never reach zero before the server's, or it would send
    # the person to the sign-in page while still signed in.
    return max(0, math.ceil((end - now).total_seconds()))


def session_expires_in(request: HttpRequest) -> int:
    """Whole seconds until the session ends, at whichever end comes first."""
    now = timezone.now()
    return _seconds_until(session_ends(request, now=now).first, now)


def session_lifetime_left(request: HttpRequest) -> int:
    """Whole seconds until the absolute end."""
    now = timezone.now()
    return _seconds_until(session_ends(request, now=now).absolute, now)
