"""Weekly check-ins for people on active treatment: reminders, worsening alerts, outreach."""

from __future__ import annotations

import datetime as dt

import pytest

from waypoint.notifications.models import OutboundMessage
from waypoint.registry.models import Patient
from waypoint.treatment.models import TreatmentLine
from waypoint.triage import monitoring
from waypoint.triage.models import CheckIn, CheckInStatus, ReportEvent
from waypoint.triage.services import ReportInput, symptom_report_submit

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


def on_treatment(patient: Patient) -> None:
    TreatmentLine.objects.create(
        patient=patient,
        line_number=1,
        kind="chemotherapy",
        drugs="Capecitabine",
        started_on=dt.date(2026, 10, 1),
    )


def report(world, symptoms, at):  # type: ignore[no-untyped-def]
    stored, _ = symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(symptoms=symptoms, reported_at=at),
        now=at,
    )
    return stored


@pytest.mark.parametrize(
    ("current", "previous", "alerts"),
    [
        ({"fatigue": 1}, {}, []),
        ({"fatigue": 2}, {}, ["fatigue"]),
        ({"fatigue": 2}, {"fatigue": 1}, []),
        ({"fatigue": 3}, {"fatigue": 2}, ["fatigue"]),
        ({"fatigue": 3}, {"fatigue": 3}, ["fatigue"]),
        ({"nausea": 2, "pain": 1}, {"nausea": 0, "pain": 1}, ["nausea"]),
        ({"pain": 1}, {"pain": 3}, []),
    ],
)
def test_compare_alerts_on_two_grades_worse_or_grade_three(current, previous, alerts):
    assert [a.code for a in monitoring.compare(current, previous)] == alerts


@pytest.mark.django_db
def test_people_on_active_treatment_get_a_weekly_check_in(world):
    on_treatment(world.patient)
    world.patient.email = "ada@example.com"
    world.patient.preferred_contact_method = "email"
    world.patient.save()
    assert monitoring.check_ins_schedule(now=T0) == 1
    assert monitoring.check_ins_schedule(now=T0 + dt.timedelta(days=1)) == 0
    message = OutboundMessage.objects.get(topic="triage.check_in")
    assert message.to == "ada@example.com"
    assert CheckIn.objects.get().status == CheckInStatus.DUE


@pytest.mark.django_db
def test_nobody_off_treatment_is_asked(world):
    TreatmentLine.objects.create(
        patient=world.patient,
        line_number=1,
        kind="chemotherapy",
        drugs="Paclitaxel",
        started_on=dt.date(2026, 6, 1),
        stopped_on=dt.date(2026, 9, 1),
        stop_reason="completed",
    )
    assert monitoring.check_ins_schedule(now=T0) == 0


@pytest.mark.django_db
def test_a_report_completes_the_check_in_and_alerts_on_worsening(world):
    world.key_worker.email = "kate@example.nhs.uk"
    world.key_worker.save()
    on_treatment(world.patient)
    report(world, [{"code": "fatigue", "grade": 1}], T0 - dt.timedelta(days=3))
    monitoring.check_ins_schedule(now=T0)
    stored = report(world, [{"code": "fatigue", "grade": 3}], T0 + dt.timedelta(hours=2))
    stored.refresh_from_db()
    assert stored.is_check_in is True
    assert stored.monitoring_alerts[0]["code"] == "fatigue"
    assert CheckIn.objects.get().status == CheckInStatus.DONE
    assert ReportEvent.objects.filter(report=stored, kind="monitoring").exists()
    assert OutboundMessage.objects.filter(topic="triage.monitoring").count() == 1


@pytest.mark.django_db
def test_two_missed_weeks_put_the_person_on_the_outreach_list(world):
    on_treatment(world.patient)
    patients = Patient.objects.filter(team=world.team_a)
    now = T0
    monitoring.check_ins_schedule(now=now)
    now += WEEK
    monitoring.check_ins_close_missed(now=now)
    monitoring.check_ins_schedule(now=now)
    assert list(monitoring.outreach_queryset(patients)) == []
    now += WEEK
    monitoring.check_ins_close_missed(now=now)
    assert list(monitoring.outreach_queryset(patients)) == [world.patient]
    # A completed check-in takes them off the list.
    monitoring.check_ins_schedule(now=now)
    report(world, [], now + dt.timedelta(hours=1))
    assert list(monitoring.outreach_queryset(patients)) == []
