"""What a person sees first on a phone: the question they are answering, with who to contact one
tap away (the full panel stays on the portal home page and a symptom result)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 375, "height": 667}


def test_a_symptom_question_is_on_the_first_screen_of_a_small_phone(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page(viewport=SMALL_PHONE)
    login(page, live_server, "patient")
    page.goto(f"{live_server.url}/portal/symptoms/?new=1")
    heading = page.locator("main h1")
    expect(heading).to_have_text("Do you have any of these now?")
    box = heading.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= SMALL_PHONE["height"], f"heading ends at {box['y']}"

    contact = page.get_by_text("Who to contact, and the numbers day and night")
    expect(contact).to_be_visible()
    out_of_hours = page.get_by_role("link", name="020 7946 0999")
    expect(out_of_hours).to_be_hidden()
    contact.click()
    expect(out_of_hours).to_be_visible()
    expect(page.locator("#contact-panel")).to_contain_text("Out of hours, day or night")
    assert_accessible(page)


def test_the_home_page_keeps_the_full_contact_panel(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page(viewport=SMALL_PHONE)
    login(page, live_server, "patient")
    panel = page.locator("section#contact-panel")
    expect(panel.get_by_role("heading", name="Who to contact")).to_be_visible()
    expect(panel.get_by_role("link", name="020 7946 0999")).to_be_visible()
