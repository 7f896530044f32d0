"""One chronological timeline per person, fed by every capability."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from waypoint.assessments.models import AssessmentStatus, CarePlanRevision, NeedsAssessment
from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.registry.models import Biopsy, Patient, ReceptorResult, SecondaryDiagnosis
from waypoint.support.models import Referral
from waypoint.timeline.models import (
    Contact,
    HospitalAdmission,
    MdtDiscussion,
    ProgressionEvent,
    ResponseAssessment,
    SupportReview,
)
from waypoint.treatment.models import TreatmentCycle, TreatmentLine
from waypoint.triage.models import SymptomReport


@dataclass(frozen=True)
class Entry:
    on: dt.date
    at: dt.datetime | None
    kind: str
    title: str
    detail: str
    plain: str  # what the person sees on the portal; empty when it is for the team only


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def timeline_for(patient: Patient) -> list[Entry]:
    """Every event of the person's care, newest first."""
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
    for a in KeyWorkerAssignment.objects.filter(patient=patient).select_related("key_worker"):
        name = a.key_worker.display_name
        entries.append(
            Entry(
                _day(a.started_at),
                a.started_at,
                "key_worker",
                f"Key worker: {name}",
                a.start_reason,
                f"{name} became your key worker",
            )
        )
    for report in SymptomReport.objects.filter(patient=patient):
        entries.append(
            Entry(
                _day(report.reported_at),
                report.reported_at,
                "symptoms",
                f"Symptom report ({report.get_level_display()}, {report.get_source_display()})",
                report.get_status_display(),
                "You reported symptoms" if report.source == "patient" else "Symptoms reported",
            )
        )
    for n in NeedsAssessment.objects.filter(patient=patient).exclude(
        status=AssessmentStatus.IN_PROGRESS
    ):
        assert n.completed_at is not None  # noqa: S101  # finished assessments have a time
        detail = f"distress {n.distress}" if n.distress is not None else n.declined_reason
        entries.append(
            Entry(
                _day(n.completed_at),
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
                _day(plan.created_at),
                plan.created_at,
                "care_plan",
                f"Care plan revision {plan.number}",
                plan.note,
                "Care and support plan agreed",
            )
        )
    for ref in Referral.objects.filter(patient=patient).select_related("service"):
        entries.append(
            Entry(
                _day(ref.requested_at),
                ref.requested_at,
                "referral",
                f"Referral to {ref.service.name}",
                ref.get_status_display(),
                f"Referred to {ref.service.name}",
            )
        )
    if patient.died_on:
        entries.append(Entry(patient.died_on, None, "death", "Died", "", ""))
    return sorted(
        entries, key=lambda e: (e.on, e.at or dt.datetime.min.replace(tzinfo=dt.UTC)), reverse=True
    )
