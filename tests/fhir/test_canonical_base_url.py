"""Waypoint's own FHIR definitions (questionnaires, code systems, extensions, the mapping-version
tag) are named under the deployment's canonical base, WAYPOINT_FHIR_BASE_URL, in everything the
FHIR export and the API send: none keeps the development placeholder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.config.production_env import (
    development_environment,
    production_environment,
    run_python,
)
from tests.fhir.export_support import assert_r4b, fhir_client, full_history
from tests.world import World

TRUST = "https://waypoint.trust.example.nhs.uk/fhir"
PLACEHOLDER = "waypoint.example/fhir"


@pytest.fixture
def trust_base(settings) -> str:  # type: ignore[no-untyped-def]
    settings.WAYPOINT_FHIR_BASE_URL = TRUST
    return TRUST


def _own_urls(value: object) -> list[str]:
    """Every url, system or questionnaire in ``value`` that names a Waypoint definition."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in {"url", "system", "questionnaire"} and isinstance(item, str):
                if "waypoint" in item:
                    found.append(item)
            else:
                found.extend(_own_urls(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_own_urls(item))
    return found


def test_a_persons_whole_record_names_waypoints_definitions_under_the_configured_base(
    world: World, trust_base: str
) -> None:
    full_history(world)
    response = fhir_client(world.key_worker).get(f"/fhir/Patient/{world.patient.pk}/$everything")
    assert response.status_code == 200
    bundle = response.json()
    assert_r4b(bundle)
    assert PLACEHOLDER not in response.content.decode()
    urls = _own_urls(bundle)
    assert f"{TRUST}/CodeSystem/mapping-version" in urls
    assert f"{TRUST}/StructureDefinition/triage-outcome" in urls
    assert f"{TRUST}/StructureDefinition/referral-status" in urls
    assert f"{TRUST}/CodeSystem/triage-level" in urls
    assert any(u.startswith(f"{TRUST}/Questionnaire/symptoms|") for u in urls)
    assert any(u.startswith(f"{TRUST}/Questionnaire/hna|") for u in urls)
    assert all(u.startswith(TRUST) for u in urls if "waypoint.trust" in u or PLACEHOLDER in u)


def test_questionnaires_and_searches_use_the_configured_base(world: World, trust_base: str) -> None:
    client = fhir_client(world.manager)
    listed = client.get("/fhir/Questionnaire")
    assert PLACEHOLDER not in listed.content.decode()
    assert {e["resource"]["url"] for e in listed.json()["entry"]} == {
        f"{TRUST}/Questionnaire/hna",
        f"{TRUST}/Questionnaire/symptoms",
    }
    assert client.get("/fhir/Questionnaire/hna").json()["url"] == f"{TRUST}/Questionnaire/hna"


def test_the_api_serves_both_questionnaires_under_the_configured_base(
    world: World, trust_base: str, api_as
) -> None:  # type: ignore[no-untyped-def]
    api = api_as(world.key_worker)
    hna = api.get("/questionnaires/hna").json()
    assert hna["url"] == f"{TRUST}/Questionnaire/hna"
    experience = api.get("/questionnaires/experience")
    assert experience.json()["url"] == f"{TRUST}/Questionnaire/experience"
    assert PLACEHOLDER not in experience.content.decode()
    systems = {
        option["valueCoding"]["system"]
        for item in json.loads(experience.content)["item"]
        for option in item.get("answerOption", [])
    }
    assert systems == {f"{TRUST}/Questionnaire/experience"}


SHOW = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.WAYPOINT_FHIR_BASE_URL)"
)


def test_the_base_defaults_to_the_placeholder_in_development(tmp_path: Path) -> None:
    env = development_environment(tmp_path)
    result = run_python(SHOW, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://waypoint.example/fhir"


def test_in_production_the_base_defaults_to_this_servers_fhir_address(tmp_path: Path) -> None:
    result = run_python(SHOW, production_environment(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://waypoint.example.nhs.uk/fhir"


def test_a_configured_base_is_used_without_its_trailing_slash(tmp_path: Path) -> None:
    env = production_environment(tmp_path) | {"WAYPOINT_FHIR_BASE_URL": TRUST + "/"}
    result = run_python(SHOW, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == TRUST


@pytest.mark.parametrize(
    "value",
    [
        "waypoint.trust.example/fhir",
        "ftp://trust.example/fhir",
        "https:///fhir",
        "https://x/fhir?a=1",
    ],
)
def test_a_base_that_is_not_an_absolute_http_url_stops_start_up(tmp_path: Path, value: str) -> None:
    env = development_environment(tmp_path) | {"WAYPOINT_FHIR_BASE_URL": value}
    result = run_python(SHOW, env)
    assert result.returncode != 0
    assert "WAYPOINT_FHIR_BASE_URL must be an absolute http:// or https:// URL" in result.stderr
