"""Support's events on the person's timeline: each referral to a service."""

from __future__ import annotations

from waypoint.core.chronology import Entry, local_day
from waypoint.registry.models import Patient
from waypoint.support.models import Referral


def timeline_entries(patient: Patient) -> list[Entry]:
    entries: list[Entry] = []
    for ref in Referral.objects.filter(patient=patient).select_related("service"):
        entries.append(
            Entry(
                local_day(ref.requested_at),
                ref.requested_at,
                "referral",
                f"Referral to {ref.service.name}",
                ref.get_status_display(),
                f"Referred to {ref.service.name}",
            )
        )
    return entries
