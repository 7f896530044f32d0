from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.registry.services import patient_open
from waypoint.standards.rules.standards import TITLES
from waypoint.standards.selectors import standards_and_due


@permission_required(Permission.VIEW_TEAM_PATIENTS)
def patient_standards(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_open(actor=acting_user(request), patient_id=patient_id)
    results, due = standards_and_due(patient.pk, now=timezone.now())
    rows = [(r, TITLES[r.code]) for r in results]
    return render(
        request,
        "standards/patient.html",
        {"patient": patient, "rows": rows, "due": [(r, TITLES[r.code]) for r in due]},
    )
