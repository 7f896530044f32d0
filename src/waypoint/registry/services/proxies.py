"""Carers and others the person trusts, acting for them on Waypoint (proxy access).

The person grants it from the portal, or a clinician of their team records it with the person's
consent (and says how that consent was given). The carer gets an invitation of their own and an
account of their own; they act only in the ways the grant names, which the person can change or
end at any time. Access ends when the person withdraws it, the team ends it, the carer stops, or
the person dies (``proxy_ending``). Every grant, change and end is audited on the person's record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from waypoint.access.invitations import (
    invitation_expiry,
    invitation_failed_check,
    invitation_secrets,
)
from waypoint.access.models import InvitationChannel, InvitationStatus
from waypoint.accounts.models import Role, User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.accounts.services import user_create
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from waypoint.notifications.masking import mask_email, mask_phone
from waypoint.notifications.models import Channel
from waypoint.notifications.services import is_mobile, message_enqueue
from waypoint.registry import policies
from waypoint.registry.models import (
    Patient,
    ProxyAccess,
    ProxyEndReason,
    ProxyInvitation,
)
from waypoint.registry.services.patients import check_email
from waypoint.registry.services.proxy_ending import PROXY_OBJECT

_TOPIC = "registry.proxy_invitation"


@dataclass(frozen=True)
class ProxyScopes:
    """What the carer may see and do beyond the key worker and the numbers (always shown)."""

    appointments: bool = True
    resource_pack: bool = True
    report_symptoms: bool = False
    timeline: bool = False

    @classmethod
    def of(cls, proxy: ProxyAccess) -> ProxyScopes:
        return cls(
            appointments=proxy.may_see_appointments,
            resource_pack=proxy.may_see_resource_pack,
            report_symptoms=proxy.may_report_symptoms,
            timeline=proxy.may_see_timeline,
        )

    def describe(self) -> str:
        parts = ["key worker and numbers"]
        if self.appointments:
            parts.append("appointments")
        if self.resource_pack:
            parts.append("resource pack")
        if self.report_symptoms:
            parts.append("symptom check on their behalf")
        if self.timeline:
            parts.append("timeline")
        return ", ".join(parts)


def _apply(proxy: ProxyAccess, scopes: ProxyScopes) -> None:
    proxy.may_see_appointments = scopes.appointments
    proxy.may_see_resource_pack = scopes.resource_pack
    proxy.may_report_symptoms = scopes.report_symptoms
    proxy.may_see_timeline = scopes.timeline


@dataclass(frozen=True)
class ProxyGranted:
    proxy: ProxyAccess
    invitation: ProxyInvitation
    token: str  # the link's secret: in the message, never stored


def _may_manage(actor: User, patient: Patient) -> str:
    """How the actor may grant or change access for the person: "self" (the person), "team" (a
    clinician of their team, who must record consent). Others: 404."""
    if policies.is_own_record(actor, patient):
        return "self"
    if policies.can_edit_patient(actor, patient):
        return "team"
    if policies.can_view_patient(actor, patient):
        raise Forbidden("Only the person or their team can give someone access.")
    raise NotFound()


def _patient_for_proxy(actor: User, patient_id: int) -> tuple[Patient, str]:
    patient = Patient.objects.select_related("team").filter(pk=patient_id).first()
    if patient is None:
        raise NotFound()
    return patient, _may_manage(actor, patient)


def proxy_errors(
    *, name: str, relationship: str, email: str, phone: str, consent_note: str, by_team: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Give the name of the person you trust."
    if not relationship.strip():
        errors["relationship"] = "Say who they are to you, for example daughter or partner."
    if not email.strip() and not is_mobile(phone):
        errors["email"] = "Give an email address or a mobile number, for their invitation."
    check_email(email, "email", errors)
    if phone.strip() and not is_mobile(phone):
        errors["phone"] = "Give a UK mobile number, such as 07700 900123, or leave it empty."
    if by_team and len(consent_note.strip()) < 10:
        errors["consent_note"] = "Say how and when the person agreed, for example at clinic today."
    return errors


def _send_invitation(
    *, proxy: ProxyAccess, patient: Patient, actor: User, now: dt.datetime
) -> tuple[ProxyInvitation, str]:
    ProxyInvitation.objects.filter(proxy=proxy, accepted_at=None, withdrawn_at=None).update(
        withdrawn_at=now, withdrawn_reason="A new invitation was sent"
    )
    if proxy.email:
        channel, address, sent_to = InvitationChannel.EMAIL, proxy.email, mask_email(proxy.email)
    else:
        channel, address, sent_to = InvitationChannel.SMS, proxy.phone, mask_phone(proxy.phone)
    token, digest, _ = invitation_secrets(with_letter_code=False)
    expires_at = invitation_expiry(now)
    invitation = ProxyInvitation.objects.create(
        proxy=proxy,
        token_digest=digest,
        channel=channel,
        sent_to=sent_to,
        created_by=actor,
        created_at=now,
        expires_at=expires_at,
    )
    link = settings.WAYPOINT_BASE_URL + reverse("carer_join", kwargs={"token": token})
    until = f"{expires_at.day} {expires_at:%B %Y}"
    if channel == InvitationChannel.EMAIL:
        body = (
            f"Dear {proxy.name},\n\n"
            f"{patient.given_name} {patient.family_name} would like you to be able to help with "
            f"their care on Waypoint, the service their breast care team ({patient.team.name}) "
            f"uses.\n\nTo accept, open this link:\n{link}\n\n"
            f"It works once, until {until}. You will be asked for {patient.given_name}'s date "
            f"of birth.\n\nIf you were not expecting this, you can ignore it, or call the team "
            f"on {patient.team.in_hours_phone}."
        )
    else:
        body = (
            f"{patient.given_name} {patient.family_name} has asked for you to help with their "
            f"care on Waypoint. Accept (works once, until {until}): {link}"
        )
    message_enqueue(
        channel=Channel(channel.value),
        to=address,
        subject=f"{patient.given_name} has invited you to Waypoint",
        body=body,
        topic=_TOPIC,
        reference=str(invitation.pk),
        now=now,
    )
    return invitation, token


@transaction.atomic
def proxy_grant(
    *,
    actor: User,
    patient_id: int,
    name: str,
    relationship: str,
    scopes: ProxyScopes,
    now: dt.datetime,
    email: str = "",
    phone: str = "",
    consent_note: str = "",
) -> ProxyGranted:
    """Give someone access to act for the person, and send them their invitation."""
    patient, how = _patient_for_proxy(actor, patient_id)
    if patient.died_on is not None:
        raise ValidationFailed("This person is recorded as having died.", fields={})
    errors = proxy_errors(
        name=name,
        relationship=relationship,
        email=email,
        phone=phone,
        consent_note=consent_note,
        by_team=how == "team",
    )
    if errors:
        raise ValidationFailed("The access could not be given.", fields=errors)
    proxy = ProxyAccess(
        patient=patient,
        name=name.strip(),
        relationship=relationship.strip(),
        email=email.strip(),
        phone=phone.strip(),
        granted_by=actor,
        consent_note=consent_note.strip() if how == "team" else "",
    )
    _apply(proxy, scopes)
    proxy.save()
    invitation, token = _send_invitation(proxy=proxy, patient=patient, actor=actor, now=now)
    who = "by the person" if how == "self" else f"by the team, consent: {proxy.consent_note}"
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=PROXY_OBJECT,
        object_id=proxy.pk,
        detail=f"{proxy.name} ({proxy.relationship}) may act for the person ({who}): "
        f"{scopes.describe()}",
    )
    return ProxyGranted(proxy=proxy, invitation=invitation, token=token)


def _proxy_to_change(actor: User, proxy_id: int) -> tuple[ProxyAccess, str]:
    proxy = (
        ProxyAccess.objects.select_for_update(of=("self",))
        .select_related("patient__team")
        .filter(pk=proxy_id)
        .first()
    )
    if proxy is None:
        raise NotFound()
    if proxy.carer_id is not None and proxy.carer_id == actor.pk:
        return proxy, "carer"
    return proxy, _may_manage(actor, proxy.patient)


@transaction.atomic
def proxy_change(*, actor: User, proxy_id: int, scopes: ProxyScopes) -> ProxyAccess:
    """The person (or their team) changes what the carer may see and do."""
    proxy, how = _proxy_to_change(actor, proxy_id)
    if how == "carer":
        raise Forbidden("Only the person or their team can change what you may do.")
    if not proxy.is_active:
        raise Conflict("This access has ended. Give access again instead.")
    before = ProxyScopes.of(proxy)
    if before == scopes:
        return proxy
    _apply(proxy, scopes)
    proxy.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=proxy.patient,
        object_type=PROXY_OBJECT,
        object_id=proxy.pk,
        detail=f"Access of {proxy.name} changed from {before.describe()} to {scopes.describe()}",
    )
    return proxy


@transaction.atomic
def proxy_end(*, actor: User, proxy_id: int, now: dt.datetime) -> ProxyAccess:
    """End a carer's access: by the person (withdrawn), their team, or the carer themself."""
    proxy, how = _proxy_to_change(actor, proxy_id)
    if not proxy.is_active:
        return proxy
    reason = {
        "self": ProxyEndReason.WITHDRAWN,
        "team": ProxyEndReason.ENDED_BY_TEAM,
        "carer": ProxyEndReason.DECLINED,
    }[how]
    proxy.ended_at = now
    proxy.ended_by = actor
    proxy.ended_reason = reason
    proxy.save()
    ProxyInvitation.objects.filter(proxy=proxy, accepted_at=None, withdrawn_at=None).update(
        withdrawn_at=now, withdrawn_reason="The access was ended"
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=proxy.patient,
        object_type=PROXY_OBJECT,
        object_id=proxy.pk,
        detail=f"Access of {proxy.name} ({proxy.relationship}) ended: {reason.label.lower()}",
    )
    return proxy


