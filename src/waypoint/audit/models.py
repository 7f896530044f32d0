from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed the record"
    LIST = "list", "Saw the person in a list"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    ASSIGN = "assign", "Assigned a key worker"
    EXPORT = "export", "Exported"
    AGGREGATE = "aggregate", "Saw figures in aggregate (no person named)"
    DENIED = "denied", "Was refused (sign-in or API token)"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_OUT = "sign_out", "Signed out, or sessions were ended"


class AuditEvent(models.Model):
    """An append-only record of one read or write of patient data, or of one refused attempt to
    sign in or to use an API token (action ``denied``, no patient).

    The database refuses UPDATE, DELETE and TRUNCATE on this table (triggers in migrations 0003
    and 0005), so the trail cannot be rewritten through the ORM, the admin or SQL; and the
    application's role may only insert and select here (``manage.py grant_app_role``).
    """

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="audit_events"
    )
    actor_role = models.CharField(max_length=20)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    patient = models.ForeignKey(
        "registry.Patient",
        on_delete=models.PROTECT,
        null=True,
        related_name="audit_events",
    )
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-occurred_at"], name="audit_patient_time"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_role} {self.action} {self.object_type}"
        )
