from __future__ import annotations

from django.test import Client


def test_the_openapi_document_lists_the_registry_endpoints(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/v1/patients",
        "/api/v1/patients/{patient_id}",
        "/api/v1/patients/{patient_id}/secondary-diagnoses",
        "/api/v1/patients/{patient_id}/key-worker",
        "/api/v1/worklists/unassigned",
    ):
        assert path in paths
    assert set(paths["/api/v1/patients/{patient_id}/key-worker"]) == {"get", "put"}
    assert {"ApiTokenAuth", "SessionAuth"} <= set(document["components"]["securitySchemes"])


def test_every_response_carries_a_request_id(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert len(response["X-Request-ID"]) == 32
    forged = Client().get("/api/v1/openapi.json", HTTP_X_REQUEST_ID="bad id with spaces")
    assert forged["X-Request-ID"] != "bad id with spaces"
