"""Who may see which record. Out of scope answers 404 so existence never leaks."""

from __future__ import annotations

import pytest
from tests.world import World

from waypoint.audit.models import AuditEvent


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("key_worker", 200),
        ("colleague", 200),
        ("oncologist", 200),
        ("patient_user", 200),
        ("other_team_nurse", 404),
        ("other_patient_user", 404),
        ("manager", 404),
        ("admin", 404),
    ],
)
def test_reading_a_team_a_record(world: World, api_as, persona: str, status: int) -> None:  # type: ignore[no-untyped-def]
    response = api_as(getattr(world, persona)).get(f"/patients/{world.patient.pk}")
    assert response.status_code == status
    if status == 404:
        assert response.json() == {
            "error": {"code": "not_found", "message": "Not found.", "fields": {}}
        }
        assert "Lovelace" not in response.content.decode()


def test_every_read_writes_an_audit_event_with_the_request_id(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    before = AuditEvent.objects.count()
    response = api_as(world.key_worker).get(
        f"/patients/{world.patient.pk}", HTTP_X_REQUEST_ID="req-123"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert (event.actor, event.action, event.patient, event.request_id) == (
        world.key_worker,
        "view",
        world.patient,
        "req-123",
    )
    assert response["X-Request-ID"] == "req-123"


def test_an_outsiders_attempt_is_not_recorded_against_the_patient(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    api_as(world.other_team_nurse).get(f"/patients/{world.patient.pk}")
    assert not AuditEvent.objects.filter(actor=world.other_team_nurse).exists()


def test_helpline_nurse_must_give_a_reason(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    helpline = api_as(world.helpline_nurse)
    refused = helpline.get("/patients?q=Bee")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "reason_required"
    assert "reason" in refused.json()["error"]["fields"]
    found = helpline.get("/patients", {"q": "Bee", "reason": "Cleo rang with a fever"})
    assert found.status_code == 200
    assert [p["family_name"] for p in found.json()["items"]] == ["Bee"]
    opened = helpline.get(
        f"/patients/{world.team_b_patient.pk}", HTTP_X_ACCESS_REASON="Cleo rang with a fever"
    )
    assert opened.status_code == 200
    view = AuditEvent.objects.get(actor=world.helpline_nurse, action="view")
    assert view.reason == "Cleo rang with a fever"
    search = AuditEvent.objects.get(actor=world.helpline_nurse, action="search")
    assert search.detail == "q=Bee"


def test_helpline_nurse_cannot_reach_another_organisation(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    from tests.world import make_patient

    from waypoint.careteam.services import organisation_create, team_create

    elsewhere = organisation_create(name="Far Away Trust", ods_code="RFA")
    far_team = team_create(
        organisation=elsewhere, name="Far Team", in_hours_phone="1", out_of_hours_phone="2"
    )
    far_patient = make_patient(team=far_team, given="Faye", family="Distant")
    response = api_as(world.helpline_nurse).get(
        f"/patients/{far_patient.pk}", HTTP_X_ACCESS_REASON="caller rang about pain"
    )
    assert response.status_code == 404


def test_search_lists_only_records_in_scope(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    names = {p["family_name"] for p in api_as(world.key_worker).get("/patients?q=").json()["items"]}
    assert names == {"Lovelace", "Other"}
    own = api_as(world.patient_user).get("/patients").json()
    assert [p["family_name"] for p in own["items"]] == ["Lovelace"]
    assert api_as(world.manager).get("/patients").json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Love", {"Lovelace"}),
        ("ada love", {"Lovelace"}),
        ("17/05/1960", {"Lovelace", "Other"}),
        ("1960-05-17 Bea", {"Other"}),
        ("nobody", set()),
    ],
)
def test_search_by_name_and_birth_date(
    world: World, api_as, query: str, expected: set[str]
) -> None:  # type: ignore[no-untyped-def]
    found = api_as(world.key_worker).get("/patients", {"q": query}).json()["items"]
    assert {p["family_name"] for p in found} == expected


def test_search_by_nhs_number_with_spaces(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    number = world.patient.nhs_number
    assert number is not None
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    found = api_as(world.key_worker).get("/patients", {"q": spaced}).json()["items"]
    assert [p["id"] for p in found] == [world.patient.pk]


def test_unauthenticated_requests_get_401_in_the_envelope(world: World, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/patients/{world.patient.pk}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    bad = client.get("/api/v1/patients", HTTP_AUTHORIZATION="Bearer wp_not-a-token")
    assert bad.status_code == 401
