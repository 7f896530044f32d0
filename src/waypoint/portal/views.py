"""The patient's own pages. A patient only ever reaches their own record."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.assessments.selectors import hna_due_for, in_progress
from waypoint.audit.selectors import access_log_for_person
from waypoint.careteam.models import Team
from waypoint.careteam.notices import key_worker_notice_unseen
from waypoint.careteam.selectors import contact_for_patient
from waypoint.core.outage import TeamNumbers, team_numbers_remember
from waypoint.core.pagination import paginate
from waypoint.experience.selectors import open_invitation
from waypoint.portal.carer_words import access_rows
from waypoint.registry.models import Patient
from waypoint.registry.services import patient_open_own
from waypoint.triage.monitoring import check_in_due
from waypoint.triage.selectors import reports_for_patient


def own_patient(request: HttpRequest) -> Patient:
    return patient_open_own(actor=acting_user(request))


def remember_team(response: HttpResponse, team: Team) -> HttpResponse:
    """Keep the person's team numbers in their browser, for the page shown while the database
    cannot be reached (core/outage.py)."""
    numbers = TeamNumbers(
        name=team.name,
        in_hours_phone=team.in_hours_phone,
        out_of_hours_phone=team.out_of_hours_phone,
    )
    team_numbers_remember(response, numbers=numbers)
    return response


@permission_required(Permission.VIEW_OWN_RECORD)
def home(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    contact = contact_for_patient(patient, day=timezone.localdate())
    response = render(
        request,
        "portal/home.html",
        {
            "patient": patient,
            "contact": contact,
            "reports": reports_for_patient(acting_user(request), patient)[:5],
            "check_in_due": check_in_due(patient),
            "hna_due": hna_due_for([patient.pk], today=timezone.localdate())[patient.pk],
            "hna_started": in_progress(patient) is not None,
            "survey_open": open_invitation(patient, today=timezone.localdate()) is not None,
            "key_worker_notice": key_worker_notice_unseen(patient),
        },
    )
    return remember_team(response, contact.team)


@permission_required(Permission.VIEW_OWN_RECORD)
def access(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    contact = contact_for_patient(patient, day=timezone.localdate())
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    page = paginate(access_log_for_person(patient), page=page_number, page_size=50)
    rows = access_rows(patient, list(page.items))
    return remember_team(
        render(
            request,
            "portal/access.html",
            {"patient": patient, "contact": contact, "page": page, "rows": rows},
        ),
        contact.team,
    )
