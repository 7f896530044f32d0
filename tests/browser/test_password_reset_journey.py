"""A key worker who has forgotten her password: from the sign-in page to a new password, as she
would do it, with the link read from the outbox as the email would carry it."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible, login
from tests.world import PASSWORD, World
from waypoint.notifications.models import OutboundMessage

pytestmark = pytest.mark.browser

NEW_PASSWORD = "plum-orchard-lantern-42"  # test-only password
LINK = re.compile(r"^https?://\S+/password-reset/\S+/$", re.MULTILINE)


def _emailed_link(live_server: LiveServer) -> str:
    message = OutboundMessage.objects.get(topic="access.password_reset")
    found = LINK.search(message.body)
    assert found, message.body
    return live_server.url + found.group(0).removeprefix(settings.WAYPOINT_BASE_URL)


def test_a_forgotten_password_is_reset_from_the_sign_in_page(
    page: Page, live_server: LiveServer, world: World
) -> None:
    world.key_worker.email = "kate.walker@nhs.example"
    world.key_worker.save(update_fields=["email"])

    # The live server's first page may be slow to start (static files are found on first use).
    page.goto(f"{live_server.url}/login/", timeout=30_000)
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.locator("h1")).to_have_text("Reset your password")
    assert_accessible(page)
    page.get_by_label("Email address").fill("kate.walker@nhs.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert_accessible(page)

    link = _emailed_link(live_server)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Choose a new password")
    assert "/set-password/" in page.url, "the token leaves the address once the link is opened"
    page.get_by_label("New password", exact=True).fill("kate12345")
    page.get_by_label("Type the new password again").fill("kate12345")
    page.get_by_role("button", name="Save new password").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("This password is too short")
    expect(page.locator(".nhsuk-error-message").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Save new password").click()
    assert page.url.startswith(f"{live_server.url}/login/")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Your password has been changed"
    )

    login(page, live_server, "kw", NEW_PASSWORD)
    expect(page.locator("h1")).to_have_text("Caseload")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")

    login(page, live_server, "kw", PASSWORD)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Your username or password is not right"
    )

    page.goto(link)
    expect(page.locator("h1")).to_have_text("This link no longer works")
    expect(page.get_by_role("link", name="ask for a new link")).to_be_visible()
    assert_accessible(page)


def test_an_unknown_address_gets_the_same_page(
    page: Page, live_server: LiveServer, world: World
) -> None:
    page.goto(f"{live_server.url}/password-reset/")
    page.get_by_label("Email address").fill("nobody@nhs.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Send me a link").click()

    expect(page.locator("h1")).to_have_text("Check your email")
    assert not OutboundMessage.objects.exists()
