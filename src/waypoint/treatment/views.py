from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission
from waypoint.core.errors import NotFound, ValidationFailed, WaypointError
from waypoint.core.forms import apply_service_errors
from waypoint.registry.models import Patient
from waypoint.registry.services import patient_get_for_update
from waypoint.treatment import services
from waypoint.treatment.forms import CycleForm, StartLineForm, StopLineForm
from waypoint.treatment.models import TreatmentLine


@permission_required(Permission.RECORD_TREATMENT)
def line_start(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    patient = patient_get_for_update(actor=actor, patient_id=patient_id)
    form = StartLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.treatment_line_start(
                actor=actor, patient=patient, today=timezone.localdate(), **form.cleaned_data
            )
        except WaypointError as exc:
            if isinstance(exc, NotFound):
                raise
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Line {line.line_number} is recorded.")
            return redirect("patient_detail", patient.pk)
    return render(
        request,
        "registry/simple_form.html",
        {"form": form, "patient": patient, "title": "Start a line of treatment"},
    )


def _line_for_update(actor: User, line_id: int) -> tuple[TreatmentLine, Patient]:
    """A line and its person, when the actor may change the person's record; else 404."""
    line = TreatmentLine.objects.filter(pk=line_id).first()
    if line is None:
        raise NotFound()
    return line, patient_get_for_update(actor=actor, patient_id=line.patient_id)


@permission_required(Permission.RECORD_TREATMENT)
def line_stop(request: HttpRequest, line_id: int) -> HttpResponse:
    actor = acting_user(request)
    line, patient = _line_for_update(actor, line_id)
    form = StopLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.treatment_line_stop(
                actor=actor,
                line_id=line.pk,
                stopped_on=form.cleaned_data["stopped_on"],
                reason=form.cleaned_data["reason"],
                today=timezone.localdate(),
            )
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Line {line.line_number} is stopped.")
            return redirect("patient_detail", patient.pk)
    return render(
        request,
        "registry/simple_form.html",
        {"form": form, "patient": patient, "title": f"Stop line {line.line_number}: {line.drugs}"},
    )


@permission_required(Permission.RECORD_TREATMENT)
def cycle_new(request: HttpRequest, line_id: int) -> HttpResponse:
    actor = acting_user(request)
    line, patient = _line_for_update(actor, line_id)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.treatment_cycle_record(
                actor=actor, line_id=line.pk, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Cycle {cycle.number} of line {line.line_number} recorded.")
            return redirect("patient_detail", patient.pk)
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "patient": patient,
            "title": f"Record a cycle of line {line.line_number}: {line.drugs}",
        },
    )
