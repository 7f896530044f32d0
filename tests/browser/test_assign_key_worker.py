from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World, make_patient
from waypoint.accounts.models import User
from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.registry.models import Patient

pytestmark = pytest.mark.browser


def current_key_workers(patient: Patient) -> list[User]:
    current = KeyWorkerAssignment.objects.filter(patient=patient, ended_at=None)
    return [assignment.key_worker for assignment in current.select_related("key_worker")]


def test_assigning_the_suggested_key_worker_from_the_worklist(
    page: Page, live_server: LiveServer, world: World
) -> None:
    waiting = make_patient(team=world.team_a, given="Wren", family="Waiting")
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/worklists/unassigned/")
    row = page.locator("#unassigned-table tbody tr", has_text="WAITING, Wren")
    expect(row).to_contain_text("Suggested: Colin Lee")  # the smaller caseload, then by name
    expect(row.get_by_label("Key worker for Wren Waiting")).to_have_value(str(world.colleague.pk))
    assert_accessible(page)

    row.get_by_role("button", name="Assign key worker to Wren Waiting").click()
    # htmx swaps the row in place and focus moves to the outcome, so the nurse keeps her
    # place in the list and a screen reader reads what happened.
    outcome = row.locator(".wp-outcome")
    expect(outcome).to_contain_text("Assigned Colin Lee is now Wren Waiting's key worker.")
    expect(outcome).to_be_focused()
    assert current_key_workers(waiting) == [world.colleague]

    page.goto(f"{live_server.url}/patients/{waiting.pk}/")
    card = page.locator("#key-worker-card")
    expect(card.get_by_role("heading")).to_have_text("Who to contact")
    expect(card).to_contain_text("Named key worker: Colin Lee")
    assert_accessible(page)


def test_assigning_with_the_keyboard_alone(
    page: Page, live_server: LiveServer, world: World
) -> None:
    waiting = make_patient(team=world.team_a, given="Kit", family="Keys")
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/worklists/unassigned/")
    page.get_by_label("Key worker for Kit Keys").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Assign key worker to Kit Keys")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#unassigned-table")).to_contain_text("Colin Lee is now Kit Keys's")
    assert current_key_workers(waiting) == [world.colleague]


def test_assigning_without_javascript_shows_the_success_banner(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    waiting = make_patient(team=world.team_a, given="Nora", family="Script")
    page = new_page(java_script_enabled=False)
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/worklists/unassigned/")
    page.get_by_role("button", name="Assign key worker to Nora Script").click()
    banner = page.locator(".nhsuk-notification-banner--success")
    expect(banner).to_contain_text("Colin Lee is now Nora Script's key worker.")
    assert page.url == f"{live_server.url}/worklists/unassigned/"
    assert current_key_workers(waiting) == [world.colleague]
