from __future__ import annotations

from django.db import models

from waypoint.accounts.models import User


class ImportOutcome(models.TextChoices):
    CREATED = "created", "Created a Waypoint record"
    UPDATED = "updated", "Updated a Waypoint record"
    LINKED = "linked", "Matched a person already registered"
    SKIPPED = "skipped", "Kept for provenance, not imported"
    KEPT = "kept", "Changed since the last import; the earlier record was kept"


class ImportedResource(models.Model):
    """Provenance of one imported FHIR resource: where it came from, what it became.

    The raw resource is the one legitimate JSON blob in Waypoint: the clinical facts live in the
    registry's own rows; this keeps what the sender said, for audit and for explaining an import
    years later. A resource is known by (patient, source_type, source_id); re-importing it with
    the same ``content_hash`` changes nothing.
    """

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.CASCADE, related_name="imported_resources"
    )
    source_type = models.CharField(max_length=64)
    source_id = models.CharField(max_length=255, help_text="Type/id, else the fullUrl.")
    full_url = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON.")
    raw = models.JSONField()
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=ImportOutcome.choices)
    mapping_version = models.CharField(max_length=40)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["patient", "source_type", "source_id", "imported_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "source_type", "source_id", "content_hash"],
                name="imported_resource_once_per_version",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=ImportOutcome.values),
                name="imported_resource_outcome_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "source_type", "source_id"], name="imported_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_type} {self.target_id}"
