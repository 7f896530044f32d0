"""Search parameters, paging, formats and errors of the REST endpoints."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from tests.fhir.export_support import assert_r4b, fhir_client
from tests.world import make_patient
from waypoint.registry.models import PatientIdentifier


def ids(bundle: dict[str, Any]) -> list[str]:
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def links(bundle: dict[str, Any]) -> dict[str, str]:
    return {link["relation"]: link["url"] for link in bundle["link"]}


@pytest.fixture
def client(world) -> Client:  # type: ignore[no-untyped-def]
    return fhir_client(world.key_worker)


def test_metadata_needs_no_credentials_and_describes_the_server() -> None:
    response = Client().get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; fhirVersion=4.0.1; charset=utf-8"
    statement = response.json()
    assert_r4b(statement)
    assert statement["fhirVersion"] == "4.0.1"
    assert statement["implementation"]["url"] == "http://testserver/fhir"


def test_metadata_refuses_writes_and_other_formats() -> None:
    assert Client().post("/fhir/metadata").status_code == 405
    response = Client().get("/fhir/metadata", {"_format": "xml"})
    assert response.status_code == 406
    assert response.json()["resourceType"] == "OperationOutcome"


def test_json_formats_are_accepted(world, client) -> None:  # type: ignore[no-untyped-def]
    for wanted in ("json", "application/fhir+json", "application/json"):
        assert (
            client.get(f"/fhir/Patient/{world.patient.pk}", {"_format": wanted}).status_code == 200
        )
    assert client.get(f"/fhir/Patient/{world.patient.pk}", {"_format": "xml"}).status_code == 406


def test_patient_search_by_nhs_number_identifier(world, client) -> None:  # type: ignore[no-untyped-def]
    nhs = world.patient.nhs_number
    bundle = client.get(
        "/fhir/Patient", {"identifier": f"https://fhir.nhs.uk/Id/nhs-number|{nhs}"}
    ).json()
    assert_r4b(bundle)
    assert ids(bundle) == [str(world.patient.pk)]
    assert bundle["total"] == 1
    assert ids(client.get("/fhir/Patient", {"identifier": nhs}).json()) == [str(world.patient.pk)]


def test_patient_search_by_another_identifier(world, client) -> None:  # type: ignore[no-untyped-def]
    PatientIdentifier.objects.create(
        patient=world.other_patient, system="https://trust.example/mrn", value="M42"
    )
    assert ids(
        client.get("/fhir/Patient", {"identifier": "https://trust.example/mrn|M42"}).json()
    ) == [str(world.other_patient.pk)]
    assert (
        ids(client.get("/fhir/Patient", {"identifier": "https://other.example/mrn|M42"}).json())
        == []
    )
    assert ids(client.get("/fhir/Patient", {"identifier": "M42"}).json()) == [
        str(world.other_patient.pk)
    ]


def test_patient_search_by_family_given_birthdate_and_id(world, client) -> None:  # type: ignore[no-untyped-def]
    assert ids(client.get("/fhir/Patient", {"family": "love"}).json()) == [str(world.patient.pk)]
    assert ids(client.get("/fhir/Patient", {"given": "BE"}).json()) == [str(world.other_patient.pk)]
    both = sorted([str(world.patient.pk), str(world.other_patient.pk)])
    assert sorted(ids(client.get("/fhir/Patient", {"birthdate": "1960-05-17"}).json())) == both
    assert ids(client.get("/fhir/Patient", {"birthdate": "gt1960-05-17"}).json()) == []
    assert sorted(ids(client.get("/fhir/Patient", {"birthdate": "le1960-05-17"}).json())) == both
    assert ids(client.get("/fhir/Patient", {"_id": str(world.other_patient.pk)}).json()) == [
        str(world.other_patient.pk)
    ]
    # Someone in another team is not found, whatever is asked.
    assert ids(client.get("/fhir/Patient", {"_id": str(world.team_b_patient.pk)}).json()) == []


def test_paging_follows_next_and_previous_links_with_the_total(world, client) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        make_patient(team=world.team_a, given=f"Page{i}")
    first = client.get("/fhir/Patient", {"_count": "2"}).json()
    assert_r4b(first)
    assert first["total"] == 5 and len(ids(first)) == 2
    assert "previous" not in links(first)
    seen = ids(first)
    page = first
    while "next" in links(page):
        url = urlparse(links(page)["next"])
        assert parse_qs(url.query)["_count"] == ["2"]
        page = client.get(url.path, {k: v[0] for k, v in parse_qs(url.query).items()}).json()
        assert page["total"] == 5
        assert "previous" in links(page)
        seen += ids(page)
    assert len(seen) == 5 and len(set(seen)) == 5


def test_count_zero_gives_the_total_only_and_count_has_a_maximum(world, client) -> None:  # type: ignore[no-untyped-def]
    bundle = client.get("/fhir/Patient", {"_count": "0"}).json()
    assert bundle["total"] == 2 and "entry" not in bundle
    response = client.get("/fhir/Patient", {"_count": "201"})
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["_count"]


def test_searches_other_than_patient_need_a_patient(world, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/fhir/Condition")
    assert response.status_code == 400
    outcome = response.json()
    assert_r4b(outcome)
    assert outcome["issue"][0]["expression"] == ["patient"]
    assert client.get("/fhir/Condition", {"patient": "Condition/1"}).status_code == 400


def test_unknown_parameters_answer_400_unless_the_client_asks_for_leniency(world, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/fhir/Patient", {"family": "love", "_sort": "name", "name:exact": "x"})
    assert response.status_code == 400
    assert {i["expression"][0] for i in response.json()["issue"]} == {"_sort", "name:exact"}
    lenient = client.get(
        "/fhir/Patient", {"family": "love", "_sort": "name"}, HTTP_PREFER="handling=lenient"
    )
    assert lenient.status_code == 200
    bundle = lenient.json()
    assert_r4b(bundle)
    assert ids(bundle) == [str(world.patient.pk)]
    outcome = bundle["entry"][-1]
    assert outcome["search"]["mode"] == "outcome"
    assert outcome["resource"]["issue"][0]["expression"] == ["_sort"]
    assert "_sort" not in links(bundle)["self"]


def test_reads_and_everything_take_no_parameters(world, client) -> None:  # type: ignore[no-untyped-def]
    for path in (
        f"/fhir/Patient/{world.patient.pk}/$everything",
        f"/fhir/Patient/{world.patient.pk}",
    ):
        response = client.get(path, {"_since": "2026-01-01"})
        assert response.status_code == 400, path
        assert response.json()["issue"][0]["expression"] == ["_since"]
        assert (
            client.get(path, {"_since": "2026-01-01"}, HTTP_PREFER="handling=lenient").status_code
            == 200
        )


def test_unknown_types_and_ids_are_404_operation_outcomes(world, client) -> None:  # type: ignore[no-untyped-def]
    for path in (
        "/fhir/Medication/1",
        "/fhir/Medication",
        "/fhir/Condition/secondary-999999",
        "/fhir/Condition/nonsense",
        "/fhir/Patient/abc/$everything",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["resourceType"] == "OperationOutcome"


def test_writes_are_not_allowed_on_export_endpoints(world, client) -> None:  # type: ignore[no-untyped-def]
    response = client.delete(f"/fhir/Patient/{world.patient.pk}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
