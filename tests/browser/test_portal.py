from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World
from waypoint.careteam.services import cover_arrange

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def assert_contact_panel_on_the_first_screen(page: Page) -> None:
    box = page.locator("#contact-panel").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], f"panel ends at {box['y'] + box['height']}"


def test_the_portal_shows_who_to_contact_on_the_first_screen_of_a_phone(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page(viewport=PHONE)
    login(page, live_server, "patient")
    assert page.url == f"{live_server.url}/portal/"
    panel = page.locator("#contact-panel")
    expect(panel).to_contain_text("Your key worker (your named specialist nurse) is Kate Walker")
    expect(panel).to_contain_text("Call 020 7946 0000")  # Kate's own number
    expect(panel).to_contain_text("Breast Team A")
    expect(panel).to_contain_text("020 7946 0101")  # the team, in hours
    expect(panel).to_contain_text("Out of hours, day or night: 020 7946 0999")
    expect(panel).to_contain_text("Secondary breast cancer helpline: 0808 800 6000")
    assert_contact_panel_on_the_first_screen(page)
    phone_links = panel.locator("a[href^='tel:']")
    expect(phone_links).to_have_count(4)
    for link in phone_links.all():
        box = link.bounding_box()
        assert box is not None and box["height"] >= 44, f"{link.inner_text()} is too small to tap"
    assert_accessible(page)


def test_the_portal_names_the_colleague_covering_leave(
    page: Page, live_server: LiveServer, world: World
) -> None:
    today = timezone.localdate()
    cover_arrange(
        actor=world.key_worker,
        absent_user_id=world.key_worker.pk,
        cover_user_id=world.colleague.pk,
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
    )
    login(page, live_server, "patient")
    expect(page.locator("#contact-panel")).to_contain_text(
        "Until then please contact Colin Lee on 020 7946 0000"
    )


def test_the_patient_sees_who_opened_their_record(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    nurse = new_page()
    login(nurse, live_server, "kw")
    nurse.goto(f"{live_server.url}/patients/{world.patient.pk}/")
    expect(nurse.locator("h1")).to_contain_text("Ada Lovelace")

    page = new_page(viewport=PHONE)
    login(page, live_server, "patient")
    with page.expect_navigation():
        page.get_by_role("link", name="See who has looked at your record").click()
    row = page.locator("#access-table tbody tr", has_text="Kate Walker")
    expect(row.first).to_contain_text("Viewed the record")
    assert_contact_panel_on_the_first_screen(page)
    assert_accessible(page)


def test_a_patient_cannot_open_another_persons_record(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "patient")
    response = page.goto(f"{live_server.url}/patients/{world.other_patient.pk}/")
    assert response is not None and response.status in (403, 404)
    nhs_number = world.other_patient.nhs_number
    assert nhs_number
    content = page.content()
    for detail in ("Bea", "OTHER", nhs_number):
        assert detail not in content
