"""The timeline's own records on the person's timeline: admissions, support reviews,
progression, response assessments, MDT discussions and contacts."""

from __future__ import annotations

from waypoint.core.chronology import Entry
from waypoint.registry.models import Patient
from waypoint.timeline.models import (
    Contact,
    HospitalAdmission,
    MdtDiscussion,
    ProgressionEvent,
    ResponseAssessment,
    SupportReview,
)


def timeline_entries(patient: Patient) -> list[Entry]:
    entries: list[Entry] = []
    for adm in HospitalAdmission.objects.filter(patient=patient):
        stay = f"discharged {adm.discharged_on:%d %b %Y}" if adm.discharged_on else "in hospital"
        entries.append(
            Entry(
                adm.on,
                None,
                "admission",
                "Emergency admission" if adm.unplanned else "Planned admission",
                f"{adm.reason}; {stay}",
                "Admitted to hospital",
            )
        )
    for sr in SupportReview.objects.filter(patient=patient):
        entries.append(
            Entry(
                sr.on,
                None,
                "support_review",
                "Support reviewed",
                sr.note,
                "Your support was reviewed with you",
            )
        )
    for p in ProgressionEvent.objects.filter(patient=patient):
        entries.append(Entry(p.on, None, "progression", "Progression", p.note, ""))
    for r in ResponseAssessment.objects.filter(patient=patient):
        entries.append(Entry(r.on, None, "response", r.get_result_display(), r.note, ""))
    for m in MdtDiscussion.objects.filter(patient=patient):
        entries.append(
            Entry(
                m.on,
                None,
                "mdt",
                "Discussed at the MDT meeting",
                m.note,
                "Your care was discussed by your team",
            )
        )
    for c in Contact.objects.filter(patient=patient):
        entries.append(
            Entry(
                c.on,
                None,
                "contact",
                c.get_kind_display(),
                c.note,
                f"{c.get_kind_display()} with your team",
            )
        )
    return entries
