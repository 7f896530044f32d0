"""Registering people and recording diagnoses: validation, normalisation, all-or-nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.world import World

from waypoint.audit.models import AuditEvent
from waypoint.registry.models import MetastaticSite, Patient, SecondaryDiagnosis

NEW_PERSON = {
    "nhs_number": "943 476 5919",
    "given_name": "Nia",
    "family_name": "Jones",
    "birth_date": "1971-03-02",
    "sex": "female",
    "postcode": "ls1 4ap",
    "phone": "0113 496 0000",
    "preferred_contact_method": "sms",
}


def test_a_key_worker_registers_a_person_into_their_team(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.key_worker).post("/patients", NEW_PERSON)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["nhs_number"] == "9434765919"  # stored without spaces
    assert body["postcode"] == "LS1 4AP"
    assert body["team"] == world.team_a.pk  # defaults to the creator's only team
    assert body["life_status"] == "alive"
    assert AuditEvent.objects.filter(action="create", patient_id=body["id"]).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number"),
        ({"nhs_number": "12345"}, "nhs_number"),
        ({"given_name": "  "}, "given_name"),
        ({"sex": "f"}, "sex"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "1971-02-30"}, "birth_date"),
        ({"email": "not-an-email"}, "email"),
        ({"preferred_contact_method": "pigeon"}, "preferred_contact_method"),
        ({"team": 999999}, "team"),
    ],
)
def test_invalid_registrations_name_the_field_and_store_nothing(
    world: World, api_as, change: dict[str, object], field: str
) -> None:  # type: ignore[no-untyped-def]
    before = Patient.objects.count()
    response = api_as(world.key_worker).post("/patients", {**NEW_PERSON, **change})
    assert response.status_code == 422
    error = response.json()["error"]
    assert field in error["fields"], error
    assert Patient.objects.count() == before


def test_a_duplicate_nhs_number_is_refused(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    kw = api_as(world.key_worker)
    assert kw.post("/patients", NEW_PERSON).status_code == 201
    again = kw.post("/patients", {**NEW_PERSON, "nhs_number": "9434765919"})
    assert again.status_code == 422
    assert "already registered" in again.json()["error"]["fields"]["nhs_number"]


def test_the_nhs_number_is_optional_for_people_outside_the_nhs(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    kw = api_as(world.key_worker)
    first = kw.post("/patients", {**NEW_PERSON, "nhs_number": None})
    second = kw.post("/patients", {**NEW_PERSON, "nhs_number": ""})
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["nhs_number"] is None and second.json()["nhs_number"] is None


def test_other_identifiers_are_kept_with_their_system(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    person = {**NEW_PERSON, "identifiers": [{"system": "urn:trust:mrn", "value": "MRN42"}]}
    body = api_as(world.key_worker).post("/patients", person).json()
    assert body["identifiers"] == [{"system": "urn:trust:mrn", "value": "MRN42"}]
    clash = api_as(world.key_worker).post("/patients", {**person, "nhs_number": None})
    assert "identifiers.0" in clash.json()["error"]["fields"]


def test_helpline_nurse_registers_an_unregistered_caller_into_a_chosen_team(
    world: World, api_as
) -> None:  # type: ignore[no-untyped-def]
    helpline = api_as(world.helpline_nurse)
    without_team = helpline.post("/patients", {**NEW_PERSON, "nhs_number": None})
    assert "team" in without_team.json()["error"]["fields"]
    created = helpline.post(
        "/patients",
        {**NEW_PERSON, "nhs_number": None, "team": world.team_b.pk},
        HTTP_X_ACCESS_REASON="Caller not yet registered",
    )
    assert created.status_code == 201
    assert created.json()["team"] == world.team_b.pk


def test_patients_and_managers_cannot_register_people(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    for persona in (world.patient_user, world.manager, world.admin):
        assert api_as(persona).post("/patients", NEW_PERSON).status_code == 403


def test_recording_a_secondary_diagnosis_puts_the_person_on_the_registry(
    world: World, api_as
) -> None:  # type: ignore[no-untyped-def]
    kw = api_as(world.key_worker)
    person = kw.post("/patients", NEW_PERSON).json()
    response = kw.post(
        f"/patients/{person['id']}/secondary-diagnoses",
        {
            "diagnosed_on": "2026-11-02",
            "presentation": "de_novo",
            "sites": ["bone", "liver", {"code": "other", "detail": "adrenal gland"}],
            "er": "positive",
            "pr": "negative",
            "her2": "low",
            "receptors_assessed_on": "2026-11-05",
            "biopsy_decision": "done",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(s["code"], s["snomed_code"]) for s in body["sites"]] == [
        ("bone", "94222008"),
        ("liver", "94381002"),
        ("other", "128462008"),
    ]
    detail = kw.get(f"/patients/{person['id']}").json()
    assert detail["metastatic_diagnosed_on"] == "2026-11-02"
    assert detail["receptor_subtype"] == "hr_positive_her2_negative"
    worklist = kw.get("/worklists/unassigned").json()
    assert person["id"] in [i["patient"] for i in worklist["items"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sites": []}, "sites"),
        ({"sites": ["spleen"]}, "sites.0"),
        ({"sites": ["bone", "bone"]}, "sites.1"),
        ({"sites": ["other"]}, "sites.0"),
        ({"presentation": "relapse"}, "presentation"),
        ({"biopsy_decision": "not_feasible"}, "biopsy_not_feasible_reason"),
        ({"er": "positive"}, "receptors_assessed_on"),
        ({"her2": "3+", "receptors_assessed_on": "2026-11-01"}, "her2"),
        ({"diagnosed_on": "1950-01-01"}, "diagnosed_on"),
    ],
)
def test_invalid_secondary_diagnoses_store_nothing(
    world: World, api_as, change: dict[str, object], field: str
) -> None:  # type: ignore[no-untyped-def]
    body = {"diagnosed_on": "2026-11-02", "presentation": "recurrence", "sites": ["bone"]}
    before = (SecondaryDiagnosis.objects.count(), MetastaticSite.objects.count())
    response = api_as(world.key_worker).post(
        f"/patients/{world.patient.pk}/secondary-diagnoses", {**body, **change}
    )
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"], response.json()
    assert (SecondaryDiagnosis.objects.count(), MetastaticSite.objects.count()) == before


def test_a_later_diagnosis_does_not_move_t0_but_an_earlier_one_does(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    kw = api_as(world.key_worker)
    url = f"/patients/{world.patient.pk}/secondary-diagnoses"
    kw.post(url, {"diagnosed_on": "2026-11-10", "presentation": "recurrence", "sites": ["brain"]})
    world.patient.refresh_from_db()
    assert world.patient.metastatic_diagnosed_on == dt.date(2026, 10, 1)
    kw.post(url, {"diagnosed_on": "2026-09-01", "presentation": "recurrence", "sites": ["lung"]})
    world.patient.refresh_from_db()
    assert world.patient.metastatic_diagnosed_on == dt.date(2026, 9, 1)


def test_a_patient_may_change_only_their_own_contact_details(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    me = api_as(world.patient_user)
    ok = me.patch(f"/patients/{world.patient.pk}", {"phone": "07700 900123"})
    assert ok.status_code == 200 and ok.json()["phone"] == "07700 900123"
    refused = me.patch(f"/patients/{world.patient.pk}", {"family_name": "Byron"})
    assert refused.status_code == 422 and "family_name" in refused.json()["error"]["fields"]
    other = me.patch(f"/patients/{world.other_patient.pk}", {"phone": "07700 900999"})
    assert other.status_code == 404


def test_a_death_cannot_precede_birth_or_be_in_the_future(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    kw = api_as(world.key_worker)
    url = f"/patients/{world.patient.pk}"
    assert kw.patch(url, {"died_on": "1950-01-01"}).status_code == 422
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert kw.patch(url, {"died_on": str(tomorrow)}).status_code == 422


def test_carers_need_recorded_consent(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    kw = api_as(world.key_worker)
    url = f"/patients/{world.patient.pk}/carers"
    missing = kw.post(url, {"name": "Sam", "relationship": "daughter", "phone": "07700 900001"})
    assert "consent_given_on" in missing.json()["error"]["fields"]
    created = kw.post(
        url,
        {
            "name": "Sam",
            "relationship": "daughter",
            "phone": "07700 900001",
            "consent_given_on": "2026-11-01",
        },
    )
    assert created.status_code == 201
    carers = kw.get(f"/patients/{world.patient.pk}").json()["carers"]
    assert [c["name"] for c in carers] == ["Sam"]


def test_primary_diagnosis_receptors_drive_the_subtype_until_a_metastasis_is_tested(
    world: World, api_as
) -> None:  # type: ignore[no-untyped-def]
    kw = api_as(world.key_worker)
    created = kw.post(
        f"/patients/{world.patient.pk}/primary-diagnoses",
        {
            "diagnosed_on": "2019-04-01",
            "laterality": "left",
            "er": "negative",
            "pr": "negative",
            "her2": "positive",
        },
    )
    assert created.status_code == 201
    assert kw.get(f"/patients/{world.patient.pk}").json()["receptor_subtype"] == "her2_positive"
