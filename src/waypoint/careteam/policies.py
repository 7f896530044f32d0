"""Who may see and run a team. Deny by default.

A team's leads run it day to day: who joins, who leads, who leaves. Administrators may do the
same for any team (they did it in the admin before leads could). Membership decides which
patients a clinician sees, so a wrong answer here shows records to the wrong people.
"""

from __future__ import annotations

from django.db.models import QuerySet

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.careteam.models import Team, TeamMembership


def _signed_in(actor: User | None) -> bool:
    return actor is not None and actor.is_authenticated and actor.is_active


def leads_team(actor: User, team: Team) -> bool:
    return TeamMembership.objects.filter(user=actor, team=team, is_lead=True).exists()


def can_manage_team(actor: User | None, team: Team) -> bool:
    """Invite, change roles and leads, end memberships: the team's leads and administrators."""
    if actor is None or not _signed_in(actor):
        return False
    return has_permission(actor, Permission.MANAGE_TEAMS) or leads_team(actor, team)


def can_view_team(actor: User | None, team: Team) -> bool:
    """See who is in the team: whoever may manage it, and its members (read-only). Colleagues
    already see each other on the cover and caseload pages; knowing who else is in the team, and
    who leads it, tells a nurse whom to ask."""
    if actor is None or not _signed_in(actor):
        return False
    return (
        can_manage_team(actor, team)
        or TeamMembership.objects.filter(user=actor, team=team).exists()
    )


def can_change_accounts(actor: User) -> bool:
    """Changing a person's role, or turning their account off, changes what they may do in every
    team they belong to, so it stays with those who manage accounts (``user_access_change``).
    A lead who is not an administrator asks one."""
    return has_permission(actor, Permission.MANAGE_ACCOUNTS)


def teams_actor_may_view(actor: User) -> QuerySet[Team]:
    """The teams whose page the actor may open: theirs, and any they manage."""
    if not _signed_in(actor):
        return Team.objects.none()
    if has_permission(actor, Permission.MANAGE_TEAMS):
        return Team.objects.all()
    return Team.objects.filter(memberships__user=actor).distinct()
