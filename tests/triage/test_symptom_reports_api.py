"""POST /api/v1/patients/{id}/symptom-reports and friends, with the three personas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waypoint.audit.models import AuditEvent
from waypoint.treatment.models import TreatmentLine
from waypoint.triage.models import EventKind, ReportEvent, SymptomReport

pytestmark = pytest.mark.django_db

SEPSIS = {
    "source": "patient",
    "context": {"last_sact_on": None, "sact_kind": None},
    "symptoms": [
        {"code": "breathlessness", "grade": 2},
        {"code": "temperature", "celsius": 38.1},
        {"code": "spinal_pain", "present": True},
    ],
    "free_text": "feel awful",
}


def sepsis_body(days_ago: int = 3, **overrides: object) -> dict[str, object]:
    body = dict(SEPSIS)
    body["context"] = {
        "last_sact_on": (timezone.localdate() - dt.timedelta(days=days_ago)).isoformat(),
        "sact_kind": "chemotherapy",
    }
    body.update(overrides)
    return body


def test_the_patient_reports_and_gets_the_outcome_at_once(world, api_as):
    response = api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/symptom-reports", sepsis_body()
    )
    assert response.status_code == 201, response.content
    body = response.json()
    triage = body["triage"]
    assert triage["level"] == "red"
    assert triage["pathways"] == ["neutropenic_sepsis", "mscc"]
    assert triage["respond_within_minutes"] == 60
    assert triage["rules_version"] == "waypoint-triage-1"
    assert triage["needs_review"] is False
    assert {r["code"] for r in triage["reasons"]} == {
        "breathlessness",
        "temperature",
        "spinal_pain",
    }
    assert body["free_text"] == "feel awful"
    report = SymptomReport.objects.get(pk=body["id"])
    assert report.symptoms == SEPSIS["symptoms"]
    assert report.status == "open"
    assert report.respond_by == report.reported_at + dt.timedelta(minutes=60)
    assert AuditEvent.objects.filter(
        object_type="symptom_report", object_id=str(report.pk), action="create"
    ).exists()


def test_reported_at_is_kept_and_drives_the_clock(world, api_as):
    at = (timezone.now() - dt.timedelta(minutes=30)).replace(microsecond=0)
    response = api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/symptom-reports",
        sepsis_body(reported_at=at.isoformat()),
    )
    body = response.json()
    assert dt.datetime.fromisoformat(body["reported_at"]) == at
    assert dt.datetime.fromisoformat(body["triage"]["respond_by"]) == at + dt.timedelta(hours=1)


def test_the_same_idempotency_key_stores_once_and_answers_the_same(world, api_as):
    client = api_as(world.patient_user)
    path = f"/patients/{world.patient.pk}/symptom-reports"
    first = client.post(path, sepsis_body(), HTTP_IDEMPOTENCY_KEY="phone-retry-1")
    second = client.post(path, sepsis_body(), HTTP_IDEMPOTENCY_KEY="phone-retry-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert SymptomReport.objects.count() == 1


def test_a_reused_key_with_a_different_body_is_a_conflict(world, api_as):
    client = api_as(world.patient_user)
    path = f"/patients/{world.patient.pk}/symptom-reports"
    client.post(path, sepsis_body(), HTTP_IDEMPOTENCY_KEY="k")
    response = client.post(path, sepsis_body(free_text="other"), HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert SymptomReport.objects.count() == 1


@pytest.mark.parametrize(
    ("symptoms", "field"),
    [
        ([{"code": "breathlessness", "grade": 7}], "symptoms[0].grade"),
        ([{"code": "nonsense", "grade": 1}], "symptoms[0].code"),
        ([{"code": "pain", "grade": 1}, {"code": "pain", "grade": 2}], "symptoms[1].code"),
        ([{"code": "temperature", "celsius": 55}], "symptoms[0].celsius"),
        ([{"code": "temperature"}], "symptoms[0].celsius"),
    ],
)
def test_invalid_input_is_422_naming_the_item_and_stores_nothing(world, api_as, symptoms, field):
    response = api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/symptom-reports", {"source": "patient", "symptoms": symptoms}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert field in error["fields"]
    assert SymptomReport.objects.count() == 0
    assert not ReportEvent.objects.exists()


def test_a_report_from_the_future_is_refused(world, api_as):
    later = timezone.now() + dt.timedelta(hours=2)
    response = api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/symptom-reports",
        {"source": "patient", "reported_at": later.isoformat(), "symptoms": []},
    )
    assert response.status_code == 422
    assert "reported_at" in response.json()["error"]["fields"]


def test_a_patient_may_report_only_for_themselves(world, api_as):
    response = api_as(world.patient_user).post(
        f"/patients/{world.other_patient.pk}/symptom-reports", sepsis_body()
    )
    assert response.status_code == 404
    assert SymptomReport.objects.count() == 0


def test_a_patient_may_not_claim_to_be_the_helpline(world, api_as):
    response = api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/symptom-reports", sepsis_body(source="helpline")
    )
    assert response.status_code == 403


def test_a_clinician_outside_the_team_gets_404(world, api_as):
    response = api_as(world.other_team_nurse).post(
        f"/patients/{world.patient.pk}/symptom-reports", sepsis_body(source="clinician")
    )
    assert response.status_code == 404


def test_a_manager_may_not_report_symptoms(world, api_as):
    response = api_as(world.manager).post(
        f"/patients/{world.patient.pk}/symptom-reports", sepsis_body(source="clinician")
    )
    assert response.status_code in (403, 404)
    assert SymptomReport.objects.count() == 0


def test_the_helpline_nurse_reports_with_a_reason(world, api_as):
    client = api_as(world.helpline_nurse)
    path = f"/patients/{world.patient.pk}/symptom-reports"
    assert client.post(path, sepsis_body(source="helpline")).status_code == 404
    response = client.post(
        path, sepsis_body(source="helpline"), HTTP_X_ACCESS_REASON="Caller is her husband"
    )
    assert response.status_code == 201
    event = AuditEvent.objects.get(object_type="symptom_report", action="create")
    assert event.reason == "Caller is her husband"


def test_without_context_the_treatment_record_decides(world, api_as):
    TreatmentLine.objects.create(
        patient=world.patient,
        line_number=1,
        kind="chemotherapy",
        drugs="Paclitaxel",
        started_on=timezone.localdate() - dt.timedelta(days=20),
    )
    response = api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/symptom-reports",
        {"source": "patient", "symptoms": [{"code": "temperature", "celsius": 37.6}]},
    )
    body = response.json()
    assert body["context_source"] == "treatment_record"
    assert body["triage"]["on_sact"] is True
    assert body["triage"]["level"] == "red"


def test_endocrine_therapy_alone_is_not_on_sact(world, api_as):
    TreatmentLine.objects.create(
        patient=world.patient,
        line_number=1,
        kind="endocrine",
        drugs="Letrozole",
        started_on=timezone.localdate() - dt.timedelta(days=20),
    )
    response = api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/symptom-reports",
        {"source": "patient", "symptoms": [{"code": "temperature", "celsius": 37.6}]},
    )
    assert response.json()["triage"]["level"] == "green"


def test_preview_grades_without_storing(world, api_as):
    body = {k: v for k, v in sepsis_body().items() if k != "source"}
    response = api_as(world.helpline_nurse).post("/triage/preview", body)
    assert response.status_code == 200
    assert response.json()["level"] == "red"
    assert SymptomReport.objects.count() == 0


def test_preview_rejects_bad_items_like_a_report(world, api_as):
    response = api_as(world.helpline_nurse).post(
        "/triage/preview", {"symptoms": [{"code": "pain", "grade": 9}]}
    )
    assert response.status_code == 422
    assert "symptoms[0].grade" in response.json()["error"]["fields"]


def test_acknowledge_then_close(world, api_as):
    report_id = (
        api_as(world.patient_user)
        .post(f"/patients/{world.patient.pk}/symptom-reports", sepsis_body())
        .json()["id"]
    )
    nurse = api_as(world.key_worker)
    response = nurse.post(
        f"/symptom-reports/{report_id}/acknowledge", {"action_taken": "Called back; attending"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "acknowledged"
    assert body["acknowledged_by"]["name"] == world.key_worker.display_name
    assert [e["kind"] for e in body["history"]][-1] == "acknowledged"
    again = api_as(world.colleague).post(
        f"/symptom-reports/{report_id}/acknowledge", {"action_taken": "Me too"}
    )
    assert again.status_code == 409
    closed = nurse.post(
        f"/symptom-reports/{report_id}/close", {"outcome": "Admitted, IV antibiotics"}
    )
    assert closed.json()["status"] == "closed"
    assert SymptomReport.objects.get(pk=report_id).next_escalation_at is None


def test_outsiders_cannot_see_or_act_on_a_report(world, api_as):
    report_id = (
        api_as(world.patient_user)
        .post(f"/patients/{world.patient.pk}/symptom-reports", sepsis_body())
        .json()["id"]
    )
    outsider = api_as(world.other_team_nurse)
    assert outsider.get(f"/symptom-reports/{report_id}").status_code == 404
    assert (
        outsider.post(
            f"/symptom-reports/{report_id}/acknowledge", {"action_taken": "x"}
        ).status_code
        == 404
    )
    assert api_as(world.other_patient_user).get(f"/symptom-reports/{report_id}").status_code == 404
    assert api_as(world.patient_user).get(f"/symptom-reports/{report_id}").status_code == 200
    assert api_as(world.manager).get(f"/symptom-reports/{report_id}").status_code == 404


def test_the_team_queue_orders_by_level_then_time_left(world, api_as):
    client = api_as(world.key_worker)
    path = f"/patients/{world.patient.pk}/symptom-reports"
    amber = client.post(path, {"source": "clinician", "symptoms": [{"code": "nausea", "grade": 2}]})
    red = client.post(path, {"source": "clinician", "symptoms": [{"code": "pain", "grade": 3}]})
    green = client.post(path, {"source": "clinician", "symptoms": [{"code": "pain", "grade": 1}]})
    emergency = client.post(
        f"/patients/{world.other_patient.pk}/symptom-reports",
        {"source": "clinician", "symptoms": [{"code": "collapse", "present": True}]},
    )
    queue = client.get(f"/teams/{world.team_a.pk}/triage-queue").json()
    assert [r["id"] for r in queue["items"]] == [
        emergency.json()["id"],
        red.json()["id"],
        amber.json()["id"],
        green.json()["id"],
    ]
    assert (
        api_as(world.other_team_nurse).get(f"/teams/{world.team_a.pk}/triage-queue").status_code
        == 404
    )


def test_red_report_alerts_the_key_worker_through_the_outbox(world, api_as):
    from waypoint.notifications.models import OutboundMessage

    world.key_worker.email = "kate@example.nhs.uk"
    world.key_worker.save()
    api_as(world.patient_user).post(f"/patients/{world.patient.pk}/symptom-reports", sepsis_body())
    message = OutboundMessage.objects.get()
    assert message.to == "kate@example.nhs.uk"
    assert "red (urgent)" in message.subject
    assert "Lovelace" not in message.body  # no name leaves Waypoint in a message
    assert ReportEvent.objects.filter(kind=EventKind.ALERTED, recipient=world.key_worker).exists()


def test_green_report_alerts_nobody(world, api_as):
    from waypoint.notifications.models import OutboundMessage

    world.key_worker.email = "kate@example.nhs.uk"
    world.key_worker.save()
    api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/symptom-reports",
        {"source": "patient", "symptoms": [{"code": "fatigue", "grade": 1}]},
    )
    assert not OutboundMessage.objects.exists()
