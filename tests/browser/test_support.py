"""In Chromium with axe-core: the nurse agrees a plan and downloads its PDF, and a person books
a full meeting and is promoted from the waiting list."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World
from waypoint.assessments import services as assessment_services
from waypoint.support.models import Booking, PeerSession

pytestmark = pytest.mark.browser


def test_the_nurse_agrees_a_plan_and_downloads_it_as_a_pdf(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    opened = assessment_services.hna_open(actor=world.patient_user, patient_id=world.patient.pk)
    assessment_services.hna_save(
        actor=world.patient_user,
        assessment_id=opened.pk,
        answers={"distress": 5, "practical.money": 9},
        finish=True,
    )
    page = new_page()
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/patients/{world.patient.pk}/care-plan/")
    page.get_by_role("link", name="Agree a plan").click()
    assert_accessible(page)
    first = page.locator("fieldset").first
    expect(first.get_by_label("Concern")).to_have_value("practical.money")  # from the assessment
    first.get_by_label("Action").fill("Referral to Macmillan benefits advice")
    first.get_by_label("Owner").fill("Kate, key worker")
    first.get_by_label("Due on").fill("2026-12-05")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the plan").click()
    expect(page.locator("body")).to_contain_text("Revision 1 of the plan is saved")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download revision 1 as a PDF").click()
    pdf = download_info.value
    with open(pdf.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Care and support plan" in text
    assert "Referral to Macmillan benefits advice" in text
    assert "Money or finance" in text
    assert "5 December 2026" in text


def test_a_person_joins_the_waiting_list_and_is_promoted_when_a_place_frees(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    start = (timezone.now() + dt.timedelta(days=5)).replace(microsecond=0)
    session = PeerSession.objects.create(
        title="Living with Secondary Breast Cancer, Leeds",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        mode="in_person",
        location="Maggie's Leeds",
        capacity=1,
    )
    other = new_page()
    login(other, live_server, "otherpatient")
    other.goto(f"{live_server.url}/portal/sessions/")
    with other.expect_navigation():
        other.get_by_role("button", name="Book a place").click()
    expect(other.locator("body")).to_contain_text("Your place is booked")

    page = new_page(viewport={"width": 390, "height": 844})
    login(page, live_server, "patient")
    page.goto(f"{live_server.url}/portal/sessions/")
    expect(page.locator("body")).to_contain_text("Full: you can join the waiting list")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Join the waiting list").click()
    expect(page.locator("body")).to_contain_text("you are on the waiting list")

    with other.expect_navigation():
        other.get_by_role("button", name="Cancel my place").click()
    page.reload()
    expect(page.locator("body")).to_contain_text("You have a place.")
    expect(page.get_by_role("link", name="Add to your calendar")).to_be_visible()
    assert_accessible(page)
    mine = Booking.objects.get(patient=world.patient, session=session)
    assert mine.status == "booked" and mine.promoted_at is not None
