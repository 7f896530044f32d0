from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login
from waypoint.audit.models import AuditEvent
from waypoint.core.testing import World

pytestmark = pytest.mark.browser


def test_a_helpline_nurse_finds_a_caller_after_giving_a_reason(
    page: Page, live_server, browser_world: World
) -> None:  # type: ignore[no-untyped-def]
    login(page, live_server.url, "helpline")
    assert page.url.endswith("/patients/")
    assert_accessible(page)
    page.fill("#id_q", "Bee")
    page.click("button:has-text('Search')")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why you need to look")
    expect(page.locator("#search-results")).to_have_count(0)
    assert_accessible(page)
    page.fill("#id_reason", "Cleo rang about a fever")
    page.click("button:has-text('Search')")
    page.click("text=BEE, Cleo")
    expect(page.locator("h1")).to_contain_text("Cleo Bee")
    reasons = set(
        AuditEvent.objects.filter(actor=browser_world.helpline_nurse).values_list(
            "action", "reason"
        )
    )
    assert ("view", "Cleo rang about a fever") in reasons
    assert ("search", "Cleo rang about a fever") in reasons
