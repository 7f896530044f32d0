from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible, login
from tests.world import World

pytestmark = pytest.mark.browser

NHS_BLUE = "rgb(0, 94, 184)"


def test_the_login_page_is_styled_and_accessible(
    page: Page, live_server: LiveServer, world: World
) -> None:
    page.goto(f"{live_server.url}/login/")
    # The live server serves the NHS.UK stylesheet: without it the header is not NHS blue.
    header = page.locator("header.nhsuk-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == NHS_BLUE
    assert_accessible(page)


def test_a_key_worker_signs_in_and_lands_on_her_caseload(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "kw")
    assert page.url == f"{live_server.url}/caseload/"
    expect(page.locator("h1")).to_have_text("Caseload")


def test_a_wrong_password_shows_the_error_summary_and_stays_on_sign_in(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "kw", "not-the-password")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Your username or password is not right")
    assert page.url == f"{live_server.url}/login/"
    expect(page.get_by_label("Username")).to_have_value("kw")
    assert_accessible(page)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    page: Page, live_server: LiveServer, world: World
) -> None:
    for _ in range(5):
        login(page, live_server, "kw", "not-the-password")
    login(page, live_server, "kw")
    expect(page.locator("h1")).to_have_text("Your account is locked for now")
    assert "/caseload/" not in page.url
    assert_accessible(page)
