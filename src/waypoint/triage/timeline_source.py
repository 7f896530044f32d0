"""Triage's events on the person's timeline: every symptom report, from the person or the team."""

from __future__ import annotations

from waypoint.core.chronology import Entry, local_day
from waypoint.registry.models import Patient
from waypoint.triage.models import Source, SymptomReport
from waypoint.triage.presentation import source_words


def _plain(report: SymptomReport) -> str:
    if report.source == Source.PATIENT:
        return "You reported symptoms"
    if report.source == Source.CARER:
        return f"{report.submitted_by.display_name} reported symptoms for you"
    return "Symptoms reported"


def timeline_entries(patient: Patient) -> list[Entry]:
    entries: list[Entry] = []
    for report in SymptomReport.objects.filter(patient=patient).select_related("submitted_by"):
        entries.append(
            Entry(
                local_day(report.reported_at),
                report.reported_at,
                "symptoms",
                f"Symptom report ({report.get_level_display()}, {source_words(report)})",
                report.get_status_display(),
                _plain(report),
            )
        )
    return entries
