"""Requests shaped wrongly get the documented 4xx: over-long idempotency keys, anonymous writes,
lists outside the caller's scope, FHIR bundles nested without end or with a string request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.conftest import ApiClient
from tests.triage.test_symptom_reports_api import sepsis_body
from tests.world import World

from waypoint.registry.models import Patient
from waypoint.standards.services import standards_snapshot
from waypoint.triage.models import SymptomReport

pytestmark = pytest.mark.django_db


def _report(client: Client, world: World, key: str) -> Any:
    return client.post(
        f"/api/v1/patients/{world.patient.pk}/symptom-reports",
        data=json.dumps(sepsis_body()),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_an_idempotency_key_over_100_characters_is_422_not_cut_short(world: World) -> None:
    client = ApiClient(world.patient_user).client
    response = _report(client, world, "k" * 101)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert not SymptomReport.objects.exists()


def test_two_keys_of_100_characters_sharing_a_prefix_are_two_reports(world: World) -> None:
    client = ApiClient(world.patient_user).client
    first = _report(client, world, "p" * 99 + "1")
    second = _report(client, world, "p" * 99 + "2")
    assert (first.status_code, second.status_code) == (201, 201)
    assert SymptomReport.objects.count() == 2


def test_an_anonymous_write_to_the_api_is_401_not_a_csrf_403(world: World) -> None:
    response = Client(enforce_csrf_checks=True).post(
        f"/api/v1/patients/{world.patient.pk}/symptom-reports",
        data=json.dumps(sepsis_body()),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_signed_in_write_without_its_csrf_token_is_still_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.patient_user)
    response = client.post(
        f"/api/v1/patients/{world.patient.pk}/symptom-reports",
        data=json.dumps(sepsis_body()),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not SymptomReport.objects.exists()


def test_another_teams_not_met_list_is_404(world: World) -> None:
    standards_snapshot(as_of=timezone.localdate())
    client = ApiClient(world.key_worker).client
    own = client.get(f"/api/v1/standards/HNA1/not-met?team={world.team_a.pk}")
    assert own.status_code == 200
    other = client.get(f"/api/v1/standards/HNA1/not-met?team={world.team_b.pk}")
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "not_found"


def test_a_manager_has_no_triage_queue_in_the_api(world: World) -> None:
    client = ApiClient(world.manager).client
    for team in (world.team_a, world.team_b):
        assert client.get(f"/api/v1/teams/{team.pk}/triage-queue").status_code == 404


def test_a_key_worker_still_has_their_teams_triage_queue(world: World) -> None:
    client = ApiClient(world.key_worker).client
    assert client.get(f"/api/v1/teams/{world.team_a.pk}/triage-queue").status_code == 200
    assert client.get(f"/api/v1/teams/{world.team_b.pk}/triage-queue").status_code == 404


def _post_fhir(world: World, body: str) -> Any:
    return ApiClient(world.key_worker).client.post(
        "/fhir", data=body, content_type="application/fhir+json"
    )


def test_a_fhir_body_nested_10000_levels_is_400_naming_the_limit(world: World) -> None:
    body = '{"resourceType": "Bundle", "type": "collection", "x": ' + "[" * 10_000
    body += "]" * 10_000 + "}"
    response = _post_fhir(world, body)
    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert "more than 64 levels" in outcome["issue"][0]["diagnostics"]


def test_a_fhir_body_nested_just_past_the_limit_is_refused_and_at_it_accepted(
    world: World,
) -> None:
    def nested(depth: int) -> str:
        # The bundle is level 1; each list below it adds one.
        inner = "[" * (depth - 1) + "]" * (depth - 1)
        return '{"resourceType": "Bundle", "type": "collection", "entry": [], "x": ' + inner + "}"

    assert _post_fhir(world, nested(65)).status_code == 400
    assert _post_fhir(world, nested(64)).status_code == 200


def test_a_fhir_entry_whose_request_is_a_string_is_422_and_writes_nothing(world: World) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "resource": {"resourceType": "Patient", "name": [{"family": "Lovelace"}]},
                "request": "POST Patient",
            }
        ],
    }
    response = _post_fhir(world, json.dumps(bundle))
    assert response.status_code == 422
    issue = response.json()["issue"][0]
    assert issue["expression"] == ["Bundle.entry[0].request"]
    assert Patient.objects.count() == 3


def test_a_fhir_bundle_whose_entry_is_not_a_list_is_422(world: World) -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": 7}
    response = _post_fhir(world, json.dumps(bundle))
    assert response.status_code == 422
