from __future__ import annotations

from django.db.models import Count, QuerySet

from waypoint.registry.models import Patient
from waypoint.treatment.models import TreatmentLine


def treatment_lines(patient: Patient) -> QuerySet[TreatmentLine]:
    return (
        TreatmentLine.objects.filter(patient=patient)
        .annotate(cycle_count=Count("cycles"))
        .order_by("line_number", "started_on")
    )


def active_line(patient: Patient) -> TreatmentLine | None:
    return (
        TreatmentLine.objects.filter(patient=patient, stopped_on__isnull=True)
        .order_by("-started_on", "-id")
        .first()
    )
