"""timeline_records_import: several events of one person's timeline at once, each checked as
timeline_record checks it, nothing written on any problem, the team only, one audit event each."""

from __future__ import annotations

import datetime as dt

import pytest

from waypoint.audit.models import AuditEvent
from waypoint.core.errors import NotFound, ValidationFailed
from waypoint.timeline.models import ProgressionEvent, ResponseAssessment
from waypoint.timeline.services import TimelineInput, timeline_records_import

pytestmark = pytest.mark.django_db


def test_events_are_written_with_one_audit_event_each(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        records = timeline_records_import(
            actor=world.key_worker,
            patient=world.patient,
            events=[
                TimelineInput("progression", dt.date(2026, 10, 20), note="liver"),
                TimelineInput("response", dt.date(2026, 11, 1), result="partial"),
            ],
        )
    assert [type(r) for r in records] == [ProgressionEvent, ResponseAssessment]
    assert records[1].result == "partial"
    events = AuditEvent.objects.filter(patient=world.patient, object_type__startswith="timeline_")
    assert sorted(events.values_list("object_type", "object_id")) == [
        ("timeline_progression", str(records[0].pk)),
        ("timeline_response", str(records[1].pk)),
    ]


def test_each_bad_event_is_named_and_nothing_is_written(world):
    before = (ProgressionEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        timeline_records_import(
            actor=world.key_worker,
            patient=world.patient,
            events=[
                TimelineInput("progression", dt.date(2026, 10, 20)),
                TimelineInput("response", dt.date(2026, 11, 1), result="better"),
                TimelineInput("progression", dt.date(1900, 1, 1)),
            ],
        )
    assert set(caught.value.fields) == {"events.1.result", "events.2.on"}
    assert (ProgressionEvent.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("who", ["other_team_nurse", "patient_user", "manager"])
def test_outsiders_get_not_found(world, who):
    with pytest.raises(NotFound):
        timeline_records_import(
            actor=getattr(world, who),
            patient=world.patient,
            events=[TimelineInput("progression", dt.date(2026, 10, 20))],
        )
    assert not ProgressionEvent.objects.filter(patient=world.patient).exists()
