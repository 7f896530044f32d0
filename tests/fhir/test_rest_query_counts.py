"""A page, a search by patient and $everything each cost a fixed number of queries, however many
rows they send."""

from __future__ import annotations

import datetime as dt

from tests.fhir.export_support import fhir_client, full_history
from tests.world import make_patient
from waypoint.timeline.services import timeline_record
from waypoint.triage.services import ReportInput, symptom_report_submit

# Token look-up and its sign-in lockout check, savepoints, the policy's read, the audit inserts,
# then the rows themselves.
PATIENT_PAGE = 10
ONE_TYPE = 15  # Observation: results, primaries, secondaries and their sites, two kinds of status
EVERYTHING = 35


def test_a_page_of_patients_costs_the_same_for_2_or_40_people(
    world, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.key_worker)
    with django_assert_max_num_queries(PATIENT_PAGE):
        assert len(client.get("/fhir/Patient").json()["entry"]) == 2
    for i in range(38):
        make_patient(team=world.team_a, given=f"Many{i}")
    with django_assert_max_num_queries(PATIENT_PAGE):
        assert len(client.get("/fhir/Patient", {"_count": "40"}).json()["entry"]) == 40


def test_everything_and_searches_are_bounded_however_long_the_history(
    world, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.key_worker)
    pid = world.patient.pk
    full_history(world)
    with django_assert_max_num_queries(EVERYTHING):
        small = client.get(f"/fhir/Patient/{pid}/$everything").json()["total"]
    with django_assert_max_num_queries(ONE_TYPE):
        client.get("/fhir/Observation", {"patient": pid})
    for day in range(1, 21):
        on = dt.date(2026, 9, day)
        timeline_record(
            actor=world.key_worker, patient_id=pid, kind="contact", on=on, contact_kind="call"
        )
        timeline_record(
            actor=world.key_worker, patient_id=pid, kind="response", on=on, result="partial"
        )
        symptom_report_submit(
            actor=world.key_worker,
            patient=world.patient,
            source="clinician",
            data=ReportInput(symptoms=[{"code": "pain", "grade": 3}]),
        )
    with django_assert_max_num_queries(EVERYTHING):
        large = client.get(f"/fhir/Patient/{pid}/$everything").json()["total"]
    assert large >= small + 60
    with django_assert_max_num_queries(ONE_TYPE):
        assert client.get("/fhir/Observation", {"patient": pid}).json()["total"] > 20
