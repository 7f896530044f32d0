from __future__ import annotations

from django.db import models


class StandardSnapshot(models.Model):
    """One standard's result for one person on one day (``as_of``), kept so that dashboards can
    count in the database and show how the figures moved month by month."""

    # Derived rows, rewritten in bulk each night from the registry inside one transaction: the
    # database's foreign-key checks (two trigger events per row, a million rows a night at
    # national scale) cost more than writing the rows, so they are left to Django. Deleting a
    # person or a team still deletes their snapshots (Django's cascade).
    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    team = models.ForeignKey(
        "careteam.Team",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the counts index leads with the day, then the team
    )
    as_of = models.DateField()
    code = models.CharField(max_length=8)
    status = models.CharField(max_length=15)
    deadline = models.DateField(null=True, blank=True)
    evidence = models.CharField(max_length=200, blank=True)
    rules_version = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "patient", "code"], name="one_result_per_standard_and_day"
            )
        ]
        indexes = [models.Index(fields=["as_of", "team", "code", "status"], name="snapshot_counts")]

    def __str__(self) -> str:
        return f"{self.code} {self.status} for {self.patient_id} on {self.as_of}"
