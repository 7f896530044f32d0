"""The timeline: events recorded and audited, every capability feeding one chronology, and a
plainer view for the person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waypoint.assessments.selectors import hna_due_for
from waypoint.audit.models import AuditEvent
from waypoint.triage.services import ReportInput, symptom_report_submit
from waypoint.workspace.caseload import CaseloadFilters, caseload_open

pytestmark = pytest.mark.django_db


def test_events_are_recorded_and_join_one_chronology(world, api_as):
    nurse = api_as(world.key_worker)
    path = f"/patients/{world.patient.pk}/timeline"
    today = timezone.localdate()
    assert (
        nurse.post(path, {"kind": "mdt", "on": str(today), "note": "Start letrozole"}).status_code
        == 201
    )
    assert (
        nurse.post(path, {"kind": "response", "on": str(today), "result": "stable"}).status_code
        == 201
    )
    symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(symptoms=[{"code": "fatigue", "grade": 1}]),
    )
    kinds = [e["kind"] for e in nurse.get(path).json()]
    assert {"mdt", "response", "symptoms", "diagnosis", "key_worker"} <= set(kinds)
    assert AuditEvent.objects.filter(object_type="timeline_mdt").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "birthday", "on": "2026-11-01"}, "kind"),
        ({"kind": "response", "on": "2026-11-01", "result": "great"}, "result"),
        ({"kind": "contact", "on": "2026-11-01"}, "contact_kind"),
        ({"kind": "mdt", "on": "2099-01-01"}, "on"),
    ],
)
def test_bad_events_are_named_and_not_recorded(world, api_as, body, field):
    response = api_as(world.key_worker).post(f"/patients/{world.patient.pk}/timeline", body)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_outsiders_and_the_person_cannot_record(world, api_as):
    body = {"kind": "mdt", "on": "2026-11-01"}
    assert (
        api_as(world.other_team_nurse)
        .post(f"/patients/{world.patient.pk}/timeline", body)
        .status_code
        == 404
    )
    assert (
        api_as(world.patient_user).post(f"/patients/{world.patient.pk}/timeline", body).status_code
        == 404
    )


def test_recording_progression_makes_a_needs_assessment_due(world, api_as):
    from waypoint.assessments import services

    services.hna_decline(actor=world.key_worker, patient_id=world.patient.pk, reason="Later")
    from waypoint.assessments.models import NeedsAssessment

    NeedsAssessment.objects.update(completed_at=timezone.now() - dt.timedelta(days=10))
    today = timezone.localdate()
    assert not hna_due_for([world.patient.pk], today=today)[world.patient.pk].due
    api_as(world.key_worker).post(
        f"/patients/{world.patient.pk}/timeline",
        {
            "kind": "progression",
            "on": str(today - dt.timedelta(days=1)),
            "note": "New liver lesions",
        },
    )
    status = hna_due_for([world.patient.pk], today=today)[world.patient.pk]
    assert (status.due, status.reason) == (True, "progression")


def test_the_person_sees_a_plainer_timeline(world, client, api_as):
    api_as(world.key_worker).post(
        f"/patients/{world.patient.pk}/timeline",
        {"kind": "progression", "on": "2026-11-01", "note": "New liver lesions"},
    )
    client.force_login(world.patient_user)
    page = client.get("/portal/timeline/").content.decode()
    assert "became your key worker" in page
    assert "liver lesions" not in page  # team-only detail
    client.force_login(world.key_worker)
    assert (
        "New liver lesions"
        in client.get(f"/patients/{world.patient.pk}/timeline/").content.decode()
    )


def test_admissions_and_support_reviews_are_recorded_and_shown(world, api_as, client):
    nurse = api_as(world.key_worker)
    path = f"/patients/{world.patient.pk}/timeline"
    admitted = nurse.post(
        path,
        {
            "kind": "admission",
            "on": "2026-11-02",
            "discharged_on": "2026-11-05",
            "reason": "Neutropenic sepsis",
        },
    )
    assert admitted.status_code == 201, admitted.content
    assert nurse.post(path, {"kind": "support_review", "on": "2026-11-06"}).status_code == 201
    entries = {e["kind"]: e for e in nurse.get(path).json()}
    assert entries["admission"]["title"] == "Emergency admission"
    assert "Neutropenic sepsis" in entries["admission"]["detail"]
    assert "support_review" in entries
    client.force_login(world.patient_user)
    page = client.get("/portal/timeline/").content.decode()
    assert "Admitted to hospital" in page
    assert "Neutropenic sepsis" not in page


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "admission", "on": "2026-11-02"}, "reason"),
        (
            {
                "kind": "admission",
                "on": "2026-11-02",
                "reason": "Pain",
                "discharged_on": "2026-11-01",
            },
            "discharged_on",
        ),
    ],
)
def test_bad_admissions_are_refused(world, api_as, body, field):
    response = api_as(world.key_worker).post(f"/patients/{world.patient.pk}/timeline", body)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_a_progression_makes_a_support_review_due_on_the_caseload_until_it_is_done(
    world, api_as, client
):
    nurse = api_as(world.key_worker)
    path = f"/patients/{world.patient.pk}/timeline"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    nurse.post(path, {"kind": "progression", "on": str(yesterday)})

    def due_codes() -> list[str]:
        page = caseload_open(
            actor=world.key_worker, day=timezone.localdate(), filters=CaseloadFilters()
        )
        row = next(r for r in page.rows if r.patient.pk == world.patient.pk)
        return [r.code for r in row.due]

    assert "REV1" in due_codes()
    nurse.post(path, {"kind": "support_review", "on": str(timezone.localdate())})
    assert "REV1" not in due_codes()
    client.force_login(world.key_worker)
    assert "Care standards due" in client.get("/caseload/").content.decode()
