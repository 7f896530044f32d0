"""Team opening hours: the database keeps them sane, existing teams are seeded, admins edit them."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from waypoint.careteam.models import TeamOpeningHours

pytestmark = pytest.mark.django_db

seeding = importlib.import_module("waypoint.careteam.migrations.0006_seed_team_opening_hours")


def test_existing_teams_are_seeded_monday_to_friday_nine_to_five_and_it_reverses(world):
    TeamOpeningHours.objects.create(
        team=world.team_b, weekday=5, opens_at=dt.time(10), closes_at=dt.time(12)
    )
    seeding.seed(apps, None)
    rows = TeamOpeningHours.objects.filter(team=world.team_a)
    assert [(r.weekday, r.opens_at, r.closes_at) for r in rows] == [
        (d, dt.time(9), dt.time(17)) for d in range(5)
    ]
    # A team that already has hours keeps them as they are.
    assert TeamOpeningHours.objects.filter(team=world.team_b).count() == 1
    seeding.unseed(apps, None)
    assert list(TeamOpeningHours.objects.values_list("team_id", "weekday")) == [
        (world.team_b.pk, 5)
    ]


@pytest.mark.parametrize(
    ("weekday", "opens", "closes"),
    [(0, dt.time(17), dt.time(9)), (0, dt.time(9), dt.time(9)), (7, dt.time(9), dt.time(17))],
)
def test_the_database_refuses_impossible_hours(world, weekday, opens, closes):
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamOpeningHours.objects.create(
            team=world.team_a, weekday=weekday, opens_at=opens, closes_at=closes
        )


def test_one_row_per_team_and_weekday(world):
    TeamOpeningHours.objects.create(
        team=world.team_a, weekday=0, opens_at=dt.time(9), closes_at=dt.time(17)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamOpeningHours.objects.create(
            team=world.team_a, weekday=0, opens_at=dt.time(8), closes_at=dt.time(12)
        )


def test_admins_edit_opening_hours_on_the_team_page(world, client):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    page = client.get(f"/admin/careteam/team/{world.team_a.pk}/change/").content.decode()
    assert "opening_hours-TOTAL_FORMS" in page
    assert "bank holidays are always out of hours" in page
