"""Requests with a token that is not valid are in the audit trail (accounts/bearer.py), without the
token and at most once a minute for the same reason, token and address."""

from __future__ import annotations

import secrets

from django.test import Client
from django.utils import timezone
from tests.world import World

from waypoint.accounts.models import ApiToken
from waypoint.audit.models import AuditAction, AuditEvent

HERE = "127.0.0.1"  # the test client's address


def _refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("id"))


def _random_token() -> str:
    return "wp_" + secrets.token_urlsafe(32)


def test_an_unknown_token_is_recorded_without_the_token(db: None) -> None:
    token = _random_token()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me")
    assert response.status_code == 401
    [event] = _refusals()
    assert event.actor is None
    assert event.actor_role == "anonymous"
    assert event.object_type == "api_token"
    assert event.object_id == ""
    assert event.reason == "Unknown API token"
    assert event.detail == f"GET /api/v1/me from {HERE}"
    assert token[3:11] not in f"{event.detail} {event.object_id}"


def test_a_revoked_token_is_recorded_against_its_account(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    token = ApiToken.objects.get(user=world.key_worker)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert client.get("/me").status_code == 401
    [event] = _refusals()
    assert event.actor == world.key_worker
    assert event.reason == "Revoked API token"
    assert event.object_id == str(token.pk)
    assert event.detail == f"GET /api/v1/me from {HERE}, token {token.prefix}…"
    assert client.token not in event.detail


def test_an_inactive_accounts_token_is_recorded(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    world.key_worker.is_active = False
    world.key_worker.save()
    assert client.get("/me").status_code == 401
    [event] = _refusals()
    assert event.reason == "API token of an inactive account"
    assert event.actor == world.key_worker


def test_fhir_records_an_unknown_token_too(db: None) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_random_token()}")
    assert client.post("/fhir", "{}", content_type="application/fhir+json").status_code == 401
    [event] = _refusals()
    assert event.reason == "Unknown API token"
    assert event.detail == f"POST /fhir from {HERE}"


def test_random_tokens_from_one_address_add_one_row_a_minute(db: None) -> None:
    for _ in range(20):
        Client(HTTP_AUTHORIZATION=f"Bearer {_random_token()}").get("/api/v1/me")
    assert len(_refusals()) == 1
    Client(REMOTE_ADDR="203.0.113.77", HTTP_AUTHORIZATION="Bearer nonsense").get("/api/v1/me")
    assert len(_refusals()) == 2


def test_a_valid_token_leaves_no_refusal(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    assert api_as(world.key_worker).get("/me").status_code == 200
    assert _refusals() == []
