from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from waypoint.accounts.bearer import bearer_user
from waypoint.accounts.models import User


class ApiTokenAuth(HttpBearer):
    """Bearer token (accounts/bearer.py): a locked-out account or a token over its limit raises
    ``TokenRefused``, which the API answers with 403 or 429."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = bearer_user(request, token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Browser session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> User | None:
        # Without a signed-in session there is nobody to protect from a forged request: answer
        # the documented 401 rather than a 403 for the missing CSRF token.
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None
