"""Helpline calls through the API: registered and unregistered callers, and linking afterwards."""

from __future__ import annotations

import pytest
from tests.world import make_patient

from waypoint.audit.models import AuditEvent
from waypoint.triage.models import HelplineCall, SymptomReport

pytestmark = pytest.mark.django_db

CALL = {
    "caller_name": "John Lovelace",
    "caller_relationship": "partner",
    "callback_number": "07700 900456",
    "context": {"last_sact_on": None, "sact_kind": None},
    "symptoms": [{"code": "temperature", "celsius": 38.4}, {"code": "rigors", "present": True}],
    "advice_given": "Attend the assessment unit now; do not drive yourself.",
    "disposition": "assessment_unit",
}


def call_body(**overrides: object) -> dict[str, object]:
    from django.utils import timezone

    body = dict(CALL)
    body["context"] = {
        "last_sact_on": timezone.localdate().isoformat(),
        "sact_kind": "chemotherapy",
    }
    body.update(overrides)
    return body


def test_a_fever_on_chemotherapy_is_red_with_the_sepsis_pathway(world, api_as):
    response = api_as(world.helpline_nurse).post(
        "/helpline-calls", call_body(patient_id=world.patient.pk)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    report = body["report"]
    assert report["triage"]["level"] == "red"
    assert report["triage"]["pathways"] == ["neutropenic_sepsis"]
    assert report["source"] == "helpline"
    assert report["status"] == "closed"  # handled on the call, no follow-up asked
    assert report["team_id"] == world.team_a.pk  # the key worker sees it on their team's record
    assert body["clinician"]["name"] == world.helpline_nurse.display_name
    event = AuditEvent.objects.get(object_type="symptom_report", action="create")
    assert "John Lovelace" in event.reason


def test_a_follow_up_keeps_the_report_on_the_queue(world, api_as):
    body = call_body(patient_id=world.patient.pk, follow_up_due="2030-01-01T09:00:00Z")
    report = api_as(world.helpline_nurse).post("/helpline-calls", body).json()["report"]
    assert report["status"] == "acknowledged"
    queue = api_as(world.key_worker).get(f"/teams/{world.team_a.pk}/triage-queue").json()
    assert [r["id"] for r in queue["items"]] == [report["id"]]


def test_an_unregistered_caller_is_triaged_and_linked_later(world, api_as):
    client = api_as(world.helpline_nurse)
    response = client.post(
        "/helpline-calls",
        call_body(
            person_given_name="Dora", person_family_name="Newcomb", person_birth_date="1958-02-03"
        ),
    )
    assert response.status_code == 201, response.content
    call = response.json()
    assert call["patient_id"] is None
    assert call["report"]["team_id"] == world.helpline_team.pk
    assert [c["id"] for c in client.get("/helpline-calls/unregistered").json()] == [call["id"]]

    dora = make_patient(team=world.team_b, given="Dora", family="Newcomb")
    linked = client.post(f"/helpline-calls/{call['id']}/link", {"patient_id": dora.pk})
    assert linked.status_code == 200
    report = SymptomReport.objects.get(pk=call["report"]["id"])
    assert (report.patient_id, report.team_id) == (dora.pk, world.team_b.pk)
    assert client.get("/helpline-calls/unregistered").json() == []
    again = client.post(f"/helpline-calls/{call['id']}/link", {"patient_id": dora.pk})
    assert again.status_code == 409


def test_an_unregistered_caller_needs_a_name(world, api_as):
    response = api_as(world.helpline_nurse).post("/helpline-calls", call_body())
    assert response.status_code == 422
    assert "person_family_name" in response.json()["error"]["fields"]
    assert not HelplineCall.objects.exists()
    assert not SymptomReport.objects.exists()


def test_missing_call_details_are_all_named(world, api_as):
    response = api_as(world.helpline_nurse).post(
        "/helpline-calls",
        call_body(
            patient_id=world.patient.pk, caller_name=" ", disposition="teleport", advice_given=""
        ),
    )
    assert response.status_code == 422
    assert {"caller_name", "disposition", "advice_given"} <= set(response.json()["error"]["fields"])
    assert not SymptomReport.objects.exists()


def test_a_patient_cannot_log_calls(world, api_as):
    response = api_as(world.patient_user).post(
        "/helpline-calls", call_body(patient_id=world.patient.pk)
    )
    assert response.status_code == 404
