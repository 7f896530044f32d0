"""What Waypoint keeps about the ways a person signs in, beyond the password on their account.

Authenticator apps and recovery codes are django-otp's devices (its TOTP and static plugins);
passkeys and the identities of outside sign-in services are kept here.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from waypoint.accounts.models import User


class PasskeyCredential(models.Model):
    """A WebAuthn credential (a passkey or a security key) registered by its owner. Only the
    public key is stored; the private key never leaves the person's device."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(
        max_length=100, help_text="The owner's name for it, e.g. 'Work laptop'."
    )
    credential_id = models.BinaryField(max_length=1023, unique=True)
    public_key = models.BinaryField(help_text="COSE-encoded public key.")
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user.username})"


class IdentityProvider(models.TextChoices):
    STAFF = "staff", "The organisation's sign-in service (staff)"
    PATIENT = "patient", "The patient sign-in service"


class ExternalIdentity(models.Model):
    """An account at an OpenID Connect provider linked to a Waypoint account: the provider's
    issuer and its subject identifier for the person, which never change (an email may)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    provider = models.CharField(max_length=10, choices=IdentityProvider.choices)
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(auto_now_add=True)
    linked_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who linked it; empty when the person linked it by signing in.",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "external identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique"),
            models.UniqueConstraint(
                fields=["user", "provider"], name="external_identity_one_per_provider"
            ),
            models.CheckConstraint(
                condition=models.Q(provider__in=IdentityProvider.values),
                name="external_identity_provider_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject} → {self.user.username}"


class InvitationChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    LETTER = "letter", "Printed letter"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Sent, not used yet"
    USED = "used", "Used"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


class InvitationBase(models.Model):
    """A one-use invitation to make a Waypoint account, sent by email, text or letter.

    The link carries a random token of which only the SHA-256 digest is kept. A letter carries a
    short code instead, typed on the "I have a letter" page; it is kept as printed so the letter
    can be printed again, and is useless once the invitation is used, withdrawn or expired.
    Each kind of invitation (to the patient portal, to act for someone, to join a team) is a
    table of its own in the app that owns what the new account is for.
    """

    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    letter_code = models.CharField(
        max_length=11, null=True, blank=True, unique=True, editable=False
    )
    channel = models.CharField(max_length=10, choices=InvitationChannel.choices)
    sent_to = models.CharField(max_length=200, blank=True, help_text="The address, masked.")
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    account = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The account made (or linked) when the invitation was used.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=200, blank=True)
    failed_checks = models.PositiveSmallIntegerField(
        default=0, help_text="Wrong dates of birth typed with this invitation."
    )

    class Meta:
        abstract = True

    def status_on(self, now: dt.datetime) -> InvitationStatus:
        if self.accepted_at is not None:
            return InvitationStatus.USED
        if self.withdrawn_at is not None:
            return InvitationStatus.WITHDRAWN
        if now >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING
