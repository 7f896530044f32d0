"""The person completes a needs assessment in two sittings, in Chromium, with axe-core checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World
from waypoint.assessments.models import NeedsAssessment

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_needs_assessment_in_two_sittings(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page(viewport=PHONE)
    login(page, live_server, "patient")
    page.get_by_role("link", name="Your needs assessment is ready").click()
    expect(page.get_by_role("heading", name="How much distress have you felt")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("6", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Physical concerns")).to_be_visible()
    page.get_by_label("Tiredness, exhaustion or fatigue").select_option("8")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator("body")).to_contain_text("Your answers are saved")

    # The next day, in a new browser session.
    page = new_page(viewport=PHONE)
    login(page, live_server, "patient")
    page.get_by_role("link", name="Carry on with your needs assessment").click()
    expect(page.get_by_role("heading", name="Emotional concerns")).to_be_visible()
    page.goto(f"{live_server.url}/portal/assessment/check/")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("6 out of 10")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text(
        "Tiredness, exhaustion or fatigue: 8"
    )
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Finish and send to my team").click()
    expect(page.locator("body")).to_contain_text("Your answers are with your care team")
    assessment = NeedsAssessment.objects.get()
    assert (assessment.status, assessment.distress) == ("completed", 6)


def test_the_key_worker_sees_the_distress_prompt(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    from waypoint.assessments import services

    opened = services.hna_open(actor=world.patient_user, patient_id=world.patient.pk)
    services.hna_save(
        actor=world.patient_user,
        assessment_id=opened.pk,
        answers={"distress": 7, "practical.money": 9},
        finish=True,
    )
    page = new_page()
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/patients/{world.patient.pk}/assessments/")
    expect(page.locator("body")).to_contain_text("consider a psychosocial referral")
    assert_accessible(page)
