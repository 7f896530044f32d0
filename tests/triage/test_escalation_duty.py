"""Who is told first, by the team's hours (waypoint-duty-1), and an escalation chain that never ends
on someone who has already not answered. Every test runs on a frozen clock in London time."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from tests.world import make_patient, make_user

from waypoint.accounts.models import Role
from waypoint.careteam.models import OnCallShift, TeamMembership, TeamOpeningHours
from waypoint.careteam.selectors import on_duty_for_patient
from waypoint.careteam.services import cover_arrange, team_membership_add
from waypoint.core.errors import NotFound
from waypoint.notifications.models import OutboundMessage
from waypoint.triage import escalation
from waypoint.triage.models import EventKind, ReportEvent, SymptomReport
from waypoint.triage.services import (
    ReportInput,
    report_open,
    symptom_report_acknowledge,
    symptom_report_submit,
)

pytestmark = pytest.mark.django_db

RED = [{"code": "limb_weakness", "present": True}]
AMBER = [{"code": "nausea", "grade": 2}]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]


THURSDAY_10 = utc(2026, 12, 3, 10, 0)  # GMT: 10:00 in London
THURSDAY_1840 = utc(2026, 12, 3, 18, 40)


def on_duty_world(world):  # type: ignore[no-untyped-def]
    """Team A open Monday to Friday 09:00-17:00; Colin on call all year; Omar the team lead;
    Hana the organisation's acute oncology nurse. Colin has a work mobile."""
    for user, email in (
        (world.key_worker, "kate@example.nhs.uk"),
        (world.colleague, "colin@example.nhs.uk"),
        (world.oncologist, "omar@example.nhs.uk"),
        (world.helpline_nurse, "hana@example.nhs.uk"),
    ):
        user.email = email
        user.save()
    world.colleague.work_phone = "07700 900111"
    world.colleague.save()
    TeamOpeningHours.objects.bulk_create(
        TeamOpeningHours(team=world.team_a, weekday=d, opens_at=dt.time(9), closes_at=dt.time(17))
        for d in range(5)
    )
    OnCallShift.objects.create(
        team=world.team_a,
        clinician=world.colleague,
        starts_at=utc(2026, 1, 1),
        ends_at=utc(2027, 2, 1),
        created_by=world.manager,
    )
    TeamMembership.objects.filter(team=world.team_a, user=world.oncologist).update(is_lead=True)
    return world


def submit(world, symptoms, *, at, patient=None):  # type: ignore[no-untyped-def]
    patient = patient or world.patient
    report, _ = symptom_report_submit(
        actor=world.key_worker if patient != world.patient else world.patient_user,
        patient=patient,
        source="clinician" if patient != world.patient else "patient",
        data=ReportInput(symptoms=symptoms, reported_at=at),
        now=at,
    )
    return report


def told(report):  # type: ignore[no-untyped-def]
    """Who was told what, in order: (event kind, username)."""
    return [
        (e.kind, e.recipient.username if e.recipient else None)
        for e in ReportEvent.objects.filter(report=report).exclude(
            kind__in=(EventKind.RECEIVED, EventKind.NO_RECIPIENT)
        )
    ]


def channels(user):  # type: ignore[no-untyped-def]
    return sorted(OutboundMessage.objects.filter(recipient=user).values_list("channel", flat=True))


# --- First alert: in hours, out of hours, weekends, bank holidays, clock changes -------------


def test_in_hours_a_red_report_alerts_the_key_worker_only(world):
    on_duty_world(world)
    report = submit(world, RED, at=THURSDAY_10)
    assert told(report) == [("alerted", "kw")]
    assert not OutboundMessage.objects.filter(recipient=world.colleague).exists()
    assert report.escalation_step == 0


def test_out_of_hours_the_on_call_nurse_is_alerted_at_once_and_the_key_worker_for_information(
    world,
):
    on_duty_world(world)
    report = submit(world, RED, at=THURSDAY_1840)
    assert told(report) == [("alerted", "colleague"), ("informed", "kw")]
    assert channels(world.colleague) == ["email", "sms"]  # text and email, at once
    assert channels(world.key_worker) == ["email"]  # email only
    info = OutboundMessage.objects.get(recipient=world.key_worker)
    assert "for information" in info.subject
    assert info.topic == "triage.information"
    assert "Lovelace" not in info.body and "weakness" not in info.body.lower()
    alert = ReportEvent.objects.get(report=report, kind=EventKind.ALERTED)
    assert "on-call" in alert.detail and "out of the team's hours" in alert.detail
    assert "waypoint-duty-1" in alert.detail
    informed = ReportEvent.objects.get(report=report, kind=EventKind.INFORMED)
    assert "no action asked" in informed.detail
    # The clock has already reached the on-call step: the next is the team lead.
    assert SymptomReport.objects.get(pk=report.pk).escalation_step == 1


