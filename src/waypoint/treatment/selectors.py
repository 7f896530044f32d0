from __future__ import annotations

from django.db.models import Count, QuerySet

from waypoint.registry.models import Patient
from waypoint.treatment.models import TreatmentCycle, TreatmentLine


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


def line_patient_id(line_id: int) -> int | None:
    """Whose line this is, or None when there is no such line."""
    return TreatmentLine.objects.filter(pk=line_id).values_list("patient_id", flat=True).first()


def cycles_of_line(line_id: int) -> list[TreatmentCycle]:
    return list(TreatmentCycle.objects.filter(line_id=line_id))
