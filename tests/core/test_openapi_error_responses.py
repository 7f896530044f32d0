"""/api/v1/openapi.json documents the errors each operation can answer, all in one envelope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def document() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", method, operation


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_operation_documents_401_422_and_503(document: dict[str, Any]) -> None:
    missing = {
        name: sorted({"401", "422", "503"} - set(operation["responses"]))
        for name, _, operation in _operations(document)
        if not {"401", "422", "503"} <= set(operation["responses"])
    }
    assert missing == {}


def test_every_operation_documents_403_for_a_locked_out_token(document: dict[str, Any]) -> None:
    missing = [
        name for name, _, operation in _operations(document) if "403" not in operation["responses"]
    ]
    assert missing == []


def test_every_write_documents_409_and_429(document: dict[str, Any]) -> None:
    missing = {
        name: sorted({"409", "429"} - set(operation["responses"]))
        for name, method, operation in _operations(document)
        if method in WRITES and not {"409", "429"} <= set(operation["responses"])
    }
    assert missing == {}


def test_every_operation_with_a_body_documents_400_and_413(document: dict[str, Any]) -> None:
    missing = [
        name
        for name, _, operation in _operations(document)
        if "requestBody" in operation and not {"400", "413"} <= set(operation["responses"])
    ]
    assert missing == []


def test_every_operation_with_a_record_in_its_path_documents_404(
    document: dict[str, Any],
) -> None:
    missing = [
        name
        for name, _, operation in _operations(document)
        if "{" in name and "404" not in operation["responses"]
    ]
    assert missing == []


def test_statuses_an_operation_declares_for_its_service_are_kept(
    document: dict[str, Any],
) -> None:
    paths = document["paths"]
    assert "404" in paths["/api/v1/experience/invitation"]["get"]["responses"]
    assert "404" in paths["/api/v1/reports/prevalence"]["get"]["responses"]
    assert "404" in paths["/api/v1/triage/preview"]["post"]["responses"]
    assert "404" not in paths["/api/v1/me"]["get"]["responses"]


def test_every_error_answers_the_one_envelope(document: dict[str, Any]) -> None:
    other = {
        f"{name} {status}": response
        for name, _, operation in _operations(document)
        for status, response in operation["responses"].items()
        if int(status) >= 400
        and response["content"]["application/json"]["schema"]
        != {"$ref": "#/components/schemas/ErrorOut"}
    }
    assert other == {}
    error = document["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["error"]
    detail = document["components"]["schemas"]["ErrorDetailOut"]
    assert set(detail["required"]) == {"code", "message", "fields"}


def test_every_reference_in_a_response_names_an_existing_component(
    document: dict[str, Any],
) -> None:
    components = document["components"]["schemas"]
    dangling = sorted(
        {
            f"{name}: {ref}"
            for name, _, operation in _operations(document)
            for ref in _refs(operation)
            if ref.removeprefix("#/components/schemas/") not in components
        }
        | {
            ref
            for ref in _refs(components)
            if ref.removeprefix("#/components/schemas/") not in components
        }
    )
    assert dangling == []


def test_an_unauthenticated_answer_has_the_documented_shape(document: dict[str, Any]) -> None:
    body = Client().get("/api/v1/me").json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == "unauthenticated"
