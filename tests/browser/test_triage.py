"""The way back in, in Chromium: the portal symptom check on a phone, and the helpline form with
its live grade. Every page is checked with axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World
from waypoint.triage.models import HelplineCall, SymptomReport

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def continue_(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def test_a_person_reports_fever_and_back_pain_on_a_phone_and_is_told_to_call_now(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page(viewport=PHONE)
    login(page, live_server, "patient")
    page.get_by_role("link", name="Report new or worse symptoms").click()

    expect(page.get_by_role("heading", name="Do you have any of these now?")).to_be_visible()
    assert_accessible(page)
    continue_(page)  # nothing ticked: an error, and nothing lost
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("None of these")
    assert_accessible(page)
    page.get_by_label("None of these").check()
    continue_(page)

    expect(page.get_by_role("heading", name="What is bothering you?")).to_be_visible()
    page.get_by_label("Your temperature").check()
    page.get_by_label("New or worse pain in your back or neck").check()
    page.get_by_label("Breathlessness").check()
    assert_accessible(page)
    continue_(page)

    page.get_by_label("Your temperature").fill("38.2")
    assert_accessible(page)
    continue_(page)

    expect(page.get_by_role("heading", name="Breathlessness: which fits best?")).to_be_visible()
    option = page.get_by_label("Breathless doing small things, like washing or dressing")
    box = page.locator(".nhsuk-radios__item").first.bounding_box()
    assert box is not None and box["height"] >= 44, "answers must be easy to tap"
    option.check()
    assert_accessible(page)
    continue_(page)

    expect(
        page.get_by_role("heading", name="Have you had cancer treatment recently?")
    ).to_be_visible()
    page.get_by_label(
        "Yes: chemotherapy, targeted therapy or HER2 therapy in the last 6 weeks"
    ).check()
    continue_(page)

    page.get_by_label("Is there anything else you want to tell us?").fill("Shivery since lunch")
    continue_(page)

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Temperature: 38.2 °C")
    assert_accessible(page)
    # Going back keeps the answers.
    page.get_by_role("link", name="Change symptoms").click()
    expect(page.get_by_label("Your temperature")).to_be_checked()
    page.goto(f"{live_server.url}/portal/symptoms/check/")
    with page.expect_navigation():
        page.get_by_role("button", name="Send to my care team").click()

    card = page.locator(".nhsuk-card--care--urgent").first
    expect(card).to_contain_text("Call your team now")
    expect(card).to_contain_text("020 7946 0999")
    expect(card.get_by_role("link", name="020 7946 0999")).to_have_attribute(
        "href", "tel:02079460999"
    )
    expect(page.locator("body")).to_contain_text("does not replace it")
    assert_accessible(page)
    report = SymptomReport.objects.get()
    assert (report.level, report.source, report.on_sact) == ("red", "patient", True)
    assert "neutropenic_sepsis" in report.pathways and "mscc" in report.pathways


def test_an_emergency_shows_call_999_at_once(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page(viewport=PHONE)
    login(page, live_server, "patient")
    page.goto(f"{live_server.url}/portal/symptoms/?new=1")
    page.get_by_label("Chest pain").check()
    continue_(page)
    card = page.locator(".nhsuk-card--care--emergency").first
    expect(card).to_contain_text("Call 999 now")
    expect(card.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    assert_accessible(page)


def test_the_helpline_nurse_finds_the_caller_sees_the_grade_live_and_logs_the_call(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "helpline")
    page.goto(f"{live_server.url}/helpline/call/")
    assert_accessible(page)
    page.get_by_label("Find the person by NHS number, name or date of birth").fill("Lovelace")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Select Ada Lovelace").click()
    expect(page.locator(".nhsuk-card").first).to_contain_text("Ada Lovelace")

    page.get_by_label("Caller's name").fill("John Lovelace")
    page.get_by_label("Caller is").select_option("partner")
    page.get_by_label("Number to call back on").fill("07700 900456")
    page.get_by_label("Date of last systemic anti-cancer therapy").fill(
        timezone.localdate().isoformat()
    )
    page.get_by_label("Kind of therapy").select_option("chemotherapy")
    page.get_by_label("Temperature", exact=True).fill("38.4")
    page.get_by_label("Temperature", exact=True).press("Tab")

    panel = page.locator("#grade-panel")
    expect(panel).to_contain_text("Red")  # graded live, without a page load
    expect(panel).to_contain_text("Suspected neutropenic sepsis")
    expect(panel).to_contain_text("antibiotics within 1 hour of arrival")
    expect(panel).to_contain_text("waypoint-triage-1")
    assert not SymptomReport.objects.exists()
    assert_accessible(page)

    page.get_by_label("Advice given").fill("Attend the assessment unit now.")
    page.get_by_label("Attend the assessment unit").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Log the call").click()
    expect(page.locator("h1")).to_contain_text("Ada Lovelace")
    expect(page.locator("body")).to_contain_text("John Lovelace")
    assert_accessible(page)
    call = HelplineCall.objects.get()
    assert call.report.level == "red"
    assert call.disposition == "assessment_unit"


def test_the_helpline_form_grades_without_javascript(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page(java_script_enabled=False)
    login(page, live_server, "helpline")
    page.goto(f"{live_server.url}/helpline/call/?patient={world.patient.pk}")
    page.get_by_label("Chest pain").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Grade now").click()
    expect(page.locator("#grade-panel")).to_contain_text("Emergency")
    expect(page.get_by_label("Chest pain")).to_be_checked()  # what was entered is kept
    assert not SymptomReport.objects.exists()


def test_the_triage_queue_and_a_report_are_accessible(
    page: Page, live_server: LiveServer, world: World
) -> None:
    from waypoint.triage.services import ReportInput, symptom_report_submit

    symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(symptoms=[{"code": "limb_weakness", "present": True}]),
    )
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/triage/")
    expect(page.locator("table")).to_contain_text("Ada Lovelace")
    expect(page.locator("table")).to_contain_text("due in")
    assert_accessible(page)
    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page.locator("body")).to_contain_text("Suspected metastatic spinal cord compression")
    assert_accessible(page)
    page.get_by_label("Action taken").first.fill("Called back; MRI booked today")
    with page.expect_navigation():
        page.get_by_role("button", name="Acknowledge: I am dealing with this").click()
    expect(page.locator("body")).to_contain_text("The clock has stopped")
