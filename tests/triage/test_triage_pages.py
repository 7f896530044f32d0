"""The triage pages through Django's test client: the helpline form, the portal symptom check,
the queue and a report, as each persona reaches them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from waypoint.triage.models import HelplineCall, SymptomReport

pytestmark = pytest.mark.django_db


def call_form(world, **extra):  # type: ignore[no-untyped-def]
    data = {
        "patient": world.patient.pk,
        "s_temperature": "38.3",
        "last_sact_on": timezone.localdate().isoformat(),
        "sact_kind": "chemotherapy",
        "caller_name": "John Lovelace",
        "caller_relationship": "partner",
        "callback_number": "07700 900123",
        "advice_given": "Attend the assessment unit now",
        "disposition": "assessment_unit",
        "idempotency_key": "form-1",
    }
    data.update(extra)
    return data


def test_the_helpline_form_finds_the_person_and_grades_before_logging(world, client):
    client.force_login(world.helpline_nurse)
    assert client.get("/helpline/call/").status_code == 200
    found = client.get("/helpline/call/?q=Lovelace")
    assert b"Select" in found.content
    chosen = client.get(f"/helpline/call/?patient={world.patient.pk}")
    assert b"Lovelace" in chosen.content
    graded = client.post(
        f"/helpline/call/?patient={world.patient.pk}", call_form(world, action="grade")
    )
    assert graded.status_code == 200
    assert b"Suspected neutropenic sepsis" in graded.content
    assert b"antibiotics within 1 hour" in graded.content
    assert not SymptomReport.objects.exists()


def test_the_live_grade_panel_stores_nothing(world, client):
    client.force_login(world.helpline_nurse)
    panel = client.post("/helpline/grade/", {"s_chest_pain": "on"})
    assert b"Emergency" in panel.content
    assert b"supports, and never replaces" in panel.content
    assert not SymptomReport.objects.exists()


def test_logging_a_call_stores_it_once_and_shows_the_report(world, client):
    client.force_login(world.helpline_nurse)
    path = f"/helpline/call/?patient={world.patient.pk}"
    first = client.post(path, call_form(world, action="log"))
    assert first.status_code == 302
    again = client.post(path, call_form(world, action="log"))  # a double click
    assert again.status_code == 302
    assert HelplineCall.objects.count() == 1
    page = client.get(first["Location"])
    assert b"Red" in page.content
    assert b"John Lovelace" in page.content


def test_a_call_with_missing_details_keeps_what_was_typed(world, client):
    client.force_login(world.helpline_nurse)
    page = client.post(
        f"/helpline/call/?patient={world.patient.pk}",
        call_form(world, action="log", advice_given="", caller_name="Johnny"),
    )
    assert page.status_code == 200
    assert b"There is a problem" in page.content
    assert b'value="Johnny"' in page.content
    assert not SymptomReport.objects.exists()


def test_the_key_worker_acknowledges_and_closes_from_the_page(world, client):
    client.force_login(world.helpline_nurse)
    client.post(
        f"/helpline/call/?patient={world.patient.pk}",
        call_form(world, action="log", follow_up_due="2030-01-01T09:00"),
    )
    report = SymptomReport.objects.get()
    client.force_login(world.key_worker)
    queue = client.get("/triage/")
    assert b"Lovelace" in queue.content
    page = client.get(f"/triage/reports/{report.pk}/")
    assert b"Record the outcome" in page.content
    empty = client.post(f"/triage/reports/{report.pk}/close/", {"outcome": ""})
    assert empty.status_code == 422
    done = client.post(f"/triage/reports/{report.pk}/close/", {"outcome": "Admitted"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == "closed"


def test_the_person_checks_symptoms_one_question_at_a_time(world, client):
    client.force_login(world.patient_user)
    assert client.get("/portal/symptoms/?new=1").status_code == 302
    assert client.get("/portal/symptoms/emergency/").status_code == 200
    missing = client.post("/portal/symptoms/emergency/", {})
    assert missing.status_code == 422
    step = client.post("/portal/symptoms/emergency/", {"emergency": ["none"]})
    step = client.post(
        "/portal/symptoms/symptoms/", {"symptoms": ["breathlessness", "temperature", "spinal_pain"]}
    )
    assert step["Location"].endswith("/item-breathlessness/")
    client.post("/portal/symptoms/item-breathlessness/", {"answer": "2"})
    out_of_range = client.post("/portal/symptoms/item-temperature/", {"answer": "58"})
    assert b"between 30 and 45" in out_of_range.content
    step = client.post("/portal/symptoms/item-temperature/", {"answer": "38.1"})
    assert step["Location"].endswith("/treatment/")
    client.post("/portal/symptoms/treatment/", {"treatment": "not_sure"})
    client.post("/portal/symptoms/more/", {"free_text": "my legs went weak"})
    check = client.get("/portal/symptoms/check/")
    assert b"Check your answers" in check.content
    result = client.get(client.post("/portal/symptoms/check/")["Location"])
    assert b"Call your team now" in result.content
    assert b"020 7946 0999" in result.content  # out of hours
    report = SymptomReport.objects.get()
    assert report.on_sact is True  # "not sure" is taken as on treatment
    assert report.needs_review is True
    assert report.free_text == "my legs went weak"


def test_an_emergency_answer_is_sent_at_once(world, client):
    client.force_login(world.patient_user)
    client.get("/portal/symptoms/?new=1")
    response = client.post("/portal/symptoms/emergency/", {"emergency": ["chest_pain"]})
    page = client.get(response["Location"])
    assert b"Call 999 now" in page.content
    assert SymptomReport.objects.get().level == "emergency"


def test_another_persons_report_is_not_found(world, client):
    client.force_login(world.patient_user)
    client.get("/portal/symptoms/?new=1")
    client.post("/portal/symptoms/emergency/", {"emergency": ["collapse"]})
    report = SymptomReport.objects.get()
    client.force_login(world.other_patient_user)
    assert client.get(f"/portal/symptoms/reports/{report.pk}/").status_code == 404
    client.force_login(world.other_team_nurse)
    assert client.get(f"/triage/reports/{report.pk}/").status_code == 404
