"""The standards dashboard and a person's timeline and standards, checked with axe-core."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible, login
from tests.world import World
from waypoint.standards.services import standards_snapshot

pytestmark = pytest.mark.browser


def test_the_manager_reads_the_standards_dashboard(
    page: Page, live_server: LiveServer, world: World
) -> None:
    standards_snapshot(as_of=timezone.localdate())
    login(page, live_server, "manager")
    page.get_by_role("link", name="Standards").click()
    expect(page.locator("table")).to_contain_text("KW1: Named key worker")
    expect(page.get_by_role("img", name="Per cent met per standard")).to_be_visible()
    assert_accessible(page)


def test_the_key_worker_reads_a_persons_timeline_and_standards(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/patients/{world.patient.pk}/timeline/")
    expect(page.locator("body")).to_contain_text("Secondary breast cancer diagnosed")
    assert_accessible(page)
    page.goto(f"{live_server.url}/patients/{world.patient.pk}/standards/")
    expect(page.locator("table")).to_contain_text("HNA1")
    assert_accessible(page)
