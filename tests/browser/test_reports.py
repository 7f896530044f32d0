"""The population reports page, read by a manager and a key worker, checked with axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible, login
from tests.world import World, make_patient
from waypoint.registry.services import primary_diagnosis_record

pytestmark = pytest.mark.browser


def _population(world: World) -> None:
    """Enough people of one subtype for a survival curve to be drawn."""
    today = timezone.localdate()
    for i in range(6):
        patient = make_patient(
            team=world.team_a, metastatic_on=today - dt.timedelta(days=100 + 150 * i)
        )
        primary_diagnosis_record(
            actor=None,
            patient=patient,
            diagnosed_on=today - dt.timedelta(days=2000),
            laterality="left",
            er="positive",
            pr="positive",
            her2="negative",
        )


def test_the_manager_reads_the_population_reports(
    page: Page, live_server: LiveServer, world: World
) -> None:
    _population(world)
    login(page, live_server, "manager")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Population reports")
    expect(
        page.get_by_role("heading", name="People living with secondary breast cancer now")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Proportion of people alive")).to_be_visible()
    expect(page.locator("body")).to_contain_text("not a prediction for any one person")
    expect(page.locator("body")).to_contain_text("fewer than 5")
    assert_accessible(page)
    page.get_by_label("Team", exact=True).select_option(label="Breast Team A")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Breast Team A")
    assert_accessible(page)


def test_the_key_worker_sees_exact_counts_and_a_form_error(
    page: Page, live_server: LiveServer, world: World
) -> None:
    login(page, live_server, "kw")
    page.get_by_role("link", name="Reports").click()
    expect(page.locator("#prevalence ~ p strong").first).to_have_text("2")
    page.get_by_label("From", exact=True).fill("2026-05-01")
    page.get_by_label("To", exact=True).fill("2026-04-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("must be on or before")
    assert_accessible(page)
