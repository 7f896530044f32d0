"""Every other page a person can reach, checked with axe-core, including forms with errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login
from tests.world import World

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("kw", "/cover/"),
        ("kw", "/patients/"),
        ("kw", "/patients/new/"),
        ("kw", "/patients/{patient}/edit/"),
        ("kw", "/patients/{patient}/secondary-diagnoses/new/"),
        ("kw", "/patients/{patient}/primary-diagnoses/new/"),
        ("kw", "/patients/{patient}/carers/new/"),
        ("manager", "/overview/"),
        ("admin", "/audit/"),
        ("helpline", "/patients/{other_team_patient}/"),  # asks for a reason first
    ],
)
def test_page_is_accessible(
    page: Page, live_server, world: World, username: str, path: str
) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server, username)
    url = path.format(patient=world.patient.pk, other_team_patient=world.team_b_patient.pk)
    page.goto(f"{live_server.url}{url}")
    assert_accessible(page)


def test_form_errors_are_accessible_and_keep_what_was_typed(
    page: Page, live_server, world: World
) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/patients/new/")
    page.fill("#id_nhs_number", "943 476 5918")
    page.fill("#id_given_name", "Nia")
    page.fill("#id_family_name", "Jones")
    page.fill("#id_birth_date", "1971-03-02")
    page.click("button:has-text('Register')")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("check digit does not match")
    expect(summary).to_be_focused()  # the NHS.UK error summary takes focus for screen readers
    assert page.input_value("#id_family_name") == "Jones"
    assert_accessible(page)
