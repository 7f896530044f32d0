"""The record page: one person's registry record with what the other clinical apps know of
them (key worker and cover, treatment lines, symptom reports, assessments due, who looked)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission, has_permission
from waypoint.assessments.selectors import hna_due_for
from waypoint.audit.selectors import access_log_for_patient
from waypoint.careteam import selectors as careteam_selectors
from waypoint.registry import policies, services
from waypoint.registry.rules.subtype import SUBTYPE_LABELS, receptor_subtype
from waypoint.registry.selectors import current_receptors, patient_with_details
from waypoint.registry.services.invitations import has_active_account, latest_portal_invitation
from waypoint.registry.services.proxies import proxies_for_patient
from waypoint.treatment.selectors import treatment_lines
from waypoint.triage.selectors import reports_for_patient


@permission_required(Permission.VIEW_TEAM_PATIENTS, Permission.SEARCH_ORGANISATION_PATIENTS)
def patient_detail(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    reason = request.GET.get("reason", "")[:300]
    try:
        opened = services.patient_open(actor=actor, patient_id=patient_id, reason=reason)
    except policies.ReasonRequired:
        return render(request, "workspace/reason.html", {"patient_id": patient_id}, status=403)
    patient = patient_with_details(opened)
    today = timezone.localdate()
    contact = careteam_selectors.contact_for_patient(patient, day=today)
    er, pr, her2, receptor_source = current_receptors(patient)
    can_edit = policies.can_edit_patient(actor, patient)
    can_assign = can_edit and has_permission(actor, Permission.ASSIGN_KEY_WORKER)
    suggestion = (
        careteam_selectors.key_worker_suggestion(patient, day=today)
        if can_assign and contact.key_worker is None
        else None
    )
    invitation = latest_portal_invitation(patient) if can_edit else None
    return render(
        request,
        "workspace/patient_detail.html",
        {
            "patient": patient,
            "age": patient.age_on(today),
            "contact": contact,
            "history": careteam_selectors.assignment_history(patient),
            "access_log": access_log_for_patient(patient)[:20],
            "receptors": {"er": er, "pr": pr, "her2": her2, "source": receptor_source},
            "subtype": SUBTYPE_LABELS[receptor_subtype(er, pr, her2)] if er else "Not known",
            "can_edit": can_edit,
            "can_assign": can_assign,
            "assign_options": careteam_selectors.key_workers_by_team([patient.team_id]).get(
                patient.team_id, []
            )
            if can_assign
            else [],
            "suggestion": suggestion,
            "lines": treatment_lines(patient),
            "can_treat": can_edit and has_permission(actor, Permission.RECORD_TREATMENT),
            "reports": reports_for_patient(actor, patient, reason=reason)[:10],
            "hna_due": hna_due_for([patient.pk], today=today)[patient.pk],
            "portal_account": has_active_account(patient),
            "proxies": proxies_for_patient(patient) if can_edit else [],
            "portal_invitation": invitation,
            "portal_invitation_status": invitation.status_on(timezone.now())
            if invitation
            else None,
        },
    )
