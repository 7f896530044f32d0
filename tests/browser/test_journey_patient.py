"""The person living with secondary breast cancer, on a phone, walks their whole portal: reports a
fever on chemotherapy one question per page and is told what to do at once, then reads their
timeline and care plan, finds support, books a meeting, gets the resource pack, sees who looked at
their record and answers the experience survey."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, login
from tests.browser.journeys import Journey
from tests.world import World
from waypoint.accounts.models import User
from waypoint.assessments.care_plans import ActionInput, care_plan_revise
from waypoint.careteam.models import OnCallShift
from waypoint.experience import services as experience_services
from waypoint.notifications.models import OutboundMessage
from waypoint.registry.services import patient_open
from waypoint.support.models import PeerSession, SupportService
from waypoint.triage.models import SymptomReport

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# A Wednesday morning, in hours. The world's people have T0 = 1 October 2026, so their first
# experience survey falls due on 30 December.
NOW = dt.datetime(2026, 12, 30, 10, tzinfo=dt.UTC)
# Internal identifiers (pathway, status or rule codes) that a person should never read.
INTERNAL_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
NHS_RED = "rgb(213, 40, 27)"


@pytest.fixture(autouse=True)
def _on_a_wednesday_morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def continue_(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def expect_contact_panel(page: Page) -> None:
    """Every portal page says who to contact, in and out of hours, and the helpline."""
    panel = page.locator("#contact-panel")
    expect(panel).to_contain_text("Kate Walker")
    expect(panel).to_contain_text("Out of hours, day or night: 020 7946 0999")
    expect(panel).to_contain_text("Secondary breast cancer helpline")


def expect_no_internal_codes(page: Page) -> None:
    text = page.locator("main").inner_text()
    assert not INTERNAL_CODE.findall(text), f"{page.url} shows {INTERNAL_CODE.findall(text)}"


def background_of_card(page: Page, heading: str) -> str:
    """The colour a person sees behind a care card's heading (the first painted ancestor)."""
    return str(
        page.get_by_role("heading", name=heading).evaluate(
            """h => { for (let e = h; e; e = e.parentElement) {
                 const c = getComputedStyle(e).backgroundColor;
                 if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; }
               return 'none'; }"""
        )
    )


def _the_care_the_person_already_has(world: World) -> None:
    SupportService.objects.create(
        name="Macmillan benefits advice",
        kind="benefits",
        provider="Macmillan Cancer Support",
        area_served="National",
        mode="phone",
        phone="0808 808 0000",
    )
    start = (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0)
    PeerSession.objects.create(
        title="Living with Secondary Breast Cancer, Leeds",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        mode="in_person",
        location="Maggie's Leeds",
        capacity=8,
    )
    care_plan_revise(
        actor=world.key_worker,
        patient_id=world.patient.pk,
        actions=[
            ActionInput(
                concern="practical.money",
                action="Referral to Macmillan benefits advice",
                owner="Kate, key worker",
                due_on=dt.date(2027, 1, 8),
            )
        ],
    )
    assert experience_services.experience_invitations_scan(now=timezone.now()) == 2


