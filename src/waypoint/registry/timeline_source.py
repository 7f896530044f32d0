"""The registry's events on the person's timeline: diagnoses, biopsies, receptor results, death."""

from __future__ import annotations

from waypoint.core.chronology import Entry
from waypoint.registry.models import Biopsy, Patient, ReceptorResult, SecondaryDiagnosis


def timeline_entries(patient: Patient) -> list[Entry]:
    entries: list[Entry] = []
    for s in SecondaryDiagnosis.objects.filter(patient=patient).prefetch_related("sites"):
        sites = ", ".join(site.get_site_display() for site in s.sites.all())
        entries.append(
            Entry(
                s.diagnosed_on,
                None,
                "diagnosis",
                "Secondary breast cancer diagnosed",
                sites,
                "Secondary breast cancer diagnosed",
            )
        )
    for b in Biopsy.objects.filter(patient=patient):
        where = b.get_site_display() if b.site else (b.body_site or "site not recorded")
        entries.append(Entry(b.performed_on, None, "biopsy", f"Biopsy ({where})", b.note, "Biopsy"))
    for rr in ReceptorResult.objects.filter(patient=patient):
        entries.append(
            Entry(
                rr.observed_on,
                None,
                "receptor",
                f"{rr.get_marker_display()}: {rr.get_value_display()}",
                rr.get_specimen_display(),
                "",
            )
        )
    if patient.died_on:
        entries.append(Entry(patient.died_on, None, "death", "Died", "", ""))
    return entries
