"""In Chromium: the caseload warns that escalations and messages are not going out while no worker
runs, the warning passes axe-core, and it is gone once a worker has finished a pass."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible, login
from tests.world import World
from waypoint.triage.health import worker_heartbeat_record

pytestmark = pytest.mark.browser

HEADING = "Urgent alerts and messages are not going out"


def test_the_caseload_warns_while_no_worker_runs_and_not_once_one_does(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/caseload/")
    warning = page.locator("#background-work-warning")
    expect(warning).to_contain_text(HEADING)
    expect(warning).to_contain_text("Waypoint's background worker has not been seen running.")
    expect(warning).to_contain_text("Tell IT (your service desk) now")
    assert_accessible(page)

    now = timezone.now()
    worker_heartbeat_record(
        worker_id="app-1:4242",
        host="app-1",
        pid=4242,
        started_at=now,
        at=now,
        passes=1,
        job_failures=0,
    )
    page.reload()
    expect(page.locator("#caseload-table")).to_be_visible()
    expect(page.locator("#background-work-warning")).to_have_count(0)
