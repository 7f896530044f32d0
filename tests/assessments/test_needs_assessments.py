"""Needs assessments through the API and the pages: two sittings, distress, due, personas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waypoint.assessments import services
from waypoint.assessments.models import AssessmentInvitation, NeedsAssessment
from waypoint.audit.models import AuditEvent
from waypoint.notifications.models import OutboundMessage
from waypoint.treatment.models import TreatmentLine

pytestmark = pytest.mark.django_db


def test_the_person_completes_an_assessment_in_two_sittings(world, api_as):
    client = api_as(world.patient_user)
    opened = client.post(f"/patients/{world.patient.pk}/needs-assessments").json()
    assert opened["status"] == "in_progress"
    assert opened["mode"] == "portal"
    client.patch(f"/needs-assessments/{opened['id']}", {"answers": {"physical.fatigue": 8}})

    # Later: the same assessment comes back with what was saved.
    again = client.post(f"/patients/{world.patient.pk}/needs-assessments").json()
    assert again["id"] == opened["id"]
    assert again["answers"] == {"physical.fatigue": 8}

    done = client.patch(
        f"/needs-assessments/{opened['id']}",
        {"answers": {"distress": 7, "practical.money": 9}, "finish": True},
    ).json()
    assert done["status"] == "completed"
    assert done["distress"] == 7
    assert done["needs_psychosocial_referral"] is True
    assert done["awaits_psychosocial_decision"] is True
    assert [c["code"] for c in done["top_concerns"]] == ["practical.money", "physical.fatigue"]
    assert AuditEvent.objects.filter(object_type="needs_assessment").count() >= 4


def test_finishing_without_a_distress_score_is_refused_and_keeps_the_draft(world, api_as):
    client = api_as(world.patient_user)
    opened = client.post(f"/patients/{world.patient.pk}/needs-assessments").json()
    response = client.patch(
        f"/needs-assessments/{opened['id']}", {"answers": {"physical.pain": 3}, "finish": True}
    )
    assert response.status_code == 422
    assert "distress" in response.json()["error"]["fields"]
    assert NeedsAssessment.objects.get().status == "in_progress"


def test_a_bad_rating_is_named_and_nothing_is_saved(world, api_as):
    client = api_as(world.patient_user)
    opened = client.post(f"/patients/{world.patient.pk}/needs-assessments").json()
    response = client.patch(
        f"/needs-assessments/{opened['id']}",
        {"answers": {"physical.pain": 12, "emotional.worry": 3}},
    )
    assert response.status_code == 422
    assert "physical.pain" in response.json()["error"]["fields"]
    assert NeedsAssessment.objects.get().answers == {}


def test_the_key_worker_records_the_psychosocial_decision(world, api_as):
    world.key_worker.email = "kate@example.nhs.uk"
    world.key_worker.save()
    client = api_as(world.patient_user)
    opened = client.post(f"/patients/{world.patient.pk}/needs-assessments").json()
    client.patch(f"/needs-assessments/{opened['id']}", {"answers": {"distress": 5}, "finish": True})
    assert OutboundMessage.objects.filter(topic="assessments.completed").count() == 1
    assert (
        client.post(
            f"/needs-assessments/{opened['id']}/psychosocial-decision", {"decision": "x"}
        ).status_code
        == 404
    )  # the person does not record their own referral decision
    decided = api_as(world.key_worker).post(
        f"/needs-assessments/{opened['id']}/psychosocial-decision",
        {"decision": "Referred to clinical psychology"},
    )
    assert decided.status_code == 200
    assert decided.json()["awaits_psychosocial_decision"] is False


def test_outsiders_cannot_open_or_read_an_assessment(world, api_as):
    opened = api_as(world.patient_user).post(f"/patients/{world.patient.pk}/needs-assessments")
    assessment_id = opened.json()["id"]
    assert (
        api_as(world.other_patient_user)
        .post(f"/patients/{world.patient.pk}/needs-assessments")
        .status_code
        == 404
    )
    assert (
        api_as(world.other_team_nurse)
        .patch(f"/needs-assessments/{assessment_id}", {"answers": {"distress": 1}})
        .status_code
        == 404
    )
    assert (
        api_as(world.manager).get(f"/patients/{world.patient.pk}/needs-assessments").status_code
        == 404
    )


def test_due_at_secondary_diagnosis_then_answered_then_due_again_at_a_new_line(world, api_as):
    nurse = api_as(world.key_worker)
    path = f"/patients/{world.patient.pk}/needs-assessments"
    before = nurse.get(path).json()["due"]
    assert (before["due"], before["reason"]) == (True, "secondary diagnosis")
    declined = nurse.post(f"{path}/decline", {"reason": "Wants to wait until after the scan"})
    assert declined.status_code == 201
    assert nurse.get(path).json()["due"]["due"] is False
    NeedsAssessment.objects.update(completed_at=timezone.now() - dt.timedelta(days=10))
    TreatmentLine.objects.create(
        patient=world.patient,
        line_number=2,
        kind="chemotherapy",
        drugs="Capecitabine",
        started_on=timezone.localdate() - dt.timedelta(days=1),
    )
    later = nurse.get(path).json()["due"]
    assert (later["due"], later["reason"]) == (True, "new treatment line")


def test_a_request_makes_it_due_today(world, api_as):
    client = api_as(world.patient_user)
    services.hna_decline(actor=world.key_worker, patient_id=world.patient.pk, reason="Not now")
    NeedsAssessment.objects.update(completed_at=timezone.now() - dt.timedelta(days=2))
    due = client.post(f"/patients/{world.patient.pk}/needs-assessments/request").json()
    assert (due["due"], due["reason"], due["since"]) == (
        True,
        "requested",
        timezone.localdate().isoformat(),
    )


def test_invitations_go_once_per_due_date(world):
    world.patient.email = "ada@example.com"
    world.patient.preferred_contact_method = "email"
    world.patient.save()
    now = timezone.now()
    ids = [world.patient.pk, world.other_patient.pk]
    assert services.hna_invitations_send(now=now, patient_ids=ids) == 2
    assert services.hna_invitations_send(now=now, patient_ids=ids) == 0
    assert AssessmentInvitation.objects.count() == 2
    assert OutboundMessage.objects.filter(
        topic="assessments.invitation", to="ada@example.com"
    ).exists()


def test_the_questionnaire_is_served_as_fhir(world, api_as):
    body = api_as(world.key_worker).get("/questionnaires/hna").json()
    assert body["resourceType"] == "Questionnaire"
    assert body["version"] == "waypoint-hna-1"


def test_the_portal_pages_save_as_the_person_goes_and_resume(world, client):
    client.force_login(world.patient_user)
    first = client.get("/portal/assessment/")
    assert first["Location"].endswith("/portal/assessment/distress/")
    client.post("/portal/assessment/distress/", {"distress": "6"})
    left = client.post(
        "/portal/assessment/physical/", {"physical.fatigue": "7", "save_and_leave": "1"}
    )
    assert left["Location"].endswith("/portal/")
    resumed = client.get("/portal/assessment/")
    assert resumed["Location"].endswith("/portal/assessment/emotional/")
    page = client.get(resumed["Location"])
    assert b"Emotional concerns" in page.content
    check = client.get("/portal/assessment/check/")
    assert b"Tiredness, exhaustion or fatigue: 7" in check.content
    done = client.post("/portal/assessment/check/")
    assert done["Location"].endswith("/portal/")
    assessment = NeedsAssessment.objects.get()
    assert (assessment.status, assessment.distress) == ("completed", 6)


def test_the_nurse_sees_distress_and_concerns_and_records_the_decision(world, client):
    assessment = services.hna_open(actor=world.patient_user, patient_id=world.patient.pk)
    services.hna_save(
        actor=world.patient_user,
        assessment_id=assessment.pk,
        answers={"distress": 8, "practical.money": 9},
        finish=True,
    )
    client.force_login(world.key_worker)
    page = client.get(f"/patients/{world.patient.pk}/assessments/")
    assert b"Distress: 8 out of 10" in page.content
    assert b"Money or finance: 9" in page.content
    assert b"consider a psychosocial referral" in page.content
    client.post(
        f"/patients/{world.patient.pk}/assessments/{assessment.pk}/decision/",
        {"decision": "Referred to Macmillan benefits advice and psychology"},
    )
    assessment.refresh_from_db()
    assert assessment.psychosocial_decision.startswith("Referred")


def test_the_caseload_shows_a_due_or_overdue_assessment(world, client):
    client.force_login(world.key_worker)
    page = client.get("/caseload/")
    row = page.content.decode().split("LOVELACE")[1].split("</tr>")[0]
    # Diagnosed on 1 October 2026 with no assessment: due from then, overdue after 31 days.
    expected = "Overdue" if timezone.localdate() > dt.date(2026, 11, 1) else "Due"
    assert expected in row
    services.hna_decline(actor=world.key_worker, patient_id=world.patient.pk, reason="Not now")
    row = client.get("/caseload/").content.decode().split("LOVELACE")[1].split("</tr>")[0]
    assert "Up to date" in row
