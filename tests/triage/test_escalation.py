"""The response clock: escalation along the chain with a frozen clock, and two workers racing.

These reports arrive in the team's hours (Monday 10:10, GMT), so the key worker is alerted first;
tests/triage/test_escalation_duty.py covers out of hours, absence and the chain's end.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from waypoint.careteam.models import OnCallShift, TeamMembership, TeamOpeningHours
from waypoint.notifications.models import OutboundMessage
from waypoint.triage import escalation
from waypoint.triage.models import EventKind, ReportEvent, SymptomReport
from waypoint.triage.services import (
    ReportInput,
    symptom_report_acknowledge,
    symptom_report_submit,
)

T0 = dt.datetime(2026, 11, 23, 10, 10, tzinfo=dt.UTC)  # Monday, in hours


def submit(world, symptoms, *, at=T0):  # type: ignore[no-untyped-def]
    report, _ = symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(symptoms=symptoms, reported_at=at),
        now=at,
    )
    return report


def staff(world):  # type: ignore[no-untyped-def]
    for user, email in (
        (world.key_worker, "kate@example.nhs.uk"),
        (world.colleague, "colin@example.nhs.uk"),
        (world.oncologist, "omar@example.nhs.uk"),
        (world.helpline_nurse, "hana@example.nhs.uk"),
    ):
        user.email = email
        user.save()
    TeamOpeningHours.objects.bulk_create(
        TeamOpeningHours(team=world.team_a, weekday=d, opens_at=dt.time(9), closes_at=dt.time(17))
        for d in range(5)
    )
    OnCallShift.objects.create(
        team=world.team_a,
        clinician=world.colleague,
        starts_at=T0 - dt.timedelta(hours=8),
        ends_at=T0 + dt.timedelta(days=3),
        created_by=world.manager,
    )
    TeamMembership.objects.filter(team=world.team_a, user=world.oncologist).update(is_lead=True)


def alerted(report):  # type: ignore[no-untyped-def]
    return [
        (e.kind, e.recipient.username if e.recipient else None)
        for e in ReportEvent.objects.filter(report=report).exclude(kind=EventKind.RECEIVED)
    ]


@pytest.mark.django_db
def test_red_walks_the_chain_until_acknowledged(world):
    staff(world)
    report = submit(world, [{"code": "limb_weakness", "present": True}])
    assert alerted(report) == [("alerted", "kw")]

    # Nothing happens before the clock runs out.
    assert escalation.escalations_run(now=T0 + dt.timedelta(minutes=59)) == 0
    # At 60 minutes: the on-call clinician.
    assert escalation.escalations_run(now=T0 + dt.timedelta(minutes=60)) == 1
    assert alerted(report)[-1] == ("escalated", "colleague")
    # Every 15 minutes after: the team lead, then the acute oncology nurses.
    assert escalation.escalations_run(now=T0 + dt.timedelta(minutes=74)) == 0
    assert escalation.escalations_run(now=T0 + dt.timedelta(minutes=75)) == 1
    assert alerted(report)[-1] == ("escalated", "onc")
    assert escalation.escalations_run(now=T0 + dt.timedelta(minutes=90)) == 1
    assert alerted(report)[-1] == ("escalated", "helpline")
    # Nobody new is left: nobody reachable, and everyone on duty in the chain is alerted again.
    assert escalation.escalations_run(now=T0 + dt.timedelta(minutes=105)) == 1
    assert alerted(report)[-5:] == [
        ("unreachable", None),
        ("escalated", "kw"),
        ("escalated", "colleague"),
        ("escalated", "onc"),
        ("escalated", "helpline"),
    ]

    symptom_report_acknowledge(
        actor=world.key_worker,
        report_id=report.pk,
        action_taken="Called; ambulance",
        now=T0 + dt.timedelta(minutes=110),
    )
    assert escalation.escalations_run(now=T0 + dt.timedelta(hours=5)) == 0
    assert OutboundMessage.objects.filter(topic="triage.escalation").count() == 7
    history = [e.kind for e in ReportEvent.objects.filter(report=report)]
    assert history == ["received", "alerted", "escalated", "escalated", "escalated"] + [
        "unreachable"
    ] + ["escalated"] * 4 + ["acknowledged"]


@pytest.mark.django_db
def test_emergency_escalates_on_the_first_pass(world):
    staff(world)
    report = submit(world, [{"code": "chest_pain", "present": True}])
    assert report.respond_by == T0
    assert escalation.escalations_run(now=T0) == 1
    assert alerted(report) == [("alerted", "kw"), ("escalated", "colleague")]


@pytest.mark.django_db
def test_amber_escalates_after_24_hours(world):
    staff(world)
    report = submit(world, [{"code": "nausea", "grade": 2}])
    assert escalation.escalations_run(now=T0 + dt.timedelta(hours=23, minutes=59)) == 0
    assert escalation.escalations_run(now=T0 + dt.timedelta(hours=24)) == 1
    assert alerted(report)[-1] == ("escalated", "colleague")
    assert escalation.escalations_run(now=T0 + dt.timedelta(hours=24, minutes=59)) == 0
    assert escalation.escalations_run(now=T0 + dt.timedelta(hours=25)) == 1


@pytest.mark.django_db
def test_green_never_escalates(world):
    staff(world)
    report = submit(world, [{"code": "fatigue", "grade": 1}])
    assert report.next_escalation_at is None
    assert escalation.escalations_run(now=T0 + dt.timedelta(days=3)) == 0


@pytest.mark.django_db
def test_cover_is_alerted_instead_of_an_absent_key_worker(world):
    from waypoint.careteam.models import Cover

    staff(world)
    Cover.objects.create(
        absent_user=world.key_worker,
        cover_user=world.colleague,
        starts_on=dt.date(2026, 11, 20),
        ends_on=dt.date(2026, 11, 30),
        created_by=world.manager,
    )
    report = submit(world, [{"code": "limb_weakness", "present": True}])
    assert alerted(report) == [("alerted", "colleague")]


@pytest.mark.django_db
def test_an_empty_step_is_recorded_and_skipped(world):
    staff(world)
    OnCallShift.objects.all().delete()
    report = submit(world, [{"code": "limb_weakness", "present": True}])
    escalation.escalations_run(now=T0 + dt.timedelta(minutes=60))
    assert alerted(report)[-2:] == [("no_recipient", None), ("escalated", "onc")]


def test_two_workers_racing_send_each_step_once(committed_world):
    world = committed_world
    staff(world)
    reports = [submit(world, [{"code": "limb_weakness", "present": True}]) for _ in range(20)]
    later = T0 + dt.timedelta(minutes=61)
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def work() -> None:
        # As the worker loop does: a pass that hits a lock is simply run again.
        try:
            barrier.wait()
            while True:
                try:
                    taken = escalation.escalations_run(now=later)
                except OperationalError:
                    continue
                counts.append(taken)
                if not taken:
                    break
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # However the passes interleaved, every report took exactly one escalation step.
    for report in reports:
        assert ReportEvent.objects.filter(report=report, kind=EventKind.ESCALATED).count() == 1, (
            report.pk
        )
    assert all(r.escalation_step == 1 for r in SymptomReport.objects.all())


@pytest.mark.django_db
def test_the_worker_command_runs_one_pass(world):
    from django.core.management import call_command

    staff(world)
    with time_machine.travel(T0, tick=False):  # in hours: the key worker alone is alerted
        submit(world, [{"code": "limb_weakness", "present": True}], at=timezone.now())
        call_command("run_worker", "--once")
    assert OutboundMessage.objects.filter(status="sent").count() == 1


@pytest.mark.django_db
def test_the_worker_stops_cleanly_on_sigterm(world):
    import io
    import os
    import signal

    from django.core.management import call_command

    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.5, os.kill, args=(os.getpid(), signal.SIGTERM))
    out = io.StringIO()
    timer.start()
    call_command("run_worker", "--interval", "0.1", stdout=out)
    timer.join()
    assert out.getvalue().splitlines()[-1].endswith("stopped")
    assert signal.getsignal(signal.SIGTERM) is before  # handlers are put back


@pytest.mark.django_db
def test_the_team_sees_who_missed_two_check_ins(world, api_as):
    from waypoint.treatment.models import TreatmentLine
    from waypoint.triage import monitoring

    TreatmentLine.objects.create(
        patient=world.patient,
        line_number=1,
        kind="chemotherapy",
        drugs="Capecitabine",
        started_on=dt.date(2026, 10, 1),
    )
    now = T0
    for _ in range(2):
        monitoring.check_ins_schedule(now=now)
        now += dt.timedelta(days=7)
        monitoring.check_ins_close_missed(now=now)
    listed = api_as(world.key_worker).get(f"/teams/{world.team_a.pk}/check-in-outreach").json()
    assert [(p["patient_id"], p["missed_in_a_row"]) for p in listed] == [(world.patient.pk, 2)]
    assert (
        api_as(world.other_team_nurse)
        .get(f"/teams/{world.team_a.pk}/check-in-outreach")
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_someone_who_cannot_be_reached_is_not_counted_as_alerted(world):
    staff(world)
    world.key_worker.email = ""
    world.key_worker.save()  # a landline only: no email, no mobile
    report = submit(world, [{"code": "limb_weakness", "present": True}])
    events = list(ReportEvent.objects.filter(report=report).exclude(kind=EventKind.RECEIVED))
    assert events[0].kind == EventKind.NO_RECIPIENT
    assert "no email or mobile number" in events[0].detail
    assert (events[-1].kind, events[-1].recipient) == (EventKind.ALERTED, world.colleague)
    assert not OutboundMessage.objects.filter(recipient=world.key_worker).exists()


@pytest.mark.django_db
def test_an_empty_last_step_is_recorded_once_not_every_repeat(world):
    OnCallShift.objects.all().delete()
    report = submit(world, [{"code": "limb_weakness", "present": True}])  # nobody has an email
    for minutes in (60, 75, 90, 105):
        escalation.escalations_run(now=T0 + dt.timedelta(minutes=minutes))
    waiting = ReportEvent.objects.filter(report=report, detail__contains="waits on the team queue")
    assert waiting.count() == 1
