from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from waypoint.accounts.models import User


class TimelineRecord(models.Model):
    """Fields every timeline record shares: whose, when, who recorded it."""

    patient = models.ForeignKey("registry.Patient", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-on", "-id"]


class ProgressionEvent(TimelineRecord):
    """Disease progression (mCODE CancerDiseaseStatus "worsening"). Recording one makes an MDT
    discussion, a needs assessment and a support review due."""

    class Meta(TimelineRecord.Meta):
        indexes = [models.Index(fields=["patient", "on"], name="progression_patient_on")]

    def __str__(self) -> str:
        return f"Progression on {self.on}"


class Response(models.TextChoices):
    COMPLETE = "complete", "Complete response"
    PARTIAL = "partial", "Partial response"
    STABLE = "stable", "Stable disease"
    PROGRESSIVE = "progressive", "Progressive disease"


class ResponseAssessment(TimelineRecord):
    result = models.CharField(max_length=12, choices=Response.choices)

    class Meta(TimelineRecord.Meta):
        indexes = [models.Index(fields=["patient", "on"], name="response_patient_on")]

    def __str__(self) -> str:
        return f"{self.get_result_display()} on {self.on}"


class MdtDiscussion(TimelineRecord):
    """A discussion at the multidisciplinary team meeting, with its outcome."""

    class Meta(TimelineRecord.Meta):
        indexes = [models.Index(fields=["patient", "on"], name="mdt_patient_on")]

    def __str__(self) -> str:
        return f"MDT discussion on {self.on}"


class ContactKind(models.TextChoices):
    CALL = "call", "Phone call"
    CLINIC = "clinic", "Clinic"
    LETTER = "letter", "Letter"
    PORTAL = "portal", "Portal message"


class Contact(TimelineRecord):
    """A contact between the person and their key worker or team."""

    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    key_worker_introduced = models.BooleanField(
        default=False,
        help_text="The person was told who their key worker is and how to reach them (KW2).",
    )

    class Meta(TimelineRecord.Meta):
        indexes = [models.Index(fields=["patient", "on"], name="contact_patient_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"


class HospitalAdmission(TimelineRecord):
    """A stay in hospital (FHIR Encounter, class inpatient); ``on`` is the day of admission."""

    discharged_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    unplanned = models.BooleanField(
        default=True, help_text="An emergency admission rather than a planned one."
    )

    class Meta(TimelineRecord.Meta):
        indexes = [models.Index(fields=["patient", "on"], name="admission_patient_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("on")),
                name="admission_discharged_after_admitted",
            ),
        ]

    def __str__(self) -> str:
        return f"Admitted on {self.on}"


class SupportReview(TimelineRecord):
    """The key worker reviewed the person's support with them (support groups, the resource
    pack, the helpline, benefits advice, palliative care), due after each progression."""

    class Meta(TimelineRecord.Meta):
        indexes = [models.Index(fields=["patient", "on"], name="support_review_patient_on")]

    def __str__(self) -> str:
        return f"Support review on {self.on}"
