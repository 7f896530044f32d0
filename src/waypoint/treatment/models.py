from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from waypoint.accounts.models import User
from waypoint.core.models import TimeStampedModel


class TreatmentKind(models.TextChoices):
    CHEMOTHERAPY = "chemotherapy", "Chemotherapy"
    TARGETED = "targeted", "Targeted therapy (including CDK4/6 inhibitors)"
    HER2_DIRECTED = "her2_directed", "HER2-directed therapy"
    IMMUNOTHERAPY = "immunotherapy", "Immunotherapy"
    ENDOCRINE = "endocrine", "Endocrine (hormone) therapy"
    ADC = "adc", "Antibody–drug conjugate"

    @property
    def sact_kind(self) -> str:
        """The triage context's kind (waypoint-triage-1 "Context")."""
        if self in (TreatmentKind.HER2_DIRECTED, TreatmentKind.ADC):
            return "targeted"
        return str(self.value)


class TreatmentIntent(models.TextChoices):
    PALLIATIVE = "palliative", "Palliative (disease control)"
    CURATIVE = "curative", "Curative"


class StopReason(models.TextChoices):
    PROGRESSION = "progression", "Progression"
    TOXICITY = "toxicity", "Toxicity"
    COMPLETED = "completed", "Completed"
    CHOICE = "choice", "Patient's choice"
    DEATH = "death", "Death"


class TreatmentLine(TimeStampedModel):
    """One line of systemic therapy for secondary breast cancer (mCODE CancerRelatedMedication).

    A line is active while ``stopped_on`` is empty. ``last_dose_on`` is the latest known dose; an
    active line is taken to be continuing today (the safe reading for triage).
    """

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="treatment_lines"
    )
    line_number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=TreatmentKind.choices)
    drugs = models.CharField(max_length=300)
    intent = models.CharField(
        max_length=20, choices=TreatmentIntent.choices, default=TreatmentIntent.PALLIATIVE
    )
    started_on = models.DateField()
    last_dose_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    stop_reason = models.CharField(max_length=20, choices=StopReason.choices, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["patient", "line_number", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=F("started_on")),
                name="treatment_stops_after_start",
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | ~Q(stop_reason=""),
                name="treatment_stop_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["patient"], condition=Q(stopped_on__isnull=True), name="treatment_active"
            ),
        ]

    def __str__(self) -> str:
        return f"Line {self.line_number}: {self.drugs}"

    @property
    def is_active(self) -> bool:
        return self.stopped_on is None


class TreatmentCycle(models.Model):
    """One cycle of a line (a chemotherapy cycle, a month of endocrine therapy)."""

    line = models.ForeignKey(TreatmentLine, on_delete=models.PROTECT, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    started_on = models.DateField()
    dose_modified = models.BooleanField(
        default=False, help_text="Dose reduced or delayed, usually for toxicity."
    )
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["line", "number"]
        constraints = [
            models.UniqueConstraint(fields=["line", "number"], name="one_cycle_number_per_line"),
            models.CheckConstraint(condition=Q(number__gte=1), name="cycle_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Cycle {self.number} of line {self.line_id}"
