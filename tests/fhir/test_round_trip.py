"""Export, then import into an empty database, then compare: what Waypoint sends as FHIR is what
it reads back, so two Waypoint installations (or a hospital system in between) keep the record."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction

from tests.fhir.export_support import fhir_client, full_history
from tests.world import World, make_patient, make_user
from waypoint.accounts.models import Role
from waypoint.fhir.importing import bundle_import
from waypoint.registry.models import Patient

pytestmark = pytest.mark.django_db
BASE = "https://waypoint.example/fhir"


def _drug_names(text: str) -> frozenset[str]:
    return frozenset(re.split(r",\s*|\s+and\s+", text.lower().strip()))


def clinical_record(patient: Patient) -> dict[str, Any]:
    """The facts both sides must agree on, without database ids."""
    secondary = patient.secondaries.get()
    lines = patient.treatment_lines.values_list(
        "line_number", "kind", "drugs", "started_on", "stopped_on", "stop_reason"
    )
    return {
        "person": (
            patient.nhs_number,
            patient.given_name,
            patient.family_name,
            patient.birth_date,
            patient.sex,
            patient.died_on,
        ),
        "t0": patient.metastatic_diagnosed_on,
        "sites": sorted(secondary.sites.values_list("site", flat=True)),
        "secondary_receptors": (secondary.er, secondary.her2, secondary.receptors_assessed_on),
        "primaries": sorted(
            patient.primaries.values_list("diagnosed_on", "laterality", "er", "pr", "her2")
        ),
        # The primary's receptors travel as tumour-marker Observations and come back as results
        # of the primary tumour: the same facts, so both sides count them the same way.
        "receptor_results": sorted(
            {
                *patient.receptor_results.values_list("marker", "value", "observed_on", "specimen"),
                *(
                    (marker, value, on, "primary")
                    for on, er, pr, her2 in patient.primaries.values_list(
                        "diagnosed_on", "er", "pr", "her2"
                    )
                    for marker, value in (("er", er), ("pr", pr), ("her2", her2))
                    if value != "unknown"
                ),
            }
        ),
        "biopsies": sorted(patient.biopsies.values_list("performed_on", "site")),
        # Drugs are words; the importer writes each line's drugs as one canonical, sorted list.
        "lines": sorted(
            (number, kind, _drug_names(drugs), started, stopped, reason)
            for number, kind, drugs, started, stopped, reason in lines
        ),
    }


def _as_collection(searchset: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": f"{BASE}/{e['resource']['resourceType']}/{e['resource']['id']}",
                "resource": e["resource"],
            }
            for e in searchset["entry"]
        ],
    }


def test_an_export_imported_into_an_empty_database_gives_the_same_record(world: World) -> None:
    before_people = Patient.objects.count()
    empty = transaction.savepoint()
    account = make_user("rosa", Role.PATIENT, first="Rosa", last="Franklin")
    person = make_patient(team=world.team_a, given="Rosa", family="Franklin", user=account)
    full_history(dataclasses.replace(world, patient=person, patient_user=account))
    person.refresh_from_db()
    exported = clinical_record(person)
    response = fhir_client(world.key_worker).get(f"/fhir/Patient/{person.pk}/$everything")
    assert response.status_code == 200
    bundle = _as_collection(response.json())
    transaction.savepoint_rollback(empty)  # the person and everything about them are gone
    assert Patient.objects.count() == before_people
    assert not Patient.objects.filter(nhs_number=exported["person"][0]).exists()

    report = bundle_import(actor=world.key_worker, bundle=bundle, team_id=world.team_a.pk)

    errors = [i for i in report.issues if i.is_error]
    assert report.written, errors
    imported = Patient.objects.get(nhs_number=exported["person"][0])
    assert clinical_record(imported) == exported
    # Importing the same export again changes nothing.
    again = bundle_import(actor=world.key_worker, bundle=bundle, team_id=world.team_a.pk)
    assert again.ok and not again.created
    assert clinical_record(Patient.objects.get(pk=imported.pk)) == exported


def test_the_round_trip_keeps_a_death(world: World) -> None:
    empty = transaction.savepoint()
    person = make_patient(team=world.team_a, given="Edith", family="Cavell")
    from waypoint.registry.services import patient_update

    patient_update(
        actor=world.key_worker, patient=person, changes={"died_on": dt.date(2026, 11, 20)}
    )
    response = fhir_client(world.key_worker).get(f"/fhir/Patient/{person.pk}/$everything")
    bundle = _as_collection(response.json())
    nhs_number = person.nhs_number
    transaction.savepoint_rollback(empty)
    report = bundle_import(actor=world.key_worker, bundle=bundle, team_id=world.team_a.pk)
    assert report.written, [i for i in report.issues if i.is_error]
    assert Patient.objects.get(nhs_number=nhs_number).died_on == dt.date(2026, 11, 20)


def test_a_death_imported_by_the_system_is_recorded_through_the_registry(world: World) -> None:
    from waypoint.audit.models import AuditEvent

    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": f"{BASE}/Patient/p1",
                "resource": {
                    "resourceType": "Patient",
                    "id": "p1",
                    "identifier": [{"system": "https://hospital.example/mrn", "value": "MRN-77"}],
                    "name": [{"family": "Seacole", "given": ["Mary"]}],
                    "gender": "female",
                    "birthDate": "1950-01-02",
                    "deceasedDateTime": "2026-11-03",
                },
            }
        ],
    }
    report = bundle_import(actor=None, bundle=bundle, team_id=world.team_a.pk)
    assert report.written, [i for i in report.issues if i.is_error]
    person = Patient.objects.get(family_name="Seacole")
    assert person.died_on == dt.date(2026, 11, 3)
    assert AuditEvent.objects.filter(
        patient=person, action="update", detail__contains="died_on"
    ).exists()
