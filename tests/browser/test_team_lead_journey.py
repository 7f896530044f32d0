"""A team lead invites a nurse, who sets up her account from the email's link; the lead then
makes her a lead too, and ends a leaving colleague's membership after moving his caseload."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World
from waypoint.careteam.models import KeyWorkerAssignment, TeamMembership
from waypoint.careteam.services import team_membership_add
from waypoint.notifications.models import OutboundMessage

pytestmark = pytest.mark.browser

STRONG = "Harbour lanterns glow at dusk"
# Sixteen pages across two people: on a busy test machine one page load can pass the fixtures'
# ten seconds, which would fail the journey for the machine's sake rather than the pages'.
SLOW_MACHINE_MS = 30_000


@pytest.fixture(autouse=True)
def _patient_expectations() -> Iterator[None]:
    expect.set_options(timeout=SLOW_MACHINE_MS)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the tests that follow


def test_a_lead_invites_a_nurse_and_runs_the_team(
    page: Page, new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    team_membership_add(team=world.team_a, user=world.key_worker, is_lead=True)
    page.set_default_timeout(SLOW_MACHINE_MS)
    login(page, live_server, "kw")
    # The menu's "My team" (tests/careteam/test_team_management.py) leads here.
    page.goto(f"{live_server.url}/teams/")
    expect(page.locator("h1")).to_have_text("Breast Team A")
    assert_accessible(page)

    # Invite: a mistake first, shown beside the field.
    page.get_by_role("link", name="Invite someone to the team").click()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Nurse")
    page.get_by_label("Work email address").fill("not an address")
    page.get_by_label("Key worker, clinical nurse specialist").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Work email address").fill("nia.nurse@nhs.net")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Invitation sent to Nia Nurse"
    )
    expect(page.locator("#invitations-table")).to_contain_text("Sent, not used yet")
    assert_accessible(page)

    # The nurse opens the link from her email, on her own computer.
    body = OutboundMessage.objects.get(to="nia.nurse@nhs.net").body
    match = re.search(r"https?://[^/\s]+(/team-invitation/\S+/)", body)
    assert match
    nurse = new_page()
    nurse.set_default_timeout(SLOW_MACHINE_MS)
    nurse.goto(live_server.url + match.group(1))
    expect(nurse.locator("h1")).to_have_text("Set up your Waypoint account")
    assert_accessible(nurse)
    nurse.get_by_label("Choose a username").fill("nia")
    nurse.get_by_label("Create a password").fill("nurse")
    nurse.get_by_label("Type the password again").fill("nurse")
    nurse.get_by_role("button", name="Set up my account").click()
    expect(nurse.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(nurse)
    nurse.get_by_label("Create a password").fill(STRONG)
    nurse.get_by_label("Type the password again").fill(STRONG)
    nurse.get_by_role("button", name="Set up my account").click()
    expect(nurse.locator("h1")).to_have_text("Caseload")
    expect(nurse.locator(".nhsuk-notification-banner")).to_contain_text(
        "You are now in Breast Team A"
    )
    assert_accessible(nurse)

    # The lead makes her a lead too.
    page.reload()
    row = page.locator("#members-table tr", has_text="Nia Nurse")
    row.get_by_role("link", name="Change").click()
    assert_accessible(page)
    page.get_by_label("Lead of the team").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#members-table tr", has_text="Nia Nurse")).to_contain_text("Lead")
    assert TeamMembership.objects.get(user__username="nia", team=world.team_a).is_lead

    # Colin is leaving: his caseload moves first, then his membership ends.
    row = page.locator("#members-table tr", has_text="Colin Lee")
    row.get_by_role("link", name="End membership").click()
    expect(page.locator("h1")).to_have_text("Move Colin Lee's patients first")
    expect(page.locator("#needing-list")).to_contain_text("Bea Other")
    assert_accessible(page)
    page.get_by_label("Move their patients to").select_option(value=str(world.key_worker.pk))
    page.get_by_role("button", name="Move their patients").click()
    expect(page.locator("h1")).to_have_text("End Colin Lee's membership of Breast Team A")
    assert_accessible(page)
    page.get_by_role("button", name="End membership").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Colin Lee is no longer in Breast Team A"
    )
    expect(page.locator("#members-table")).not_to_contain_text("Colin Lee")
    assert_accessible(page)
    current = KeyWorkerAssignment.objects.get(patient=world.other_patient, ended_at__isnull=True)
    assert current.key_worker == world.key_worker
