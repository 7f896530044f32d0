"""The clinical nurse specialist's day, in Chromium: her caseload, a newly diagnosed person waiting
for a key worker, cover for her leave, a red report on the triage queue acknowledged, then, with
the person, a needs assessment that scores distress 7 with money and fatigue worries, the care
plan it leads to, referrals for benefits advice and psychology, a Living with Secondary Breast
Cancer meeting booked, and the contact recorded on the timeline (brief journeys 2 and 5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, login
from tests.browser.journeys import A_WEDNESDAY_MORNING, Journey, menu_link
from tests.world import World, make_patient
from waypoint.assessments.models import NeedsAssessment
from waypoint.support.models import Referral, SupportService
from waypoint.triage.models import SymptomReport
from waypoint.triage.services import ReportInput, symptom_report_submit

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _on_a_wednesday_morning() -> Iterator[None]:
    with time_machine.travel(A_WEDNESDAY_MORNING, tick=True):
        yield


def _the_morning(world: World) -> None:
    """A person reported weak legs overnight; the directory lists three services."""
    symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(symptoms=[{"code": "limb_weakness", "present": True}]),
    )
    for name, kind, mode in (
        ("Macmillan benefits advice", "benefits", "phone"),
        ("Psycho-oncology service", "psychology", "in_person"),
        ("Living with Secondary Breast Cancer", "peer_support", "mixed"),
    ):
        SupportService.objects.create(
            name=name, kind=kind, provider="St Elsewhere", area_served="National", mode=mode
        )


def click(page: Page, name: str, *, role: str = "link") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()  # type: ignore[arg-type]


def test_the_key_worker_works_through_her_day(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    _the_morning(world)
    waiting = make_patient(team=world.team_a, given="Wren", family="Waiting")
    page = new_page()
    journey = Journey(page, live_server.url, "key_worker")

    # The caseload: her own patient, and who is due what.
    login(page, live_server, "kw")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    row = page.locator("#caseload-table tbody tr", has_text="LOVELACE, Ada")
    expect(row).to_contain_text("Kate Walker")
    expect(row).to_contain_text("Overdue")  # the needs assessment
    expect(page.locator("#caseload-table")).not_to_contain_text("OTHER, Bea")  # Colin's
    # On a desktop screen the whole table is in view: no column cut off or scrolled away.
    fits = "t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1"
    assert page.locator("#caseload-table").evaluate(fits), "the caseload is wider than the page"
    journey.step("caseload")

    # A newly diagnosed person waits for a key worker: assign the suggested one.
    with page.expect_navigation():
        menu_link(page, "Unassigned").click()
    waiting_row = page.locator("#unassigned-table tbody tr", has_text="WAITING, Wren")
    expect(waiting_row).to_contain_text("Suggested: Colin Lee")
    journey.step("unassigned")
    waiting_row.get_by_role("button", name="Assign key worker to Wren Waiting").click()
    expect(waiting_row).to_contain_text("Colin Lee is now Wren Waiting's key worker.")
    assert waiting.key_worker_assignments.filter(ended_at=None).get().key_worker == world.colleague
    journey.step("assigned")

    # Cover for her leave next fortnight.
    with page.expect_navigation():
        menu_link(page, "Cover").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cover for leave")
    page.get_by_label("Who is away").select_option(label="Kate Walker")
    page.get_by_label("Who covers").select_option(label="Colin Lee")
    page.get_by_label("First day away").fill("2026-12-07")
    page.get_by_label("Last day away").fill("2026-12-18")
    page.get_by_label("Reason").fill("Annual leave")
    journey.step("cover-form")
    click(page, "Arrange cover", role="button")
    current = page.locator("main")
    expect(current).to_contain_text("Colin Lee")
    expect(current).to_contain_text("7 December 2026")
    expect(current).to_contain_text("18 December 2026")
    expect(current).not_to_contain_text("No cover is arranged")
    journey.step("cover-arranged")

    # The triage queue: the red report, with its clock, acknowledged.
    with page.expect_navigation():
        menu_link(page, "Triage").click()
    queue_row = page.locator("table tbody tr", has_text="Ada Lovelace").first
    expect(queue_row).to_contain_text("Red")
    expect(queue_row).to_contain_text(re.compile(r"due in \d+ min"))
    journey.step("triage-queue")
    with page.expect_navigation():
        queue_row.get_by_role("link", name="Ada Lovelace").click()
    expect(page.locator("main")).to_contain_text("Suspected metastatic spinal cord compression")
    expect(page.locator("main")).to_contain_text("waypoint-triage-1")
    journey.step("triage-report")
    page.get_by_label("Action taken").first.fill("Called back; MRI whole spine booked today")
    click(page, "Acknowledge: I am dealing with this", role="button")
    expect(page.locator("main")).to_contain_text("The clock has stopped")
    assert SymptomReport.objects.get(patient=world.patient).acknowledged_at is not None
    journey.step("triage-acknowledged")

    # Her record.
    with page.expect_navigation():
        menu_link(page, "Caseload").click()
    click(page, "LOVELACE, Ada")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    expect(page.locator("#key-worker-card")).to_contain_text("Named key worker: Kate Walker")
    expect(page.locator("main")).to_contain_text(
        re.compile(r"2 December 2026 at 10:\d\dam: Red.*acknowledged", re.IGNORECASE)
    )  # the report just handled
    journey.step("record")

    # The needs assessment, completed with the person, one part per page.
    click(page, "Needs assessments and distress")
    expect(page.get_by_role("heading", level=1)).to_have_text("Holistic needs assessments")
    expect(page.locator("main")).to_contain_text("Overdue")
    journey.step("assessments")
    click(page, "Complete one with the person")
    expect(page.get_by_role("heading", name=re.compile("^How much distress"))).to_be_visible()
    page.get_by_label("7", exact=True).check()
    journey.step("assessment-distress")
    click(page, "Save and continue", role="button")
    for part in range(2, 10):
        heading = page.get_by_role("heading", level=1).inner_text()
        if heading == "Check your answers":
            break
        if heading == "Physical concerns":
            page.get_by_label("Tiredness, exhaustion or fatigue").select_option("8")
        if heading.startswith("Practical"):
            page.get_by_label("Money or finance").select_option("9")
        journey.step(f"assessment-part-{part}")
        click(page, "Save and continue", role="button")
    summary = page.locator(".nhsuk-summary-list")
    expect(summary).to_contain_text("7 out of 10")
    expect(summary).to_contain_text("Tiredness, exhaustion or fatigue: 8")
    expect(summary).to_contain_text("Money or finance: 9")
    journey.step("assessment-check")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^(Record the assessment|Finish)")).click()
    assessment = NeedsAssessment.objects.get(patient=world.patient)
    assert (assessment.status, assessment.distress) == ("completed", 7)
    page.goto(f"{live_server.url}/patients/{world.patient.pk}/assessments/")
    expect(page.locator("main")).to_contain_text("Distress: 7 out of 10")
    expect(page.locator("main")).to_contain_text("consider a psychosocial referral")
    journey.step("assessment-done")

    # The care plan that follows, as a new revision.
    click(page, "Back to Ada Lovelace")
    click(page, "Care and support plan")
    click(page, "Agree a plan")
    first = page.locator("fieldset").first
    expect(first.get_by_label("Concern")).to_have_value("practical.money")  # from the assessment
    first.get_by_label("Action").fill("Referral to Macmillan benefits advice")
    first.get_by_label("Owner").fill("Kate, key worker")
    first.get_by_label("Due on").fill("2026-12-16")
    page.get_by_label("Agreed with the person").check()
    journey.step("care-plan-form")
    click(page, "Save the plan", role="button")
    expect(page.locator("main")).to_contain_text("Revision 1 of the plan is saved")
    expect(page.locator("main")).to_contain_text("Referral to Macmillan benefits advice")
    expect(page.locator("main")).to_contain_text("16 December 2026")
    expect(page.get_by_role("link", name="Download revision 1 as a PDF")).to_be_visible()
    journey.step("care-plan-saved")

    # Referrals: benefits advice, psychology, and a Living with SBC meeting booked.
    page.goto(f"{live_server.url}/patients/{world.patient.pk}/support/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Support and referrals")
    journey.step("support")
    for service, reason in (
        ("Macmillan benefits advice", "Worried about money; help with PIP"),
        ("Psycho-oncology service", "Distress 7 out of 10 on the needs assessment"),
        ("Living with Secondary Breast Cancer", "Would like to meet others"),
    ):
        card = page.locator(
            ".nhsuk-card", has=page.get_by_role("button", name=f"Refer to {service}")
        )
        card.get_by_label("What the referral is for").fill(reason)
        with page.expect_navigation():
            card.get_by_role("button", name=f"Refer to {service}").click()
        expect(page.locator("main")).to_contain_text(reason)
    journey.step("referred")
    # The group's organisers accept the referral, then a place is booked.
    for status, when in (("Accepted", ""), ("Booked", "2026-12-09T14:00")):
        group = page.locator(
            ".nhsuk-card",
            has=page.get_by_role("heading", name=re.compile("^Living with Secondary")),
        )
        group.get_by_label("New status").select_option(label=status)
        if when:
            group.get_by_label("Booked for (if booked)").fill(when)
        with page.expect_navigation():
            group.get_by_role("button", name=re.compile("^Update")).click()
    booked = page.locator(
        ".nhsuk-card",
        has=page.get_by_role("heading", name="Living with Secondary Breast Cancer: Booked"),
    )
    expect(booked).to_contain_text("Booked for 9 December 2026 at 2:00pm")
    assert Referral.objects.filter(patient=world.patient).count() == 3
    journey.step("meeting-booked")

    # The conversation, recorded on her timeline.
    page.goto(f"{live_server.url}/patients/{world.patient.pk}/timeline/")
    page.get_by_text("Record progression, a response assessment").click()
    page.get_by_label("What").select_option(label="Contact")
    page.get_by_label("Contact by (for a contact)").select_option(index=1)
    page.get_by_label("Note or outcome").fill("Needs assessment and plan agreed together")
    journey.step("timeline-form")
    click(page, "Record", role="button")
    expect(page.locator(".wp-timeline")).to_contain_text(
        "Needs assessment and plan agreed together"
    )
    journey.step("timeline")

    journey.finish()
