"""Bodies over their path's limit answer 413 with the limit, before the body is read; a FHIR
bundle of more than 50 MiB is accepted."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from tests.conftest import ApiClient
from tests.world import World

from waypoint.triage.models import SymptomReport

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024


def test_an_api_body_over_the_limit_is_413_with_the_limit(world: World) -> None:
    body = json.dumps({"source": "patient", "symptoms": [], "free_text": "x" * (3 * MIB)})
    response = ApiClient(world.patient_user).client.post(
        f"/api/v1/patients/{world.patient.pk}/symptom-reports",
        data=body,
        content_type="application/json",
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large"
    assert "2.5 MiB" in error["message"]
    assert not SymptomReport.objects.exists()


def test_a_fhir_post_over_its_limit_is_413_before_the_body_is_read(world: World) -> None:
    # The announced length alone decides: the body itself is never read.
    response = ApiClient(world.key_worker).client.post(
        "/fhir",
        data="{}",
        content_type="application/fhir+json",
        CONTENT_LENGTH=str(65 * MIB),
    )
    assert response.status_code == 413
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "too-costly"
    assert "64 MiB" in outcome["issue"][0]["diagnostics"]


def test_a_fhir_bundle_of_more_than_50_mib_is_accepted(world: World) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [],
        "identifier": {"system": "urn:x", "value": "y" * (51 * MIB)},
    }
    response = ApiClient(world.key_worker).client.post(
        "/fhir", data=json.dumps(bundle), content_type="application/fhir+json"
    )
    assert response.status_code == 200, response.content[:500]
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_page_form_over_the_limit_is_a_413_page(world: World, client: Client) -> None:
    client.force_login(world.key_worker)
    response = client.post(f"/patients/{world.patient.pk}/edit/", {"given_name": "A" * (3 * MIB)})
    assert response.status_code == 413
    assert "the most this address accepts is 2.5 MiB" in response.content.decode()
