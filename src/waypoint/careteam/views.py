from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.accounts.decorators import permission_required
from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission, has_permission
from waypoint.careteam import notices, selectors, services, worklists
from waypoint.careteam.forms import AssignForm, BulkReassignForm, CoverForm
from waypoint.core.errors import ValidationFailed, WaypointError
from waypoint.core.forms import apply_service_errors
from waypoint.core.http import page_number
from waypoint.core.views import form_page
from waypoint.registry.services import patient_get_for_update


@permission_required(Permission.VIEW_TEAM_PATIENTS)
def unassigned(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    today = timezone.localdate()
    page = worklists.unassigned_worklist_open(actor=actor, day=today, page=page_number(request))
    team_ids = {row.patient.team_id for row in page.rows}
    options = selectors.key_workers_by_team(team_ids)
    rows = [{"row": row, "options": options.get(row.patient.team_id, [])} for row in page.rows]
    return render(
        request,
        "careteam/unassigned.html",
        {
            "page": page,
            "rows": rows,
            "can_assign": has_permission(actor, Permission.ASSIGN_KEY_WORKER),
            "letters": notices.letters_waiting_by_team(actor),
        },
    )


@require_POST
@permission_required(Permission.ASSIGN_KEY_WORKER)
def assign(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = acting_user(request)
    patient = patient_get_for_update(actor=actor, patient_id=patient_id)
    form = AssignForm(request.POST)
    form.fields["user"].choices = [  # type: ignore[attr-defined]  # ChoiceField
        (u.pk, u.display_name) for u in selectors.key_workers_of([patient.team_id])
    ]
    back = request.POST.get("next") or reverse("patient_detail", args=[patient.pk])
    if not back.startswith("/") or back.startswith("//"):  # this site's pages only
        back = reverse("patient_detail", args=[patient.pk])
    outcome: str
    ok = False
    if form.is_valid():
        try:
            assignment = services.keyworker_assign(
                actor=actor,
                patient=patient,
                key_worker_id=form.cleaned_data["user"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationFailed as exc:
            outcome = f"Not assigned: {'; '.join(exc.fields.values()) or exc}"
            apply_service_errors(form, exc)
        else:
            ok = True
            outcome = (
                f"{assignment.key_worker.display_name} is now {patient.full_name}'s key worker."
            )
    else:
        outcome = "Not assigned: choose a key worker and give a reason."
    if request.headers.get("HX-Request") == "true":
        # The worklist swaps just this row, so the nurse keeps her place in the list.
        return render(
            request,
            "careteam/_assigned_row.html",
            {"patient": patient, "outcome": outcome, "ok": ok},
        )
    if not ok:
        return form_page(
            request,
            form,
            title=f"Choose a key worker for {patient.full_name}",
            submit="Assign",
            back_url=back,
            back_text="Back",
        )
    messages.success(request, outcome)
    return redirect(back)


@permission_required(Permission.ARRANGE_COVER)
def covers(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    absent_choices, cover_choices = selectors.cover_choices(actor)
    form = CoverForm(request.POST or None)
    form.fields["absent_user"].choices = [  # type: ignore[attr-defined]  # ChoiceField
        (u.pk, u.display_name) for u in absent_choices
    ]
    form.fields["cover_user"].choices = [  # type: ignore[attr-defined]  # ChoiceField
        (u.pk, u.display_name) for u in cover_choices
    ]
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            cover = services.cover_arrange(
                actor=actor,
                absent_user_id=data["absent_user"],
                cover_user_id=data["cover_user"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
        except WaypointError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{cover.cover_user.display_name} covers {cover.absent_user.display_name}'s "
                "patients for those dates.",
            )
            return redirect("covers")
    current = selectors.covers_for_actor(actor, day=timezone.localdate())
    return render(request, "careteam/covers.html", {"form": form, "covers": current})


@require_POST
@permission_required(Permission.ARRANGE_COVER)
def cover_cancel(request: HttpRequest, cover_id: int) -> HttpResponse:
    services.cover_cancel(actor=acting_user(request), cover_id=cover_id)
    messages.success(request, "Cover cancelled.")
    return redirect("covers")


@permission_required(Permission.VIEW_AGGREGATES)
def overview(request: HttpRequest) -> HttpResponse:
    """Counts only: a service manager never sees a patient's details here."""
    actor = acting_user(request)
    today = timezone.localdate()
    teams = selectors.teams_for_aggregates(actor)
    loads = selectors.team_loads(teams, day=today)
    form = None
    if has_permission(actor, Permission.BULK_REASSIGN_KEY_WORKER):
        form = BulkReassignForm(request.POST or None)
        key_workers = [kw for load in loads for kw, _, _ in load.key_workers]
        unique = {u.pk: u for u in key_workers}
        form.fields["from_user"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            (u.pk, u.display_name) for u in unique.values()
        ]
        form.fields["to_user"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            ("", "Share across the team"),
            *[(u.pk, u.display_name) for u in unique.values()],
        ]
        if request.method == "POST" and form.is_valid():
            try:
                moved = services.keyworker_bulk_reassign(
                    actor=actor,
                    from_user_id=form.cleaned_data["from_user"],
                    to_user_id=form.cleaned_data["to_user"],
                    reason=form.cleaned_data["reason"],
                    day=today,
                )
            except WaypointError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"{moved} people moved to a new key worker.")
                return redirect("overview")
    totals = {
        "patients": sum(load.patients for load in loads),
        "unassigned": sum(load.unassigned for load in loads),
    }
    return render(
        request, "careteam/overview.html", {"loads": loads, "form": form, "totals": totals}
    )
