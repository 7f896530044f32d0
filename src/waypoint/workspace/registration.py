"""Registering a person: the registry's form and service, with careteam's list of the teams
the person may join."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.models import Role
from waypoint.accounts.policies import Permission
from waypoint.careteam.selectors import teams_actor_may_register_into
from waypoint.core.errors import WaypointError
from waypoint.core.forms import apply_service_errors
from waypoint.registry import policies, services
from waypoint.registry.forms import PatientForm


@permission_required(Permission.REGISTER_PATIENT)
def patient_new(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    form = PatientForm(request.POST or None, initial={"preferred_contact_method": "phone"})
    teams = teams_actor_may_register_into(actor).exclude(
        memberships__user__role=Role.HELPLINE_NURSE
    )
    form.fields["team"].choices = [(t.pk, t.name) for t in teams]  # type: ignore[attr-defined]  # ChoiceField
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patient = services.patient_register(
                actor=actor,
                nhs_number=data["nhs_number"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                birth_date=data["birth_date"],
                sex=data["sex"],
                team_id=data["team"],
                postcode=data["postcode"],
                phone=data["phone"],
                email=data["email"],
                preferred_contact_method=data["preferred_contact_method"],
                reason="Registered in Waypoint",
            )
        except WaypointError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{patient.full_name} is registered.")
            if policies.can_edit_patient(actor, patient):
                return redirect("patient_detail", patient.pk)
            query = urlencode({"reason": f"Registered {patient.full_name} during a call"})
            return redirect(f"/patients/{patient.pk}/?{query}")
    return render(request, "registry/patient_new.html", {"form": form})
