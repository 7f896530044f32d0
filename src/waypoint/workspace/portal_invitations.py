"""Inviting a person to the portal from their record page, and the letter for those the team
cannot reach by email or text."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.access.models import InvitationChannel, InvitationStatus
from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import WaypointError
from waypoint.registry import services
from waypoint.registry.services.invitations import (
    INVITATION_OBJECT,
    latest_portal_invitation,
    portal_invitation_send,
)


@permission_required(Permission.EDIT_TEAM_PATIENTS)
@require_POST
def send(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    record = reverse("patient_detail", args=[patient_id]) + "#portal-account"
    try:
        sent = portal_invitation_send(actor=actor, patient_id=patient_id, now=timezone.now())
    except WaypointError as error:
        if error.status_code == 404:
            raise Http404 from error
        messages.error(request, str(error))
        return redirect(record)
    invitation = sent.invitation
    if invitation.channel == InvitationChannel.LETTER:
        messages.success(
            request,
            "There is no email address or mobile number for this person, so the invitation is "
            "a letter. Print it and post it or give it to them.",
        )
    else:
        messages.success(
            request,
            f"Invitation sent by {invitation.get_channel_display().lower()} to "
            f"{invitation.sent_to}.",
        )
    return redirect(record)


@permission_required(Permission.EDIT_TEAM_PATIENTS)
def letter(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The pending letter invitation as a PDF to print. Outside the person's team: 404."""
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    services.require_edit(actor, patient)
    invitation = latest_portal_invitation(patient)
    if (
        invitation is None
        or invitation.channel != InvitationChannel.LETTER
        or invitation.status_on(timezone.now()) != InvitationStatus.PENDING
    ):
        raise Http404("There is no letter invitation waiting to be printed.")
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        patient=patient,
        object_type=INVITATION_OBJECT,
        object_id=invitation.pk,
        detail="Printed the portal invitation letter",
    )
    from weasyprint import HTML  # imported here: it needs Pango, which only PDFs use

    html = render_to_string(
        "workspace/portal_invitation_letter_pdf.html",
        {
            "patient": patient,
            "team": patient.team,
            "invitation": invitation,
            "join_url": settings.WAYPOINT_BASE_URL + reverse("portal_join_letter"),
            "printed": timezone.localtime(),
            "helpline_phone": settings.WAYPOINT_HELPLINE_PHONE,
            "helpline_hours": settings.WAYPOINT_HELPLINE_HOURS,
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="waypoint-invitation-{patient.pk}.pdf"'
    return response
