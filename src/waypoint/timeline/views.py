from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.accounts.policies import Permission
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.errors import ValidationFailed
from waypoint.core.http import acting_user
from waypoint.core.views import permission_required
from waypoint.portal.views import own_patient
from waypoint.registry.services import patient_open
from waypoint.timeline import selectors, services
from waypoint.timeline.models import ContactKind, Response


@permission_required(Permission.VIEW_TEAM_PATIENTS)
def timeline(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    patient = patient_open(actor=actor, patient_id=patient_id)
    if request.method == "POST":
        try:
            services.timeline_record(
                actor=actor,
                patient_id=patient.pk,
                kind=request.POST.get("kind", ""),
                on=dt.date.fromisoformat(
                    request.POST.get("on") or timezone.localdate().isoformat()
                ),
                note=request.POST.get("note", ""),
                result=request.POST.get("result", ""),
                contact_kind=request.POST.get("contact_kind", ""),
                key_worker_introduced=bool(request.POST.get("key_worker_introduced")),
                discharged_on=dt.date.fromisoformat(request.POST["discharged_on"])
                if request.POST.get("discharged_on")
                else None,
                reason=request.POST.get("reason", ""),
                unplanned=request.POST.get("planned") != "1",
            )
        except (ValidationFailed, ValueError) as exc:
            text = "; ".join(exc.fields.values()) if isinstance(exc, ValidationFailed) else str(exc)
            messages.warning(request, f"Not recorded: {text}")
        else:
            messages.success(request, "Recorded on the timeline.")
        return redirect("timeline", patient_id=patient.pk)
    return render(
        request,
        "timeline/timeline.html",
        {
            "patient": patient,
            "entries": selectors.timeline_for(patient),
            "responses": Response.choices,
            "contact_kinds": ContactKind.choices,
            "today": timezone.localdate(),
        },
    )


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_timeline(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    entries = [e for e in selectors.timeline_for(patient) if e.plain]
    return render(
        request,
        "timeline/portal_timeline.html",
        {
            "entries": entries,
            "contact": contact_for_patient(patient, day=timezone.localdate()),
        },
    )
