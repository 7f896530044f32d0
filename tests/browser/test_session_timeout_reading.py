"""The NHS.UK timeout warning: staff are warned before their session ends, can stay signed in,
and lose nothing they typed if it ends anyway; before the absolute end, which nothing moves, they
are offered only to sign in again. Idle times and sessions here last seconds, not hours."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, login
from tests.world import PASSWORD, World

pytestmark = pytest.mark.browser


def test_staff_are_warned_and_stay_signed_in(
    new_page: NewPage,
    live_server: LiveServer,
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.WAYPOINT_STAFF_IDLE_MINUTES = 12 / 60
    settings.WAYPOINT_SESSION_WARNING_SECONDS = 8
    page = new_page()
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/patients/{world.patient.pk}/")
    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=12_000)
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    expect(dialog).to_contain_text("You will be signed out in")
    stay.click()
    expect(dialog).to_be_hidden()
    page.wait_for_timeout(9_000)  # past the idle end as it was before staying
    page.reload()
    assert "/login/" not in page.url
    expect(page.locator("h1")).to_contain_text("Ada Lovelace")


WORDS = "She is worried about paying for travel to appointments."


def _typed_then_signed_in_again(
    new_page: NewPage, live_server: LiveServer, world: World, *, next_user: str
) -> tuple[Page, str]:
    """The key worker types into a form until the session ends; ``next_user`` signs in at the
    same screen and is taken back to the form. Answers the page and the form's address."""
    page = new_page()
    login(page, live_server, world.key_worker.username)
    form_page = f"{live_server.url}/patients/{world.patient.pk}/assessments/more/"
    page.goto(form_page)
    page.locator("textarea").fill(WORDS)
    page.wait_for_url("**/login/**", timeout=15_000)  # the session ended: signed out
    page.get_by_label("Username").fill(next_user)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    return page, form_page


def test_text_typed_before_the_session_ends_is_back_after_signing_in(
    new_page: NewPage,
    live_server: LiveServer,
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.WAYPOINT_STAFF_IDLE_MINUTES = 6 / 60
    settings.WAYPOINT_SESSION_WARNING_SECONDS = 4
    page, form_page = _typed_then_signed_in_again(
        new_page, live_server, world, next_user=world.key_worker.username
    )
    assert page.url == form_page
    expect(page.locator("textarea")).to_have_value(WORDS)
    expect(page.locator("#draft-restored")).to_contain_text("has been put back")


def test_someone_else_signing_in_at_the_same_screen_never_sees_the_text(
    new_page: NewPage,
    live_server: LiveServer,
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.WAYPOINT_STAFF_IDLE_MINUTES = 6 / 60
    settings.WAYPOINT_SESSION_WARNING_SECONDS = 4
    page, form_page = _typed_then_signed_in_again(
        new_page,
        live_server,
        world,
        next_user=world.colleague.username,  # a teammate
    )
    assert page.url == form_page
    expect(page.locator("textarea")).to_have_value("")
    expect(page.locator("#draft-restored")).to_have_count(0)
    kept = page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('waypoint-draft:'))")
    assert all(f":{world.colleague.pk}:" in key for key in kept)


def test_idle_staff_are_signed_out_and_told_why(
    new_page: NewPage,
    live_server: LiveServer,
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.WAYPOINT_STAFF_IDLE_MINUTES = 5 / 60
    settings.WAYPOINT_SESSION_WARNING_SECONDS = 3
    page = new_page()
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/account/security/")
    expect(page.get_by_role("alertdialog", name="You will be signed out soon")).to_be_visible(
        timeout=6_000
    )
    page.wait_for_url("**/login/**", timeout=8_000)
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "You were signed out because you had not used Waypoint for"
    )
    page.goto(f"{live_server.url}/account/security/")
    assert "/login/" in page.url


def test_before_the_absolute_end_the_warning_offers_only_to_sign_in_again(
    new_page: NewPage,
    live_server: LiveServer,
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.SESSION_COOKIE_AGE = 8
    settings.WAYPOINT_SESSION_WARNING_SECONDS = 5
    page = new_page()
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/account/security/")
    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=8_000)
    expect(dialog).to_contain_text("a sign-in to Waypoint lasts a set time, however busy you are")
    again = dialog.get_by_role("button", name="Sign in again")
    expect(again).to_be_focused()
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_hidden()
    with page.expect_navigation(url="**/login/**"):
        again.click()
    page.get_by_label("Username").fill("kw")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url == f"{live_server.url}/account/security/"
