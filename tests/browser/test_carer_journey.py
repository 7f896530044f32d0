"""A carer's journey, end to end in a browser: the person gives their daughter access with the
symptom check; she accepts from the emailed link, sees the key worker and numbers, reports for
her mother and is told what to do; the mother sees her visits, then stops her access."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.portal.carer_world import CARER_PASSWORD
from tests.world import World
from waypoint.notifications.models import OutboundMessage
from waypoint.triage.models import Source, SymptomReport

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
RED = "rgb(213, 40, 27)"  # NHS red #d5281b


def _card_heading_background(page: Page, variant: str) -> str:
    card = page.locator(f".nhsuk-card--care--{variant}").first
    card.wait_for()
    colour: str = card.evaluate(
        "card => getComputedStyle(card.querySelector('.nhsuk-card__heading-container'))"
        ".backgroundColor"
    )
    return colour


def _give_access(person: Page, live_server: LiveServer) -> None:
    login(person, live_server, "patient")
    person.get_by_role("link", name=re.compile("People who can help you")).click()
    expect(person.locator("h1")).to_have_text("People who can help you")
    assert_accessible(person)
    person.get_by_label("Their full name").fill("Sam Patel")
    person.get_by_label("Who they are to you").fill("daughter")
    person.get_by_label("Their email address").fill("sam@example.org")
    person.get_by_label("Report symptoms for you").check()
    person.get_by_role("button", name="Send them an invitation").click()
    expect(person.locator(".wp-carer")).to_contain_text("Sam Patel, your daughter")
    expect(person.locator(".wp-carer")).to_contain_text("Invited: they have not accepted yet")


def _accept(daughter: Page, live_server: LiveServer) -> None:
    body = OutboundMessage.objects.get(topic="registry.proxy_invitation").body
    found = re.search(r"https?://\S+/portal/carer/join/\S+/", body)
    assert found, body
    daughter.goto(live_server.url + urlsplit(found.group(0)).path)
    daughter.get_by_label("Ada's date of birth").fill("1960-05-17")
    daughter.get_by_role("button", name="Continue").click()
    daughter.get_by_label("Choose a username").fill("sam")
    daughter.get_by_label("Create a password").fill(CARER_PASSWORD)
    daughter.get_by_label("Type the password again").fill(CARER_PASSWORD)
    daughter.get_by_role("button", name="Make my account").click()


def _report_leg_weakness(daughter: Page) -> None:
    daughter.get_by_role("link", name="Report new or worse symptoms for Ada").click()
    expect(daughter.locator("#helping")).to_contain_text("Answer for Ada")
    assert_accessible(daughter)
    daughter.locator("input[value='none']").check()
    daughter.get_by_role("button", name="Continue").click()
    daughter.locator("input[value='limb_weakness']").check()
    daughter.get_by_role("button", name="Continue").click()  # to "anything else"
    daughter.get_by_role("button", name="Continue").click()  # to the check page
    assert_accessible(daughter)
    daughter.get_by_role("button", name="Send to Ada's care team").click()


def test_a_daughter_helps_her_mother_until_her_mother_stops_it(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    person = new_page()
    _give_access(person, live_server)

    daughter = new_page(viewport=PHONE)
    _accept(daughter, live_server)
    expect(daughter.locator("h1")).to_have_text("Helping Ada")
    expect(daughter.locator("#helping")).to_contain_text("You are helping Ada Lovelace")
    panel = daughter.locator("#contact-panel")
    expect(panel).to_contain_text("Ada's key worker (their named specialist nurse) is Kate Walker")
    expect(panel).to_contain_text("020 7946 0101")
    expect(panel).to_contain_text("Out of hours, day or night: 020 7946 0999")
    assert_accessible(daughter)

    _report_leg_weakness(daughter)
    expect(daughter.locator("body")).to_contain_text(
        "This is the advice for Ada. If Ada is in danger now, call 999."
    )
    assert _card_heading_background(daughter, "urgent") == RED
    assert_accessible(daughter)
    report = SymptomReport.objects.get(patient=world.patient)
    assert (report.source, report.reported_by_relationship) == (Source.CARER, "daughter")

    person.goto(f"{live_server.url}/portal/access/")
    carer_rows = person.locator("#access-table tbody tr", has_text="Sam Patel, your daughter")
    expect(carer_rows.first).to_be_visible()
    expect(person.locator("#access-table")).to_contain_text("Looked at the symptom check, for you")

    person.goto(f"{live_server.url}/portal/carers/")
    expect(person.locator(".wp-carer")).to_contain_text("Active: they have accepted")
    person.get_by_role("link", name=re.compile("Stop their access")).click()
    expect(person.locator("h1")).to_have_text("Stop Sam Patel's access?")
    assert_accessible(person)
    person.get_by_role("button", name="Stop Sam Patel's access").click()
    expect(person.locator(".wp-carer")).to_contain_text("Access ended")

    daughter.get_by_role("link", name="Back to helping Ada").click()
    expect(daughter.locator("h1")).to_have_text("You cannot see this")
    expect(daughter.locator("body")).to_contain_text(
        "You can no longer see this person's information"
    )
    assert_accessible(daughter)


def test_a_carer_is_refused_kindly_what_was_not_shared(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    from tests.portal.carer_world import accepted_carer

    proxy = accepted_carer(
        granted_by=world.patient_user, patient=world.patient, resource_pack=False
    )
    carer = new_page()
    login(carer, live_server, "sam", CARER_PASSWORD)
    expect(carer.locator("h1")).to_have_text("Helping Ada")
    expect(carer.get_by_role("link", name="The secondary resource pack")).to_have_count(0)

    carer.goto(f"{live_server.url}/portal/carer/{proxy.pk}/resource-pack/")

    expect(carer.locator("h1")).to_have_text("Not shared with you")
    expect(carer.locator("body")).to_contain_text("Ada has not shared this with you.")
    assert_accessible(carer)
    carer.goto(f"{live_server.url}/portal/carer/{proxy.pk}/appointments/")
    expect(carer.locator("h1")).to_have_text("Ada's meetings and support")
    assert_accessible(carer)
