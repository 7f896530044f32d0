"""Steps of a single-sign-on journey through Django's test client and the real provider."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.test import Client

from tests.access.oidc_fixture import TestProvider
from waypoint.accounts.models import User


def start(client: Client, provider: str, **params: str) -> str:
    """Presses the sign-in page's button; returns the provider address Waypoint redirected to."""
    response = client.get(f"/sso/{provider}/start", params)
    assert response.status_code == 302, response.content[:500]
    location: str = response["Location"]
    return location


def query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def sign_in(client: Client, oidc: TestProvider, provider: str, login: str, **params: str):  # type: ignore[no-untyped-def]
    """The whole round trip: Waypoint, the provider's sign-in page, and back to Waypoint's
    callback. Returns the callback's response."""
    callback = oidc.sign_in(start(client, provider, **params), login=login)
    return client.get(callback)


def signed_in_as(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None
