"""Triage's events on the person's timeline: every symptom report, from the person or the team."""

from __future__ import annotations

from waypoint.core.chronology import Entry, local_day
from waypoint.registry.models import Patient
from waypoint.triage.models import SymptomReport


def timeline_entries(patient: Patient) -> list[Entry]:
    entries: list[Entry] = []
    for report in SymptomReport.objects.filter(patient=patient):
        entries.append(
            Entry(
                local_day(report.reported_at),
                report.reported_at,
                "symptoms",
                f"Symptom report ({report.get_level_display()}, {report.get_source_display()})",
                report.get_status_display(),
                "You reported symptoms" if report.source == "patient" else "Symptoms reported",
            )
        )
    return entries
