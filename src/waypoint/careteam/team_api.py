"""The team's members and invitations over the API: what the team page does, for integrations
(a trust's starters-and-leavers process, say). The same services and rules; 404 for teams the
caller may not see, 403 for a member who is not a lead."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from waypoint.accounts.http import acting_user
from waypoint.careteam import invitations, membership
from waypoint.core.openapi import ErrorOut

router = Router(tags=["teams"])


class TeamMemberOut(Schema):
    id: int = Field(description="The membership's id (for PATCH and DELETE).")
    user: int
    name: str
    role: str
    job_title: str
    is_lead: bool
    caseload: int = Field(description="People of this team they are the named key worker of.")
    on_leave: bool


class TeamMembersOut(Schema):
    team: int
    name: str
    members: list[TeamMemberOut]


class TeamInvitationIn(Schema):
    first_name: str = Field(max_length=150)
    last_name: str = Field(max_length=150)
    email: str = Field(max_length=254)
    role: str = Field(description="key_worker, helpline_nurse or oncologist")
    is_lead: bool = False
    job_title: str = Field(default="", max_length=120)


class TeamInvitationOut(Schema):
    id: int
    sent_to: str = Field(description="The address, masked.")
    expires_at: dt.datetime


class TeamMemberPatch(Schema):
    role: str | None = Field(default=None, description="Administrators only.")
    is_lead: bool | None = None


@router.get(
    "/teams/{team_id}/members",
    response=TeamMembersOut,
    summary="A team's members, their role, lead, caseload and leave",
)
def list_members(request: HttpRequest, team_id: int) -> TeamMembersOut:
    team = membership.team_for_actor(acting_user(request), team_id)
    rows = membership.team_members(team, day=timezone.localdate())
    return TeamMembersOut(
        team=team.pk,
        name=team.name,
        members=[
            TeamMemberOut(
                id=r.membership.pk,
                user=r.membership.user_id,
                name=r.membership.user.display_name,
                role=r.membership.user.role,
                job_title=r.membership.user.job_title,
                is_lead=r.membership.is_lead,
                caseload=r.caseload,
                on_leave=r.on_leave,
            )
            for r in rows
        ],
    )


@router.post(
    "/teams/{team_id}/invitations",
    response={201: TeamInvitationOut},
    summary="Invite someone by email to make an account and join the team (its leads)",
)
def create_invitation(
    request: HttpRequest, team_id: int, payload: TeamInvitationIn
) -> Status[TeamInvitationOut]:
    invitation = invitations.team_invitation_send(
        actor=acting_user(request),
        team_id=team_id,
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email,
        role=payload.role,
        is_lead=payload.is_lead,
        job_title=payload.job_title,
    )
    return Status(
        201,
        TeamInvitationOut(
            id=invitation.pk, sent_to=invitation.sent_to, expires_at=invitation.expires_at
        ),
    )


@router.delete(
    "/teams/{team_id}/invitations/{invitation_id}",
    response={204: None},
    summary="Withdraw an invitation: its link stops working",
)
def delete_invitation(request: HttpRequest, team_id: int, invitation_id: int) -> Status[None]:
    invitations.team_invitation_withdraw(
        actor=acting_user(request), team_id=team_id, invitation_id=invitation_id
    )
    return Status(204, None)


@router.patch(
    "/teams/{team_id}/members/{membership_id}",
    response=TeamMemberOut,
    summary="Make a member a lead or not; change their role (administrators)",
)
def patch_member(
    request: HttpRequest, team_id: int, membership_id: int, payload: TeamMemberPatch
) -> TeamMemberOut:
    actor = acting_user(request)
    changed = membership.team_member_change(
        actor=actor,
        team_id=team_id,
        membership_id=membership_id,
        role=payload.role,
        is_lead=payload.is_lead,
    )
    row = next(
        r
        for r in membership.team_members(changed.team, day=timezone.localdate())
        if r.membership.pk == changed.pk
    )
    return TeamMemberOut(
        id=changed.pk,
        user=changed.user_id,
        name=changed.user.display_name,
        role=changed.user.role,
        job_title=changed.user.job_title,
        is_lead=changed.is_lead,
        caseload=row.caseload,
        on_leave=row.on_leave,
    )


@router.delete(
    "/teams/{team_id}/members/{membership_id}",
    response={204: None, 409: ErrorOut},
    summary="End a membership; 409 names the patients who first need a new key worker",
    description=(
        "Refused (409 `key_workers_needed`) while the member is the named key worker of any of "
        "the team's patients: `fields` has `patients.<id>` for each. Move them with "
        "`POST /key-workers/{user_id}/reassign` first. Also 409 for the team's only lead."
    ),
)
def delete_member(
    request: HttpRequest, team_id: int, membership_id: int, turn_off_account: bool = False
) -> Status[None]:
    membership.team_membership_end(
        actor=acting_user(request),
        team_id=team_id,
        membership_id=membership_id,
        turn_off_account=turn_off_account,
    )
    return Status(204, None)
