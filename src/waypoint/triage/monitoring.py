"""Symptom monitoring between contacts: weekly check-ins for people on active treatment.

Modelled on electronic patient-reported outcome monitoring during treatment (Basch et al., STAR,
JCO 2016; PRO-TECT, JAMA 2022): a weekly reminder, an alert to the key worker when an item is two or
more grades worse than the person's previous report or reaches grade 3, and outreach when check-ins
are missed. The cadence (7 days) and the outreach threshold (2 missed) are *proposed* and set by
``WAYPOINT_CHECK_IN_DAYS`` and ``WAYPOINT_CHECK_IN_MISSED_FOR_OUTREACH``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from waypoint.notifications.services import messages_to_user
from waypoint.registry.messaging import message_to_patient
from waypoint.registry.models import Patient
from waypoint.treatment.models import TreatmentLine
from waypoint.triage.escalation import step_recipients
from waypoint.triage.models import (
    CheckIn,
    CheckInStatus,
    EventKind,
    ReportEvent,
    Source,
    SymptomReport,
)
from waypoint.triage.rules import advice
from waypoint.triage.rules.vocabulary import SYMPTOMS, Kind, Level

MONITORING_VERSION = "waypoint-monitoring-1"
WORSENING_GRADES = 2  # STAR: an item worse by 2 or more grades than last time alerts
ALERT_GRADE = 3  # STAR / CTCAE: grade 3 (severe) alerts whatever the previous report said
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class MonitoringAlert:
    code: str
    grade: int
    previous: int
    why: str


def item_grades(
    reasons: Sequence[dict[str, Any]], symptoms: Sequence[dict[str, Any]]
) -> dict[str, int]:
    """A CTCAE-like grade for each item: the grade itself, or 1–4 from the level of the others."""
    grades: dict[str, int] = {}
    for entry in symptoms:
        code = entry.get("code", "")
        if code in SYMPTOMS and SYMPTOMS[code].kind is Kind.GRADED:
            grades[code] = int(entry.get("grade", 0))
    for reason in reasons:
        code = reason["code"]
        if code in SYMPTOMS and code not in grades:
            grades[code] = Level.from_code(reason["level"]).value + 1
    return grades


def compare(current: dict[str, int], previous: dict[str, int]) -> list[MonitoringAlert]:
    """Pure: the alerts one report raises against the one before (waypoint-monitoring-1)."""
    alerts = []
    for code, grade in sorted(current.items()):
        before = previous.get(code, 0)
        if grade >= ALERT_GRADE:
            alerts.append(MonitoringAlert(code, grade, before, f"grade {grade} (3 or more)"))
        elif grade - before >= WORSENING_GRADES:
            alerts.append(
                MonitoringAlert(code, grade, before, f"grade {before} → {grade} since last report")
            )
    return alerts


def check_in_record(*, report: SymptomReport, now: dt.datetime) -> None:
    """Called inside the transaction that stores a person's own report."""
    patient_id = report.patient_id
    assert patient_id is not None  # noqa: S101  # a person's own report always has its patient
    due = CheckIn.objects.filter(patient_id=patient_id, status=CheckInStatus.DUE).first()
    if due is not None:
        due.status = CheckInStatus.DONE
        due.report = report
        due.save(update_fields=["status", "report"])
        report.is_check_in = True
        report.save(update_fields=["is_check_in"])
    if not report.is_check_in:
        return
    previous = (
        SymptomReport.objects.filter(
            patient_id=patient_id, source=Source.PATIENT, reported_at__lt=report.reported_at
        )
        .exclude(pk=report.pk)
        .order_by("-reported_at", "-id")
        .only("reasons", "symptoms")
        .first()
    )
    current = item_grades(report.reasons, report.symptoms)
    before = item_grades(previous.reasons, previous.symptoms) if previous else {}
    alerts = compare(current, before)
    if not alerts:
        return
    report.monitoring_alerts = [
        {"code": a.code, "grade": a.grade, "previous": a.previous, "why": a.why} for a in alerts
    ]
    report.save(update_fields=["monitoring_alerts"])
    summary = "; ".join(f"{SYMPTOMS[a.code].label.lower()} {a.why}" for a in alerts)
    ReportEvent.objects.create(
        report=report, at=now, kind=EventKind.MONITORING, detail=summary[:300]
    )
    for user in step_recipients(report, "key_worker", now=now):
        messages_to_user(
            user=user,
            subject="Waypoint: a check-in shows symptoms getting worse",
            body=(
                f"A check-in for {report.team.name} needs review. "
                f"Open {settings.WAYPOINT_BASE_URL}/triage/reports/{report.pk}/"
            ),
            topic="triage.monitoring",
            reference=str(report.pk),
            now=now,
            sms=False,
        )


