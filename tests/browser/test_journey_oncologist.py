"""The oncologist at clinic (brief journey 4): finds the person on the team's caseload, reads
their record, records a metastatic receptor result and a new line of treatment, then
progression and the MDT discussion on the timeline; a new needs assessment becomes due."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, login
from tests.browser.journeys import A_WEDNESDAY_MORNING, Journey
from tests.world import World

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _on_a_wednesday_morning() -> Iterator[None]:
    with time_machine.travel(A_WEDNESDAY_MORNING, tick=True):
        yield


def click(page: Page, name: str, *, role: str = "link") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()  # type: ignore[arg-type]


def record_on_timeline(page: Page, what: str, on: str, note: str) -> None:
    page.get_by_text("Record progression, a response assessment").click()
    page.get_by_label("What").select_option(label=what)
    page.get_by_label("Date", exact=True).fill(on)
    page.get_by_label("Note or outcome").fill(note)
    click(page, "Record", role="button")


def test_the_oncologist_records_progression_and_the_mdt(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page()
    journey = Journey(page, live_server.url, "oncologist")

    login(page, live_server, "onc")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    page.get_by_label("Show").select_option(label="My teams")
    click(page, "Apply", role="button")
    expect(page.locator("#caseload-table")).to_contain_text("LOVELACE, Ada")
    expect(page.locator("#caseload-table")).not_to_contain_text("BEE, Cleo")  # team B
    journey.step("team-caseload")

    click(page, "LOVELACE, Ada")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    expect(page.locator("main")).to_contain_text("Receptor status now: Not known.")
    journey.step("record")

    # The biopsy of the liver lesion: ER positive on the metastasis.
    click(page, "Record a receptor result")
    page.get_by_label("Marker").select_option("er")
    page.get_by_label("Result", exact=True).select_option("positive")
    page.get_by_label("Date of the result").fill("2026-11-20")
    page.get_by_label("Tissue tested").select_option("metastatic")
    journey.step("receptor-result-form")
    click(page, "Save", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    expect(page.locator("main")).to_contain_text("20 November 2026")
    journey.step("receptor-result-saved")

    # A new line of treatment.
    click(page, "Start a line of treatment")
    page.get_by_label("Kind of treatment").select_option(label="Chemotherapy")
    page.get_by_label("Drugs").fill("Capecitabine")
    page.get_by_label("Started on").fill("2026-12-01")
    journey.step("treatment-form")
    click(page, "Save", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    expect(page.locator("main")).to_contain_text("Capecitabine")
    expect(page.locator("main")).to_contain_text("1 December 2026")
    journey.step("treatment-started")

    # Progression and the MDT discussion, on the timeline.
    click(page, "Timeline")
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeline")
    record_on_timeline(page, "Progression", "2026-11-18", "New liver metastases on CT")
    timeline = page.locator(".wp-timeline")
    expect(timeline).to_contain_text("18 November 2026")
    expect(timeline).to_contain_text("New liver metastases on CT")
    journey.step("progression")
    record_on_timeline(page, "MDT discussion", "2026-11-27", "Second-line capecitabine agreed")
    expect(timeline).to_contain_text("27 November 2026")
    expect(timeline).to_contain_text("Second-line capecitabine agreed")
    journey.step("mdt-discussion")

    # Progression makes a new needs assessment due.
    click(page, "Back to Ada Lovelace")
    expect(page.locator("main")).to_contain_text("progression")
    journey.step("record-after-progression")

    journey.finish()