@pytest.mark.parametrize(
    ("at", "first"),
    [
        (utc(2026, 12, 5, 10, 0), "colleague"),  # Saturday
        (utc(2026, 12, 6, 10, 0), "colleague"),  # Sunday
        (utc(2026, 12, 7, 9, 0), "kw"),  # Monday, opening time
        (utc(2026, 12, 3, 8, 59), "colleague"),  # Thursday, a minute before opening
        (utc(2026, 12, 3, 17, 0), "colleague"),  # Thursday, closing time
        (utc(2026, 12, 3, 16, 59), "kw"),
        (utc(2026, 12, 25, 10, 0), "colleague"),  # Christmas Day, a Friday
        (utc(2026, 12, 28, 10, 0), "colleague"),  # Monday: substitute day for Boxing Day
        (utc(2026, 12, 29, 10, 0), "kw"),
        (utc(2026, 10, 25, 10, 0), "colleague"),  # Sunday: the clocks went back at 02:00
        (utc(2026, 10, 26, 8, 59), "colleague"),  # Monday 08:59 GMT (was 09:59 in BST)
        (utc(2026, 10, 26, 9, 0), "kw"),  # Monday 09:00 GMT
        (utc(2026, 10, 23, 8, 0), "kw"),  # Friday 09:00 BST
        (utc(2026, 10, 23, 16, 0), "colleague"),  # Friday 17:00 BST
        (utc(2026, 3, 30, 7, 59), "colleague"),  # Monday after the clocks went forward, 08:59
        (utc(2026, 3, 30, 8, 0), "kw"),  # 09:00 BST
    ],
)
def test_who_is_alerted_first_follows_the_teams_hours(world, at, first):
    on_duty_world(world)
    report = submit(world, RED, at=at)
    alerted = [who for kind, who in told(report) if kind == "alerted"]
    assert alerted == [first]
    informed = [who for kind, who in told(report) if kind == "informed"]
    assert informed == ([] if first == "kw" else ["kw"])


def test_the_selector_says_who_is_on_duty_and_why(world):
    on_duty_world(world)
    in_hours = on_duty_for_patient(world.patient, now=THURSDAY_10)
    assert in_hours.contact_on_duty and in_hours.people == (world.key_worker,)
    evening = on_duty_for_patient(world.patient, now=THURSDAY_1840)
    assert not evening.contact_on_duty
    assert evening.people == (world.colleague,)
    assert evening.why == "out of the team's hours (Thursday 09:00–17:00)"
    christmas = on_duty_for_patient(world.patient, now=utc(2026, 12, 25, 10, 0))
    assert christmas.why == "out of the team's hours (bank holiday)"


def test_the_bank_holiday_region_is_a_setting(world, settings):
    on_duty_world(world)
    easter_monday = utc(2026, 4, 6, 10, 0)  # a bank holiday in England, not in Scotland
    assert not on_duty_for_patient(world.patient, now=easter_monday).contact_on_duty
    settings.WAYPOINT_BANK_HOLIDAYS = "GB-SCT"
    assert on_duty_for_patient(world.patient, now=easter_monday).contact_on_duty


def test_an_absent_key_worker_with_cover_is_answered_for_by_the_cover_in_hours(world):
    on_duty_world(world)
    cara = make_user("cara", Role.KEY_WORKER, first="Cara", last="Hill")
    cara.email = "cara@example.nhs.uk"
    cara.save()
    team_membership_add(team=world.team_a, user=cara)
    cover_arrange(
        actor=world.manager,
        absent_user_id=world.key_worker.pk,
        cover_user_id=cara.pk,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 11),
    )
    assert told(submit(world, RED, at=THURSDAY_10)) == [("alerted", "cara")]
    # Out of hours the cover is off duty like anyone else: on call acts, the cover is told.
    assert told(submit(world, RED, at=THURSDAY_1840)) == [
        ("alerted", "colleague"),
        ("informed", "cara"),
    ]


