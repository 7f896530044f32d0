"""A team run by its leads: who is in it, who leads it, who leaves it.

Membership decides which patients a clinician sees, and a team's lead is the third step of the
escalation chain, so every change here is a service that checks ``can_manage_team``, keeps two
invariants, and writes an audit event in the same transaction:

* a team that has a lead always keeps one (a lead steps down or leaves after naming another);
* nobody leaves a team while they are the named key worker of one of its patients: their
  caseload is moved first (``keyworker_bulk_reassign`` with the team), so no person is left
  without a key worker by someone leaving.

A person's role belongs to their account, not to one team, so changing it (or turning the account
off) goes through ``accounts.services.user_access_change`` and is for administrators.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from waypoint.accounts.models import Role, User
from waypoint.accounts.services import user_access_change
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.careteam.models import INVITABLE_ROLES, KeyWorkerAssignment, Team, TeamMembership
from waypoint.careteam.policies import can_change_accounts, can_manage_team, can_view_team
from waypoint.careteam.selectors import absent_user_ids
from waypoint.core.errors import Conflict, Forbidden, NotFound, ValidationFailed

MEMBERSHIP_OBJECT = "team_membership"


class KeyWorkersNeeded(Conflict):
    """The member is still the named key worker of some of the team's patients."""

    code = "key_workers_needed"

    def __init__(self, patient_ids: list[int]) -> None:
        self.patient_ids = patient_ids
        count = len(patient_ids)
        super().__init__(
            f"{count} {'person still needs' if count == 1 else 'people still need'} a new key "
            "worker first. Move their caseload, then end the membership.",
            fields={f"patients.{pid}": "needs a new key worker" for pid in patient_ids},
        )


def team_for_actor(actor: User, team_id: int) -> Team:
    """The team, if the actor may at least see its members; otherwise 404 (existence of other
    teams' pages never leaks)."""
    team = Team.objects.select_related("organisation").filter(pk=team_id).first()
    if team is None or not can_view_team(actor, team):
        raise NotFound()
    return team


def team_for_manager(actor: User, team_id: int) -> Team:
    """The team, if the actor may run it. A member who is not a lead may know the team (403);
    anyone else gets 404."""
    team = team_for_actor(actor, team_id)
    if not can_manage_team(actor, team):
        raise Forbidden("Only the team's leads can change the team.")
    return team


@dataclass(frozen=True)
class MemberRow:
    membership: TeamMembership
    caseload: int  # people of THIS team for whom they are the named key worker
    on_leave: bool


