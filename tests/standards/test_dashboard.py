"""Standards snapshots and the dashboard: counted in the database, by scope, with drill-down only
for those who may see the people, and CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from waypoint.audit.models import AuditEvent
from waypoint.standards.models import StandardSnapshot
from waypoint.standards.services import standards_snapshot

pytestmark = pytest.mark.django_db


def test_a_snapshot_holds_every_standard_for_everyone_and_replaces_itself(world):
    today = timezone.localdate()
    run = standards_snapshot(as_of=today)
    assert run.people == 3
    stored = StandardSnapshot.objects.filter(as_of=today)
    assert run.results == stored.count() > 0
    # Every person has each standard that applies to them; not-applicable results are not kept.
    assert set(stored.filter(patient=world.patient).values_list("code", flat=True)) >= {
        "KW1",
        "KW2",
        "MDT1",
        "HNA1",
        "SUP1",
        "PAL1",
        "CON1",
    }
    assert not stored.filter(status="not_applicable").exists()
    standards_snapshot(as_of=today)
    assert StandardSnapshot.objects.filter(as_of=today).count() == run.results


def test_the_command_backfills_month_ends(world):
    call_command("evaluate_standards", "--as-of", "2026-11-24", "--months", "1")
    assert set(StandardSnapshot.objects.values_list("as_of", flat=True)) == {
        dt.date(2026, 11, 24),
        dt.date(2026, 10, 31),
    }


def test_the_manager_sees_figures_but_cannot_drill_into_people(world, client):
    standards_snapshot(as_of=timezone.localdate())
    client.force_login(world.manager)
    page = client.get("/standards/")
    assert page.status_code == 200
    assert b"KW1: Named key worker" in page.content
    assert b"not meeting" not in page.content
    assert client.get(f"/standards/KW1/not-met/?team={world.team_a.pk}").status_code == 403
    csv = client.get("/standards/export.csv").content.decode()
    assert csv.splitlines()[0].startswith("scope,as_of,standard")
    assert "KW1" in csv


def test_a_key_worker_drills_into_their_team_and_the_list_is_audited(world, client):
    standards_snapshot(as_of=timezone.localdate())
    client.force_login(world.key_worker)
    page = client.get(f"/standards/?team={world.team_a.pk}")
    assert page.status_code == 200
    listed = client.get(f"/standards/HNA1/not-met/?team={world.team_a.pk}")
    assert listed.status_code == 200
    assert b"Lovelace" in listed.content
    assert AuditEvent.objects.filter(object_type="standards_not_met").exists()
    assert client.get(f"/standards/?team={world.team_b.pk}").status_code == 404
    assert b"Cleo" not in client.get(f"/standards/HNA1/not-met/?team={world.team_b.pk}").content


def test_a_patient_has_no_dashboard(world, client):
    client.force_login(world.patient_user)
    assert client.get("/standards/").status_code == 403


def test_the_dashboard_api_gives_the_figures_by_team_and_organisation(world, api_as):
    standards_snapshot(as_of=timezone.localdate())
    manager = api_as(world.manager)
    whole = manager.get("/standards/dashboard")
    assert whole.status_code == 200, whole.content
    body = whole.json()
    assert body["rules_version"] == "waypoint-standards-1"
    kw1 = next(r for r in body["rows"] if r["code"] == "KW1")
    # T0 was weeks before the personas' key workers were assigned (today): three late or missing.
    assert (kw1["latest"]["met"], kw1["latest"]["not_met"], kw1["latest"]["percent_met"]) == (
        0,
        3,
        0.0,
    )
    assert kw1["trend"][-1]["as_of"] == body["as_of"]
    by_org = manager.get("/standards/dashboard", {"organisation": world.organisation.pk}).json()
    assert by_org["scope"] == world.organisation.name
    assert sorted(by_org["team_ids"]) == sorted(body["team_ids"])
    team_a = manager.get("/standards/dashboard", {"team": world.team_a.pk}).json()
    assert next(r for r in team_a["rows"] if r["code"] == "KW1")["latest"]["not_met"] == 2
    assert manager.get("/standards/dashboard", {"months": 0}).status_code == 422
    assert manager.get("/standards/dashboard", {"organisation": 999999}).status_code == 404


def test_the_not_met_list_through_the_api_is_for_the_teams_clinicians_only(world, api_as):
    standards_snapshot(as_of=timezone.localdate())
    listed = api_as(world.key_worker).get("/standards/HNA1/not-met", {"team": world.team_a.pk})
    assert listed.status_code == 200
    assert {p["family_name"] for p in listed.json()} == {"Lovelace", "Other"}
    assert (
        api_as(world.manager).get("/standards/HNA1/not-met", {"team": world.team_a.pk}).status_code
        == 404
    )
    other_team = api_as(world.key_worker).get("/standards/HNA1/not-met", {"team": world.team_b.pk})
    assert other_team.status_code == 404  # another team's list, as if it did not exist
    assert api_as(world.patient_user).get("/standards/dashboard").status_code == 404
    assert (
        api_as(world.other_team_nurse)
        .get("/standards/dashboard", {"team": world.team_a.pk})
        .status_code
        == 404
    )


def test_the_dashboard_page_can_show_one_organisation(world, client):
    standards_snapshot(as_of=timezone.localdate())
    client.force_login(world.manager)
    page = client.get(f"/standards/?organisation={world.organisation.pk}")
    assert page.status_code == 200
    assert f"Care standards: {world.organisation.name}" in page.content.decode()
    assert client.get("/standards/?organisation=nope").status_code == 404


def test_every_dashboard_view_and_export_is_recorded_as_an_aggregate_read(world, client, api_as):
    standards_snapshot(as_of=timezone.localdate())
    client.force_login(world.manager)
    client.get("/standards/")
    client.get("/standards/export.csv")
    api_as(world.manager).get("/standards/dashboard")
    actions = list(
        AuditEvent.objects.filter(object_type="standards_dashboard")
        .order_by("id")
        .values_list("action", "patient_id")
    )
    assert actions == [("aggregate", None), ("export", None), ("aggregate", None)]
