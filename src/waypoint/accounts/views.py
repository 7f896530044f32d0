from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from waypoint.accounts.http import acting_user
from waypoint.accounts.models import Role

_HOME_BY_ROLE: dict[str, str] = {
    Role.KEY_WORKER: "caseload",
    Role.ONCOLOGIST: "caseload",
    Role.HELPLINE_NURSE: "patient_search",
    Role.SERVICE_MANAGER: "overview",
    Role.ADMIN: "audit_search",
    Role.PATIENT: "portal_home",
    Role.CARER: "carer_home",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(_HOME_BY_ROLE.get(acting_user(request).role, "login"))
