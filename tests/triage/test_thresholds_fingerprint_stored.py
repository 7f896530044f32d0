"""Each stored outcome keeps the fingerprint of the thresholds that graded it, whichever way the
report came in, and staff see it beside the rules version: on the report page, the queue, the API
and the FHIR QuestionnaireResponse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import timezone
from tests.fhir.export_support import assert_r4b, fhir_client

from waypoint.triage.models import EventKind, ReportEvent, SymptomReport
from waypoint.triage.rules.config import DEFAULT_CONFIG, config_with_overrides
from waypoint.triage.rules.config import thresholds_fingerprint as fingerprint_of
from waypoint.triage.rules.grading import RULES_VERSION
from waypoint.triage.services import ReportInput, symptom_report_submit

pytestmark = pytest.mark.django_db

DEFAULT = fingerprint_of(DEFAULT_CONFIG, rules_version=RULES_VERSION)
OVERRIDE_FILE = '{\n  "temperature_red_on_sact_celsius": 37.8,\n  "sact_window_days": 21\n}\n'

FEVER = [{"code": "temperature", "celsius": 38.4}]


@pytest.fixture
def overridden(settings, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    """An override file in force, read as WAYPOINT_TRIAGE_CONFIG is at start-up; answers its
    fingerprint."""
    path = tmp_path / "triage.json"
    path.write_text(OVERRIDE_FILE, encoding="utf-8")
    config = config_with_overrides(json.loads(path.read_text(encoding="utf-8")))
    settings.WAYPOINT_TRIAGE_CONFIG = config
    value = fingerprint_of(config, rules_version=RULES_VERSION)
    assert value != DEFAULT
    return value


def report_body(source: str) -> dict[str, object]:
    return {
        "source": source,
        "context": {"last_sact_on": timezone.localdate().isoformat(), "sact_kind": "chemotherapy"},
        "symptoms": FEVER,
    }


def test_a_report_graded_with_the_defaults_stores_the_default_fingerprint(world, api_as):
    response = api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/symptom-reports", report_body("patient")
    )
    assert response.status_code == 201, response.content
    triage = response.json()["triage"]
    assert triage["thresholds_fingerprint"] == DEFAULT
    assert triage["thresholds"] == "default"
    assert SymptomReport.objects.get().thresholds_fingerprint == DEFAULT


@pytest.mark.parametrize(
    ("persona", "source"),
    [("patient_user", "patient"), ("key_worker", "clinician")],
)
def test_a_report_graded_under_an_override_file_stores_that_files_fingerprint(
    world, api_as, overridden, persona, source
):
    response = api_as(getattr(world, persona)).post(
        f"/patients/{world.patient.pk}/symptom-reports", report_body(source)
    )
    assert response.status_code == 201, response.content
    triage = response.json()["triage"]
    assert triage["rules_version"] == "waypoint-triage-1"
    assert triage["thresholds_fingerprint"] == overridden
    assert triage["thresholds"] == "local_overrides"
    report = SymptomReport.objects.get()
    assert report.thresholds_fingerprint == overridden
    received = ReportEvent.objects.get(report=report, kind=EventKind.RECEIVED)
    assert f"(thresholds {overridden})" in received.detail


def test_a_helpline_call_through_the_api_stores_the_override_fingerprint(world, api_as, overridden):
    body = {
        "patient_id": world.patient.pk,
        "caller_name": "John Lovelace",
        "caller_relationship": "partner",
        "callback_number": "07700 900456",
        "symptoms": FEVER,
        "advice_given": "Attend the assessment unit now.",
        "disposition": "assessment_unit",
    }
    response = api_as(world.helpline_nurse).post("/helpline-calls", body)
    assert response.status_code == 201, response.content
    assert response.json()["report"]["triage"]["thresholds_fingerprint"] == overridden
    assert SymptomReport.objects.get().thresholds_fingerprint == overridden


def test_a_helpline_call_logged_on_the_page_shows_the_override_on_its_report(
    world, client, overridden
):
    client.force_login(world.helpline_nurse)
    logged = client.post(
        f"/helpline/call/?patient={world.patient.pk}",
        {
            "patient": world.patient.pk,
            "s_temperature": "38.4",
            "caller_name": "John Lovelace",
            "caller_relationship": "partner",
            "callback_number": "07700 900123",
            "advice_given": "Attend the assessment unit now",
            "disposition": "assessment_unit",
            "idempotency_key": "form-1",
            "action": "log",
        },
    )
    assert logged.status_code == 302, logged.content
    report = SymptomReport.objects.get()
    assert report.thresholds_fingerprint == overridden
    page = client.get(logged["Location"]).content.decode()
    assert (
        f"Graded by rules waypoint-triage-1 (thresholds {overridden}, "
        "this deployment&#x27;s local overrides)"
    ) in page


def test_the_persons_own_report_on_the_portal_stores_the_override_fingerprint(
    world, client, overridden
):
    client.force_login(world.patient_user)
    client.get("/portal/symptoms/?new=1")
    client.post("/portal/symptoms/emergency/", {"emergency": ["none"]})
    client.post("/portal/symptoms/symptoms/", {"symptoms": ["temperature"]})
    client.post("/portal/symptoms/item-temperature/", {"answer": "38.4"})
    client.post("/portal/symptoms/treatment/", {"treatment": "not_sure"})
    client.post("/portal/symptoms/more/", {"free_text": ""})
    client.post("/portal/symptoms/check/")
    assert SymptomReport.objects.get().thresholds_fingerprint == overridden


def test_the_report_page_says_when_the_default_set_graded_it(world, client):
    report, _ = symptom_report_submit(
        actor=world.patient_user, patient=world.patient, source="patient", data=ReportInput(FEVER)
    )
    client.force_login(world.key_worker)
    page = client.get(f"/triage/reports/{report.pk}/").content.decode()
    assert f"Graded by rules waypoint-triage-1 (thresholds {DEFAULT}, the default set)" in page


def test_a_report_from_before_the_fingerprint_says_it_was_not_recorded(world, client, api_as):
    report, _ = symptom_report_submit(
        actor=world.patient_user, patient=world.patient, source="patient", data=ReportInput(FEVER)
    )
    # As migration triage 0005 leaves the reports graded before it: their thresholds are unknown.
    SymptomReport.objects.filter(pk=report.pk).update(thresholds_fingerprint="")
    client.force_login(world.key_worker)
    page = client.get(f"/triage/reports/{report.pk}/").content.decode()
    assert "Graded by rules waypoint-triage-1 (thresholds not recorded)" in page
    triage = api_as(world.key_worker).get(f"/symptom-reports/{report.pk}").json()["triage"]
    assert triage["thresholds_fingerprint"] is None
    assert triage["thresholds"] == "not_recorded"


def test_the_preview_names_the_thresholds_in_force(world, api_as, overridden):
    response = api_as(world.helpline_nurse).post("/triage/preview", {"symptoms": FEVER})
    assert response.status_code == 200, response.content
    assert response.json()["thresholds_fingerprint"] == overridden
    assert response.json()["thresholds"] == "local_overrides"
    assert not SymptomReport.objects.exists()


def test_the_live_grade_panel_names_the_thresholds_in_force(world, client, overridden):
    client.force_login(world.helpline_nurse)
    panel = client.post("/helpline/grade/", {"s_temperature": "38.4"}).content.decode()
    assert f"(thresholds {overridden}, this deployment&#x27;s local overrides)" in panel


@pytest.mark.parametrize("override", [False, True], ids=["defaults", "override file"])
def test_the_queue_names_the_thresholds_new_reports_are_graded_with(
    world, client, request, override
):
    expected = (
        f"thresholds {request.getfixturevalue('overridden')}, this deployment&#x27;s local "
        "overrides"
        if override
        else f"thresholds {DEFAULT}, the default set"
    )
    client.force_login(world.key_worker)
    page = client.get("/triage/").content.decode()
    assert f"{expected} for reports graded now" in page


def test_the_fhir_questionnaire_response_carries_the_fingerprint(world, overridden):
    report, _ = symptom_report_submit(
        actor=world.patient_user, patient=world.patient, source="patient", data=ReportInput(FEVER)
    )
    resource = (
        fhir_client(world.key_worker).get(f"/fhir/QuestionnaireResponse/report-{report.pk}").json()
    )
    assert_r4b(resource)
    outcome = {e["url"]: e for e in resource["extension"][0]["extension"]}
    assert outcome["rulesVersion"]["valueString"] == "waypoint-triage-1"
    assert outcome["thresholdsFingerprint"]["valueString"] == overridden
    assert outcome["thresholdsDefault"]["valueBoolean"] is False


def test_the_fhir_questionnaire_response_leaves_out_a_fingerprint_not_recorded(world):
    report, _ = symptom_report_submit(
        actor=world.patient_user, patient=world.patient, source="patient", data=ReportInput(FEVER)
    )
    SymptomReport.objects.filter(pk=report.pk).update(thresholds_fingerprint="")
    resource = (
        fhir_client(world.key_worker).get(f"/fhir/QuestionnaireResponse/report-{report.pk}").json()
    )
    assert_r4b(resource)
    urls = {e["url"] for e in resource["extension"][0]["extension"]}
    assert "rulesVersion" in urls
    assert not urls & {"thresholdsFingerprint", "thresholdsDefault"}
