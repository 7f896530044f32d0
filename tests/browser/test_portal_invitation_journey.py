"""A person is invited to the portal from their record and makes their account, as they would:
the link from their email, or the code on a printed letter, then their date of birth."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World, make_patient
from waypoint.notifications.models import OutboundMessage
from waypoint.registry.models import Patient
from waypoint.registry.services import patient_update

pytestmark = pytest.mark.browser

BORN = dt.date(1958, 3, 9)
GOOD_PASSWORD = "lantern-orchard-pebble-42"


def _patient(world: World, **changes: object) -> Patient:
    patient = make_patient(team=world.team_a, given="Iris", family="Nokes", birth_date=BORN)
    patient_update(actor=None, patient=patient, changes=dict(changes))
    return patient


def _invite_from_the_record(page: Page, live_server: LiveServer, patient: Patient) -> None:
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    expect(page.locator("#portal-account")).to_be_visible()
    page.get_by_role("button", name="Invite to Waypoint").click()
    expect(page.locator("#portal-invitation-status")).to_contain_text("Invitation pending")


def _make_account(person: Page) -> None:
    expect(person.locator("h1")).to_have_text("Choose how you will sign in")
    assert_accessible(person)
    person.get_by_label("Choose a username").fill("iris")
    person.get_by_label("Create a password").fill("password")
    person.get_by_label("Type the password again").fill("password")
    person.get_by_role("button", name="Make my account").click()
    expect(person.locator(".nhsuk-error-summary")).to_contain_text("Create a password")
    person.get_by_label("Create a password").fill(GOOD_PASSWORD)
    person.get_by_label("Type the password again").fill(GOOD_PASSWORD)
    person.get_by_role("button", name="Make my account").click()
    expect(person.locator("h1")).to_have_text("Hello Iris")


def test_a_person_makes_their_account_from_the_emailed_link(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    patient = _patient(world, email="iris@example.org", phone="")
    nurse = new_page()
    _invite_from_the_record(nurse, live_server, patient)
    body = OutboundMessage.objects.get(topic="registry.portal_invitation").body
    found = re.search(r"https?://\S+/portal/join/\S+/", body)
    assert found, body
    person = new_page()

    person.goto(live_server.url + urlsplit(found.group(0)).path)
    expect(person.locator("h1")).to_have_text("Confirm your date of birth")
    assert_accessible(person)
    person.get_by_label("Your date of birth").fill("1958-03-10")
    person.get_by_role("button", name="Continue").click()
    expect(person.locator(".nhsuk-error-summary")).to_contain_text("does not match")
    person.get_by_label("Your date of birth").fill(BORN.isoformat())
    person.get_by_role("button", name="Continue").click()
    _make_account(person)

    nurse.reload()
    expect(nurse.locator("#portal-account + p")).to_contain_text("has a Waypoint account")
    person.goto(live_server.url + urlsplit(found.group(0)).path)
    expect(person.locator("h1")).to_have_text("This invitation cannot be used")


def test_a_person_with_no_email_or_mobile_makes_their_account_from_a_letter(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    patient = _patient(world, email="", phone="020 7946 0000")
    nurse = new_page()
    _invite_from_the_record(nurse, live_server, patient)
    link = nurse.get_by_role("link", name=re.compile("Print the invitation letter"))
    pdf = nurse.request.get(live_server.url + (link.get_attribute("href") or ""))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    code = re.search(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}\b", text)
    assert code, text
    person = new_page()

    person.goto(f"{live_server.url}/portal/join/letter/")
    assert_accessible(person)
    person.get_by_label("The code on your letter").fill(code.group(0).lower())
    person.get_by_label("Your date of birth").fill(BORN.isoformat())
    person.get_by_role("button", name="Continue").click()
    _make_account(person)
