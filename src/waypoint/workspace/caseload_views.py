"""The caseload page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.models import Role
from waypoint.accounts.policies import Permission
from waypoint.careteam.forms import CaseloadFilterForm
from waypoint.careteam.models import TeamMembership
from waypoint.careteam.selectors import key_workers_of
from waypoint.core.http import page_number
from waypoint.workspace.caseload import CaseloadFilters, caseload_open


@permission_required(Permission.VIEW_TEAM_PATIENTS)
def caseload(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    form = CaseloadFilterForm(request.GET or None)
    team_ids = TeamMembership.objects.filter(user=actor).values_list("team_id", flat=True)
    form.fields["key_worker"].choices = [  # type: ignore[attr-defined]  # ChoiceField
        ("", "Anyone"),
        *[(u.pk, u.display_name) for u in key_workers_of(team_ids)],
    ]
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    default_scope = "mine" if actor.role == Role.KEY_WORKER else "team"
    filters = CaseloadFilters(
        scope=data.get("scope") or default_scope,
        q=data.get("q") or "",
        site=data.get("site") or "",
        key_worker=data.get("key_worker"),
        unassigned_only=bool(data.get("unassigned")),
        sort=data.get("sort") or "name",
    )
    page = caseload_open(
        actor=actor, day=timezone.localdate(), filters=filters, page=page_number(request)
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "careteam/caseload.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate()},
    )
