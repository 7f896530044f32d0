"""POST /fhir and manage.py import_fhir: who may import, what they get back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import ApiClient
from tests.fhir.conftest import EXTERNAL, counts, load
from tests.world import World
from waypoint.fhir.importing import bundle_import
from waypoint.registry.models import Patient

TRIAL = "mcode-clinical-trial-matching-app/TrialMatching_Patient01.json"
FHIR_JSON = "application/fhir+json"


def post(user: Any, body: object, query: str = "") -> Any:
    client = ApiClient(user).client
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/fhir" + query, data=data, content_type=FHIR_JSON)


def test_transaction_bundle_answers_a_transaction_response(world: World) -> None:
    response = post(world.key_worker, load(TRIAL))
    assert response.status_code == 201
    assert response["Content-Type"].startswith(FHIR_JSON)
    body = response.json()
    assert (body["resourceType"], body["type"]) == ("Bundle", "transaction-response")
    assert len(body["entry"]) == 18
    patient = Patient.objects.get(identifiers__value="a123")
    assert body["entry"][0]["response"]["status"] == "201 Created"
    assert body["entry"][0]["response"]["location"] == f"Patient/{patient.pk}"
    assert body["entry"][2]["response"]["status"] == "200 OK"  # the skipped stage group
    outcome = body["entry"][0]["response"]["outcome"]
    assert outcome["resourceType"] == "OperationOutcome"


def test_a_collection_answers_an_operation_outcome(world: World) -> None:
    bundle = load(TRIAL)
    bundle["type"] = "collection"
    for entry in bundle["entry"]:
        entry.pop("request")
    response = post(world.key_worker, bundle)
    assert response.status_code == 201
    assert response.json()["resourceType"] == "OperationOutcome"


def test_invalid_bundle_is_422_with_every_issue_and_writes_nothing(world: World) -> None:
    before = counts()
    response = post(
        world.key_worker, load("mcode-clinical-trial-matching-service/patient_data.json")
    )
    assert response.status_code == 422
    issues = response.json()["issue"]
    assert sum(1 for i in issues if i["severity"] == "error") == 14
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "status"),
    [("not json", 400), ({"resourceType": "Patient"}, 400)],
)
def test_unparseable_or_not_a_bundle_is_400(world: World, body: object, status: int) -> None:
    response = post(world.key_worker, body)
    assert response.status_code == status
    assert response.json()["resourceType"] == "OperationOutcome"


def test_dry_run_validates_without_writing(world: World) -> None:
    before = Patient.objects.count()
    response = post(world.key_worker, load(TRIAL), "?_dryRun=true")
    assert response.status_code == 200
    assert response.json()["resourceType"] == "OperationOutcome"
    assert Patient.objects.count() == before


def test_no_token_is_401(world: World) -> None:
    response = Client().post("/fhir", data=json.dumps(load(TRIAL)), content_type=FHIR_JSON)
    assert response.status_code == 401
    assert response.json()["issue"][0]["code"] == "login"


@pytest.mark.parametrize("who", ["patient_user", "manager", "admin"])
def test_patients_and_managers_cannot_import(world: World, who: str) -> None:
    before = counts()
    response = post(getattr(world, who), load(TRIAL))
    assert response.status_code == 403
    assert response.json()["issue"][0]["code"] == "forbidden"
    assert counts() == before


def test_other_team_nurse_importing_a_team_a_person_gets_an_error_and_nothing_changes(
    world: World,
) -> None:
    assert bundle_import(actor=world.key_worker, bundle=load(TRIAL), team_id=None).ok
    bundle = load(TRIAL)
    bundle["entry"][14]["resource"]["effectiveDateTime"] = "2019-05-01"  # something new
    before = counts()
    response = post(world.other_team_nurse, bundle)
    assert response.status_code == 422
    errors = [i for i in response.json()["issue"] if i["severity"] == "error"]
    assert [(e["code"], e["expression"]) for e in errors] == [
        ("forbidden", ["Bundle.entry[0].resource.identifier"])
    ]
    assert counts() == before


def test_team_must_be_one_of_the_actors_teams(world: World) -> None:
    response = post(world.key_worker, load(TRIAL), f"?team={world.team_b.pk}")
    assert response.status_code == 422
    assert "not a team you can register people into" in response.content.decode()
    response = post(world.key_worker, load(TRIAL), f"?team={world.team_a.pk}")
    assert response.status_code == 201


def test_command_imports_each_file_as_its_own_bundle(world: World, capsys: Any) -> None:
    good = EXTERNAL / TRIAL
    bad = EXTERNAL / "mcode-extraction-framework/csv-medication-request-bundle.json"
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import_fhir",
            str(good),
            str(bad),
            "--team",
            str(world.team_a.pk),
            "--as",
            "kw",
            "--quiet",
        )
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert f"{good}: imported: created" in out
    assert f"{bad}: FAILED with 4 error(s); nothing was written" in out
    assert Patient.objects.filter(identifiers__value="a123").count() == 1


def test_command_wraps_a_single_resource_and_needs_its_patient(world: World, capsys: Any) -> None:
    single = (
        EXTERNAL / "hl7-fhir-mcode-ig-stu1/Condition-mCODESecondaryCancerConditionExample01.json"
    )
    with pytest.raises(SystemExit):
        call_command("import_fhir", str(single), "--team", str(world.team_a.pk))
    assert (
        "its patient (Patient/mCODEPatientExample01) is not in the bundle"
        in capsys.readouterr().out
    )


def test_command_without_a_clinician_cannot_record_treatment(world: World, capsys: Any) -> None:
    with pytest.raises(SystemExit):
        call_command(
            "import_fhir", str(EXTERNAL / TRIAL), "--team", str(world.team_a.pk), "--quiet"
        )
    assert "treatment lines need the clinician" in capsys.readouterr().out
    assert not Patient.objects.filter(identifiers__value="a123").exists()


def test_command_dry_run(world: World, capsys: Any) -> None:
    call_command(
        "import_fhir",
        str(EXTERNAL / TRIAL),
        "--team",
        str(world.team_a.pk),
        "--as",
        "kw",
        "--dry-run",
        "--quiet",
    )
    assert "checked (dry run)" in capsys.readouterr().out
    assert not Patient.objects.filter(identifiers__value="a123").exists()
