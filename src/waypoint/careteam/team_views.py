"""Pages for running a team (its leads), using an invitation to join one, and telling people
about a new key worker (the portal notice's button, the letter and the team's letters to print).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.access.invitations import AccountSetupForm
from waypoint.access.models import InvitationStatus
from waypoint.access.signin import SignInMethod, sign_in_complete
from waypoint.accounts.http import acting_user
from waypoint.careteam import invitations, letters, membership, notices
from waypoint.careteam.models import KeyWorkerAssignment, Team, TeamInvitation, TeamMembership
from waypoint.careteam.policies import can_manage_team, teams_actor_may_view
from waypoint.careteam.selectors import key_worker_candidates
from waypoint.careteam.services import keyworker_bulk_reassign
from waypoint.careteam.team_forms import (
    EndMembershipForm,
    InviteForm,
    LeadForm,
    MemberForm,
    ReassignForm,
)
from waypoint.core.errors import Conflict, WaypointError
from waypoint.core.forms import apply_service_errors


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form's data on a POST, even an empty one (an unticked box sends nothing)."""
    return request.POST if request.method == "POST" else None


def _team_url(team_id: int) -> str:
    return reverse("team_manage", args=[team_id])


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    """The teams the person is in (for an administrator, every team). One team: straight to it."""
    actor = acting_user(request)
    teams = list(teams_actor_may_view(actor).select_related("organisation").order_by("name"))
    if len(teams) == 1:
        return redirect(_team_url(teams[0].pk))
    return render(request, "careteam/team_list.html", {"teams": teams})


@login_required
def team_manage(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = acting_user(request)
    team = membership.team_for_actor(actor, team_id)
    manages = can_manage_team(actor, team)
    now = timezone.now()
    rows = membership.team_members(team, day=timezone.localdate(now))
    context: dict[str, object] = {
        "team": team,
        "rows": rows,
        "manages": manages,
        "lead_count": sum(1 for r in rows if r.membership.is_lead),
    }
    if manages:
        sent = invitations.pending_invitations(team.pk, now=now)
        context["invitations"] = [(i, i.status_on(now)) for i in sent]
        context["pending"] = InvitationStatus.PENDING
        context["letters"] = notices.letters_to_print(actor, team_id=team.pk).count()
    return render(request, "careteam/team_manage.html", context)


@login_required
def team_invite(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = acting_user(request)
    team = membership.team_for_manager(actor, team_id)
    form = InviteForm(_posted(request))
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitations.team_invitation_send(
                actor=actor,
                team_id=team.pk,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                is_lead=data["is_lead"],
                job_title=data["job_title"],
            )
        except invitations.AlreadyHasAccount as exc:
            existing = exc.user
        except WaypointError as exc:
            if exc.status_code == 404:
                raise
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.first_name} {invitation.last_name} "
                f"({invitation.sent_to}). The link works once, for "
                f"{_days(invitation)} days.",
            )
            return redirect(_team_url(team.pk))
    return render(
        request,
        "careteam/team_invite.html",
        {"team": team, "form": form, "existing": existing},
        status=422 if form.errors else 200,
    )


def _days(invitation: TeamInvitation) -> int:
    return (invitation.expires_at - invitation.created_at).days


@require_POST
@login_required
def team_add_existing(request: HttpRequest, team_id: int, user_id: int) -> HttpResponse:
    actor = acting_user(request)
    try:
        added = membership.team_member_add_existing(
            actor=actor,
            team_id=team_id,
            user_id=user_id,
            is_lead=request.POST.get("is_lead") == "on",
        )
    except WaypointError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{added.user.display_name} is now in the team.")
    return redirect(_team_url(team_id))


@require_POST
@login_required
def team_invitation_withdraw(
    request: HttpRequest, team_id: int, invitation_id: int
) -> HttpResponse:
    actor = acting_user(request)
    try:
        withdrawn = invitations.team_invitation_withdraw(
            actor=actor, team_id=team_id, invitation_id=invitation_id
        )
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Invitation to {withdrawn.first_name} {withdrawn.last_name} withdrawn. "
            "Its link no longer works.",
        )
    return redirect(_team_url(team_id))