def test_an_absent_key_worker_whose_cover_is_away_too_sends_the_report_to_on_call_at_once(world):
    on_duty_world(world)
    cara = make_user("cara", Role.KEY_WORKER, first="Cara", last="Hill")
    team_membership_add(team=world.team_a, user=cara)
    for absent, cover in ((world.key_worker, cara), (cara, world.oncologist)):
        cover_arrange(
            actor=world.manager,
            absent_user_id=absent.pk,
            cover_user_id=cover.pk,
            starts_on=dt.date(2026, 12, 1),
            ends_on=dt.date(2026, 12, 11),
        )
    report = submit(world, RED, at=THURSDAY_10)
    assert [who for kind, who in told(report) if kind == "alerted"] == ["colleague"]
    detail = ReportEvent.objects.get(report=report, kind=EventKind.ALERTED).detail
    assert "Cara Hill, who covers for the key worker, is away too" in detail
    assert channels(world.colleague) == ["email", "sms"]


def test_a_person_without_a_key_worker_goes_to_on_call_at_once_in_hours(world):
    on_duty_world(world)
    unassigned = make_patient(team=world.team_a, given="Una")
    report = submit(world, RED, at=THURSDAY_10, patient=unassigned)
    assert told(report) == [("alerted", "colleague")]
    assert "no key worker is assigned" in (
        ReportEvent.objects.get(report=report, kind=EventKind.ALERTED).detail
    )


def test_when_nobody_is_on_call_out_of_hours_the_next_step_is_alerted_at_once(world):
    on_duty_world(world)
    OnCallShift.objects.all().delete()
    report = submit(world, RED, at=THURSDAY_1840)
    assert told(report) == [("alerted", "onc"), ("informed", "kw")]
    assert ReportEvent.objects.filter(
        report=report,
        kind=EventKind.NO_RECIPIENT,
        detail__startswith="Nobody to alert as the team's on-call",
    ).exists()


def test_when_nobody_else_can_be_reached_the_off_duty_key_worker_is_asked_to_act(world):
    on_duty_world(world)
    OnCallShift.objects.all().delete()
    TeamMembership.objects.update(is_lead=False)
    world.helpline_nurse.is_active = False
    world.helpline_nurse.save()
    report = submit(world, RED, at=THURSDAY_1840)
    assert told(report) == [("alerted", "kw")]
    assert SymptomReport.objects.get(pk=report.pk).nobody_reachable_at is None


def test_amber_follows_the_duty_without_texts_at_night(world):
    on_duty_world(world)
    report = submit(world, AMBER, at=THURSDAY_1840)
    assert report.respond_by == THURSDAY_1840 + dt.timedelta(hours=24)  # the clock stands
    assert told(report) == [("alerted", "colleague"), ("informed", "kw")]
    assert channels(world.colleague) == ["email"]  # a mobile, but no text at night
    # In hours, amber alerts the key worker by email as before.
    assert told(submit(world, AMBER, at=THURSDAY_10)) == [("alerted", "kw")]


def test_amber_at_night_does_not_count_a_mobile_only_clinician_as_reached(world):
    on_duty_world(world)
    world.colleague.email = ""
    world.colleague.save()
    report = submit(world, AMBER, at=THURSDAY_1840)
    assert not OutboundMessage.objects.filter(recipient=world.colleague).exists()
    assert ReportEvent.objects.filter(
        report=report, detail__contains="no email address (no texts at night)"
    ).exists()
    assert [who for kind, who in told(report) if kind == "alerted"] == ["onc"]


# --- The chain never ends on someone who has already not answered -----------------------------


def test_a_nurse_who_is_key_worker_and_team_lead_is_not_the_next_step_after_herself(world):
    on_duty_world(world)
    TeamMembership.objects.filter(team=world.team_a).update(is_lead=False)
    TeamMembership.objects.filter(team=world.team_a, user=world.key_worker).update(is_lead=True)
    report = submit(world, RED, at=THURSDAY_10)
    assert told(report) == [("alerted", "kw")]
    escalation.escalations_run(now=THURSDAY_10 + dt.timedelta(minutes=60))
    assert told(report)[-1] == ("escalated", "colleague")
    escalation.escalations_run(now=THURSDAY_10 + dt.timedelta(minutes=75))
    # The team lead is Kate again: the chain goes on to acute oncology.
    assert told(report)[-1] == ("escalated", "helpline")
    assert ReportEvent.objects.filter(
        report=report,
        kind=EventKind.NO_RECIPIENT,
        detail__contains="Kate Walker: already alerted for this report",
    ).exists()
    assert [who for kind, who in told(report) if who == "kw"] == ["kw"]


