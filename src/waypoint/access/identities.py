"""Accounts at outside sign-in services, linked to Waypoint accounts."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.access.models import ExternalIdentity, IdentityProvider
from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Conflict, Forbidden

IDENTITY_OBJECT = "external_identity"


@transaction.atomic
def external_identity_link(
    *,
    user: User,
    provider: IdentityProvider,
    issuer: str,
    subject: str,
    linked_by: User | None,
) -> ExternalIdentity:
    """Link ``user`` to the account ``subject`` at ``issuer``. One account there per Waypoint
    account and provider, and one Waypoint account per account there: a second link is a
    conflict, never a silent move."""
    try:
        with transaction.atomic():
            identity = ExternalIdentity.objects.create(
                user=user,
                provider=provider,
                issuer=issuer,
                subject=subject,
                linked_by=linked_by,
                last_used_at=timezone.now() if linked_by is None else None,
            )
    except IntegrityError as exc:
        raise Conflict(
            "That sign-in account is already linked to a Waypoint account, or this Waypoint "
            "account already has one."
        ) from exc
    audit_record(
        actor=linked_by or user,
        action=AuditAction.CREATE,
        patient=None,
        object_type=IDENTITY_OBJECT,
        object_id=identity.pk,
        detail=f"{user.username} linked to {provider.label.lower()} ({issuer})",
    )
    return identity


@transaction.atomic
def external_identity_unlink(*, actor: User, identity_id: int) -> None:
    """An administrator unlinks an account at a sign-in service (a leaver, a wrong match)."""
    if not has_permission(actor, Permission.MANAGE_ACCOUNTS):
        raise Forbidden("Only an administrator unlinks sign-in accounts.")
    identity = ExternalIdentity.objects.select_related("user").filter(pk=identity_id).first()
    if identity is None:
        return
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=IDENTITY_OBJECT,
        object_id=identity.pk,
        detail=f"{identity.user.username} unlinked from {identity.issuer}",
    )
    identity.delete()
