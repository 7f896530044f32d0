from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from tests.world import World, build_world, clear_audit_trail_for_flush
from waypoint.accounts.models import User
from waypoint.accounts.services import api_token_create


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; tests of anything but hashing use a fast hasher.

    tests/accounts/test_passwords.py checks the production configuration itself.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: the audit trail's quiet minute for refused attempts
    (audit.services.access_denied_record) must not carry from one test into the next."""
    cache.clear()
    yield


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def committed_world(transactional_db: None) -> Iterator[World]:
    """The personas, committed, for tests that use more than one connection (workers racing)."""
    yield build_world()
    clear_audit_trail_for_flush()


class ApiClient:
    """Calls the JSON API with a bearer token, as an integration would."""

    def __init__(self, user: User) -> None:
        _, self.token = api_token_create(user=user)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def get(self, path: str, data: object = None, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.get("/api/v1" + path, data=data, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, data: object = None, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.post(
            "/api/v1" + path,
            data=data,
            content_type="application/json",
            **kwargs,  # type: ignore[arg-type]
        )

    def put(self, path: str, data: object = None, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.put(
            "/api/v1" + path,
            data=data,
            content_type="application/json",
            **kwargs,  # type: ignore[arg-type]
        )

    def patch(self, path: str, data: object = None, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.patch(
            "/api/v1" + path,
            data=data,
            content_type="application/json",
            **kwargs,  # type: ignore[arg-type]
        )

    def delete(self, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.delete("/api/v1" + path, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def api_as():  # type: ignore[no-untyped-def]
    return ApiClient
