"""Waypoint while its database cannot be reached: which failures mean that, and the person's team
numbers kept in their browser so that the page they then see can still give them.

A request that fails because PostgreSQL is down answers 503 with ``Retry-After`` wherever it fails
(loading the session, the signed-in user, a view, saving the session): ``error_pages.server_error``
for pages, ``/fhir`` and anything raised in middleware, and the API's own handler for ``/api/v1/``.
Nothing on that path may touch the database again, so the page is drawn from settings, the one
advice source and the cookie below.

The cookie is written when a person uses the portal and holds only their team's name and its
in-hours and out-of-hours numbers: signed (so nobody can plant another number for the page to
show), HttpOnly, SameSite=Lax and Secure behind HTTPS. It is deleted on signing in and out, so on
a shared computer it belongs to whoever signed in last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponseBase

RETRY_AFTER_SECONDS = 30
TEAM_COOKIE = "waypoint_team"
# Refreshed on every portal page; a person who has not opened the portal for this long gets the
# service's numbers instead (their team may have changed since).
TEAM_COOKIE_MAX_AGE = dt.timedelta(days=30)
_SALT = "waypoint.core.outage.team"
_MAX_TEXT = 200  # a longer value is not a team name or a phone number


def database_unavailable(exc: BaseException | None) -> bool:
    """The database cannot be reached: the connection was refused or lost (OperationalError), or
    is already closed (InterfaceError). A fault in a query (ProgrammingError, DataError,
    IntegrityError) is a bug, not an outage, and stays a 500, so that it is not retried in vain."""
    return isinstance(exc, OperationalError | InterfaceError)


@dataclass(frozen=True)
class TeamNumbers:
    name: str
    in_hours_phone: str
    out_of_hours_phone: str


def team_numbers_remember(response: HttpResponseBase, *, numbers: TeamNumbers) -> None:
    value = signing.dumps(
        {"name": numbers.name, "in": numbers.in_hours_phone, "out": numbers.out_of_hours_phone},
        salt=_SALT,
    )
    response.set_cookie(
        TEAM_COOKIE,
        value,
        max_age=TEAM_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def team_numbers_forget(response: HttpResponseBase) -> None:
    response.delete_cookie(TEAM_COOKIE, samesite="Lax")


def team_numbers_recalled(request: HttpRequest) -> TeamNumbers | None:
    """The numbers last written to this browser, read without the database; None when there are
    none, they are too old, or they were not written by Waypoint."""
    raw = request.COOKIES.get(TEAM_COOKIE, "")
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_SALT, max_age=TEAM_COOKIE_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    name, in_hours, out_of_hours = data.get("name"), data.get("in"), data.get("out")
    if not (
        isinstance(name, str)
        and isinstance(in_hours, str)
        and isinstance(out_of_hours, str)
        and name
        and (in_hours or out_of_hours)
        and max(len(name), len(in_hours), len(out_of_hours)) <= _MAX_TEXT
    ):
        return None
    return TeamNumbers(name=name, in_hours_phone=in_hours, out_of_hours_phone=out_of_hours)
