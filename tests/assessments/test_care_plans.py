"""Care and support plans: revisions kept, validation, personas, and the PDF's text."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from waypoint.assessments import services
from waypoint.assessments.models import CarePlanRevision
from waypoint.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PLAN = {
    "actions": [
        {
            "concern": "practical.money",
            "action": "Referral to Macmillan benefits advice",
            "owner": "Kate (key worker)",
            "due_on": "2026-12-05",
        },
        {"action": "Join the Living with Secondary Breast Cancer group", "owner": "Ada"},
    ],
    "note": "Review at the next clinic.",
}


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())  # table cells wrap: compare words, not line breaks


def test_a_plan_is_agreed_and_each_revision_kept(world, api_as):
    nurse = api_as(world.key_worker)
    first = nurse.post(f"/patients/{world.patient.pk}/care-plan", PLAN)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["number"] == 1
    assert body["actions"][0]["concern_text"] == "Money or finance"
    changed = dict(PLAN, actions=[dict(PLAN["actions"][0], status="done")])
    nurse.post(f"/patients/{world.patient.pk}/care-plan", changed)
    revisions = nurse.get(f"/patients/{world.patient.pk}/care-plan").json()
    assert [r["number"] for r in revisions] == [2, 1]
    assert revisions[0]["actions"][0]["status"] == "done"
    assert revisions[1]["actions"][0]["status"] == "to_do"  # the earlier revision is unchanged
    # The person reads their own plan; nobody outside the team can.
    assert (
        api_as(world.patient_user).get(f"/patients/{world.patient.pk}/care-plan").status_code == 200
    )
    assert (
        api_as(world.other_team_nurse).get(f"/patients/{world.patient.pk}/care-plan").status_code
        == 404
    )
    assert (
        api_as(world.patient_user).post(f"/patients/{world.patient.pk}/care-plan", PLAN).status_code
        == 404
    )


def test_a_plan_without_what_or_who_is_refused_naming_the_row(world, api_as):
    response = api_as(world.key_worker).post(
        f"/patients/{world.patient.pk}/care-plan",
        {"actions": [{"action": "Call about benefits", "owner": ""}, {"action": "", "owner": "x"}]},
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert {"actions.0.owner", "actions.1.action"} <= set(fields)
    assert not CarePlanRevision.objects.exists()


def test_the_plan_starts_from_the_concerns_rated_highest(world, client):
    opened = services.hna_open(actor=world.patient_user, patient_id=world.patient.pk)
    services.hna_save(
        actor=world.patient_user,
        assessment_id=opened.pk,
        answers={"distress": 3, "practical.money": 9, "physical.fatigue": 6},
        finish=True,
    )
    client.force_login(world.key_worker)
    page = client.get(f"/patients/{world.patient.pk}/care-plan/edit/").content.decode()
    assert page.index('value="practical.money" selected') < page.index(
        'value="physical.fatigue" selected'
    )


def test_the_nurse_saves_a_plan_from_the_page_and_downloads_the_pdf(world, client):
    client.force_login(world.key_worker)
    form = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-concern": "practical.money",
        "form-0-action": "Referral to benefits advice",
        "form-0-owner": "Key worker",
        "form-0-due_on": "2026-12-05",
        "form-0-status": "to_do",
        "form-1-concern": "",
        "form-1-action": "",
        "form-1-owner": "",
        "form-1-status": "to_do",
        "note": "Shared with the GP",
        "agreed_with_person": "1",
    }
    saved = client.post(f"/patients/{world.patient.pk}/care-plan/edit/", form)
    assert saved.status_code == 302
    response = client.get(f"/patients/{world.patient.pk}/care-plan/1.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Care and support plan" in text
    assert "Ada Lovelace" in text
    assert "Referral to benefits advice" in text
    assert "5 December 2026" in text
    assert AuditEvent.objects.filter(object_type="care_plan", action="export").exists()


def test_the_person_downloads_their_own_plan(world, client, api_as):
    api_as(world.key_worker).post(f"/patients/{world.patient.pk}/care-plan", PLAN)
    client.force_login(world.patient_user)
    page = client.get("/portal/care-plan/")
    assert b"Referral to Macmillan benefits advice" in page.content
    text = pdf_text(client.get("/portal/care-plan/plan.pdf").content)
    assert "Join the Living with Secondary Breast Cancer group" in text
    client.force_login(world.other_patient_user)
    assert client.get("/portal/care-plan/plan.pdf").status_code == 404
