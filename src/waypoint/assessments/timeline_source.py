"""Assessments' events on the person's timeline: finished needs assessments and care plans."""

from __future__ import annotations

from waypoint.assessments.models import AssessmentStatus, CarePlanRevision, NeedsAssessment
from waypoint.core.chronology import Entry, local_day
from waypoint.registry.models import Patient


def timeline_entries(patient: Patient) -> list[Entry]:
    entries: list[Entry] = []
    for n in NeedsAssessment.objects.filter(patient=patient).exclude(
        status=AssessmentStatus.IN_PROGRESS
    ):
        assert n.completed_at is not None  # noqa: S101  # finished assessments have a time
        detail = f"distress {n.distress}" if n.distress is not None else n.declined_reason
        entries.append(
            Entry(
                local_day(n.completed_at),
                n.completed_at,
                "assessment",
                f"Needs assessment {n.get_status_display().lower()}",
                detail,
                "Needs assessment",
            )
        )
    for plan in CarePlanRevision.objects.filter(patient=patient):
        entries.append(
            Entry(
                local_day(plan.created_at),
                plan.created_at,
                "care_plan",
                f"Care plan revision {plan.number}",
                plan.note,
                "Care and support plan agreed",
            )
        )
    return entries
