"""Two-step verification in Chromium: a nurse sets up an authenticator app and a passkey (with
Chromium's virtual authenticator, through the DevTools protocol's WebAuthn domain), signs in with
each, uses a recovery code once and sees it refused the second time; a staff member who must use
it is taken to the security page."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible, login
from tests.world import World

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _passkeys_on_localhost(settings) -> None:  # type: ignore[no-untyped-def]
    # The live server is at http://localhost:<port>; a passkey's relying party must be a domain
    # the page is on (an IP address, the default base URL's host, cannot be one).
    settings.WAYPOINT_WEBAUTHN_RP_ID = "localhost"


def _sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").first.click()


def _virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def _spend_todays_codes(world: World) -> None:
    """The code typed to set the app up is spent until the next 30 seconds; rather than wait,
    the app is treated as set up earlier, so the code the test computes next is a fresh one."""
    TOTPDevice.objects.filter(user=world.key_worker).update(last_t=-1)


def test_a_nurse_sets_up_and_uses_every_kind_of_second_step(
    page: Page, live_server: LiveServer, world: World
) -> None:
    # The live server's first page can take several seconds on a busy machine; wait for it once
    # here rather than fail on the sign-in helper's shorter timeout.
    page.goto(f"{live_server.url}/login/", timeout=60_000)
    login(page, live_server, "kw")
    page.get_by_role("link", name="Account security").click()
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
    expect(page.get_by_text("Two-step verification is not set up yet.")).to_be_visible()

    # An authenticator app: the secret read from the page, the code made as the app would.
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("[data-secret]").inner_text().replace(" ", "")
    app = TOTP(b32decode(secret))
    page.get_by_label("Code from your authenticator app").fill(f"{app.token():06d}")
    page.get_by_role("button", name="Check the code and set up").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have kept my codes safe").click()
    expect(page.get_by_text("Set up on")).to_be_visible()
    expect(page.get_by_text("10 left")).to_be_visible()
    assert_accessible(page)

    # Signing in again asks for the code after the password.
    _sign_out(page)
    _spend_todays_codes(world)
    login(page, live_server, "kw")
    expect(page.get_by_role("heading", name="Check it is you")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(f"{app.token():06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Caseload")

    # A passkey, made by Chromium's virtual authenticator.
    _virtual_authenticator(page)
    page.get_by_role("link", name="Account security").click()
    page.get_by_label("Name for this passkey").fill("Work laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Your passkey ‘Work laptop’ is set up")).to_be_visible()
    expect(page.get_by_text("Passkey: Work laptop")).to_be_visible()

    _sign_out(page)
    login(page, live_server, "kw")
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.locator("h1")).to_have_text("Caseload")
    page.get_by_role("link", name="Account security").click()
    expect(page.get_by_text("last used")).to_have_count(2)

    # A recovery code works once.
    _sign_out(page)
    login(page, live_server, "kw")
    page.get_by_role("link", name="Use a recovery code").click()
    assert_accessible(page)
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You used a recovery code. You have 9 left.")).to_be_visible()

    _sign_out(page)
    login(page, live_server, "kw")
    page.get_by_role("link", name="Use a recovery code").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("used already")
    expect(page.get_by_role("heading", name="Use a recovery code")).to_be_visible()


def test_a_staff_member_who_must_use_it_is_taken_to_the_security_page(
    page: Page,
    live_server: LiveServer,
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.WAYPOINT_REQUIRE_STAFF_SECOND_FACTOR = True

    login(page, live_server, "onc")

    assert page.url == f"{live_server.url}/account/security/"
    expect(
        page.get_by_text("Your organisation asks all staff to use two-step verification").first
    ).to_be_visible()
    page.goto(f"{live_server.url}/caseload/")
    assert page.url == f"{live_server.url}/account/security/"
    assert_accessible(page)
