"""The helpline nurse takes a call from the partner of someone with a fever on chemotherapy
(brief journey 3): finds the person, records the symptoms, reads the grade shown live, gives the
advice and logs the call with a follow-up; the report waits on the person's team's triage queue,
and the key worker finds the call in the person's timeline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, login
from tests.browser.journeys import A_WEDNESDAY_MORNING, Journey, menu_link
from tests.world import World
from waypoint.triage.models import HelplineCall, SymptomReport

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _on_a_wednesday_morning() -> Iterator[None]:
    with time_machine.travel(A_WEDNESDAY_MORNING, tick=True):
        yield


def test_the_helpline_nurse_grades_and_logs_a_call(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page()
    journey = Journey(page, live_server.url, "helpline")

    login(page, live_server, "helpline")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person")
    journey.step("find-a-person")

    # Find the caller's person.
    with page.expect_navigation():
        menu_link(page, "Log a call").click()
    journey.step("log-a-call")
    page.get_by_label("Find the person by NHS number, name or date of birth").fill("Lovelace")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Select Ada Lovelace")).to_be_visible()
    journey.step("search-results")
    with page.expect_navigation():
        page.get_by_role("link", name="Select Ada Lovelace").click()
    expect(page.locator(".nhsuk-card").first).to_contain_text("Ada Lovelace")

    # The call, as it unfolds: the grade appears as the symptoms are typed.
    page.get_by_label("Caller's name").fill("John Lovelace")
    page.get_by_label("Caller is").select_option("partner")
    page.get_by_label("Number to call back on").fill("07700 900456")
    page.get_by_label("Date of last systemic anti-cancer therapy").fill("2026-11-25")
    page.get_by_label("Kind of therapy").select_option("chemotherapy")
    page.get_by_label("Temperature", exact=True).fill("38.4")
    page.get_by_label("Temperature", exact=True).press("Tab")
    panel = page.locator("#grade-panel")
    expect(panel).to_contain_text("Red")
    expect(panel).to_contain_text("Suspected neutropenic sepsis")
    expect(panel).to_contain_text("antibiotics within 1 hour of arrival")
    expect(panel).to_contain_text("waypoint-triage-1")
    assert not SymptomReport.objects.exists()  # graded, not yet logged
    journey.step("graded-live")

    page.get_by_label("Advice given").fill("Attend the assessment unit now; bring your drugs.")
    page.get_by_label("Attend the assessment unit").check()
    page.get_by_label("Follow-up due").fill("2026-12-02T16:00")  # call back: did she arrive?
    with page.expect_navigation():
        page.get_by_role("button", name="Log the call").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")
    expect(page.locator("main")).to_contain_text("John Lovelace")
    call = HelplineCall.objects.get()
    assert (call.report.level, call.disposition) == ("red", "assessment_unit")
    journey.step("call-logged")

    # Her own queue, from the menu.
    with page.expect_navigation():
        menu_link(page, "Triage").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Triage queue")
    journey.step("triage-queue")
    journey.finish()

    # Handed on: the report is on the person's team's queue until the follow-up call is made,
    # and the next morning her key worker finds the call in her timeline.
    nurse = new_page()
    handover = Journey(nurse, live_server.url, "helpline-handover")
    login(nurse, live_server, "kw")
    with nurse.expect_navigation():
        menu_link(nurse, "Triage").click()
    row = nurse.locator("table tbody tr", has_text="Ada Lovelace").first
    expect(row).to_contain_text("Red")
    expect(row).to_contain_text("Helpline")
    expect(row).to_contain_text("follow-up due in")
    handover.step("key-worker-triage-queue")
    nurse.goto(f"{live_server.url}/patients/{world.patient.pk}/timeline/")
    entry = nurse.locator(".wp-timeline li", has_text="Helpline call")
    expect(entry).to_contain_text("2 December 2026")
    expect(entry).to_contain_text("Red")
    handover.step("key-worker-timeline")
    handover.finish()
