"""The timeline pages: the team's chronology with its recording form, and the person's plainer
one. They show events from every app, so they live in the composing layer."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.errors import Forbidden, NotFound, ValidationFailed
from waypoint.core.forms import apply_service_errors
from waypoint.registry.services import patient_open, patient_open_own
from waypoint.registry.services.proxies import ProxyPurpose, proxy_open
from waypoint.timeline import services
from waypoint.timeline.forms import TimelineRecordForm
from waypoint.workspace.timeline import timeline_for


@permission_required(Permission.VIEW_TEAM_PATIENTS)
def timeline(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    patient = patient_open(actor=actor, patient_id=patient_id)
    form = TimelineRecordForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.timeline_record(
                actor=actor,
                patient_id=patient.pk,
                kind=data["kind"],
                on=data["on"],
                note=data["note"],
                result=data["result"],
                contact_kind=data["contact_kind"],
                key_worker_introduced=data["key_worker_introduced"],
                discharged_on=data["discharged_on"],
                reason=data["reason"],
                unplanned=not data["planned"],
            )
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Recorded on the timeline.")
            return redirect("timeline", patient_id=patient.pk)
    return render(
        request,
        "timeline/timeline.html",
        {"patient": patient, "entries": timeline_for(patient), "form": form},
        status=422 if form.errors else 200,
    )


@permission_required(Permission.VIEW_OWN_RECORD)
def portal_timeline(request: HttpRequest) -> HttpResponse:
    patient = patient_open_own(actor=acting_user(request))
    entries = [e for e in timeline_for(patient) if e.plain]
    return render(
        request,
        "timeline/portal_timeline.html",
        {
            "entries": entries,
            "contact": contact_for_patient(patient, day=timezone.localdate()),
        },
    )


@permission_required(Permission.ACT_AS_PROXY)
def carer_timeline(request: HttpRequest, proxy_id: int) -> HttpResponse:
    """The person's care so far, for a carer they chose to show it to: the same plain entries the
    person sees. Refusals use the carer's own pages (portal/carer/), as every carer page does."""
    try:
        proxy = proxy_open(
            actor=acting_user(request), proxy_id=proxy_id, purpose=ProxyPurpose.TIMELINE
        )
    except NotFound:
        return render(request, "portal/carer/gone.html", status=404)
    except Forbidden as exc:
        return render(
            request,
            "portal/carer/not_shared.html",
            {"message": exc.message, "proxy_id": proxy_id},
            status=403,
        )
    entries = [e for e in timeline_for(proxy.patient) if e.plain]
    return render(
        request,
        "portal/carer/timeline.html",
        {
            "entries": entries,
            "helping": proxy,
            "contact": contact_for_patient(proxy.patient, day=timezone.localdate()),
        },
    )
