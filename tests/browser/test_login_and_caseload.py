from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login
from waypoint.core.testing import World

pytestmark = pytest.mark.browser


def test_the_login_page_is_styled_and_accessible(
    page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/login/")
    header = page.locator("header.nhsuk-header")
    # The NHS.UK stylesheet loaded: the header has the NHS blue background.
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 94, 184)"
    assert_accessible(page)


def test_a_wrong_password_shows_the_error_summary(
    page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server.url, "kw", "not-the-password")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("username or password")
    assert page.url.endswith("/login/")
    assert_accessible(page)


def test_a_key_worker_signs_in_to_her_caseload(
    page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server.url, "kw")
    assert page.url.endswith("/caseload/")
    table = page.locator("#caseload-table")
    expect(table).to_contain_text("LOVELACE, Ada")
    expect(table).to_contain_text("Kate Walker")
    expect(table).not_to_contain_text("OTHER, Bea")
    assert_accessible(page)


def test_the_caseload_filters_by_team_and_name(
    page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server.url, "kw")
    page.select_option("#id_scope", "team")
    page.click("text=Apply")
    table = page.locator("#caseload-table")
    expect(table).to_contain_text("OTHER, Bea")
    expect(table).not_to_contain_text("BEE, Cleo")  # another team's patient
    page.fill("#id_q", "Lovel")
    page.click("text=Apply")
    expect(table.locator("tbody tr")).to_have_count(1)


def test_the_caseload_fits_a_320_pixel_screen(
    page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server.url, "kw")
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 322, width  # the table scrolls inside its own wrapper, not the page
    assert_accessible(page)
