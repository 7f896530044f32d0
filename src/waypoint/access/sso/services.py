"""Who an identity verified by an OpenID Connect provider is in Waypoint, and the links between
the two.

A member of staff is found by the identity already linked to their account or, the first time,
by one claim (a verified email, or a staff identifier an administrator put on the account); the
link is then made and audited. An account is never created here: someone the provider knows but
Waypoint does not is sent to their team lead or administrator.

A patient is signed in only through an identity already linked to a patient account. Anyone
else is held in the session as a pending identity (``pending_patient_identity_store``) for the
portal's page that links it to the registry record, or sends them through an invitation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.access.models import ExternalIdentity, IdentityProvider
from waypoint.access.sso.client import VerifiedIdentity
from waypoint.access.sso.config import PatientProviderConfig, StaffProviderConfig
from waypoint.accounts.models import Role, User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Conflict, Forbidden, NotFound, ValidationFailed

IDENTITY_OBJECT = "external_identity"
PENDING_PATIENT_IDENTITY = "waypoint_sso_pending_patient"
# A pending identity is for finishing the journey that produced it, not for later: after this
# long the person goes through the provider again.
PENDING_MINUTES = 30
NOT_STAFF_ROLES = frozenset({Role.PATIENT, Role.CARER})
_NHS_NUMBER = re.compile(r"\d{10}")


class NotRecognised(Exception):
    """The provider's identity does not lead to an account that may sign in this way.
    ``reason`` is a short code for the audit trail."""

    def __init__(self, reason: str, user: User | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.user = user


def _claim_text(identity: VerifiedIdentity, name: str) -> str:
    value = identity.claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _is_true(value: object) -> bool:
    # Some providers send booleans as the strings "true" and "false".
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _used(link: ExternalIdentity) -> None:
    link.last_used_at = timezone.now()
    link.save(update_fields=["last_used_at"])


def _staff_candidates(config: StaffProviderConfig, identity: VerifiedIdentity) -> list[User]:
    value = _claim_text(identity, config.match_claim)
    if not value:
        return []
    if config.match_claim == "email":
        if not _is_true(identity.claims.get("email_verified")):
            return []
        users = User.objects.filter(email__iexact=value)
    else:
        users = User.objects.filter(staff_identifier=value)
    # Two are enough to know the match is ambiguous.
    return list(users.order_by("pk")[:2])


@transaction.atomic
def staff_sso_user(*, config: StaffProviderConfig, identity: VerifiedIdentity) -> User:
    """The staff account this identity signs in to, linking it the first time; or NotRecognised.
    A first match must be exactly one active staff account with no staff identity linked yet, so
    a changed or reused email address never moves someone into another person's account."""
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(issuer=identity.issuer, subject=identity.subject)
        .first()
    )
    if link is not None:
        user = link.user
        if link.provider != IdentityProvider.STAFF or user.role in NOT_STAFF_ROLES:
            raise NotRecognised("sso_not_staff", user)
        if not user.is_active:
            raise NotRecognised("sso_inactive", user)
        _used(link)
        return user
    candidates = _staff_candidates(config, identity)
    if not candidates:
        raise NotRecognised("sso_no_match")
    if len(candidates) > 1:
        raise NotRecognised("sso_several_matches")
    user = candidates[0]
    if user.role in NOT_STAFF_ROLES:
        raise NotRecognised("sso_not_staff", user)
    if not user.is_active:
        raise NotRecognised("sso_inactive", user)
    try:
        external_identity_link(
            user=user,
            provider=IdentityProvider.STAFF,
            issuer=identity.issuer,
            subject=identity.subject,
            linked_by=None,
        )
    except Conflict as exc:
        # Already linked to another account at the provider: a second person claiming it.
        raise NotRecognised("sso_already_linked", user) from exc
    return user


