"""The service manager's review (brief journey 6): the overview of caseloads, the standards
dashboard and its CSV, the population reports and their CSV, and moving a whole caseload when a
key worker leaves. Counts only: the manager never sees a person's record."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, login
from tests.browser.journeys import A_WEDNESDAY_MORNING, Journey, menu_link
from tests.world import World
from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.standards.services import standards_snapshot

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _on_a_wednesday_morning() -> Iterator[None]:
    with time_machine.travel(A_WEDNESDAY_MORNING, tick=True):
        yield


def download_csv(page: Page, link_name: str) -> list[list[str]]:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name).first.click()
    path = download_info.value.path()
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.reader(io.StringIO(handle.read())))


def caseload_of(page: Page, name: str) -> str:
    """The caseload shown beside a key worker's name in the overview's table."""
    row = page.locator("table tbody tr", has_text=name).first
    cells = [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
    return cells[cells.index(name) + 1]


def test_the_manager_reviews_the_service_and_moves_a_caseload(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    standards_snapshot(as_of=timezone.localdate())
    page = new_page()
    journey = Journey(page, live_server.url, "manager")

    login(page, live_server, "manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.locator("main")).to_contain_text("people living with secondary breast cancer")
    assert caseload_of(page, "Kate Walker") == "1"
    journey.step("overview")

    with page.expect_navigation():
        menu_link(page, "Standards").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Care standards")
    table = page.locator("table").first
    expect(table).to_contain_text("Named key worker")
    expect(page.get_by_role("img", name="Per cent met per standard")).to_be_visible()
    journey.step("standards")
    rows = download_csv(page, "Download as CSV")
    assert any("KW1" in cell for row in rows for cell in row), rows[:3]

    with page.expect_navigation():
        menu_link(page, "Reports").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Population reports")
    expect(
        page.get_by_role("heading", name="People living with secondary breast cancer now")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("fewer than 5")  # small numbers suppressed
    journey.step("reports")
    rows = download_csv(page, "Download as CSV")
    assert len(rows) > 1 and "Ada" not in str(rows)  # counts, never names

    # Kate Walker leaves: her caseload moves to Colin Lee.
    with page.expect_navigation():
        menu_link(page, "Overview").click()
    page.get_by_label("Key worker who is leaving").select_option(label="Kate Walker")
    page.get_by_label("Move their patients to").select_option(label="Colin Lee")
    page.get_by_label("Reason").fill("Kate Walker leaves the trust")
    journey.step("move-caseload-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Move caseload").click()
    expect(page.locator("main")).to_contain_text("moved to a new key worker")
    assert caseload_of(page, "Colin Lee") == "2"
    assert caseload_of(page, "Kate Walker") == "0"
    current = KeyWorkerAssignment.objects.get(patient=world.patient, ended_at=None)
    assert current.key_worker == world.colleague
    journey.step("caseload-moved")

    journey.finish()
