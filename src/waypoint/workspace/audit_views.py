from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission
from waypoint.audit.models import AuditAction
from waypoint.core.forms import NhsDateInput, NhsForm
from waypoint.core.pagination import paginate
from waypoint.workspace.audit_trail import audit_events_search


class AuditSearchForm(NhsForm):
    username = forms.CharField(required=False, max_length=150, label="Username")
    patient = forms.IntegerField(required=False, min_value=1, label="Patient id")
    action = forms.ChoiceField(
        choices=[("", "Any"), *AuditAction.choices], required=False, label="Action"
    )
    since = forms.DateField(required=False, widget=NhsDateInput(), label="From")
    until = forms.DateField(required=False, widget=NhsDateInput(), label="To (inclusive)")


def _start_of(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@permission_required(Permission.SEARCH_AUDIT)
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    until = data.get("until")
    events = audit_events_search(
        actor=acting_user(request),
        username=data.get("username") or "",
        patient_id=data.get("patient"),
        action=data.get("action") or "",
        since=_start_of(data.get("since")),
        until=_start_of(until + dt.timedelta(days=1)) if until else None,
    )
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    page = paginate(events, page=page_number, page_size=50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()}
    )
