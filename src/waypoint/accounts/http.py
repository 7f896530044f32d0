from __future__ import annotations

from django.http import HttpRequest

from waypoint.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The authenticated user. Every view that calls this sits behind authentication."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # guaranteed by the auth layer
    return user
