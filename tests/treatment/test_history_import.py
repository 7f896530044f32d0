"""treatment_history_import: a person's lines, cycles and stops at once, checked as the single
services would check them one after another, nothing written on any problem, the team only,
one audit event per line, cycle and stop."""

from __future__ import annotations

import datetime as dt

import pytest

from waypoint.audit.models import AuditEvent
from waypoint.core.errors import NotFound, ValidationFailed
from waypoint.treatment.models import TreatmentCycle, TreatmentLine
from waypoint.treatment.services import (
    LineInput,
    treatment_history_import,
    treatment_line_start,
)

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 1)


def _counts() -> tuple[int, int, int]:
    return (
        TreatmentLine.objects.count(),
        TreatmentCycle.objects.count(),
        AuditEvent.objects.count(),
    )


def test_lines_continue_the_active_one_then_start_the_next(world, django_assert_max_num_queries):
    active = treatment_line_start(
        actor=world.key_worker,
        patient=world.patient,
        kind="endocrine",
        drugs="Letrozole",
        started_on=D(2026, 10, 5),
        today=TODAY,
    )
    audit_before = AuditEvent.objects.count()
    with django_assert_max_num_queries(8):
        lines = treatment_history_import(
            actor=world.key_worker,
            patient=world.patient,
            lines=[
                LineInput(
                    "endocrine",
                    "Letrozole",
                    D(2026, 10, 5),
                    line_id=active.pk,
                    cycle_dates=(D(2026, 10, 5), D(2026, 11, 2)),
                    stopped_on=D(2026, 11, 20),
                    stop_reason="progression",
                ),
                LineInput(
                    "chemotherapy", "Capecitabine", D(2026, 11, 21), cycle_dates=[D(2026, 11, 21)]
                ),
            ],
            today=TODAY,
        )
    first, second = (TreatmentLine.objects.get(pk=line.pk) for line in lines)
    assert (first.pk, first.last_dose_on, first.stopped_on, first.stop_reason) == (
        active.pk,
        D(2026, 11, 2),
        D(2026, 11, 20),
        "progression",
    )
    assert (second.line_number, second.is_active, second.last_dose_on) == (2, True, D(2026, 11, 21))
    assert list(first.cycles.values_list("number", flat=True)) == [1, 2]
    events = AuditEvent.objects.order_by("id")[audit_before:]
    assert [(e.action, e.object_type, e.detail) for e in events] == [
        ("create", "treatment_line", "line 2: chemotherapy"),
        ("create", "treatment_cycle", "line 1 cycle 1"),
        ("create", "treatment_cycle", "line 1 cycle 2"),
        ("create", "treatment_cycle", "line 2 cycle 1"),
        ("update", "treatment_line", "stopped: progression"),
    ]


def test_every_problem_is_named_and_nothing_is_written(world):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        treatment_history_import(
            actor=world.key_worker,
            patient=world.patient,
            lines=[
                LineInput("targeted", "Palbociclib", D(2026, 10, 5), cycle_dates=[D(2026, 10, 1)]),
                LineInput(
                    "magic", "", D(2026, 12, 25), stopped_on=D(2026, 12, 2), stop_reason="bored"
                ),
            ],
            today=TODAY,
        )
    assert set(caught.value.fields) == {
        "lines.0.cycle_dates.0",
        "lines.1.kind",
        "lines.1.drugs",
        "lines.1.started_on",
        "lines.1.stopped_on",
        "lines.1.stop_reason",
    }
    assert _counts() == before


@pytest.mark.parametrize("who", ["other_team_nurse", "helpline_nurse", "patient_user"])
def test_outsiders_get_not_found(world, who):
    before = _counts()
    with pytest.raises(NotFound):
        treatment_history_import(
            actor=getattr(world, who),
            patient=world.patient,
            lines=[LineInput("targeted", "Palbociclib", D(2026, 10, 5))],
            today=TODAY,
        )
    assert _counts() == before