def test_the_thursday_evening_report_reaches_acute_oncology_not_the_same_nurse_again(world):
    """The reported defect: key worker and team lead are the same nurse, off duty."""
    on_duty_world(world)
    TeamMembership.objects.filter(team=world.team_a).update(is_lead=False)
    TeamMembership.objects.filter(team=world.team_a, user=world.key_worker).update(is_lead=True)
    report = submit(world, RED, at=THURSDAY_1840)
    assert told(report) == [("alerted", "colleague"), ("informed", "kw")]
    assert escalation.escalations_run(now=THURSDAY_1840 + dt.timedelta(minutes=60)) == 1
    assert told(report)[-1] == ("escalated", "helpline")
    assert not ReportEvent.objects.filter(
        report=report, kind=EventKind.ESCALATED, recipient=world.key_worker
    ).exists()


def test_the_acute_oncology_nurse_can_open_and_acknowledge_a_report_she_was_alerted_to(world):
    on_duty_world(world)
    report = submit(world, RED, at=THURSDAY_1840)
    with pytest.raises(NotFound):  # not yet asked to act: another team's report
        symptom_report_acknowledge(
            actor=world.helpline_nurse,
            report_id=report.pk,
            action_taken="Called",
            now=THURSDAY_1840,
        )
    for minutes in (60, 75):
        escalation.escalations_run(now=THURSDAY_1840 + dt.timedelta(minutes=minutes))
    assert told(report)[-1] == ("escalated", "helpline")
    assert report_open(actor=world.helpline_nurse, report_id=report.pk).pk == report.pk
    done = symptom_report_acknowledge(
        actor=world.helpline_nurse,
        report_id=report.pk,
        action_taken="Called back; advised A&E",
        now=THURSDAY_1840 + dt.timedelta(minutes=80),
    )
    assert done.acknowledged_by == world.helpline_nurse
    with pytest.raises(NotFound):  # another team's nurse still cannot
        report_open(actor=world.other_team_nurse, report_id=report.pk)


def test_acute_oncology_is_the_organisations_helpline_nurses_only(world):
    on_duty_world(world)
    from waypoint.careteam.services import organisation_create, team_create

    elsewhere = organisation_create(name="Elsewhere Trust", ods_code="RYY01")
    far_team = team_create(
        organisation=elsewhere, name="Far helpline", in_hours_phone="1", out_of_hours_phone="2"
    )
    far = make_user("farhelp", Role.HELPLINE_NURSE)
    team_membership_add(team=far_team, user=far)
    report = submit(world, RED, at=THURSDAY_10)
    assert escalation.step_recipients(report, "acute_oncology", now=THURSDAY_10) == [
        world.helpline_nurse
    ]


def test_an_exhausted_chain_marks_nobody_reachable_tells_safety_once_and_repeats(world, settings):
    settings.WAYPOINT_SAFETY_EMAIL = "safety@example.nhs.uk"
    on_duty_world(world)
    report = submit(world, RED, at=THURSDAY_10)
    for minutes in (60, 75, 90):  # on call, team lead, acute oncology
        assert escalation.escalations_run(now=THURSDAY_10 + dt.timedelta(minutes=minutes)) == 1
    assert SymptomReport.objects.get(pk=report.pk).nobody_reachable_at is None

    at = THURSDAY_10 + dt.timedelta(minutes=105)
    assert escalation.escalations_run(now=at) == 1
    stored = SymptomReport.objects.get(pk=report.pk)
    assert stored.nobody_reachable_at == at
    safety = OutboundMessage.objects.get(topic="triage.nobody_reachable")
    assert (safety.to, safety.channel) == ("safety@example.nhs.uk", "email")
    assert "Lovelace" not in safety.body and "red (urgent)" in safety.subject
    repeated = {who for kind, who in told(report)[-4:]}
    assert repeated == {"kw", "colleague", "onc", "helpline"}  # everyone on duty in the chain

    # Every repeat interval after: everyone on duty again, and the safety address not again.
    for minutes in (120, 135):
        assert escalation.escalations_run(now=THURSDAY_10 + dt.timedelta(minutes=minutes)) == 1
    assert OutboundMessage.objects.filter(topic="triage.nobody_reachable").count() == 1
    assert ReportEvent.objects.filter(report=report, kind=EventKind.UNREACHABLE).count() == 1
    assert ReportEvent.objects.filter(report=report, recipient=world.helpline_nurse).count() == 4

    symptom_report_acknowledge(
        actor=world.colleague,
        report_id=report.pk,
        action_taken="Called; same-day MRI",
        now=THURSDAY_10 + dt.timedelta(minutes=140),
    )
    sent = OutboundMessage.objects.count()
    assert escalation.escalations_run(now=THURSDAY_10 + dt.timedelta(hours=6)) == 0
    assert OutboundMessage.objects.count() == sent


