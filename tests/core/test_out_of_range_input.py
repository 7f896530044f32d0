"""Numbers and dates outside what the database and the clock can hold are refused as invalid
input (422, or an error page), never a server error; nothing is stored."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone
from tests.conftest import ApiClient
from tests.triage.test_symptom_reports_api import sepsis_body
from tests.world import World

from waypoint.treatment.models import TreatmentCycle
from waypoint.triage.models import SymptomReport

pytestmark = pytest.mark.django_db

HUGE = str(2**63)


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/patients?q=Lovelace&page={HUGE}",
        f"/api/v1/patients/{{patient}}/access-log?page={HUGE}",
        f"/api/v1/teams/{{team}}/triage-queue?page={HUGE}",
    ],
)
def test_a_page_number_of_2_to_the_63_is_422(world: World, path: str) -> None:
    url = path.format(patient=world.patient.pk, team=world.team_a.pk)
    response = ApiClient(world.key_worker).client.get(url)
    assert response.status_code == 422, response.content
    assert "page" in response.json()["error"]["fields"]


def test_a_page_number_of_2_to_the_63_on_a_page_is_an_error_page(
    world: World, client: Client
) -> None:
    client.force_login(world.key_worker)
    response = client.get("/triage/", {"page": HUGE})
    assert response.status_code == 400
    assert "Pages are numbered from 1 to 100,000" in response.content.decode()


def test_a_fhir_offset_of_2_to_the_63_is_400(world: World) -> None:
    response = ApiClient(world.key_worker).client.get(f"/fhir/Patient?_offset={HUGE}")
    assert response.status_code == 400
    assert "_offset" in json.dumps(response.json())


def test_a_cycle_number_above_smallint_is_422(world: World) -> None:
    nurse = ApiClient(world.key_worker).client
    line = nurse.post(
        f"/api/v1/patients/{world.patient.pk}/treatment-lines",
        data={"kind": "chemotherapy", "drugs": "Paclitaxel", "started_on": "2026-10-05"},
        content_type="application/json",
    ).json()
    response = nurse.post(
        f"/api/v1/treatment-lines/{line['id']}/cycles",
        data={"started_on": "2026-10-05", "number": 32768},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "number" in response.json()["error"]["fields"]
    assert not TreatmentCycle.objects.exists()


@pytest.mark.parametrize("reported_at", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_a_report_dated_at_the_ends_of_the_calendar_is_422(world: World, reported_at: str) -> None:
    response = ApiClient(world.patient_user).client.post(
        f"/api/v1/patients/{world.patient.pk}/symptom-reports",
        data=json.dumps(sepsis_body(reported_at=reported_at)),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "reported_at" in response.json()["error"]["fields"]
    assert not SymptomReport.objects.exists()


def test_a_red_report_dated_1970_is_refused_rather_than_escalated_at_once(world: World) -> None:
    response = ApiClient(world.patient_user).client.post(
        f"/api/v1/patients/{world.patient.pk}/symptom-reports",
        data=json.dumps(sepsis_body(reported_at="1970-01-01T00:00:00Z")),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "within the last 168 hours" in response.json()["error"]["fields"]["reported_at"]
    assert not SymptomReport.objects.exists()


def test_a_report_dated_within_the_allowed_age_is_accepted(world: World) -> None:
    six_days_ago = timezone.now() - dt.timedelta(days=6)
    response = ApiClient(world.patient_user).client.post(
        f"/api/v1/patients/{world.patient.pk}/symptom-reports",
        data=json.dumps(sepsis_body(days_ago=8, reported_at=six_days_ago.isoformat())),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("query", ["until=0001-01-01", "since=0001-01-01", "until=9999-12-31"])
def test_report_dates_at_the_ends_of_the_calendar_are_422_in_the_api(
    world: World, query: str
) -> None:
    response = ApiClient(world.manager).client.get(f"/api/v1/reports/incidence?{query}")
    assert response.status_code == 422, response.content
    assert query.split("=")[0] in response.json()["error"]["fields"]


@pytest.mark.parametrize("path", ["/reports/", "/reports/incidence.csv"])
def test_report_pages_and_csvs_refuse_a_date_of_year_one(
    world: World, client: Client, path: str
) -> None:
    client.force_login(world.manager)
    response = client.get(path, {"until": "0001-01-01"})
    assert response.status_code in (400, 422)
    assert response.status_code < 500


def test_an_audit_search_date_of_year_one_is_an_error_beside_the_field(
    world: World, client: Client
) -> None:
    client.force_login(world.admin)
    response = client.get("/audit/", {"until": "0001-01-01"})
    assert response.status_code in (200, 422)
    assert "Give a date between 1 January 1900 and 31 December 2100" in response.content.decode()
