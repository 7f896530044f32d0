"""Inviting someone to join a team: sent by a lead, used once by the person, then gone.

The email carries a link with a random token of which only the digest is kept
(``access.invitations``). Using the link makes the account with the role and names the lead
chose, and the membership, in one audited transaction; the person chooses only their username and
password (checked by Django's password validators). When staff sign in with their organisation's
account (``WAYPOINT_OIDC_STAFF``), no password is set: the account is made with their email, by
which single sign-on finds staff, and they are told to sign in that way.

Sending again to the same address withdraws the earlier invitation, so only the latest link works.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from waypoint.access.invitations import invitation_by_token, invitation_expiry, invitation_secrets
from waypoint.access.models import InvitationChannel, InvitationStatus
from waypoint.accounts.models import Role, User
from waypoint.accounts.services import user_create
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.careteam.membership import MEMBERSHIP_OBJECT, existing_colleague, team_for_manager
from waypoint.careteam.models import INVITABLE_ROLES, TeamInvitation, TeamMembership
from waypoint.core.errors import Conflict, NotFound, ValidationFailed
from waypoint.notifications.masking import mask_email
from waypoint.notifications.models import Channel
from waypoint.notifications.services import message_enqueue

INVITATION_OBJECT = "team_invitation"
INVITATION_TOPIC = "team_invitation"


class AlreadyHasAccount(Conflict):
    """The address belongs to an active clinical account: add them to the team instead."""

    code = "account_exists"

    def __init__(self, user: User) -> None:
        self.user = user
        super().__init__(
            f"{user.display_name} already has a Waypoint account with this email address. "
            "Add them to the team instead of inviting them.",
            fields={"email": "Already has an account: add them to the team instead."},
        )


def staff_single_sign_on() -> bool:
    """Whether staff sign in with their organisation's account, found by their email address.
    When the provider finds staff by another claim (a smartcard's identifier, which an
    administrator records on the account), an account made from the invitation could not be
    found by it, so the person sets a password instead."""
    config = getattr(settings, "WAYPOINT_OIDC_STAFF", None)
    return config is not None and getattr(config, "match_claim", "email") == "email"


def staff_sign_in_label() -> str:
    """What the sign-in page's button calls the organisation's account."""
    config = getattr(settings, "WAYPOINT_OIDC_STAFF", None)
    return str(getattr(config, "label", "") or "your organisation's account")


def invitation_link(token: str) -> str:
    return settings.WAYPOINT_BASE_URL + reverse("team_invitation_open", args=[token])


def _problems(*, first_name: str, last_name: str, email: str, role: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not first_name.strip():
        errors["first_name"] = "Enter their first name."
    if not last_name.strip():
        errors["last_name"] = "Enter their last name."
    try:
        validate_email(email.strip())
    except DjangoValidationError:
        errors["email"] = "Enter an email address, like name@nhs.net."
    if role not in INVITABLE_ROLES:
        errors["role"] = "Choose key worker, helpline nurse or oncologist."
    return errors


def _email_body(invitation: TeamInvitation, link: str, *, inviter: str) -> str:
    expires = timezone.localtime(invitation.expires_at)
    how = (
        "Open this link to set up your account. You will then sign in with "
        f"{staff_sign_in_label()}, using this email address."
        if staff_single_sign_on()
        else "Open this link to choose a username and password and start using Waypoint."
    )
    return (
        f"Dear {invitation.first_name},\n\n"
        f"{inviter} has invited you to join {invitation.team.name} on Waypoint, "
        f"as {Role(invitation.role).label.lower()}.\n\n"
        f"{how}\n\n{link}\n\n"
        f"The link works once, until {expires.day} {expires:%B %Y} at {expires:%H:%M}. "
        f"If you were not expecting this email, you can ignore it.\n"
    )


@transaction.atomic
def team_invitation_send(
    *,
    actor: User,
    team_id: int,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    is_lead: bool = False,
    job_title: str = "",
    now: dt.datetime | None = None,
) -> TeamInvitation:
    """Invite someone by email to make an account and join the team. An address that already
    has an active clinical account is refused with ``AlreadyHasAccount`` (add them instead)."""
    team = team_for_manager(actor, team_id)
    now = now or timezone.now()
    errors = _problems(first_name=first_name, last_name=last_name, email=email, role=role)
    if errors:
        raise ValidationFailed("The invitation could not be sent.", fields=errors)
    address = email.strip()
    colleague = existing_colleague(address)
    if colleague is not None:
        if TeamMembership.objects.filter(team=team, user=colleague).exists():
            raise ValidationFailed(
                f"{colleague.display_name} is already in this team.",
                fields={"email": "Already in this team."},
            )
        raise AlreadyHasAccount(colleague)
    earlier = list(
        TeamInvitation.objects.select_for_update().filter(
            team=team,
            email__iexact=address,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=now,
        )
    )
    for old in earlier:
        old.withdrawn_at = now
        old.withdrawn_reason = "Sent again"
        old.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    token, digest, _ = invitation_secrets(with_letter_code=False)
    invitation = TeamInvitation.objects.create(
        token_digest=digest,
        channel=InvitationChannel.EMAIL,
        sent_to=mask_email(address),
        created_by=actor,
        created_at=now,
        expires_at=invitation_expiry(now),
        team=team,
        role=role,
        is_lead=is_lead,
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
        email=address,
        job_title=job_title.strip()[:120],
    )
    # The outbox row is written in this transaction: a rolled-back invitation sends nothing.
    message_enqueue(
        channel=Channel.EMAIL,
        to=address,
        subject=f"Join {team.name} on Waypoint",
        body=_email_body(invitation, invitation_link(token), inviter=actor.display_name),
        topic=INVITATION_TOPIC,
        reference=str(invitation.pk),
        now=now,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=None,
        object_type=INVITATION_OBJECT,
        object_id=invitation.pk,
        detail=f"to team {team.pk} as {role}{' lead' if is_lead else ''}, sent to "
        f"{invitation.sent_to}" + (f"; {len(earlier)} earlier withdrawn" if earlier else ""),
    )
    return invitation


@transaction.atomic
def team_invitation_withdraw(
    *, actor: User, team_id: int, invitation_id: int, reason: str = "Withdrawn by the team"
) -> TeamInvitation:
    team = team_for_manager(actor, team_id)
    invitation = (
        TeamInvitation.objects.select_for_update().filter(pk=invitation_id, team=team).first()
    )
    if invitation is None:
        raise NotFound()
    status = invitation.status_on(timezone.now())
    if status != InvitationStatus.PENDING:
        raise Conflict(
            f"This invitation is {status.label.lower()}: there is nothing to withdraw.",
            fields={"invitation": status.label},
        )
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_reason = reason[:200]
    invitation.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=INVITATION_OBJECT,
        object_id=invitation.pk,
        detail="withdrawn",
    )
    return invitation


def team_invitation_for_token(token: str) -> TeamInvitation | None:
    """The invitation a link names, whatever its state (the page says which), or None."""
    found = invitation_by_token(TeamInvitation, token)
    if found is None:
        return None
    return TeamInvitation.objects.select_related("team", "created_by").get(pk=found.pk)


def invitation_person(invitation: TeamInvitation) -> User:
    """The account to be, unsaved: what the password validators compare a password with."""
    return User(
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        email=invitation.email,
        role=invitation.role,
    )


@transaction.atomic
def team_invitation_accept(
    *, token: str, username: str, password: str | None, now: dt.datetime | None = None
) -> User:
    """Use the invitation: make the account (with a password, or none when staff sign in with
    their organisation's account) and the membership, in one transaction, and mark it used.
    The account is made by Waypoint on the lead's word (``created_by``), so its audit actor is
    the system and the invitation's audit event names the account made."""
    now = now or timezone.now()
    found = invitation_by_token(TeamInvitation, token)
    invitation = (
        TeamInvitation.objects.select_for_update().filter(pk=found.pk).first() if found else None
    )
    if invitation is None:
        raise NotFound("This invitation link does not work.")
    status = invitation.status_on(now)
    if status != InvitationStatus.PENDING:
        raise Conflict(
            f"This invitation is {status.label.lower()}.", fields={"invitation": status.value}
        )
    if password:
        person = invitation_person(invitation)
        person.username = username
        try:
            password_validation.validate_password(password, person)
        except DjangoValidationError as exc:
            raise ValidationFailed(
                "Choose a different password.", fields={"password1": " ".join(exc.messages)}
            ) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            "That username is taken.", fields={"username": "That username is taken."}
        )
    user = user_create(
        username=username,
        role=invitation.role,
        password=password,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        email=invitation.email,
        job_title=invitation.job_title,
    )
    membership = TeamMembership.objects.create(
        team_id=invitation.team_id, user=user, is_lead=invitation.is_lead
    )
    invitation.accepted_at = now
    invitation.account = user
    invitation.save(update_fields=["accepted_at", "account"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=INVITATION_OBJECT,
        object_id=invitation.pk,
        detail=f"used: account {user.username} made",
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        patient=None,
        object_type=MEMBERSHIP_OBJECT,
        object_id=membership.pk,
        detail=f"{user.username} joined team {invitation.team_id} by invitation {invitation.pk}"
        + (" as lead" if invitation.is_lead else ""),
    )
    return user


def pending_invitations(team_id: int, *, now: dt.datetime) -> list[TeamInvitation]:
    """The team's invitations of the last weeks, newest first, for the team page: pending ones
    and what became of recent ones."""
    since = now - dt.timedelta(days=max(settings.WAYPOINT_INVITATION_DAYS, 14) * 2)
    return list(
        TeamInvitation.objects.filter(team_id=team_id, created_at__gte=since)
        .select_related("created_by", "account")
        .order_by("-created_at", "-id")[:50]
    )
