"""Treatment's events on the person's timeline: lines started and stopped, and each cycle."""

from __future__ import annotations

from waypoint.core.chronology import Entry
from waypoint.registry.models import Patient
from waypoint.treatment.models import TreatmentCycle, TreatmentLine


def timeline_entries(patient: Patient) -> list[Entry]:
    entries: list[Entry] = []
    for line in TreatmentLine.objects.filter(patient=patient):
        entries.append(
            Entry(
                line.started_on,
                None,
                "treatment",
                f"Line {line.line_number} started",
                f"{line.drugs} ({line.get_kind_display()})",
                f"Started {line.drugs}",
            )
        )
        if line.stopped_on:
            entries.append(
                Entry(
                    line.stopped_on,
                    None,
                    "treatment",
                    f"Line {line.line_number} stopped",
                    line.get_stop_reason_display(),
                    f"Stopped {line.drugs}",
                )
            )
    for cycle in TreatmentCycle.objects.filter(line__patient=patient).select_related("line"):
        modified = "dose reduced or delayed" if cycle.dose_modified else ""
        entries.append(
            Entry(
                cycle.started_on,
                None,
                "cycle",
                f"Line {cycle.line.line_number}, cycle {cycle.number}",
                "; ".join(x for x in (modified, cycle.note) if x),
                f"Treatment cycle {cycle.number}",
            )
        )
    return entries
