from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login
from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.core.testing import World, make_patient

pytestmark = pytest.mark.browser


def test_assigning_the_suggested_key_worker_from_the_worklist(
    page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    waiting = make_patient(team=browser_world.team_a, given="Wren", family="Waiting")
    login(page, live_server.url, "kw")
    page.goto(f"{live_server.url}/worklists/unassigned/")
    row = page.locator("#unassigned-table tbody tr", has_text="WAITING, Wren")
    expect(row).to_contain_text("Suggested: Colin Lee")
    assert_accessible(page)
    row.get_by_role("button", name="Assign key worker to Wren Waiting").click()
    # htmx swaps the row in place; the nurse keeps her place in the list.
    swapped = page.locator("#unassigned-table tbody tr", has_text="WAITING, Wren")
    expect(swapped).to_contain_text("Colin Lee is now Wren Waiting's key worker.")
    current = KeyWorkerAssignment.objects.filter(patient=waiting, ended_at=None)
    assert [a.key_worker.username for a in current] == ["colleague"]
    page.goto(f"{live_server.url}/patients/{waiting.pk}/")
    expect(page.locator("#key-worker-card")).to_contain_text("Named key worker: Colin Lee")
    assert_accessible(page)


def test_assigning_with_the_keyboard_alone(page: Page, live_server, browser_world: World) -> None:  # type: ignore[no-untyped-def]
    waiting = make_patient(team=browser_world.team_a, given="Kit", family="Keys")
    login(page, live_server.url, "kw")
    page.goto(f"{live_server.url}/worklists/unassigned/")
    page.focus(f"#kw-{waiting.pk}")
    page.keyboard.press("ArrowDown")  # from the suggestion (Colin Lee) to the next option
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Assign" in focused
    page.keyboard.press("Enter")
    expect(page.locator("#unassigned-table")).to_contain_text("Kate Walker is now Kit Keys's")
    assert KeyWorkerAssignment.objects.get(patient=waiting, ended_at=None).key_worker == (
        browser_world.key_worker
    )


def test_assigning_without_javascript_still_works(
    browser, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    waiting = make_patient(team=browser_world.team_a, given="Nora", family="Script")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server.url, "kw")
        page.goto(f"{live_server.url}/worklists/unassigned/")
        page.locator("#unassigned-table tbody tr", has_text="SCRIPT, Nora").get_by_role(
            "button"
        ).click()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text("is now Nora Script")
    finally:
        context.close()
    assert KeyWorkerAssignment.objects.filter(patient=waiting, ended_at=None).count() == 1
