from __future__ import annotations

from django.db import models
from django.db.models import Q

from waypoint.accounts.models import User
from waypoint.notifications.masking import mask_address


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed after every retry"


class OutboundMessage(models.Model):
    """The outbox: every email and text message Waypoint sends, written in the same transaction
    as the change that causes it and delivered afterwards by ``manage.py run_worker``.

    A message is never deleted. One that keeps failing stops at ``failed`` and is listed for admins,
    who can send it again.
    """

    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(max_length=254)
    recipient = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    topic = models.CharField(max_length=60, help_text="What caused it, e.g. triage.escalation.")
    reference = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_due",
            ),
            models.Index(fields=["topic", "reference"], name="outbox_topic_ref"),
        ]

    def __str__(self) -> str:
        # Masked: this is what the admin, its history and any log show of a message.
        return f"{self.channel} to {mask_address(self.channel, self.to)} ({self.status})"
