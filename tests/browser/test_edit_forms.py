"""In Chromium: edit pages saved unchanged keep their dates, a form that cannot be saved shows its
errors as errors, and the error pages have Waypoint's layout. Each page is checked with axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World
from waypoint.assessments import care_plans
from waypoint.registry.services import patient_update

pytestmark = pytest.mark.browser


def _uk(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_the_details_and_the_plan_saved_unchanged_keep_their_dates(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    today = timezone.localdate()
    first_due, second_due = today + dt.timedelta(days=2), today + dt.timedelta(days=43)
    patient_update(
        actor=None,
        patient=world.patient,
        changes={"address": "Flat 2\n14 Park Row\nLeeds", "postcode": "LS1 5HD"},
    )
    care_plans.care_plan_revise(
        actor=world.key_worker,
        patient_id=world.patient.pk,
        actions=[
            care_plans.ActionInput(
                action="Referral to Macmillan benefits advice",
                owner="Kate, key worker",
                due_on=first_due,
                concern="practical.money",
            ),
            care_plans.ActionInput(action="Ask the GP about sleep", owner="Ada", due_on=second_due),
        ],
        note="Shared with the GP.",
    )
    page = new_page()
    login(page, live_server, "kw")

    page.goto(f"{live_server.url}/patients/{world.patient.pk}/edit/")
    expect(page.get_by_label("Date of birth")).to_have_value("1960-05-17")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    banner = page.locator(".nhsuk-notification-banner")
    expect(banner).to_contain_text("Nothing was changed.")
    expect(page.locator(".nhsuk-notification-banner--success")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("17 May 1960")
    world.patient.refresh_from_db()
    assert world.patient.birth_date == dt.date(1960, 5, 17)
    assert world.patient.address == "Flat 2\n14 Park Row\nLeeds"

    page.goto(f"{live_server.url}/patients/{world.patient.pk}/care-plan/edit/")
    rows = page.locator("fieldset.wp-plan-row")
    expect(rows.nth(0).get_by_label("Due on")).to_have_value(first_due.isoformat())
    expect(rows.nth(1).get_by_label("Due on")).to_have_value(second_due.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Save the plan").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Revision 2 of the plan is saved"
    )
    current = page.locator(".nhsuk-card").first
    expect(current).to_contain_text("revision 2")
    expect(current).to_contain_text(_uk(first_due))
    expect(current).to_contain_text(_uk(second_due))
    assert_accessible(page)
    latest, earlier = care_plans.revisions_of(world.patient)[:2]
    assert [a.due_on for a in latest.actions.all()] == [a.due_on for a in earlier.actions.all()]
    assert latest.note == earlier.note == "Shared with the GP."


def test_a_form_that_cannot_be_saved_shows_its_errors_beside_the_fields(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page()
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/patients/{world.patient.pk}/timeline/")
    page.get_by_text("Record progression, a response assessment").click()
    page.get_by_label("What").select_option("admission")
    page.get_by_label("Note or outcome").fill("Came in through A&E")
    with page.expect_navigation():
        page.get_by_role("button", name="Record").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Say why the person was admitted.")
    expect(summary).to_be_focused()
    expect(page.locator("#id_reason-error")).to_contain_text("Say why the person was admitted.")
    expect(page.get_by_label("Note or outcome")).to_have_value("Came in through A&E")
    expect(page.locator(".nhsuk-notification-banner")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Important")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Why admitted (for an admission)")).to_be_focused()


def test_the_error_pages_have_the_layout_and_a_way_on(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    page = new_page()
    login(page, live_server, "patient")
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to the Waypoint home page")).to_be_visible()
    expect(page.locator(".nhsuk-header")).to_contain_text("Waypoint")
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/caseload/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")
    assert_accessible(page)
