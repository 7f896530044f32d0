from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, QuerySet

from waypoint.notifications.models import MessageStatus, OutboundMessage


def failed_messages() -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(status=MessageStatus.FAILED).order_by("-created_at")


def outbox_counts() -> dict[str, int]:
    rows = OutboundMessage.objects.values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(MessageStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def outbox_oldest_due_at(*, now: dt.datetime) -> dt.datetime | None:
    """When the longest-waiting message fell due, or None when none is due: one read of the
    ``outbox_due`` index. A message waiting out its retry back-off is not yet due."""
    due = OutboundMessage.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
    oldest: dt.datetime | None = due.aggregate(oldest=Min("next_attempt_at"))["oldest"]
    return oldest
