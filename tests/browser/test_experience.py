from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World
from waypoint.experience import services
from waypoint.experience.models import ExperienceResponse

pytestmark = pytest.mark.browser

# The world's people have T0 = 1 October 2026: their first survey falls due on 30 December.
DUE = dt.datetime(2026, 12, 30, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _on_the_due_day() -> Iterator[None]:
    with time_machine.travel(DUE, tick=True):
        yield


PHONE = {"width": 390, "height": 844}


def test_a_person_answers_the_survey_on_a_phone_with_only_taps(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    assert services.experience_invitations_scan(now=timezone.now()) == 2
    page = new_page(viewport=PHONE)
    login(page, live_server, "patient")
    with page.expect_navigation():
        page.get_by_role("link", name="You have a short survey about your care").click()
    expect(page.locator("h1")).to_have_text("A short survey about your care")
    expect(page.get_by_text("You can skip any question.")).to_be_visible()
    assert_accessible(page)
    for radio in page.locator(".nhsuk-radios__item").all()[:3]:
        box = radio.bounding_box()
        assert box is not None and box["height"] >= 44, "answers must be big enough to tap"
    page.get_by_role("group", name="Can you name your key worker?").get_by_label("Yes").check()
    page.get_by_role(
        "group", name="In the last 6 months, were you offered: The helpline?"
    ).get_by_label("I do not remember").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    expect(page.locator("#help-now")).to_contain_text("This survey is not monitored.")
    assert_accessible(page)
    saved = ExperienceResponse.objects.get()
    assert (saved.names_key_worker, saved.offered_helpline, saved.care_coordinated) == (
        "yes",
        "dont_remember",
        "",
    )


def test_a_refused_answer_shows_the_error_summary_and_keeps_the_rest(
    page: Page, live_server: LiveServer, world: World
) -> None:
    services.experience_invitations_scan(now=timezone.now())
    login(page, live_server, "patient")
    page.goto(f"{live_server.url}/portal/survey/")
    page.get_by_role(
        "group", name="Do you feel the people caring for you work well together?"
    ).get_by_label("Mostly").check()
    page.get_by_label("Anything else you would like to tell us?").fill("Kept")
    # A value no radio offers, as a stale or tampered form would send.
    page.evaluate(
        "() => { const r = document.querySelector('input[name=contact_in_hours]');"
        " r.value = 'perhaps'; r.checked = true; }"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Nothing was saved")
    expect(page.get_by_label("Mostly")).to_be_checked()
    expect(page.get_by_label("Anything else you would like to tell us?")).to_have_value("Kept")
    assert_accessible(page)
    assert not ExperienceResponse.objects.exists()


def test_the_results_page_is_accessible(page: Page, live_server: LiveServer, world: World) -> None:
    login(page, live_server, "kw")
    page.goto(f"{live_server.url}/experience/")
    expect(page.locator("h1")).to_contain_text("Patient experience")
    assert_accessible(page)
