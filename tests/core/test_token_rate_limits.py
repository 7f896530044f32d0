"""Each API token has a limit a minute for writes and one for FHIR imports (accounts/bearer.py),
counted in the database so that every server process shares it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from tests.fhir.export_support import fhir_client
from tests.world import World

from waypoint.accounts.models import ApiToken
from waypoint.accounts.services import api_token_create, api_token_rate_take
from waypoint.audit.models import AuditEvent

# Ten seconds into a minute: a refusal asks the client to wait the other fifty.
TEN_PAST = dt.datetime(2026, 3, 4, 10, 15, 10, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(TEN_PAST, tick=False) as frozen:
        yield frozen


@pytest.fixture
def low_limits(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WAYPOINT_TOKEN_WRITES_PER_MINUTE = 3
    settings.WAYPOINT_FHIR_POSTS_PER_MINUTE = 2


def _write(client, patient_id: int):  # type: ignore[no-untyped-def]
    """A write the token counts for (it fails validation, after the token is checked)."""
    return client.post(f"/patients/{patient_id}/symptom-reports", {})


def _fhir_post(client: Client):  # type: ignore[no-untyped-def]
    return client.post("/fhir", "{}", content_type="application/fhir+json")


def test_writes_over_the_limit_get_429_with_retry_after_and_the_envelope(
    world: World,
    api_as,  # type: ignore[no-untyped-def]
    clock,  # type: ignore[no-untyped-def]
    low_limits: None,
) -> None:
    client = api_as(world.key_worker)
    for _ in range(3):
        assert _write(client, world.patient.pk).status_code == 422
    refused = _write(client, world.patient.pk)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    error = refused.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["message"] == (
        "Too many changes with this token: at most 3 a minute. Try again in 50 seconds."
    )
    assert error["fields"] == {}


def test_reads_are_not_limited(world: World, api_as, clock, low_limits: None) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    for _ in range(4):
        _write(client, world.patient.pk)
    for _ in range(5):
        assert client.get("/me").status_code == 200


def test_the_limit_starts_again_the_next_minute(
    world: World, api_as, clock, low_limits: None
) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.key_worker)
    for _ in range(4):
        _write(client, world.patient.pk)
    clock.shift(dt.timedelta(seconds=50))
    assert _write(client, world.patient.pk).status_code == 422


def test_each_token_has_its_own_count(world: World, api_as, clock, low_limits: None) -> None:  # type: ignore[no-untyped-def]
    first = api_as(world.key_worker)
    for _ in range(4):
        _write(first, world.patient.pk)
    assert _write(api_as(world.key_worker), world.patient.pk).status_code == 422
    assert _write(api_as(world.colleague), world.patient.pk).status_code == 422


def test_writes_in_a_signed_in_browser_are_not_limited_per_token(
    world: World,
    clock,  # type: ignore[no-untyped-def]
    low_limits: None,
) -> None:
    browser = Client()
    browser.force_login(world.key_worker)
    for _ in range(5):
        response = browser.post(
            f"/api/v1/patients/{world.patient.pk}/symptom-reports", {}, "application/json"
        )
        assert response.status_code == 422


def test_fhir_imports_over_the_limit_get_a_throttled_operation_outcome(
    world: World,
    clock,  # type: ignore[no-untyped-def]
    low_limits: None,
) -> None:
    client = fhir_client(world.key_worker)
    for _ in range(2):
        assert _fhir_post(client).status_code == 400
    refused = _fhir_post(client)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert refused["Content-Type"].startswith("application/fhir+json")
    outcome = refused.json()
    assert outcome["resourceType"] == "OperationOutcome"
    [issue] = outcome["issue"]
    assert issue["severity"] == "error"
    assert issue["code"] == "throttled"
    assert "at most 2 a minute" in issue["diagnostics"]


def test_fhir_imports_and_api_writes_are_counted_apart(
    world: World,
    api_as,  # type: ignore[no-untyped-def]
    clock,  # type: ignore[no-untyped-def]
    low_limits: None,
) -> None:
    api = api_as(world.key_worker)
    fhir = Client(HTTP_AUTHORIZATION=f"Bearer {api.token}")
    for _ in range(2):
        _fhir_post(fhir)
    assert _fhir_post(fhir).status_code == 429
    assert _write(api, world.patient.pk).status_code == 422
    assert fhir.get(f"/fhir/Patient/{world.patient.pk}").status_code == 200


def test_a_refused_request_is_in_the_audit_trail_once_a_minute(
    world: World,
    api_as,  # type: ignore[no-untyped-def]
    clock,  # type: ignore[no-untyped-def]
    low_limits: None,
) -> None:
    client = api_as(world.key_worker)
    for _ in range(6):
        _write(client, world.patient.pk)
    [event] = AuditEvent.objects.filter(reason="Too many requests")
    token = ApiToken.objects.get(user=world.key_worker)
    assert event.actor == world.key_worker
    assert event.object_id == str(token.pk)
    assert event.detail.startswith(f"POST /api/v1/patients/{world.patient.pk}/symptom-reports")
    assert client.token not in event.detail


def test_the_count_restarts_each_minute_and_says_how_long_to_wait(world: World) -> None:
    token, _ = api_token_create(user=world.key_worker)
    now = TEN_PAST
    taken = [
        api_token_rate_take(token=token, scope="api_write", limit=2, now=now) for _ in range(3)
    ]
    assert taken == [0, 0, 50]
    assert api_token_rate_take(token=token, scope="fhir_post", limit=2, now=now) == 0
    later = now + dt.timedelta(seconds=49)
    assert api_token_rate_take(token=token, scope="api_write", limit=2, now=later) == 1
    next_minute = now + dt.timedelta(seconds=50)
    assert api_token_rate_take(token=token, scope="api_write", limit=2, now=next_minute) == 0
    assert token.rates.count() == 2  # one row per scope, however many minutes pass
