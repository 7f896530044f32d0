"""The care team's events on the person's timeline: each named key worker taking them on."""

from __future__ import annotations

from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.core.chronology import Entry, local_day
from waypoint.registry.models import Patient


def timeline_entries(patient: Patient) -> list[Entry]:
    entries: list[Entry] = []
    for a in KeyWorkerAssignment.objects.filter(patient=patient).select_related("key_worker"):
        name = a.key_worker.display_name
        entries.append(
            Entry(
                local_day(a.started_at),
                a.started_at,
                "key_worker",
                f"Key worker: {name}",
                a.start_reason,
                f"{name} became your key worker",
            )
        )
    return entries
