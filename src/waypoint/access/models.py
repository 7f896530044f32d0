"""What Waypoint keeps about the ways a person signs in, beyond the password on their account.

Authenticator apps and recovery codes are django-otp's devices (its TOTP and static plugins);
passkeys and the identities of outside sign-in services are kept here.
"""

from __future__ import annotations

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
