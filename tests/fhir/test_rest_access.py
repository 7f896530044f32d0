"""The export follows the record policy of the rest of the API, persona by persona."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.fhir.export_support import fhir_client


def paths(patient_id: int) -> list[str]:
    return [
        f"/fhir/Patient/{patient_id}",
        f"/fhir/Patient/{patient_id}/$everything",
        f"/fhir/CareTeam/careteam-{patient_id}",
    ]


def condition_search(client: Client, patient_id: int) -> int:
    response = client.get("/fhir/Condition", {"patient": patient_id})
    assert response.status_code == 200
    return int(response.json()["total"])


@pytest.mark.parametrize("persona", ["key_worker", "colleague", "oncologist"])
def test_clinicians_of_the_team_read_and_search(world, persona) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(getattr(world, persona))
    for path in paths(world.patient.pk):
        assert client.get(path).status_code == 200, path
    assert condition_search(client, world.patient.pk) == 1


def test_other_team_nurse_gets_404_and_finds_nobody(world) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.other_team_nurse)
    for path in paths(world.patient.pk):
        assert client.get(path).status_code == 404, path
    assert condition_search(client, world.patient.pk) == 0
    bundle = client.get("/fhir/Patient").json()
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(world.team_b_patient.pk)]


def test_patient_sees_their_own_record_only(world) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.patient_user)
    for path in paths(world.patient.pk):
        assert client.get(path).status_code == 200, path
    for path in paths(world.other_patient.pk):
        assert client.get(path).status_code == 404, path
    assert condition_search(client, world.patient.pk) == 1
    assert condition_search(client, world.other_patient.pk) == 0
    bundle = client.get("/fhir/Patient").json()
    assert bundle["total"] == 1
    assert bundle["entry"][0]["resource"]["id"] == str(world.patient.pk)


def test_helpline_nurse_needs_a_reason(world) -> None:  # type: ignore[no-untyped-def]
    without = fhir_client(world.helpline_nurse)
    for path in [*paths(world.patient.pk), "/fhir/Patient"]:
        response = without.get(path)
        assert response.status_code == 422, path
        assert response.json()["issue"][0]["expression"] == ["reason"]
    assert without.get("/fhir/Condition", {"patient": world.patient.pk}).status_code == 422
    with_reason = fhir_client(
        world.helpline_nurse, HTTP_X_ACCESS_REASON="Caller Ada rang with a fever"
    )
    for path in paths(world.patient.pk):
        assert with_reason.get(path).status_code == 200, path
    assert condition_search(with_reason, world.team_b_patient.pk) == 1


def test_a_reason_that_is_too_short_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.helpline_nurse, HTTP_X_ACCESS_REASON="x")
    assert client.get(f"/fhir/Patient/{world.patient.pk}").status_code == 422


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_managers_and_admins_get_nothing_person_level(world, persona) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(getattr(world, persona))
    for path in paths(world.patient.pk):
        assert client.get(path).status_code == 404, path
    assert condition_search(client, world.patient.pk) == 0
    assert client.get("/fhir/Patient").json()["total"] == 0


def test_no_token_or_a_bad_token_is_401(world) -> None:  # type: ignore[no-untyped-def]
    for client in (Client(), Client(HTTP_AUTHORIZATION="Bearer wp_not-a-token")):
        response = client.get(f"/fhir/Patient/{world.patient.pk}")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="waypoint"'
        assert response.json()["issue"][0]["code"] == "login"
        assert client.get("/fhir/Patient").status_code == 401


def test_a_signed_in_browser_session_may_read(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.key_worker)
    assert client.get(f"/fhir/Patient/{world.patient.pk}").status_code == 200
    assert client.get(f"/fhir/Patient/{world.team_b_patient.pk}").status_code == 404
