from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, login
from waypoint.careteam.services import cover_arrange
from waypoint.core.testing import World

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_portal_shows_who_to_contact_on_the_first_screen_of_a_phone(
    page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "patient")
    panel = page.locator("#contact-panel")
    expect(panel).to_contain_text("Your key worker (your named specialist nurse) is Kate Walker")
    expect(panel).to_contain_text("020 7946 0000")  # her phone
    expect(panel).to_contain_text("020 7946 0101")  # team, in hours
    expect(panel).to_contain_text("020 7946 0999")  # out of hours
    expect(panel).to_contain_text("0808 800 6000")  # helpline
    box = panel.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    for link in panel.locator("a[href^='tel:']").all():
        link_box = link.bounding_box()
        assert link_box is not None and link_box["height"] >= 44  # touch target
    assert_accessible(page)


def test_the_portal_names_the_colleague_covering_leave(
    page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    cover_arrange(
        actor=browser_world.key_worker,
        absent_user_id=browser_world.key_worker.pk,
        cover_user_id=browser_world.colleague.pk,
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
    )
    login(page, live_server.url, "patient")
    expect(page.locator("#contact-panel")).to_contain_text("please contact Colin Lee")


def test_the_patient_sees_who_opened_their_record(
    browser: Browser, page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    nurse = browser.new_context().new_page()
    login(nurse, live_server.url, "kw")
    nurse.goto(f"{live_server.url}/patients/{browser_world.patient.pk}/")
    nurse.context.close()
    login(page, live_server.url, "patient")
    page.click("text=See who has looked at your record")
    table = page.locator("#access-table")
    expect(table).to_contain_text("Kate Walker")
    expect(table).to_contain_text("Viewed the record")
    assert_accessible(page)


def test_a_patient_cannot_open_another_persons_record(
    page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server.url, "patient")
    response = page.goto(f"{live_server.url}/patients/{browser_world.other_patient.pk}/")
    assert response is not None and response.status in (403, 404)
    assert "Bea" not in page.content()