@transaction.atomic
def patient_sso_user(*, identity: VerifiedIdentity) -> User | None:
    """The patient account this identity is linked to; None when it is linked to none (the
    person is not known yet); NotRecognised when it is linked to an account that may not sign in
    this way."""
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(issuer=identity.issuer, subject=identity.subject)
        .first()
    )
    if link is None:
        return None
    user = link.user
    if link.provider != IdentityProvider.PATIENT or user.role != Role.PATIENT:
        raise NotRecognised("sso_not_patient", user)
    if not user.is_active:
        raise NotRecognised("sso_inactive", user)
    _used(link)
    return user


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
    Conflict, never a silent move. ``linked_by`` is None when the person linked it themselves
    (by signing in, or on the portal's page after their NHS number or invitation was checked);
    anyone else linking an account must be an administrator."""
    if (
        linked_by is not None
        and linked_by.pk != user.pk
        and not has_permission(linked_by, Permission.MANAGE_ACCOUNTS)
    ):
        raise Forbidden("Only an administrator links someone else's sign-in account.")
    if provider == IdentityProvider.PATIENT and user.role != Role.PATIENT:
        raise ValidationFailed(
            "Only a patient's account can be linked to the patient sign-in service.",
            fields={"provider": "not a patient account"},
        )
    if provider == IdentityProvider.STAFF and user.role in NOT_STAFF_ROLES:
        raise ValidationFailed(
            "Only a member of staff's account can be linked to the organisation's sign-in.",
            fields={"provider": "not a staff account"},
        )
    if not issuer or not subject:
        raise ValidationFailed(
            "The sign-in account needs its issuer and subject.",
            fields={"subject": "required"},
        )
    try:
        with transaction.atomic():
            link = ExternalIdentity.objects.create(
                user=user,
                provider=provider,
                issuer=issuer[:255],
                subject=subject[:255],
                linked_by=linked_by,
                last_used_at=timezone.now() if linked_by is None else None,
            )
    except IntegrityError as exc:
        raise Conflict(
            "That sign-in account is already linked to a Waypoint account, or this Waypoint "
            "account already has one."
        ) from exc
    how = "by signing in" if linked_by is None else f"by {linked_by.username}"
    audit_record(
        actor=linked_by or user,
        action=AuditAction.CREATE,
        patient=None,
        object_type=IDENTITY_OBJECT,
        object_id=link.pk,
        detail=f"{user.username} linked to {IdentityProvider(provider).label} ({issuer}) {how}",
    )
    return link


@transaction.atomic
def external_identity_unlink(*, actor: User, identity_id: int) -> None:
    """An administrator unlinks an account at a sign-in service (a leaver, a wrong match). The
    person can then no longer sign in with it until it is linked again."""
    if not has_permission(actor, Permission.MANAGE_ACCOUNTS):
        raise Forbidden("Only an administrator unlinks sign-in accounts.")
    link = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(pk=identity_id)
        .first()
    )
    if link is None:
        raise NotFound()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=IDENTITY_OBJECT,
        object_id=link.pk,
        detail=f"{link.user.username} unlinked from {link.get_provider_display()} ({link.issuer})",
    )
    link.delete()


@dataclass(frozen=True)
class PendingPatientIdentity:
    """A person the patient provider vouched for whom Waypoint does not know yet. The NHS number
    is empty unless the provider verified it (the configured proofing claim held its value)."""

    issuer: str
    subject: str
    nhs_number: str
    given_name: str
    family_name: str
    birth_date: dt.date | None
    email: str


def _birth_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def pending_patient_identity_from(
    *, config: PatientProviderConfig, identity: VerifiedIdentity
) -> PendingPatientIdentity:
    nhs_number = re.sub(r"\s", "", _claim_text(identity, config.nhs_number_claim))
    proofed = not config.proofing_claim or (
        _claim_text(identity, config.proofing_claim) == config.proofing_value
    )
    verified = proofed and bool(_NHS_NUMBER.fullmatch(nhs_number))
    return PendingPatientIdentity(
        issuer=identity.issuer,
        subject=identity.subject,
        nhs_number=nhs_number if verified else "",
        given_name=_claim_text(identity, "given_name")[:150],
        family_name=_claim_text(identity, "family_name")[:150],
        birth_date=_birth_date(_claim_text(identity, "birthdate")),
        email=_claim_text(identity, "email")[:254]
        if _is_true(identity.claims.get("email_verified"))
        else "",
    )


def pending_patient_identity_store(session: SessionBase, pending: PendingPatientIdentity) -> None:
    data: dict[str, Any] = asdict(pending)
    data["birth_date"] = pending.birth_date.isoformat() if pending.birth_date else ""
    data["stored_at"] = timezone.now().timestamp()
    session[PENDING_PATIENT_IDENTITY] = data


def pending_patient_identity_peek(session: SessionBase) -> PendingPatientIdentity | None:
    """The pending identity, left in the session (for showing a page before its form is sent)."""
    data = session.get(PENDING_PATIENT_IDENTITY)
    if not isinstance(data, dict):
        return None
    try:
        stored_at = float(data["stored_at"])
        if timezone.now().timestamp() - stored_at > PENDING_MINUTES * 60:
            return None
        return PendingPatientIdentity(
            issuer=str(data["issuer"]),
            subject=str(data["subject"]),
            nhs_number=str(data["nhs_number"]),
            given_name=str(data["given_name"]),
            family_name=str(data["family_name"]),
            birth_date=_birth_date(str(data["birth_date"])),
            email=str(data["email"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def pending_patient_identity_take(session: SessionBase) -> PendingPatientIdentity | None:
    """The pending identity, removed from the session so it is used once."""
    pending = pending_patient_identity_peek(session)
    session.pop(PENDING_PATIENT_IDENTITY, None)
    return pending
