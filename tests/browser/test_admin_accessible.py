"""The admin pages an administrator keeps the rota and team hours on pass axe-core like every
Waypoint page: the routing of red reports out of hours depends on what is typed there."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible, login
from tests.world import World
from waypoint.careteam.models import TeamOpeningHours

pytestmark = pytest.mark.browser


def test_the_rota_team_hours_and_accounts_pages_pass_axe(
    world: World, live_server: LiveServer, page: Page
) -> None:
    for weekday in range(5):
        TeamOpeningHours.objects.create(
            team=world.team_a, weekday=weekday, opens_at=dt.time(9), closes_at=dt.time(17)
        )
    login(page, live_server, world.admin.username)
    for path in (
        "/admin/",
        "/admin/careteam/oncallshift/",
        "/admin/careteam/oncallshift/add/",
        "/admin/careteam/team/",
        f"/admin/careteam/team/{world.team_a.pk}/change/",
        "/admin/accounts/user/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)


def test_only_clinical_staff_can_be_put_on_call(
    world: World, live_server: LiveServer, page: Page
) -> None:
    login(page, live_server, world.admin.username)
    page.goto(f"{live_server.url}/admin/careteam/oncallshift/add/")
    options = page.get_by_label("Clinician:").inner_text()
    assert world.key_worker.display_name in options
    assert world.patient_user.display_name not in options
    assert world.manager.display_name not in options