def test_repeats_out_of_hours_skip_the_off_duty_key_worker(world, settings):
    settings.WAYPOINT_SAFETY_EMAIL = "safety@example.nhs.uk"
    on_duty_world(world)
    report = submit(world, RED, at=THURSDAY_1840)  # on call and the key worker for information
    for minutes in (60, 75, 90):  # team lead, acute oncology, then nobody new
        escalation.escalations_run(now=THURSDAY_1840 + dt.timedelta(minutes=minutes))
    assert SymptomReport.objects.get(pk=report.pk).nobody_reachable_at is not None
    repeats = ReportEvent.objects.filter(
        report=report, kind=EventKind.ESCALATED, detail__contains="alerted again"
    )
    assert {e.recipient.username for e in repeats} == {"colleague", "onc", "helpline"}


def test_without_a_safety_address_nobody_reachable_is_logged_as_an_error_and_recorded(
    world, settings, caplog
):
    settings.WAYPOINT_SAFETY_EMAIL = ""
    report = submit(world, RED, at=THURSDAY_10)  # nobody has an email or a mobile
    assert told(report) == [("unreachable", None)]
    assert SymptomReport.objects.get(pk=report.pk).nobody_reachable_at == THURSDAY_10
    assert any(
        r.levelno == logging.ERROR and "WAYPOINT_SAFETY_EMAIL is not set" in r.getMessage()
        for r in caplog.records
    )
    event = ReportEvent.objects.get(report=report, kind=EventKind.UNREACHABLE)
    assert "no safety contact is configured" in event.detail
    assert not OutboundMessage.objects.exists()
    escalation.escalations_run(now=THURSDAY_10 + dt.timedelta(minutes=60))
    assert ReportEvent.objects.filter(report=report, kind=EventKind.UNREACHABLE).count() == 1


# --- What clinicians and admins see ----------------------------------------------------------


def test_the_queue_and_the_report_page_say_nobody_reachable(world, client, settings):
    settings.WAYPOINT_SAFETY_EMAIL = ""
    report = submit(world, RED, at=THURSDAY_10)  # nobody reachable at once
    other = submit(world, AMBER, at=THURSDAY_10, patient=world.other_patient)
    SymptomReport.objects.filter(pk=other.pk).update(nobody_reachable_at=None)
    client.force_login(world.key_worker)
    queue = client.get(f"/triage/?team={world.team_a.pk}").content.decode()
    assert queue.count("Nobody reachable") == 1
    page = client.get(f"/triage/reports/{report.pk}/").content.decode()
    assert "Nobody reachable" in page
    assert "Told for information" not in page


def test_the_report_page_shows_who_must_act_and_who_was_told_for_information(world, client):
    on_duty_world(world)
    report = submit(world, RED, at=THURSDAY_1840)
    client.force_login(world.key_worker)
    page = client.get(f"/triage/reports/{report.pk}/").content.decode()
    assert "Alert sent" in page and "Alerted Colin Lee as the team&#x27;s on-call" in page
    assert "Told for information (no action asked)" in page and "Told Kate Walker" in page
    assert "Nobody reachable" not in page


def test_the_admin_list_shows_nobody_reachable_to_admins(world, client, settings):
    settings.WAYPOINT_SAFETY_EMAIL = ""
    submit(world, RED, at=THURSDAY_10)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    listing = client.get("/admin/triage/symptomreport/")
    assert listing.status_code == 200
    assert "Nobody reachable since 03 Dec 2026 10:00" in listing.content.decode()
    assert "Lovelace" not in listing.content.decode()
    client.force_login(world.key_worker)
    assert client.get("/admin/triage/symptomreport/").status_code in (302, 403)
