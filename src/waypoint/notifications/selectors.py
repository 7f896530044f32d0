from __future__ import annotations

from django.db.models import Count, QuerySet

from waypoint.notifications.models import MessageStatus, OutboundMessage


def failed_messages() -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(status=MessageStatus.FAILED).order_by("-created_at")


def outbox_counts() -> dict[str, int]:
    rows = OutboundMessage.objects.values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(MessageStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
