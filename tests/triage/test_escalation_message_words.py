"""Alert messages read as sentences: "An emergency report", never "A EMERGENCY report"."""

from __future__ import annotations

import datetime as dt

import pytest

from waypoint.triage.escalation.messages import message
from waypoint.triage.models import EventKind
from waypoint.triage.services import ReportInput, symptom_report_submit

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("symptoms", "article"),
    [
        ([{"code": "chest_pain", "present": True}], "An emergency report"),
        ([{"code": "limb_weakness", "present": True}], "A red (urgent) report"),
        ([{"code": "nausea", "grade": 2}], "An amber report"),
    ],
)
@pytest.mark.parametrize(
    "kind", [EventKind.ALERTED, EventKind.ESCALATED, EventKind.INFORMED, EventKind.UNREACHABLE]
)
def test_every_alert_names_the_level_in_words_with_the_right_article(
    world, symptoms, article, kind
) -> None:
    report, _ = symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(symptoms=symptoms, reported_at=NOW),
        now=NOW,
    )
    subject, body = message(report, kind=kind, now=NOW)
    assert body.startswith(article)
    for code in ("EMERGENCY", "RED", "AMBER", "A emergency", "A amber"):
        assert code not in subject
        assert code not in body