def test_the_person_walks_their_portal_on_a_phone(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    _the_care_the_person_already_has(world)
    page = new_page(viewport=PHONE)
    journey = Journey(page, live_server.url, "patient")

    login(page, live_server, "patient")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Ada")
    expect(page.locator("#contact-panel")).to_contain_text(
        "Your key worker (your named specialist nurse) is Kate Walker"
    )
    expect_contact_panel(page)
    journey.step("home")

    # Symptoms, one question per page, with a back link and a progress hint.
    with page.expect_navigation():
        page.get_by_role("link", name="Report new or worse symptoms").click()
    expect(page.get_by_role("heading", name="Do you have any of these now?")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Question 1 of about \d+"))).to_be_visible()
    expect(page.get_by_role("link", name="Back")).to_be_visible()
    expect_contact_panel(page)
    journey.step("symptoms-emergency-question")
    page.get_by_label("None of these").check()
    continue_(page)

    expect(page.get_by_role("heading", name="What is bothering you?")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Question 2 of about \d+"))).to_be_visible()
    page.get_by_label("Your temperature").check()
    journey.step("symptoms-what-is-bothering-you")
    continue_(page)

    expect(page.get_by_label("Your temperature")).to_be_visible()
    page.get_by_label("Your temperature").fill("38.3")
    journey.step("symptoms-temperature")
    continue_(page)

    expect(
        page.get_by_role("heading", name="Have you had cancer treatment recently?")
    ).to_be_visible()
    page.get_by_label(
        "Yes: chemotherapy, targeted therapy or HER2 therapy in the last 6 weeks"
    ).check()
    journey.step("symptoms-treatment")
    continue_(page)

    page.get_by_label("Is there anything else you want to tell us?").fill("Shivery since lunch")
    journey.step("symptoms-anything-else")
    continue_(page)

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Temperature: 38.3 °C")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Shivery since lunch")
    journey.step("symptoms-check-your-answers")
    with page.expect_navigation():
        page.get_by_role("button", name="Send to my care team").click()

    # The result: an urgent (red) care card with the number to call now, day or night.
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Call your team now")
    assert background_of_card(page, "Call your team now") == NHS_RED, "the card must look urgent"
    expect(page.get_by_role("link", name="020 7946 0999").first).to_have_attribute(
        "href", "tel:02079460999"
    )
    expect(page.locator("main")).to_contain_text("does not replace it")
    expect(page.locator("main")).to_contain_text("Shivery since lunch")
    expect_contact_panel(page)
    expect_no_internal_codes(page)
    journey.step("symptoms-result")
    report = SymptomReport.objects.get()
    assert (report.level, report.on_sact) == ("red", True)

    # Back home, the report is listed; then the timeline.
    with page.expect_navigation():
        page.get_by_role("link", name="Back to your page").click()
    expect(page.locator("main")).to_contain_text("waiting for a clinician")
    with page.expect_navigation():
        page.get_by_role("link", name="Your care so far").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your care so far")
    timeline = page.locator("main ol")
    expect(timeline).to_contain_text("Kate Walker became your key worker")
    expect(timeline).to_contain_text("1 October 2026 – Secondary breast cancer diagnosed")
    expect(timeline).to_contain_text("30 December 2026")  # the report just sent
    expect_contact_panel(page)
    expect_no_internal_codes(page)
    journey.step("timeline")

    page.go_back()
    with page.expect_navigation():
        page.get_by_role("link", name="Your care and support plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your care and support plan")
    plan = page.locator("main")
    expect(plan).to_contain_text("Referral to Macmillan benefits advice")
    expect(plan).to_contain_text("Money or finance")
    expect(plan).to_contain_text("8 January 2027")
    expect_contact_panel(page)
    expect_no_internal_codes(page)
    journey.step("care-plan")

    page.go_back()
    with page.expect_navigation():
        page.get_by_role("link", name="Find support: groups, advice, the helpline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support for you")
    page.get_by_label("Type of support").select_option(label="Benefits and money advice")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("Macmillan benefits advice")
    expect(page.locator("main")).to_contain_text("0808 808 0000")
    expect_contact_panel(page)
    journey.step("support")

    page.goto(f"{live_server.url}/portal/")
    with page.expect_navigation():
        page.get_by_role("link", name="Living with Secondary Breast Cancer meetings").click()
    expect(page.locator("main")).to_contain_text("Living with Secondary Breast Cancer, Leeds")
    expect(page.locator("main")).to_contain_text("6 January 2027")
    journey.step("meetings")
    with page.expect_navigation():
        page.get_by_role("button", name="Book a place").click()
    expect(page.locator("main")).to_contain_text("Your place is booked")
    expect(page.get_by_role("link", name="Add to your calendar")).to_be_visible()
    journey.step("meeting-booked")

    page.goto(f"{live_server.url}/portal/")
    with page.expect_navigation():
        page.get_by_role("link", name="The secondary resource pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The secondary resource pack")
    pdf_link = page.get_by_role("link", name="download it as a PDF")
    href = pdf_link.get_attribute("href")
    assert href is not None
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    journey.step("resource-pack")

    # Meanwhile her key worker opens her record to read the report.
    patient_open(actor=world.key_worker, patient_id=world.patient.pk)
    page.goto(f"{live_server.url}/portal/")
    with page.expect_navigation():
        page.get_by_role("link", name="See who has looked at your record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has looked at your record")
    row = page.locator("#access-table tbody tr", has_text="Kate Walker")
    expect(row.first).to_contain_text("Viewed the record")
    expect_contact_panel(page)
    expect_no_internal_codes(page)
    journey.step("who-looked-at-my-record")

    page.goto(f"{live_server.url}/portal/")
    with page.expect_navigation():
        page.get_by_role("link", name="You have a short survey about your care").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A short survey about your care")
    page.get_by_role("group", name="Can you name your key worker?").get_by_label("Yes").check()
    journey.step("survey")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    journey.step("survey-thanks")

    journey.finish()


def test_at_two_in_the_morning_back_pain_with_weak_legs_alerts_the_on_call_nurse(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    """Brief journey 2: red, pathway MSCC, advice at once, and the on-call clinician alerted."""
    night = dt.datetime(2026, 12, 31, 2, tzinfo=dt.UTC)  # Thursday, 2am in London
    OnCallShift.objects.create(
        team=world.team_a,
        clinician=world.colleague,
        created_by=world.admin,
        starts_at=night - dt.timedelta(hours=9),
        ends_at=night + dt.timedelta(hours=7),
    )
    User.objects.filter(pk=world.colleague.pk).update(email="colin.lee@example.org")
    with time_machine.travel(night, tick=True):
        page = new_page(viewport=PHONE)
        journey = Journey(page, live_server.url, "patient_night")
        login(page, live_server, "patient")
        with page.expect_navigation():
            page.get_by_role("link", name="Report new or worse symptoms").click()
        page.get_by_label("None of these").check()
        continue_(page)
        page.get_by_label("New or worse pain in your back or neck").check()
        page.get_by_label("Weakness in your arms or legs that is new").check()
        journey.step("what-is-bothering-you")
        continue_(page)
        # Nothing more to add on the page that asks for anything else.
        expect(page.get_by_label("Is there anything else you want to tell us?")).to_be_visible()
        continue_(page)
        expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
        journey.step("check-your-answers")
        with page.expect_navigation():
            page.get_by_role("button", name="Send to my care team").click()

        expect(page.get_by_role("heading", level=1)).to_contain_text("Call your team now")
        assert background_of_card(page, "Call your team now") == NHS_RED
        expect(page.locator("main")).to_contain_text("spinal cord")
        expect(page.locator("main")).to_contain_text("020 7946 0999")  # out of hours
        expect_no_internal_codes(page)
        journey.step("result")
        report = SymptomReport.objects.get()
        assert report.level == "red" and "mscc" in report.pathways
        # Out of hours the on-call clinician is alerted at once, not the key worker asleep.
        alerted = OutboundMessage.objects.filter(recipient=world.colleague)
        assert alerted.filter(to="colin.lee@example.org").exists()
        journey.finish()
