"""While sign-in to an account is locked at an address, its API tokens are refused from there
(accounts/bearer.py): 403 with the API's envelope, or an OperationOutcome from /fhir."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django.utils import timezone
from tests.fhir.export_support import fhir_client
from tests.world import World

from waypoint.accounts.models import ApiToken
from waypoint.audit.models import AuditEvent

HERE = "127.0.0.1"  # the test client's address
ELSEWHERE = "203.0.113.77"


def _lock(username: str = "kw") -> None:
    client = Client(REMOTE_ADDR=HERE)
    for _ in range(5):
        client.post("/login/", {"username": username, "password": "not-the-password"})


def test_a_locked_out_users_token_gets_403_with_a_clear_message(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    assert client.get("/me").status_code == 200
    _lock()

    response = client.get("/me")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "locked_out"
    assert "locked at this address" in error["message"]
    assert "30 minutes after the last failed sign-in" in error["message"]


def test_writes_are_refused_too(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    _lock()
    response = client.post(f"/patients/{world.patient.pk}/symptom-reports", {})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "locked_out"


def test_the_token_still_works_from_another_address(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    _lock()
    assert client.get("/me", REMOTE_ADDR=ELSEWHERE).status_code == 200


def test_colleagues_tokens_at_the_same_address_keep_working(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    _lock()
    assert api_as(world.colleague).get("/me").status_code == 200
    assert api_as(world.other_team_nurse).get("/me").status_code == 200


def test_the_token_works_again_when_the_lock_ends(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _lock()
        assert client.get("/me").status_code == 403
        clock.shift(dt.timedelta(minutes=31))
        assert client.get("/me").status_code == 200


def test_fhir_answers_a_locked_out_token_with_an_operation_outcome(world: World) -> None:
    client = fhir_client(world.key_worker)
    _lock()
    response = client.get(f"/fhir/Patient/{world.patient.pk}")
    assert response.status_code == 403
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "forbidden"
    assert "locked" in outcome["issue"][0]["diagnostics"]
    assert client.post("/fhir", "{}", content_type="application/fhir+json").status_code == 403


def test_the_refusal_is_in_the_audit_trail_once_a_minute(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    _lock()
    for _ in range(3):
        client.get("/me")
    [event] = AuditEvent.objects.filter(reason="API token refused: sign-in locked out")
    token = ApiToken.objects.get(user=world.key_worker)
    assert event.actor == world.key_worker
    assert event.object_type == "api_token"
    assert event.object_id == str(token.pk)
    assert event.detail == f"GET /api/v1/me from {HERE}, token {token.prefix}…"
    assert client.token not in event.detail
