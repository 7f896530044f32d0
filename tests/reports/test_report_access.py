"""Who sees which figures, on the page, in the API and in every CSV; suppression; the audit."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from tests.reports.conftest import person
from tests.world import make_user

from waypoint.accounts.models import Role
from waypoint.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

ENDPOINTS = ("prevalence", "incidence", "response-times", "survival")


def rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("who", ["patient_user", "other_patient_user", "helpline_nurse"])
def test_patients_and_people_with_no_teams_to_see_get_404(world, client, api_as, who) -> None:
    user = getattr(world, who)
    client.force_login(user)
    assert client.get("/reports/").status_code == 404
    assert client.get("/reports/prevalence.csv").status_code == 404
    for endpoint in ENDPOINTS:
        answer = api_as(user).get(f"/reports/{endpoint}")
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found"


def test_a_clinician_in_no_team_is_an_outsider(world, client) -> None:
    outsider = make_user("loner", Role.KEY_WORKER)
    client.force_login(outsider)
    assert client.get("/reports/").status_code == 404


def test_signing_in_is_required(world, client, api_as) -> None:
    assert client.get("/reports/").status_code == 302
    assert client.get("/api/v1/reports/prevalence").status_code == 401


def test_a_key_worker_sees_exact_counts_for_their_own_teams_only(world, client, api_as) -> None:
    client.force_login(world.key_worker)
    page = client.get("/reports/")
    assert page.status_code == 200
    assert b"<strong>2</strong> people are living" in page.content
    assert b"fewer than" not in page.content.split(b'id="prevalence"')[1].split(b"</section>")[0]
    assert b"Breast Team B" not in page.content
    assert client.get(f"/reports/?team={world.team_b.pk}").status_code == 404
    api = api_as(world.key_worker)
    assert api.get("/reports/prevalence", {"team": world.team_b.pk}).status_code == 404
    body = api.get("/reports/prevalence", {"team": world.team_a.pk}).json()
    assert body["people"] == 2 and body["scope"]["small_number"] == 0
    assert b"Lovelace" not in page.content and b"Ada" not in page.content  # nobody named


def test_the_manager_sees_suppressed_figures_for_the_trust(world, client, api_as) -> None:
    client.force_login(world.manager)
    page = client.get("/reports/")
    assert page.status_code == 200
    assert b"<strong>fewer than 5</strong>" in page.content
    assert b"Breast Team B" in page.content
    body = api_as(world.manager).get("/reports/prevalence").json()
    assert body["people"] == "fewer than 5"
    assert body["scope"]["small_number"] == 5
    teams = next(b for b in body["breakdowns"] if b["dimension"] == "team")
    assert {g["label"]: g["people"] for g in teams["groups"]} == {
        "Acute Oncology Helpline": 0,
        "Breast Team A": "fewer than 5",
        "Breast Team B": "fewer than 5",
    }
    for _ in range(3):
        person(world)
    assert api_as(world.manager).get("/reports/prevalence").json()["people"] == 6


def test_suppression_can_be_turned_off(world, api_as, settings) -> None:
    settings.WAYPOINT_REPORT_SMALL_NUMBER = 0
    assert api_as(world.manager).get("/reports/prevalence").json()["people"] == 3


def test_every_csv_is_suppressed_even_for_a_clinician(world, client) -> None:
    person(world, primary=("positive", "positive", "negative"), died_on=dt.date(2026, 9, 1))
    client.force_login(world.key_worker)
    prevalence = rows(client.get("/reports/prevalence.csv"))
    assert prevalence[0] == ["scope", "as_of", "breakdown", "group", "people"]
    assert prevalence[1] == ["All teams you may see", "2026-11-20", "total", "all", "fewer than 5"]
    assert ["All teams you may see", "2026-11-20", "site", "Liver", "0"] in prevalence
    incidence = rows(client.get("/reports/incidence.csv"))
    assert incidence[0] == ["scope", "month", "breakdown", "group", "people"]
    assert ["All teams you may see", "2026-10", "total", "all", "fewer than 5"] in incidence
    assert ["All teams you may see", "2026-06", "subtype", "HR+/HER2−", "fewer than 5"] in incidence
    times = rows(client.get("/reports/response-times.csv"))
    assert times[0][:5] == ["scope", "since", "until", "level", "reports"]
    assert [r[3] for r in times[1:]] == ["emergency", "red", "amber", "green"]
    survival = rows(client.get("/reports/survival.csv"))
    assert survival[0][:5] == ["scope", "as_of", "subtype", "people", "deaths"]
    assert survival[-1][2:5] == ["All subtypes", "fewer than 5", "fewer than 5"]
    answer = client.get("/reports/survival.csv")
    assert answer["Content-Disposition"] == 'attachment; filename="survival.csv"'
    assert client.get("/reports/nothing.csv").status_code == 404


def test_one_audit_event_per_view_naming_no_one(world, client, api_as) -> None:
    client.force_login(world.manager)
    client.get("/reports/", {"organisation": world.organisation.pk})
    client.get("/reports/survival.csv")
    api_as(world.manager).get("/reports/incidence", {"since": "2026-01-01"})
    events = list(
        AuditEvent.objects.filter(object_type="population_report").order_by("occurred_at", "id")
    )
    assert [(e.action, e.object_id) for e in events] == [
        (AuditAction.AGGREGATE, "prevalence,incidence,response-times,survival"),
        (AuditAction.EXPORT, "survival"),
        (AuditAction.AGGREGATE, "incidence"),
    ]
    assert all(e.patient_id is None and e.actor == world.manager for e in events)
    assert events[0].detail.startswith("St Elsewhere Hospital (teams ")
    assert events[2].detail.endswith("2026-01-01 to 2026-11-20")


def test_bad_parameters_answer_422_with_fields_and_the_page_says_what_is_wrong(
    world, client, api_as
) -> None:
    api = api_as(world.key_worker)
    answer = api.get("/reports/incidence", {"since": "not-a-date"})
    assert answer.status_code == 422
    assert "since" in answer.json()["error"]["fields"]
    answer = api.get("/reports/incidence", {"since": "2026-05-01", "until": "2026-04-01"})
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"] == {
        "since": "must be on or before the end of the period"
    }
    assert api.get("/reports/incidence", {"until": "2030-01-01"}).status_code == 422
    assert api.get("/reports/incidence", {"team": "x"}).status_code == 422
    client.force_login(world.key_worker)
    page = client.get("/reports/", {"since": "2026-05-01", "until": "2026-04-01"})
    assert page.status_code == 400
    assert b"There is a problem" in page.content
    assert b"must be on or before the end of the period" in page.content
    assert not AuditEvent.objects.filter(object_type="population_report").exists()


def test_a_team_outside_the_chosen_organisation_is_a_field_error(world, api_as) -> None:
    from waypoint.careteam.services import organisation_create, team_create

    other = organisation_create(name="Elsewhere General", ods_code="RYY01")
    team_create(
        organisation=other, name="Team C", in_hours_phone="020 7946 0404", out_of_hours_phone="1"
    )
    admin = api_as(world.admin)
    answer = admin.get("/reports/prevalence", {"organisation": other.pk, "team": world.team_a.pk})
    assert answer.status_code == 422 and "team" in answer.json()["error"]["fields"]
    assert admin.get("/reports/prevalence", {"organisation": other.pk}).json()["people"] == 0
    # The manager's trust does not include the other organisation.
    assert (
        api_as(world.manager).get("/reports/prevalence", {"organisation": other.pk}).status_code
        == 404
    )
