"""Writing to the outbox and draining it.

Messages are written inside the transaction of the change that causes them, so a rolled-back
change sends nothing and a committed one is never forgotten. Delivery claims rows with a
conditional UPDATE, so two workers never send the same message twice.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Forbidden, ValidationFailed
from waypoint.notifications import backends
from waypoint.notifications.models import Channel, MessageStatus, OutboundMessage

CLAIM_LEASE = dt.timedelta(minutes=5)
RESULT_WRITE_ATTEMPTS = 10
MESSAGE_OBJECT = "outbound_message"
_UK_MOBILE = re.compile(r"^(\+44\s?7|07)[\d\s]{9,11}$")


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try: 30 s, 1 min, 2 min … doubling, at most an hour."""
    return min(dt.timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), dt.timedelta(hours=1))


def message_enqueue(
    *,
    channel: Channel,
    to: str,
    body: str,
    topic: str,
    now: dt.datetime,
    subject: str = "",
    reference: str = "",
    recipient: User | None = None,
) -> OutboundMessage:
    if not to.strip():
        raise ValidationFailed("A message needs an address.", fields={"to": "Give an address."})
    return OutboundMessage.objects.create(
        channel=channel,
        to=to.strip(),
        body=body,
        subject=subject[:200],
        topic=topic,
        reference=str(reference)[:64],
        recipient=recipient,
        next_attempt_at=now,
        created_at=now,
    )


def is_mobile(number: str) -> bool:
    return bool(_UK_MOBILE.match(number.strip()))


def messages_to_user(
    *,
    user: User,
    subject: str,
    body: str,
    topic: str,
    reference: str,
    now: dt.datetime,
    sms: bool = True,
) -> list[OutboundMessage]:
    """Email the user, and text them too when ``sms`` and they have a mobile work number."""
    messages = []
    if user.email:
        messages.append(
            message_enqueue(
                channel=Channel.EMAIL,
                to=user.email,
                subject=subject,
                body=body,
                topic=topic,
                reference=reference,
                recipient=user,
                now=now,
            )
        )
    if sms and is_mobile(user.work_phone):
        messages.append(
            message_enqueue(
                channel=Channel.SMS,
                to=user.work_phone,
                body=f"{subject}. {body}"[:900],
                topic=topic,
                reference=reference,
                recipient=user,
                now=now,
            )
        )
    return messages


@dataclass(frozen=True)
class DeliveryStats:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


def outbox_claim(*, now: dt.datetime, worker_id: str, limit: int) -> list[OutboundMessage]:
    """Claim up to ``limit`` due messages for this worker; another worker gets different ones
    (rows another worker is claiming are skipped, not waited for)."""
    token = f"{worker_id}:{uuid.uuid4().hex[:12]}"
    due = Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    with transaction.atomic():
        ids = list(
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        OutboundMessage.objects.filter(due, id__in=ids).update(
            claimed_by=token, claimed_until=_lease_from(now)
        )
    return list(OutboundMessage.objects.filter(claimed_by=token).order_by("id"))


def _lease_from(now: dt.datetime) -> dt.datetime:
    return max(now, timezone.now()) + CLAIM_LEASE


def outbox_deliver_due(*, now: dt.datetime, worker_id: str, limit: int = 100) -> DeliveryStats:
    sent = retrying = failed = 0
    for message in outbox_claim(now=now, worker_id=worker_id, limit=limit):
        outcome = _deliver_one(message, now=now)
        sent += outcome == MessageStatus.SENT
        failed += outcome == MessageStatus.FAILED
        retrying += outcome == MessageStatus.PENDING
    return DeliveryStats(sent=sent, retrying=retrying, failed=failed)


def _deliver_one(message: OutboundMessage, *, now: dt.datetime) -> str:
    # Renew the claim just before sending, so a slow batch never outlives it: a message whose
    # claim another worker has taken over is left to that worker.
    renewed = OutboundMessage.objects.filter(
        pk=message.pk, claimed_by=message.claimed_by, status=MessageStatus.PENDING
    ).update(claimed_until=_lease_from(now))
    if not renewed:
        return "skipped"
    fields: dict[str, object] = {"claimed_by": "", "claimed_until": None}
    try:
        provider_id = backends.deliver(message)
    except backends.DeliveryError as exc:
        attempts = message.attempts + 1
        fields.update(attempts=attempts, last_error=str(exc)[:2000])
        if attempts >= settings.WAYPOINT_OUTBOX_MAX_ATTEMPTS:
            fields["status"] = MessageStatus.FAILED
        else:
            fields["next_attempt_at"] = now + backoff(attempts)
    else:
        fields.update(
            status=MessageStatus.SENT,
            sent_at=now,
            attempts=message.attempts + 1,
            provider_id=provider_id[:100],
        )
    # Only the claimant writes the result. Delivery is at least once: if this write were lost the
    # message would be sent again when the lease ran out, so a momentary lock is waited out.
    for attempt in range(RESULT_WRITE_ATTEMPTS):
        try:
            OutboundMessage.objects.filter(pk=message.pk, claimed_by=message.claimed_by).update(
                **fields
            )
            break
        except OperationalError:
            if attempt == RESULT_WRITE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    return str(fields.get("status", MessageStatus.PENDING))


def message_retry(*, actor: User, message: OutboundMessage, now: dt.datetime) -> OutboundMessage:
    """An admin sends a failed message again (after fixing an address, say). Audited: who sent
    which message again, never its address or words."""
    if not has_permission(actor, Permission.MANAGE_OUTBOX):
        raise Forbidden("Only an administrator can resend a message.")
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.PENDING, attempts=0, next_attempt_at=now, last_error=""
        )
        if not updated:
            raise ValidationFailed("Only a failed message can be sent again.")
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            patient=None,
            object_type=MESSAGE_OBJECT,
            object_id=message.pk,
            detail=f"sent again ({message.channel})",
        )
    message.refresh_from_db()
    return message
