"""Demo triage activity: a treatment line, an on-call rota and a queue with something in it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.careteam.models import OnCallShift, Team
from waypoint.registry.models import Patient
from waypoint.treatment.models import TreatmentLine
from waypoint.triage.helpline import CallInput, helpline_call_log
from waypoint.triage.services import ReportInput, symptom_report_submit


def load_triage_demo(*, teams: dict[str, Team], users: dict[str, User], today: dt.date) -> None:
    now = timezone.now()
    sarah = Patient.objects.get(user__username="patient")
    TreatmentLine.objects.create(
        patient=sarah,
        line_number=1,
        kind="targeted",
        drugs="Palbociclib and fulvestrant",
        started_on=today - dt.timedelta(days=150),
        recorded_by=users["oncologist"],
    )
    for team_key, clinician in (("a", "keyworker3"), ("b", "keyworker4")):
        OnCallShift.objects.create(
            team=teams[team_key],
            clinician=users[clinician],
            starts_at=now - dt.timedelta(hours=12),
            ends_at=now + dt.timedelta(days=14),
            created_by=users["manager"],
        )
    symptom_report_submit(
        actor=sarah.user,  # type: ignore[arg-type]  # the persona has an account
        patient=sarah,
        source="patient",
        data=ReportInput(
            symptoms=[{"code": "fatigue", "grade": 1}, {"code": "neuropathy", "grade": 1}],
            reported_at=now - dt.timedelta(days=3),
            free_text="A bit more tired than usual this week.",
        ),
        now=now,
    )
    others = list(
        Patient.objects.filter(team=teams["a"], died_on__isnull=True)
        .exclude(pk=sarah.pk)
        .order_by("pk")[:2]
    )
    if len(others) == 2:
        helpline_call_log(
            actor=users["helpline"],
            patient_id=others[0].pk,
            call=CallInput(
                caller_name=f"{others[0].given_name} {others[0].family_name}",
                caller_relationship="self",
                callback_number="07700 900321",
                advice_given="Attend the assessment unit now for assessment and antibiotics.",
                disposition="assessment_unit",
                called_at=now - dt.timedelta(minutes=20),
                follow_up_due=now + dt.timedelta(hours=2),
            ),
            report=ReportInput(
                symptoms=[
                    {"code": "temperature", "celsius": 38.2},
                    {"code": "rigors", "present": True},
                ],
                context={
                    "last_sact_on": (timezone.localdate() - dt.timedelta(days=8)).isoformat(),
                    "sact_kind": "chemotherapy",
                },
                free_text="Shivery since this afternoon.",
            ),
            now=now,
        )
        symptom_report_submit(
            actor=users["keyworker3"],
            patient=others[1],
            source="clinician",
            data=ReportInput(
                symptoms=[{"code": "spinal_pain", "present": True}, {"code": "pain", "grade": 1}],
                reported_at=now - dt.timedelta(minutes=40),
                free_text="Back pain for a week, worse at night. Says her legs feel a bit wobbly.",
            ),
            now=now,
        )
    helpline_call_log(
        actor=users["helpline"],
        patient_id=None,
        call=CallInput(
            caller_name="Dora Newcomb",
            caller_relationship="self",
            callback_number="07700 900654",
            advice_given="Anti-sickness as prescribed; call back if vomiting continues.",
            disposition="team_review",
            called_at=now - dt.timedelta(hours=1),
            follow_up_due=now + dt.timedelta(hours=20),
            person_given_name="Dora",
            person_family_name="Newcomb",
            person_birth_date=dt.date(1958, 2, 3),
        ),
        report=ReportInput(symptoms=[{"code": "vomiting", "episodes_24h": 3}]),
        now=now,
    )