@login_required
def team_member(request: HttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    """Change a member's clinical role (a lead of every team they are in, or an administrator)
    or whether they lead the team."""
    actor = acting_user(request)
    team = membership.team_for_manager(actor, team_id)
    member = membership.member_of_team(team, membership_id)
    may_change_role = membership.may_change_account(
        actor, member.user
    ) and member.user.role in dict(
        MemberForm.base_fields["role"].choices  # type: ignore[attr-defined]  # ChoiceField
    )
    form: MemberForm | LeadForm
    initial = {"role": member.user.role, "is_lead": member.is_lead}
    if may_change_role:
        form = MemberForm(_posted(request), initial=initial)
    else:
        form = LeadForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            membership.team_member_change(
                actor=actor,
                team_id=team.pk,
                membership_id=member.pk,
                role=form.cleaned_data.get("role") if may_change_role else None,
                is_lead=form.cleaned_data["is_lead"],
            )
        except WaypointError as exc:
            if exc.status_code == 404:
                raise
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{member.user.display_name}'s details are saved.")
            return redirect(_team_url(team.pk))
    return render(
        request,
        "careteam/team_member.html",
        {"team": team, "member": member, "form": form, "may_change_role": may_change_role},
        status=422 if form.errors else 200,
    )


@login_required
def team_member_end(request: HttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    """End a membership. While the member is someone's key worker in this team, the page is the
    caseload move first (``team_member_reassign``); the end is offered once nobody would be left
    without a key worker."""
    actor = acting_user(request)
    team = membership.team_for_manager(actor, team_id)
    member = membership.member_of_team(team, membership_id)
    needing = membership.patients_needing_key_worker(member)
    if needing:
        return _reassign_page(request, team, member, needing, ReassignForm(), status=200)
    others = membership.other_memberships(member)
    may_turn_off = (
        membership.may_change_account(actor, member.user)
        and not others
        and member.user_id != actor.pk
    )
    form = EndMembershipForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            ended = membership.team_membership_end(
                actor=actor,
                team_id=team.pk,
                membership_id=member.pk,
                turn_off_account=may_turn_off and form.cleaned_data["turn_off_account"],
            )
        except membership.KeyWorkersNeeded:
            return redirect(reverse("team_member_end", args=[team.pk, member.pk]))
        except WaypointError as exc:
            if exc.status_code == 404:
                raise
            apply_service_errors(form, exc)
        else:
            done = f"{ended.display_name} is no longer in {team.name}."
            if ended.account_turned_off:
                done += " Their account is turned off."
            messages.success(request, done)
            if member.user_id == actor.pk:
                return redirect("home")
            return redirect(_team_url(team.pk))
    return render(
        request,
        "careteam/team_member_end.html",
        {
            "team": team,
            "member": member,
            "form": form,
            "may_turn_off": may_turn_off,
            "other_teams": others,
        },
        status=422 if form.errors else 200,
    )


def _reassign_page(
    request: HttpRequest,
    team: Team,
    member: TeamMembership,
    needing: list[KeyWorkerAssignment],
    form: ReassignForm,
    *,
    status: int,
) -> HttpResponse:
    day = timezone.localdate()
    candidates = [c for c in key_worker_candidates(team, day=day) if c.user_id != member.user_id]
    form.fields["to_user"].choices = [  # type: ignore[attr-defined]  # ChoiceField
        ("", "Share across the team"),
        *[
            (c.user_id, f"{c.name} ({c.caseload} people{', on leave today' if c.on_leave else ''})")
            for c in candidates
        ],
    ]
    return render(
        request,
        "careteam/team_member_end.html",
        {
            "team": team,
            "member": member,
            "needing": needing,
            "reassign_form": form,
            "candidates": candidates,
        },
        status=status,
    )


@require_POST
@login_required
def team_member_reassign(request: HttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    """Move the leaving member's caseload in this team (the existing bulk reassignment, limited
    to the team), then back to ending the membership."""
    actor = acting_user(request)
    team = membership.team_for_manager(actor, team_id)
    member = membership.member_of_team(team, membership_id)
    needing = membership.patients_needing_key_worker(member)
    form = ReassignForm(request.POST)
    day = timezone.localdate()
    candidates = [c.user_id for c in key_worker_candidates(team, day=day)]
    form.fields["to_user"].choices = [  # type: ignore[attr-defined]  # ChoiceField
        ("", "Share across the team"),
        *[(pk, str(pk)) for pk in candidates if pk != member.user_id],
    ]
    if form.is_valid():
        try:
            moved = keyworker_bulk_reassign(
                actor=actor,
                from_user_id=member.user_id,
                to_user_id=form.cleaned_data["to_user"],
                reason=form.cleaned_data["reason"],
                day=day,
                team_id=team.pk,
            )
        except WaypointError as exc:
            if exc.status_code == 404:
                raise
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{moved} {'person has' if moved == 1 else 'people have'} a new key worker, "
                "and will be told.",
            )
            return redirect(reverse("team_member_end", args=[team.pk, member.pk]))
    return _reassign_page(request, team, member, needing, form, status=422)


# --- Using an invitation ----------------------------------------------------------------------


def team_invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The page the invitation's link opens: choose a username and password (or, with the
    organisation's sign-in, just confirm), and be signed in. A link that cannot be used says why
    and what to do."""
    invitation = invitations.team_invitation_for_token(token)
    now = timezone.now()
    if invitation is None:
        return render(
            request, "careteam/team_invitation_open.html", {"state": "unknown"}, status=404
        )
    status = invitation.status_on(now)
    if status != InvitationStatus.PENDING:
        return render(
            request,
            "careteam/team_invitation_open.html",
            {"state": status.value, "invitation": invitation},
            status=410,
        )
    if request.user.is_authenticated:
        return render(
            request,
            "careteam/team_invitation_open.html",
            {"state": "signed_in", "invitation": invitation},
        )
    sso = invitations.staff_single_sign_on()
    form = AccountSetupForm(_posted(request), person=invitations.invitation_person(invitation))
    for field in form.fields.values():
        field.widget.attrs["class"] = "nhsuk-input"
    if request.method == "POST" and (sso or form.is_valid()):
        try:
            user = invitations.team_invitation_accept(
                token=token,
                username=invitation.email.lower() if sso else form.cleaned_data["username"],
                password=None if sso else form.cleaned_data["password1"],
            )
        except WaypointError as exc:
            if exc.status_code == 404:
                raise
            if isinstance(exc, Conflict):
                return redirect(request.path)
            apply_service_errors(form, exc)
        else:
            if sso:
                return render(
                    request,
                    "careteam/team_invitation_open.html",
                    {
                        "state": "sso_ready",
                        "invitation": invitation,
                        "sso_label": invitations.staff_sign_in_label(),
                    },
                )
            response = redirect("home")
            sign_in_complete(request, user=user, method=SignInMethod.INVITATION, response=response)
            messages.success(
                request, f"Welcome to Waypoint. You are now in {invitation.team.name}."
            )
            return response
    return render(
        request,
        "careteam/team_invitation_open.html",
        {
            "state": "pending",
            "invitation": invitation,
            "form": form,
            "sso": sso,
            "sso_label": invitations.staff_sign_in_label(),
        },
        status=422 if form.errors else 200,
    )


# --- Telling people about a new key worker ----------------------------------------------------


@require_POST
@login_required
def key_worker_notice_seen(request: HttpRequest, notice_id: int) -> HttpResponse:
    notices.key_worker_notice_seen(actor=acting_user(request), notice_id=notice_id)
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):  # this site's pages only
        back = reverse("home")
    return redirect(back)


@login_required
def key_worker_letter(request: HttpRequest, patient_id: int) -> HttpResponse:
    letter = letters.key_worker_letter_open(actor=acting_user(request), patient_id=patient_id)
    response = HttpResponse(letters.key_worker_letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="key-worker-letter-{patient_id}.pdf"'
    return response


@login_required
def team_letters(request: HttpRequest, team_id: int) -> HttpResponse:
    """The team's letters to print: people without a portal account who have a new key worker."""
    actor = acting_user(request)
    team = membership.team_for_actor(actor, team_id)
    rows = list(notices.letters_to_print(actor, team_id=team.pk))
    return render(request, "careteam/team_letters.html", {"team": team, "rows": rows})


@require_POST
@login_required
def key_worker_letter_printed(request: HttpRequest, team_id: int, notice_id: int) -> HttpResponse:
    notice = notices.key_worker_letter_printed(actor=acting_user(request), notice_id=notice_id)
    messages.success(request, f"Letter to {notice.patient.full_name} marked as printed.")
    return redirect(reverse("team_letters", args=[team_id]))
