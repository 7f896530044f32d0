from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


def test_her_caseload_lists_her_patient_with_the_key_workers_name(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "kw")
    row = page.locator("#caseload-table tbody tr", has_text="LOVELACE, Ada")
    expect(row).to_contain_text("Kate Walker")
    expect(page.locator("#caseload-table")).not_to_contain_text("OTHER, Bea")  # Colin's
    assert_accessible(page)


def test_my_teams_shows_the_team_but_never_another_teams_patient(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "kw")
    page.get_by_label("Show").select_option(label="My teams")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"scope=team"))
    table = page.locator("#caseload-table")
    expect(table.locator("tbody tr", has_text="OTHER, Bea")).to_contain_text("Colin Lee")
    expect(table).to_contain_text("LOVELACE, Ada")
    expect(table).not_to_contain_text("BEE, Cleo")  # team B
    assert "Cleo" not in page.content()


def test_filtering_by_name_leaves_only_the_matching_person(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "kw")
    page.get_by_label("Show").select_option(label="My teams")
    page.get_by_label("Name or NHS number").fill("Other")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"q=Other"))
    rows = page.locator("#caseload-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("OTHER, Bea")


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"] + 2, f"{page.url} scrolls sideways: {width}px wide"


def test_the_caseload_fits_a_320_pixel_screen(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page(viewport=NARROW)
    login(page, live_server, "kw")
    assert_no_sideways_scroll(page)
    # The wide table scrolls sideways inside its own wrapper instead.
    wrapper = page.locator(".wp-table-scroll", has=page.locator("#caseload-table"))
    assert wrapper.evaluate("e => getComputedStyle(e).overflowX") in ("auto", "scroll")
    assert wrapper.evaluate("e => e.getBoundingClientRect().right") <= NARROW["width"]
    assert_accessible(page)


def test_a_record_and_search_results_fit_a_320_pixel_screen(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page(viewport=NARROW)
    login(page, live_server, "kw")
    with page.expect_navigation():  # and its load event: the header script folds up the menu
        page.get_by_role("link", name="LOVELACE, Ada").click()
    expect(page.locator("h1")).to_have_text("Ada Lovelace")
    assert_no_sideways_scroll(page)
    assert_accessible(page)  # a table that scrolls must also be reachable by keyboard
    page.goto(f"{live_server.url}/patients/?q=Lovelace")
    expect(page.locator("#search-results")).to_contain_text("LOVELACE, Ada")
    assert_no_sideways_scroll(page)
