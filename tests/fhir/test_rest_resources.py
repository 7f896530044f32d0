"""Every resource type through the REST endpoints, for a person with a full history: read,
search by patient and $everything agree, and everything parses with R4B."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from tests.fhir.export_support import assert_r4b, fhir_client, full_history
from waypoint.fhir.export.sources import SOURCES

FHIR_JSON = "application/fhir+json"


@pytest.fixture
def history(world):  # type: ignore[no-untyped-def]
    return full_history(world)


@pytest.fixture
def everything(world, history) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = fhir_client(world.key_worker).get(f"/fhir/Patient/{world.patient.pk}/$everything")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)
    return response.json()  # type: ignore[no-any-return]


def by_id(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{e['resource']['resourceType']}/{e['resource']['id']}": e["resource"]
        for e in bundle.get("entry", [])
    }


def test_everything_holds_the_whole_history_and_parses(world, history, everything) -> None:  # type: ignore[no-untyped-def]
    assert_r4b(everything)
    h, p = history, world.patient.pk
    expected = {
        f"Patient/{p}",
        f"Condition/primary-{h.primary.pk}",
        f"Condition/secondary-{h.secondary.pk}",
        f"Observation/receptor-{h.er_metastatic.pk}",
        f"Observation/receptor-{h.her2_unknown_specimen.pk}",
        f"Observation/primary-{h.primary.pk}-er",
        f"Observation/primary-{h.primary.pk}-pr",
        f"Observation/primary-{h.primary.pk}-her2",
        f"Observation/progression-{h.progression.pk}",
        f"Observation/response-{h.response.pk}",
        f"MedicationRequest/line-{h.first_line.pk}",
        f"MedicationRequest/line-{h.second_line.pk}",
        f"Procedure/biopsy-{h.biopsy.pk}",
        f"CareTeam/careteam-{p}",
        *(f"CarePlan/careplan-{plan.pk}" for plan in h.plans),
        f"Task/report-{h.report.pk}",
        f"ServiceRequest/referral-{h.referral.pk}",
        f"QuestionnaireResponse/report-{h.report.pk}",
        f"QuestionnaireResponse/hna-{h.assessment.pk}",
        f"Encounter/admission-{h.admission.pk}",
        f"Encounter/contact-{h.clinic.pk}",
        f"Communication/contact-{h.call.pk}",
    }
    assert set(by_id(everything)) == expected
    assert everything["total"] == len(expected)
    assert everything["entry"][0]["resource"]["resourceType"] == "Patient"


def test_the_metastatic_er_result_is_sent_once_with_its_specimen(
    world, history, everything
) -> None:  # type: ignore[no-untyped-def]
    resources = by_id(everything)
    er = resources[f"Observation/receptor-{history.er_metastatic.pk}"]
    assert er["valueCodeableConcept"]["coding"][0]["code"] == "LA6577-6"
    assert er["specimen"]["display"] == "Metastasis"
    assert er["focus"] == [{"reference": f"Condition/secondary-{history.secondary.pk}"}]
    # The diagnosis's ER status repeats that result: it is not sent a second time.
    assert f"Observation/secondary-{history.secondary.pk}-er" not in resources
    # The primary's ER+ is kept beside it: receptor status changed between primary and metastasis.
    primary_er = resources[f"Observation/primary-{history.primary.pk}-er"]
    assert primary_er["valueCodeableConcept"]["coding"][0]["code"] == "LA6576-8"
    assert primary_er["specimen"]["display"] == "Primary tumour"


def test_treatment_lines_care_team_and_plans_carry_their_state(world, history, everything) -> None:  # type: ignore[no-untyped-def]
    resources = by_id(everything)
    first = resources[f"MedicationRequest/line-{history.first_line.pk}"]
    assert first["status"] == "stopped"
    assert first["statusReason"] == {"text": "Progression"}
    assert "Cycles recorded: 2." in first["note"][0]["text"]
    assert resources[f"MedicationRequest/line-{history.second_line.pk}"]["status"] == "active"
    team = resources[f"CareTeam/careteam-{world.patient.pk}"]
    assert [p["member"]["display"] for p in team["participant"]] == ["Kate Walker", "Colin Lee"]
    old, new = (resources[f"CarePlan/careplan-{plan.pk}"] for plan in history.plans)
    assert (old["status"], new["status"]) == ("revoked", "active")
    assert new["replaces"] == [{"reference": f"CarePlan/careplan-{history.plans[0].pk}"}]
    secondary = resources[f"Condition/secondary-{history.secondary.pk}"]
    assert secondary["extension"][0]["valueReference"] == {
        "reference": f"Condition/primary-{history.primary.pk}"
    }
    call = resources[f"Communication/contact-{history.call.pk}"]
    assert call["extension"][0]["valueBoolean"] is True


def test_every_resource_reads_back_as_it_appears_in_everything(world, history, everything) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.key_worker)
    for key, resource in by_id(everything).items():
        response = client.get(f"/fhir/{key}")
        assert response.status_code == 200, key
        assert response.json() == resource
        assert_r4b(response.json())


@pytest.mark.parametrize("resource_type", [t for t in SOURCES if t != "Patient"])
def test_search_by_patient_finds_what_everything_holds(
    world, history, everything, resource_type
) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.key_worker)
    wanted = {k for k in by_id(everything) if k.startswith(resource_type + "/")}
    for param in ("patient", "subject"):
        response = client.get(f"/fhir/{resource_type}", {param: f"Patient/{world.patient.pk}"})
        assert response.status_code == 200
        bundle = response.json()
        assert_r4b(bundle)
        assert set(by_id(bundle)) == wanted
        assert bundle["total"] == len(wanted)


def test_questionnaires_are_served_to_any_signed_in_user(world) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.manager)
    bundle = client.get("/fhir/Questionnaire").json()
    assert_r4b(bundle)
    assert {e["resource"]["id"] for e in bundle["entry"]} == {"hna", "symptoms"}
    hna = client.get("/fhir/Questionnaire/hna").json()
    assert hna["url"] == "https://waypoint.example/fhir/Questionnaire/hna"
    assert client.get("/fhir/Questionnaire/other").status_code == 404


@time_machine.travel("2026-11-20 12:00Z", tick=False)
def test_a_due_needs_assessment_is_a_task(world) -> None:  # type: ignore[no-untyped-def]
    """The world's person was diagnosed on 1 October 2026 and has had no assessment."""
    bundle = fhir_client(world.key_worker).get("/fhir/Task", {"patient": world.patient.pk}).json()
    assert_r4b(bundle)
    (task,) = (e["resource"] for e in bundle["entry"])
    assert task["id"] == f"hna-due-{world.patient.pk}"
    assert task["restriction"]["period"]["start"] == "2026-10-01"
    assert task["priority"] == "urgent"  # overdue: more than 31 days since the diagnosis


MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
EXPECTED_PROFILE = {
    "Patient": MCODE + "mcode-cancer-patient",
    "primary": MCODE + "mcode-primary-cancer-condition",
    "secondary": MCODE + "mcode-secondary-cancer-condition",
    "MedicationRequest": MCODE + "mcode-cancer-related-medication-request",
    "progression": MCODE + "mcode-cancer-disease-status",
    "response": MCODE + "mcode-cancer-disease-status",
    "receptor": MCODE + "mcode-tumor-marker-test",
}


def test_every_resource_claims_its_mcode_profile_and_the_mapping_version(everything) -> None:  # type: ignore[no-untyped-def]
    for key, resource in by_id(everything).items():
        resource_type, resource_id = key.split("/")
        kind = resource_id.split("-")[0]
        if resource_type == "Observation" and kind in ("primary", "secondary"):
            kind = "receptor"  # a diagnosis's receptor status is a tumour-marker test too
        wanted = EXPECTED_PROFILE.get(resource_type) or (
            EXPECTED_PROFILE.get(kind) if resource_type in ("Condition", "Observation") else None
        )
        assert resource["meta"].get("profile", []) == ([wanted] if wanted else []), key
        assert resource["meta"]["tag"] == [
            {
                "system": "https://waypoint.example/fhir/CodeSystem/mapping-version",
                "code": "waypoint-fhir-outbound-1",
            }
        ], key
