"""The administrator's round: the audit trail, the failed messages in the outbox (sent again),
the on-call rota kept in Django's admin, and the API's documentation.

One page here is not Waypoint's own, so the journey loads it, screenshots it and follows its
links, but does not hold it to axe-core: the API documentation (/api/v1/docs), django-ninja's
bundled Swagger UI. No Waypoint page links to it: it is for the developers of systems that call
the API, and the contract they build on is the OpenAPI document at /api/v1/openapi.json (checked
below and in tests/core/test_openapi.py), which any accessible tool can read.

Django's admin is held to axe-core like every Waypoint page: Waypoint's admin stylesheet
(config/templates/admin/base_site.html) underlines the breadcrumb links and sizes the filter
links, and the on-call rota uses labelled fields (a plain select of clinical staff and one local
date-and-time input each) instead of the admin's unlabelled ones.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, login
from tests.browser.journeys import A_WEDNESDAY_MORNING, Journey, menu_link
from tests.world import World
from waypoint.careteam.models import OnCallShift
from waypoint.notifications.models import MessageStatus, OutboundMessage
from waypoint.notifications.services import message_enqueue
from waypoint.registry.services import patient_open

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _on_a_wednesday_morning() -> Iterator[None]:
    with time_machine.travel(A_WEDNESDAY_MORNING, tick=True):
        yield


def _a_night_of_work(world: World) -> OutboundMessage:
    """The key worker read a record; one email bounced after every retry."""
    patient_open(actor=world.key_worker, patient_id=world.patient.pk)
    message = message_enqueue(
        channel="email",
        to="kate.walker@example.org",
        subject="A report is waiting",
        body="A red report is waiting for your team.",
        topic="triage_alert",
        now=timezone.now(),
    )
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED, attempts=8, last_error="550 no such mailbox"
    )
    return message


def test_the_admin_checks_the_audit_trail_messages_and_the_rota(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    message = _a_night_of_work(world)
    page = new_page()
    journey = Journey(page, live_server.url, "admin")

    login(page, live_server, "admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    journey.step("audit-trail")
    page.get_by_label("Username").fill("kw")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("kw")
    expect(rows.first).to_contain_text("Viewed the record")
    for who in rows.locator("td:nth-child(2)").all_inner_texts():
        assert who.strip() == "kw"
    journey.step("audit-trail-kate")

    with page.expect_navigation():
        menu_link(page, "Messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    failed = page.locator("table tbody tr", has_text="kate.walker@example.org")
    expect(failed).to_contain_text("550 no such mailbox")
    journey.step("failed-messages")
    with page.expect_navigation():
        failed.get_by_role("button", name="Send again").click()
    expect(page.locator("main")).to_contain_text("The message will be sent again.")
    expect(page.locator("main")).not_to_contain_text("550 no such mailbox")
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    journey.step("message-sent-again")

    # Tonight's on-call clinician for Breast Team A, in Django's admin.
    with page.expect_navigation():
        menu_link(page, "Admin").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    journey.step("django-admin")
    with page.expect_navigation():
        page.get_by_role("link", name="On call shifts").click()
    journey.step("on-call-rota")
    with page.expect_navigation():
        page.get_by_role("link", name="Add on call shift").click()
    page.get_by_label("Team:").select_option(label="Breast Team A")
    clinicians = page.get_by_label("Clinician:")
    assert "Ada Lovelace" not in clinicians.inner_text()  # only clinical staff can be on call
    clinicians.select_option(label=world.key_worker.display_name)
    page.get_by_label("Starts at:").fill("2026-12-02T17:00")
    page.get_by_label("Ends at:").fill("2026-12-03T09:00")
    journey.step("on-call-shift-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator("#result_list")).to_contain_text("Kate Walker")
    shift = OnCallShift.objects.get()
    assert (shift.team, shift.clinician) == (world.team_a, world.key_worker)
    journey.step("on-call-shift-added")

    # The API's documentation loads (not checked with axe-core: see above); its contract is JSON.
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page).to_have_title("Waypoint API")
    journey.step("api-docs")
    schema = page.request.get(f"{live_server.url}/api/v1/openapi.json")
    assert schema.ok and "/api/v1/patients" in schema.json()["paths"]

    journey.finish()