def check_in_due(patient: Patient) -> bool:
    return CheckIn.objects.filter(patient=patient, status=CheckInStatus.DUE).exists()


def patients_due_a_check_in(*, now: dt.datetime) -> QuerySet[Patient]:
    cadence = dt.timedelta(days=settings.WAYPOINT_CHECK_IN_DAYS)
    active = TreatmentLine.objects.filter(
        patient=OuterRef("pk"), stopped_on__isnull=True, started_on__lte=now.date()
    )
    recent = CheckIn.objects.filter(patient=OuterRef("pk")).filter(
        Q(status=CheckInStatus.DUE) | Q(due_at__gt=now - cadence)
    )
    return (
        Patient.objects.filter(died_on__isnull=True).filter(Exists(active)).exclude(Exists(recent))
    )


def check_ins_close_missed(*, now: dt.datetime) -> int:
    return CheckIn.objects.filter(status=CheckInStatus.DUE, closes_at__lte=now).update(
        status=CheckInStatus.MISSED
    )


def check_ins_schedule(*, now: dt.datetime, limit: int = 500) -> int:
    """Open this week's check-in for everyone on active treatment, and remind them."""
    cadence = dt.timedelta(days=settings.WAYPOINT_CHECK_IN_DAYS)
    created = 0
    for patient in patients_due_a_check_in(now=now).order_by("pk")[:limit]:
        try:
            with transaction.atomic():
                CheckIn.objects.create(
                    patient=patient,
                    due_at=now,
                    closes_at=now + cadence,
                    status=CheckInStatus.DUE,
                    reminded_at=now,
                )
                _remind(patient, now=now)
        except IntegrityError:  # another worker opened it first
            continue
        created += 1
    return created


def _remind(patient: Patient, *, now: dt.datetime) -> None:
    body = (
        "Waypoint: your weekly symptom check-in is ready. It takes about 2 minutes: "
        f"{settings.WAYPOINT_BASE_URL}/portal/symptoms/. {advice.DO_NOT_WAIT}"
    )
    message_to_patient(
        patient=patient,
        subject="Your weekly symptom check-in",
        body=body,
        topic="triage.check_in",
        reference=str(patient.pk),
        now=now,
    )


def outreach_queryset(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """People who missed at least N check-ins in a row since their last completed one."""
    threshold = settings.WAYPOINT_CHECK_IN_MISSED_FOR_OUTREACH
    last_done = CheckIn.objects.filter(patient=OuterRef("pk"), status=CheckInStatus.DONE).order_by(
        "-due_at"
    )
    missed_since = (
        CheckIn.objects.filter(
            patient=OuterRef("pk"), status=CheckInStatus.MISSED, due_at__gt=OuterRef("last_done")
        )
        .order_by()
        .values("patient")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        patients.filter(died_on__isnull=True)
        .annotate(last_done=Coalesce(Subquery(last_done.values("due_at")[:1]), Value(EPOCH)))
        .annotate(missed_in_a_row=Coalesce(Subquery(missed_since[:1]), Value(0)))
        .filter(missed_in_a_row__gte=threshold)
        .order_by("family_name", "given_name", "pk")
    )
