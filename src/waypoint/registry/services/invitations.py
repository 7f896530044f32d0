"""Inviting a person to the patient portal, and the account their invitation makes.

A clinician of the person's team sends it. It goes the way the person prefers to be reached (a
text to a mobile, otherwise email) through the outbox, or, with neither, as a letter with a short
code that the team prints. Using it needs the person's date of birth: a forwarded email or a
letter read by someone else is not enough. Sending again withdraws the invitation before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from waypoint.access.invitations import (
    invitation_expiry,
    invitation_failed_check,
    invitation_secrets,
)
from waypoint.access.models import IdentityProvider, InvitationChannel, InvitationStatus
from waypoint.access.sso.services import external_identity_link
from waypoint.accounts.models import Role, User
from waypoint.accounts.services import user_create
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Conflict, NotFound, ValidationFailed
from waypoint.notifications.masking import mask_email, mask_phone
from waypoint.notifications.models import Channel
from waypoint.notifications.services import is_mobile, message_enqueue
from waypoint.registry.models import ContactMethod, Patient, PortalInvitation
from waypoint.registry.services.patients import patient_get_for_update, require_edit

INVITATION_OBJECT = "portal_invitation"
_TOPIC = "registry.portal_invitation"


@dataclass(frozen=True)
class ExternalIdentityInput:
    """An account at the patient sign-in service, proved just now by signing in there."""

    issuer: str
    subject: str


@dataclass(frozen=True)
class SentInvitation:
    invitation: PortalInvitation
    token: str  # the link's secret: in the message, never stored


def has_active_account(patient: Patient) -> bool:
    return patient.user_id is not None and patient.user is not None and patient.user.is_active


def _route(patient: Patient) -> tuple[InvitationChannel, str]:
    """How to reach the person: the route they chose if it can carry a link, else any that can,
    else a letter."""
    mobile = patient.phone if is_mobile(patient.phone) else ""
    if patient.preferred_contact_method == ContactMethod.SMS and mobile:
        return InvitationChannel.SMS, mobile
    if patient.email:
        return InvitationChannel.EMAIL, patient.email
    if mobile:
        return InvitationChannel.SMS, mobile
    return InvitationChannel.LETTER, ""


def _message(patient: Patient, link: str, expires_on: dt.date) -> tuple[str, str, str]:
    team = patient.team
    until = f"{expires_on.day} {expires_on:%B %Y}"
    subject = "Your invitation to Waypoint"
    email = (
        f"Dear {patient.given_name},\n\n"
        f"{team.name} has invited you to Waypoint, where you can see who your key worker is, "
        f"tell your team about symptoms, and find support.\n\n"
        f"To make your account, open this link:\n{link}\n\n"
        f"It works once, until {until}. You will be asked for your date of birth.\n\n"
        f"If you were not expecting this, or need help, call your team on "
        f"{team.in_hours_phone}.\n\n"
        f"If you feel unwell, do not wait for Waypoint: call your team (out of hours "
        f"{team.out_of_hours_phone}), or 999 in an emergency."
    )
    text = (
        f"{team.name} has invited you to Waypoint. Make your account (works once, until "
        f"{until}): {link} Questions: {team.in_hours_phone}"
    )
    return subject, email, text


@transaction.atomic
def portal_invitation_send(*, actor: User, patient_id: int, now: dt.datetime) -> SentInvitation:
    """Invite the person to make their portal account. 404 outside the person's team, 409 when
    they already have an active account."""
    patient = patient_get_for_update(actor=actor, patient_id=patient_id)
    require_edit(actor, patient)
    patient = (
        Patient.objects.select_for_update(of=("self",))
        .select_related("team", "user")
        .get(pk=patient.pk)
    )
    if has_active_account(patient):
        raise Conflict("This person already has a Waypoint account.")
    if patient.died_on is not None:
        raise ValidationFailed(
            "This person is recorded as having died.", fields={"patient": "has died"}
        )
    PortalInvitation.objects.filter(
        patient=patient, accepted_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now, withdrawn_reason="A new invitation was sent")
    channel, address = _route(patient)
    token, digest, code = invitation_secrets(with_letter_code=channel == InvitationChannel.LETTER)
    expires_at = invitation_expiry(now)
    if channel == InvitationChannel.SMS:
        sent_to = mask_phone(address)
    elif channel == InvitationChannel.EMAIL:
        sent_to = mask_email(address)
    else:
        sent_to = "A letter for the team to print"
    invitation = PortalInvitation.objects.create(
        patient=patient,
        token_digest=digest,
        letter_code=code,
        channel=channel,
        sent_to=sent_to,
        created_by=actor,
        created_at=now,
        expires_at=expires_at,
    )
    if channel != InvitationChannel.LETTER:
        link = settings.WAYPOINT_BASE_URL + reverse("portal_join", kwargs={"token": token})
        subject, email, text = _message(patient, link, expires_at.date())
        message_enqueue(
            channel=Channel(channel.value),
            to=address,
            subject=subject,
            body=text if channel == InvitationChannel.SMS else email,
            topic=_TOPIC,
            reference=str(invitation.pk),
            now=now,
        )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=INVITATION_OBJECT,
        object_id=invitation.pk,
        detail=f"Invited to the portal by {channel.label.lower()} ({sent_to})",
    )
    return SentInvitation(invitation=invitation, token=token)


def latest_portal_invitation(patient: Patient) -> PortalInvitation | None:
    return PortalInvitation.objects.filter(patient=patient).order_by("-created_at", "-id").first()


@transaction.atomic
def portal_invitation_check_birth_date(
    *, invitation_id: int, birth_date: dt.date, now: dt.datetime
) -> bool:
    """Whether ``birth_date`` is the invited person's. Each wrong date is counted, and after
    MAX_FAILED_CHECKS the invitation is withdrawn: the team must send another."""
    invitation = (
        PortalInvitation.objects.select_for_update(of=("self",))
        .select_related("patient")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status_on(now) != InvitationStatus.PENDING:
        raise NotFound("This invitation cannot be used.")
    if invitation.patient.birth_date == birth_date:
        return True
    detail = "Wrong date of birth typed with a portal invitation " + invitation_failed_check(
        invitation, now=now
    )
    audit_record(
        actor=None,
        action=AuditAction.DENIED,
        patient=invitation.patient,
        object_type=INVITATION_OBJECT,
        object_id=invitation.pk,
        detail=detail,
    )
    return False


@transaction.atomic
def portal_invitation_accept(
    *,
    invitation_id: int,
    now: dt.datetime,
    username: str = "",
    password: str = "",
    identity: ExternalIdentityInput | None = None,
) -> User:
    """Use the invitation (its date of birth already confirmed): make the person's account,
    with a password or linked to their account at the patient sign-in service, and link it to
    their record. Works once."""
    invitation = PortalInvitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None or invitation.status_on(now) != InvitationStatus.PENDING:
        raise NotFound("This invitation cannot be used.")
    patient = (
        Patient.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=invitation.patient_id)
    )
    if has_active_account(patient):
        raise Conflict("This person already has a Waypoint account. Sign in instead.")
    if (identity is None) == (not password):
        raise ValidationFailed(
            "Choose a password or sign in with the patient sign-in service.",
            fields={"password": "required"},
        )
    user = user_create(
        username=username or f"patient-{patient.pk}-{invitation.pk}",
        role=Role.PATIENT,
        password=password or None,
        first_name=patient.given_name,
        last_name=patient.family_name,
        email=patient.email,
    )
    if identity is not None:
        external_identity_link(
            user=user,
            provider=IdentityProvider.PATIENT,
            issuer=identity.issuer,
            subject=identity.subject,
            linked_by=None,
        )
    patient.user = user
    patient.save(update_fields=["user", "updated_at"])
    invitation.accepted_at = now
    invitation.account = user
    invitation.save(update_fields=["accepted_at", "account"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        patient=patient,
        object_type=INVITATION_OBJECT,
        object_id=invitation.pk,
        detail="Portal account made with the invitation"
        + (" and the patient sign-in service" if identity is not None else ""),
    )
    return user


@transaction.atomic
def patient_link_by_nhs_number(
    *,
    nhs_number: str,
    birth_date: dt.date | None,
    identity: ExternalIdentityInput,
    now: dt.datetime,
) -> User | None:
    """The patient sign-in service has verified this NHS number: make the person's account for
    the registry record with that number and link it to their account there. None when no
    living person on the register has the number, when the service gives a different date of
    birth (one of the two records is wrong: the team must look), or when they already have an
    account (then the invitation, or signing in as usual, is the way in)."""
    patient = (
        Patient.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(nhs_number=nhs_number, died_on__isnull=True)
        .first()
    )
    if patient is None or has_active_account(patient):
        return None
    if birth_date is not None and birth_date != patient.birth_date:
        audit_record(
            actor=None,
            action=AuditAction.DENIED,
            patient=patient,
            object_type=INVITATION_OBJECT,
            object_id="",
            detail="Not linked: the patient sign-in service gave another date of birth",
        )
        return None
    user = user_create(
        username=f"nhs-{patient.pk}",
        role=Role.PATIENT,
        password=None,
        first_name=patient.given_name,
        last_name=patient.family_name,
        email=patient.email,
    )
    external_identity_link(
        user=user,
        provider=IdentityProvider.PATIENT,
        issuer=identity.issuer,
        subject=identity.subject,
        linked_by=None,
    )
    patient.user = user
    patient.save(update_fields=["user", "updated_at"])
    PortalInvitation.objects.filter(
        patient=patient, accepted_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now, withdrawn_reason="Linked by a verified NHS number")
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        patient=patient,
        object_type=INVITATION_OBJECT,
        object_id="",
        detail="Portal account linked by the NHS number the patient sign-in service verified",
    )
    return user
