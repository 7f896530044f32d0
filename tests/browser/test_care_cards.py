"""Care cards as a person sees them: coloured, with the right heading, on every page that has one.

The cards once rendered as plain text (old class names the installed stylesheet no longer
defines), so "Call 999 now" looked like any other paragraph. These tests read the computed style.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World
from waypoint.triage.rules import advice
from waypoint.triage.rules.vocabulary import Level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED = "rgb(213, 40, 27)"  # NHS red #d5281b
DARK = "rgb(33, 43, 50)"  # NHS black #212b32
BLUE = "rgb(0, 94, 184)"  # NHS blue #005eb8
WHITE = "rgb(255, 255, 255)"


def styles(page: Page, variant: str) -> dict[str, str]:
    card = page.locator(f".nhsuk-card--care--{variant}").first
    card.wait_for()
    result: dict[str, str] = card.evaluate(
        """card => {
            const visible = el => {
                const copy = el.cloneNode(true);
                copy.querySelectorAll('.nhsuk-u-visually-hidden').forEach(n => n.remove());
                return copy.textContent.trim();
            };
            const head = getComputedStyle(card.querySelector('.nhsuk-card__heading-container'));
            const body = getComputedStyle(card.querySelector('.nhsuk-card__content'));
            return {headBackground: head.backgroundColor, headColour: head.color,
                    bodyBackground: body.backgroundColor, bodyColour: body.color,
                    heading: visible(card.querySelector('.nhsuk-card__heading')),
                    announced: card.querySelector('.nhsuk-card__heading').textContent.trim()};
        }"""
    )
    return result


def test_the_portal_home_shows_a_red_and_black_999_card_and_a_red_call_your_team_card(
    world: World, live_server: LiveServer, page: Page
) -> None:
    login(page, live_server, world.patient_user.username)
    emergency = styles(page, "emergency")
    assert emergency["headBackground"] == RED
    assert emergency["headColour"] == WHITE
    assert emergency["bodyBackground"] == DARK
    assert emergency["heading"] == advice.EMERGENCY_CALL
    assert emergency["announced"].startswith("Immediate action required:")
    urgent = styles(page, "urgent")
    assert urgent["headBackground"] == RED
    assert urgent["heading"] == advice.URGENT_CALL
    assert (
        "weakness or numbness in your legs"
        in page.locator(".nhsuk-card--care--urgent").inner_text()
    )
    assert "legs" not in page.locator(".nhsuk-card--care--emergency").inner_text()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("answer", "variant", "level"),
    [("chest_pain", "emergency", Level.EMERGENCY), ("limb_weakness", "urgent", Level.RED)],
)
def test_the_symptom_result_is_a_coloured_care_card_with_the_levels_heading(
    world: World, live_server: LiveServer, page: Page, answer: str, variant: str, level: Level
) -> None:
    login(page, live_server, world.patient_user.username)
    page.goto(f"{live_server.url}/portal/symptoms/?new=1")
    if level is Level.EMERGENCY:
        # The first question asks for the signs that cannot wait: one is sent at once.
        page.locator(f"input[value='{answer}']").check()
        page.get_by_role("button", name="Continue").click()
    else:
        page.locator("input[value='none']").check()
        page.get_by_role("button", name="Continue").click()
        page.locator(f"input[value='{answer}']").check()
        page.get_by_role("button", name="Continue").click()  # to "anything else"
        page.get_by_role("button", name="Continue").click()  # to the check page
        page.get_by_role("button", name="Send to my care team").click()
    found = styles(page, variant)
    assert found["headBackground"] == RED
    assert found["heading"] == advice.LEVELS[level].heading
    if variant == "emergency":
        assert found["bodyBackground"] == DARK
    assert_accessible(page)


def test_the_helpline_grade_panel_is_an_urgent_card_with_words_to_read_out(
    world: World, live_server: LiveServer, new_page: NewPage
) -> None:
    page = new_page()
    login(page, live_server, world.helpline_nurse.username)
    page.goto(f"{live_server.url}/helpline/call/?patient={world.patient.pk}")
    page.get_by_label("Limb weakness", exact=False).first.check()
    page.get_by_role("button", name="Grade now").click()
    found = styles(page, "urgent")
    assert found["headBackground"] == RED
    assert found["heading"].startswith("Grade: Red")
    panel = page.locator("#grade-panel-card").inner_text()
    assert "Say to the caller" in panel
    assert "24-hour" not in panel
    page.get_by_role("button", name='Put these words in "Advice given"').click()
    said = page.locator("#read-out").inner_text().strip()
    assert page.get_by_label("Advice given").input_value() == said
    assert_accessible(page)


def test_an_amber_result_is_a_blue_non_urgent_card(
    world: World, live_server: LiveServer, page: Page
) -> None:
    from waypoint.triage.services import ReportInput, symptom_report_submit

    report, _ = symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(symptoms=[{"code": "nausea", "grade": 2}]),
    )
    login(page, live_server, world.patient_user.username)
    page.goto(f"{live_server.url}/portal/symptoms/reports/{report.pk}/")
    found = styles(page, "non-urgent")
    assert found["headBackground"] == BLUE
    assert found["heading"] == advice.LEVELS[Level.AMBER].heading
