"""The letter telling a person without a portal account who their new key worker is.

Drawn with WeasyPrint from ``careteam/key_worker_letter.html``. Its styles are given here, to
WeasyPrint, rather than in a ``<style>`` element: templates hold no inline styles (the browser's
Content-Security-Policy would refuse them), and this keeps the letter's template like the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.core.errors import NotFound
from waypoint.registry import policies as patient_policies
from waypoint.registry.models import Patient

LETTER_OBJECT = "key_worker_letter"

LETTER_CSS = """
@page { size: A4; margin: 20mm 18mm;
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 12pt; line-height: 1.45;
       color: #212b32; }
h1 { font-size: 18pt; margin: 12pt 0 8pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; }
.address { white-space: pre-line; margin-bottom: 14pt; }
.from { text-align: right; color: #4c6272; font-size: 10pt; }
.numbers { border-left: 4pt solid #005eb8; padding: 4pt 10pt; margin: 8pt 0; }
.numbers p { margin: 4pt 0; }
.phone { font-weight: bold; font-size: 14pt; }
footer { margin-top: 18pt; font-size: 9pt; color: #4c6272; }
"""


@dataclass(frozen=True)
class KeyWorkerLetter:
    patient: Patient
    assignment: KeyWorkerAssignment


@transaction.atomic
def key_worker_letter_open(*, actor: User, patient_id: int) -> KeyWorkerLetter:
    """The letter's facts, for a clinician of the person's team; anyone else, 404. Audited as an
    export: the letter leaves Waypoint on paper with the person's name and address."""
    patient = Patient.objects.select_related("team").filter(pk=patient_id).first()
    if (
        patient is None
        or not has_permission(actor, Permission.VIEW_TEAM_PATIENTS)
        or not patient_policies.can_view_patient(actor, patient)
    ):
        raise NotFound()
    assignment = (
        KeyWorkerAssignment.objects.filter(patient=patient, ended_at__isnull=True)
        .select_related("key_worker")
        .first()
    )
    if assignment is None or patient.died_on is not None:
        raise NotFound("This person has no named key worker to write about.")
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        patient=patient,
        object_type=LETTER_OBJECT,
        object_id=assignment.pk,
        detail=f"new key worker letter (PDF) naming {assignment.key_worker.username}",
    )
    return KeyWorkerLetter(patient=patient, assignment=assignment)


def key_worker_letter_pdf(letter: KeyWorkerLetter) -> bytes:
    from weasyprint import CSS, HTML  # imported here: it needs Pango, which only PDFs use

    html = render_to_string(
        "careteam/key_worker_letter.html",
        {
            "patient": letter.patient,
            "team": letter.patient.team,
            "key_worker": letter.assignment.key_worker,
            "since": letter.assignment.started_at,
            "helpline_phone": settings.WAYPOINT_HELPLINE_PHONE,
            "helpline_hours": settings.WAYPOINT_HELPLINE_HOURS,
            "printed": timezone.localtime(),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=LETTER_CSS)])
    return pdf
