from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible, login
from tests.world import World
from waypoint.audit.models import AuditEvent

pytestmark = pytest.mark.browser

REASON = "Cleo rang the helpline about a fever"


def test_a_helpline_search_without_a_reason_shows_an_error_and_no_results(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "helpline")
    assert page.url == f"{live_server.url}/patients/"
    assert_accessible(page)
    page.get_by_label("NHS number, name or date of birth").fill("Bee")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Why you need to look")
    expect(page.locator("#id_reason-error")).to_be_visible()
    expect(page.locator("#search-results")).to_have_count(0)
    assert "Cleo" not in page.content()
    # Nothing about any person is recorded: a refused search reads no record (signing in is).
    assert not AuditEvent.objects.filter(actor=world.helpline_nurse, patient__isnull=False).exists()
    assert not AuditEvent.objects.filter(actor=world.helpline_nurse, action="search").exists()
    assert_accessible(page)


def test_a_helpline_nurse_finds_and_opens_a_callers_record_after_giving_a_reason(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "helpline")
    page.get_by_label("NHS number, name or date of birth").fill("Bee")
    page.get_by_label("Why you need to look (recorded)").fill(REASON)
    page.get_by_role("button", name="Search").click()
    result = page.locator("#search-results").get_by_role("link", name="BEE, Cleo")
    expect(result).to_be_visible()
    result.click()
    expect(page.locator("h1")).to_have_text("Cleo Bee")
    expect(page).to_have_url(re.compile(rf"/patients/{world.team_b_patient.pk}/\?reason="))
    expect(page.locator("#access-log")).to_contain_text(REASON)
    audited = AuditEvent.objects.filter(actor=world.helpline_nurse, reason=REASON)
    assert {"search", "view"} <= set(audited.values_list("action", flat=True))
    assert audited.get(action="view").patient == world.team_b_patient
