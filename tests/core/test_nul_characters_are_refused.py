"""A NUL character (U+0000) anywhere in a request is refused with 422 naming the field, and
nothing is stored: in JSON bodies, form fields, query parameters and FHIR bundles alike."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from tests.conftest import ApiClient
from tests.triage.test_symptom_reports_api import sepsis_body
from tests.world import World

from waypoint.registry.models import Patient
from waypoint.triage.models import SymptomReport

pytestmark = pytest.mark.django_db

NUL = "\x00"


def test_nul_in_a_symptom_report_free_text_is_422_naming_the_field(world: World) -> None:
    response = ApiClient(world.patient_user).client.post(
        f"/api/v1/patients/{world.patient.pk}/symptom-reports",
        data=json.dumps(sepsis_body(free_text=f"feel{NUL}awful")),
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert "NUL" in error["message"]
    assert list(error["fields"]) == ["free_text"]
    assert not SymptomReport.objects.exists()


def test_nul_deep_in_a_json_body_is_named_by_its_path(world: World) -> None:
    body = sepsis_body()
    body["symptoms"] = [{"code": f"breath{NUL}lessness", "grade": 2}]
    response = ApiClient(world.patient_user).client.post(
        f"/api/v1/patients/{world.patient.pk}/symptom-reports",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["symptoms.0.code"]


def test_nul_in_an_api_query_parameter_is_422(world: World) -> None:
    response = ApiClient(world.key_worker).client.get(f"/api/v1/patients?q=Love{NUL}lace")
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["q"]


def test_nul_in_a_page_query_parameter_is_a_422_page(world: World, client: Client) -> None:
    client.force_login(world.helpline_nurse)
    response = client.get("/patients/", {"q": f"Ada{NUL}", "reason": "Caller on the line"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    assert "NUL character" in response.content.decode()


def test_nul_in_a_page_form_changes_nothing(world: World, client: Client) -> None:
    client.force_login(world.key_worker)
    before = Patient.objects.get(pk=world.patient.pk)
    response = client.post(
        f"/patients/{world.patient.pk}/edit/",
        {"given_name": f"Ada{NUL}", "family_name": "Lovelace"},
    )
    assert response.status_code == 422
    after = Patient.objects.get(pk=world.patient.pk)
    assert (after.given_name, after.family_name) == (before.given_name, before.family_name)


def test_nul_in_a_fhir_bundle_is_an_operation_outcome_naming_the_element(world: World) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "name": [{"family": f"Love{NUL}lace"}]}}
        ],
    }
    response = ApiClient(world.key_worker).client.post(
        "/fhir", data=json.dumps(bundle), content_type="application/fhir+json"
    )
    assert response.status_code == 422
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["expression"] == ["entry.0.resource.name.0.family"]
    assert Patient.objects.count() == 3


def test_nul_in_a_fhir_search_is_422(world: World) -> None:
    response = ApiClient(world.key_worker).client.get(f"/fhir/Patient?family=Love{NUL}")
    assert response.status_code == 422
    assert response.json()["resourceType"] == "OperationOutcome"


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(world: World) -> None:
    response = ApiClient(world.patient_user).client.post(
        f"/api/v1/patients/{world.patient.pk}/symptom-reports",
        data=json.dumps(sepsis_body(free_text="typed \\u0000 literally")),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["free_text"] == "typed \\u0000 literally"