def team_members(team: Team, *, day: dt.date) -> list[MemberRow]:
    """The team's members with their caseload in this team and whether they are away today, in
    three queries whatever the team's size."""
    memberships = list(
        TeamMembership.objects.filter(team=team)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    loads = dict(
        KeyWorkerAssignment.objects.filter(
            ended_at__isnull=True,
            patient__team=team,
            key_worker_id__in=[m.user_id for m in memberships],
        )
        .values("key_worker_id")
        .annotate(n=Count("id"))
        .values_list("key_worker_id", "n")
    )
    away = absent_user_ids((m.user_id for m in memberships), day=day)
    return [
        MemberRow(membership=m, caseload=loads.get(m.user_id, 0), on_leave=m.user_id in away)
        for m in memberships
    ]


def member_of_team(team: Team, membership_id: int) -> TeamMembership:
    membership = (
        TeamMembership.objects.select_related("user").filter(pk=membership_id, team=team).first()
    )
    if membership is None:
        raise NotFound()
    return membership


def patients_needing_key_worker(membership: TeamMembership) -> list[KeyWorkerAssignment]:
    """The team's living patients of whom this member is the named key worker."""
    return list(
        KeyWorkerAssignment.objects.filter(
            key_worker_id=membership.user_id,
            ended_at__isnull=True,
            patient__team_id=membership.team_id,
            patient__died_on__isnull=True,
        )
        .select_related("patient")
        .order_by("patient__family_name", "patient__given_name", "patient_id")
    )


def other_memberships(membership: TeamMembership) -> int:
    return (
        TeamMembership.objects.filter(user_id=membership.user_id).exclude(pk=membership.pk).count()
    )


def _account_authority(actor: User, user: User) -> str:
    """Who may change ``user``'s account from a team page: an administrator (""), or a lead of
    every team the person belongs to (those teams' names, for the audit trail), since a role
    and the account apply in all of them. Anyone else: 403."""
    if can_change_accounts(actor):
        return ""
    teams = list(Team.objects.filter(memberships__user=user).distinct().order_by("name"))
    led = set(
        TeamMembership.objects.filter(user=actor, is_lead=True).values_list("team_id", flat=True)
    )
    if teams and all(team.pk in led for team in teams):
        return ", ".join(team.name for team in teams)
    raise Forbidden(
        "They belong to a team you do not lead, and a role or an account applies in every team. "
        "Ask that team's lead or an administrator."
    )


def may_change_account(actor: User, user: User) -> bool:
    """Whether the team pages offer ``actor`` changing ``user``'s role or turning it off."""
    try:
        _account_authority(actor, user)
    except Forbidden:
        return False
    return True


def _lead_count(team: Team) -> int:
    return TeamMembership.objects.filter(team=team, is_lead=True).count()


def _keeps_a_lead(team: Team, membership: TeamMembership) -> None:
    if membership.is_lead and _lead_count(team) == 1:
        raise Conflict(
            "A team always has a lead. Make someone else a lead first.",
            fields={"is_lead": f"{membership.user.display_name} is the team's only lead."},
        )


@transaction.atomic
def team_member_change(
    *,
    actor: User,
    team_id: int,
    membership_id: int,
    role: str | None = None,
    is_lead: bool | None = None,
) -> TeamMembership:
    """Make a member a lead or not, and (administrators) change their role among the clinical
    roles. ``None`` leaves that part as it is."""
    team = team_for_manager(actor, team_id)
    # Lock the team's memberships so two leads stepping down at once cannot leave none.
    list(TeamMembership.objects.select_for_update().filter(team=team).values_list("pk"))
    membership = member_of_team(team, membership_id)
    user = membership.user
    if role is not None and role != user.role:
        if role not in INVITABLE_ROLES:
            raise ValidationFailed(
                "Choose a clinical role.",
                fields={"role": "Choose key worker, helpline nurse or oncologist."},
            )
        if user.role not in INVITABLE_ROLES:
            raise ValidationFailed(
                "This person's role is not a clinical one; an administrator changes it.",
                fields={"role": "Ask an administrator."},
            )
        as_lead_of = _account_authority(actor, user)
        if (
            user.role == Role.KEY_WORKER
            and KeyWorkerAssignment.objects.filter(key_worker=user, ended_at__isnull=True).exists()
        ):
            raise Conflict(
                "They are someone's named key worker. Move their caseload before changing role.",
                fields={"role": "Move their caseload first."},
            )
        user_access_change(
            actor=actor,
            user_id=user.pk,
            role=role,
            is_active=user.is_active,
            as_lead_of=as_lead_of,
        )
        user.refresh_from_db(fields=["role"])
    if is_lead is not None and is_lead != membership.is_lead:
        if not is_lead:
            _keeps_a_lead(team, membership)
        membership.is_lead = is_lead
        membership.save(update_fields=["is_lead"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            patient=None,
            object_type=MEMBERSHIP_OBJECT,
            object_id=membership.pk,
            detail=f"{user.username} in team {team.pk}: "
            + ("made a lead" if is_lead else "no longer a lead"),
        )
    return membership


@dataclass(frozen=True)
class MembershipEnded:
    username: str
    display_name: str
    account_turned_off: bool


@transaction.atomic
def team_membership_end(
    *, actor: User, team_id: int, membership_id: int, turn_off_account: bool = False
) -> MembershipEnded:
    """End a membership: the person no longer sees the team's patients. Refused while they are
    the named key worker of any of the team's patients (``KeyWorkersNeeded``, with who), and for
    the team's only lead. With ``turn_off_account``, and only when this was their last team, the
    account stops signing in too (an administrator's change, ``user_access_change``)."""
    team = team_for_manager(actor, team_id)
    list(TeamMembership.objects.select_for_update().filter(team=team).values_list("pk"))
    membership = member_of_team(team, membership_id)
    needing = patients_needing_key_worker(membership)
    if needing:
        raise KeyWorkersNeeded([a.patient_id for a in needing])
    _keeps_a_lead(team, membership)
    user = membership.user
    if turn_off_account:
        if other_memberships(membership):
            raise ValidationFailed(
                "They are still in another team, so their account stays on.",
                fields={"turn_off_account": "They are still in another team."},
            )
        as_lead_of = _account_authority(actor, user)
        if user.pk == actor.pk:
            raise ValidationFailed(
                "You cannot turn off your own account.",
                fields={"turn_off_account": "You cannot turn off your own account."},
            )
    detail = f"{user.username} left team {team.pk}"
    pk = membership.pk
    membership.delete()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=MEMBERSHIP_OBJECT,
        object_id=pk,
        detail=detail,
    )
    if turn_off_account:
        user_access_change(
            actor=actor,
            user_id=user.pk,
            role=user.role,
            is_active=False,
            as_lead_of=as_lead_of,
        )
    return MembershipEnded(
        username=user.username, display_name=user.display_name, account_turned_off=turn_off_account
    )


def existing_colleague(email: str) -> User | None:
    """An active clinical account with this email, who can be added to a team rather than sent an
    invitation to make a second account. Patients' and carers' accounts are never offered (nor
    revealed): their invitation goes ahead as if the address were new."""
    return (
        User.objects.filter(email__iexact=email.strip(), is_active=True, role__in=INVITABLE_ROLES)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def team_member_add_existing(
    *, actor: User, team_id: int, user_id: int, is_lead: bool = False
) -> TeamMembership:
    """Add someone who already has an account (a nurse moving between teams of the trust) to the
    team. Their account and role are unchanged; only the membership is new."""
    team = team_for_manager(actor, team_id)
    user = User.objects.filter(Q(pk=user_id), is_active=True, role__in=INVITABLE_ROLES).first()
    if user is None:
        raise NotFound()
    if TeamMembership.objects.filter(team=team, user=user).exists():
        raise ValidationFailed(
            f"{user.display_name} is already in this team.",
            fields={"email": "Already in this team."},
        )
    membership = TeamMembership.objects.create(team=team, user=user, is_lead=is_lead)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=None,
        object_type=MEMBERSHIP_OBJECT,
        object_id=membership.pk,
        detail=f"{user.username} added to team {team.pk} (existing account)"
        + (" as lead" if is_lead else ""),
    )
    return membership