@transaction.atomic
def proxy_invitation_resend(*, actor: User, proxy_id: int, now: dt.datetime) -> ProxyGranted:
    proxy, how = _proxy_to_change(actor, proxy_id)
    if how == "carer":
        raise Forbidden("Only the person or their team can send the invitation again.")
    if not proxy.is_active:
        raise Conflict("This access has ended. Give access again instead.")
    if proxy.carer_id is not None:
        raise Conflict("They have already accepted and have an account.")
    invitation, token = _send_invitation(proxy=proxy, patient=proxy.patient, actor=actor, now=now)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=proxy.patient,
        object_type=PROXY_OBJECT,
        object_id=proxy.pk,
        detail=f"Invitation to {proxy.name} sent again ({invitation.sent_to})",
    )
    return ProxyGranted(proxy=proxy, invitation=invitation, token=token)


def proxies_for_patient(patient: Patient) -> list[ProxyAccess]:
    return list(
        ProxyAccess.objects.filter(patient=patient)
        .select_related("carer")
        .prefetch_related("invitations")
        .order_by("ended_at", "created_at", "id")
    )


@transaction.atomic
def proxy_invitation_check_birth_date(
    *, invitation_id: int, birth_date: dt.date, now: dt.datetime
) -> bool:
    """Whether ``birth_date`` is the PERSON's (a carer the person trusts knows it). Wrong dates
    are counted; after MAX_FAILED_CHECKS the invitation is withdrawn."""
    invitation = (
        ProxyInvitation.objects.select_for_update(of=("self",))
        .select_related("proxy__patient")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status_on(now) != InvitationStatus.PENDING:
        raise NotFound("This invitation cannot be used.")
    patient = invitation.proxy.patient
    if patient.birth_date == birth_date:
        return True
    detail = "Wrong date of birth typed with a carer's invitation " + invitation_failed_check(
        invitation, now=now
    )
    audit_record(
        actor=None,
        action=AuditAction.DENIED,
        patient=patient,
        object_type=PROXY_OBJECT,
        object_id=invitation.proxy_id,
        detail=detail,
    )
    return False


@transaction.atomic
def proxy_invitation_accept(
    *,
    invitation_id: int,
    now: dt.datetime,
    existing_carer: User | None = None,
    username: str = "",
    password: str = "",
) -> User:
    """Use a carer's invitation (the date of birth already confirmed): with the carer's own
    account if they already have one (they act for someone else too), or a new one."""
    invitation = (
        ProxyInvitation.objects.select_for_update(of=("self",))
        .select_related("proxy__patient")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status_on(now) != InvitationStatus.PENDING:
        raise NotFound("This invitation cannot be used.")
    proxy = ProxyAccess.objects.select_for_update().get(pk=invitation.proxy_id)
    if not proxy.is_active or proxy.carer_id is not None:
        raise Conflict("This access has ended or has already been accepted.")
    if existing_carer is not None:
        if existing_carer.role != Role.CARER or not existing_carer.is_active:
            raise Forbidden("Sign in with a carer's account to accept, or make a new one.")
        carer = existing_carer
    else:
        if not password:
            raise ValidationFailed("Choose a password.", fields={"password": "required"})
        first, _, last = proxy.name.partition(" ")
        carer = user_create(
            username=username,
            role=Role.CARER,
            password=password,
            first_name=first,
            last_name=last,
            email=proxy.email,
        )
    if ProxyAccess.objects.filter(
        patient_id=proxy.patient_id, carer=carer, ended_at__isnull=True
    ).exists():
        raise Conflict("You can already act for this person.")
    proxy.carer = carer
    proxy.save(update_fields=["carer", "updated_at"])
    invitation.accepted_at = now
    invitation.account = carer
    invitation.save(update_fields=["accepted_at", "account"])
    audit_record(
        actor=carer,
        action=AuditAction.UPDATE,
        patient=proxy.patient,
        object_type=PROXY_OBJECT,
        object_id=proxy.pk,
        detail=f"{proxy.name} ({proxy.relationship}) accepted the invitation and may now act "
        f"for the person",
    )
    return carer


class ProxyPurpose(StrEnum):
    """What a carer is about to see or do for the person; each but the first needs its scope."""

    CONTACTS = "contacts"  # key worker, team numbers, helpline: every grant
    APPOINTMENTS = "appointments"
    RESOURCE_PACK = "resource_pack"
    REPORT_SYMPTOMS = "report_symptoms"
    TIMELINE = "timeline"

    def allowed_by(self, proxy: ProxyAccess) -> bool:
        return {
            ProxyPurpose.CONTACTS: True,
            ProxyPurpose.APPOINTMENTS: proxy.may_see_appointments,
            ProxyPurpose.RESOURCE_PACK: proxy.may_see_resource_pack,
            ProxyPurpose.REPORT_SYMPTOMS: proxy.may_report_symptoms,
            ProxyPurpose.TIMELINE: proxy.may_see_timeline,
        }[self]


def proxy_grants_for_carer(carer: User) -> list[ProxyAccess]:
    """The people a carer may act for now."""
    if not has_permission(carer, Permission.ACT_AS_PROXY):
        return []
    return list(
        ProxyAccess.objects.filter(carer=carer, ended_at__isnull=True, patient__died_on=None)
        .select_related("patient__team")
        .order_by("patient__given_name", "id")
    )


@transaction.atomic
def proxy_open(*, actor: User, proxy_id: int, purpose: ProxyPurpose) -> ProxyAccess:
    """A carer opens the person's record for ``purpose``, recorded in the audit trail (the person
    sees it in "who has looked at your record"). Not theirs, ended, or the person died: 404;
    their grant does not cover ``purpose``: 403."""
    proxy = (
        ProxyAccess.objects.select_related("patient__team")
        .filter(pk=proxy_id, carer=actor, ended_at__isnull=True, patient__died_on=None)
        .first()
    )
    if proxy is None or not has_permission(actor, Permission.ACT_AS_PROXY):
        raise NotFound()
    if not purpose.allowed_by(proxy):
        raise Forbidden(f"{proxy.patient.given_name} has not shared this with you.")
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        patient=proxy.patient,
        object_type=PROXY_OBJECT,
        object_id=proxy.pk,
        detail=f"{proxy.name} ({proxy.relationship}), acting for the person: {purpose.value}",
    )
    return proxy
