from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    CARER = "carer", "Carer or someone the person trusts"
    KEY_WORKER = "key_worker", "Key worker, clinical nurse specialist"
    HELPLINE_NURSE = "helpline_nurse", "Helpline or acute oncology nurse"
    ONCOLOGIST = "oncologist", "Oncologist"
    SERVICE_MANAGER = "service_manager", "Service manager"
    ADMIN = "admin", "Administrator"


CLINICAL_ROLES = frozenset({Role.KEY_WORKER, Role.HELPLINE_NURSE, Role.ONCOLOGIST})


class User(AbstractUser):
    """A person who signs in. The role decides what they may do (see ``accounts.policies``)."""

    role = models.CharField(max_length=20, choices=Role.choices)
    work_phone = models.CharField(max_length=32, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    staff_identifier = models.CharField(
        max_length=64,
        blank=True,
        help_text="The identifier an organisation's sign-in service gives this person (for "
        "example a smartcard's user identifier), when single sign-on matches staff by it.",
    )
    session_stamp = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised to end every signed-in session of this account at once.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            models.UniqueConstraint(
                fields=["staff_identifier"],
                condition=~Q(staff_identifier=""),
                name="user_staff_identifier_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        full = self.get_full_name().strip()
        return full or self.username

    @property
    def is_clinician(self) -> bool:
        return self.role in CLINICAL_ROLES

    @property
    def is_staff_member(self) -> bool:
        """Everyone but patients and carers: the roles that may be made to use a second factor."""
        return self.role not in {Role.PATIENT, Role.CARER}

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django signs each session with a hash of the password, so a new password ends every
        # other session. The stamp joins it, so that "sign out everywhere" and deactivation end
        # them too without touching the password (accounts.services.user_sessions_end).
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            f"{self.password}|{self.session_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored; the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"


class ApiTokenRate(models.Model):
    """How many limited requests one token has sent in the current minute, for one limit (its
    scope: API writes, FHIR imports). One row per token and scope, counted up and restarted each
    minute in a single statement (``accounts.services.api_token_rate_take``), so the limit holds
    across every server process and the table grows only with tokens."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="rates")
    scope = models.CharField(max_length=16)
    minute = models.BigIntegerField(help_text="Minutes since 1970-01-01 UTC.")
    used = models.PositiveIntegerField()

    class Meta:
        db_table = "accounts_apitokenrate"  # named in accounts.services._RATE_TAKE_SQL
        constraints = [
            models.UniqueConstraint(fields=["token", "scope"], name="api_token_rate_one_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.scope}: {self.used} in minute {self.minute}"
