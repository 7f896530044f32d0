from __future__ import annotations

from django.db import models
from django.db.models import Q

from waypoint.accounts.models import User
from waypoint.core.models import TimeStampedModel


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "Started, not finished"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Declined"


class AssessmentMode(models.TextChoices):
    PORTAL = "portal", "By the person, on the portal"
    WITH_NURSE = "with_nurse", "With their nurse"


class NeedsAssessment(TimeStampedModel):
    """One holistic needs assessment (a FHIR QuestionnaireResponse of waypoint-hna-1).

    Answers are saved as the person goes, so it can be finished in another sitting. A completed or
    declined assessment answers the triggers before it (docs/design/care-standards.md HNA1, HNA2).
    """

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="needs_assessments"
    )
    questionnaire_version = models.CharField(max_length=40)
    status = models.CharField(max_length=15, choices=AssessmentStatus.choices)
    mode = models.CharField(max_length=15, choices=AssessmentMode.choices)
    answers = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    due_reason = models.CharField(max_length=60, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    distress = models.PositiveSmallIntegerField(null=True, blank=True)
    declined_reason = models.CharField(max_length=300, blank=True)
    psychosocial_decision = models.TextField(
        blank=True, help_text="For a distress score of 4 or more: the referral made or why not."
    )
    psychosocial_decided_at = models.DateTimeField(null=True, blank=True)
    psychosocial_decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="in_progress"),
                name="one_assessment_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(distress__isnull=True) | Q(distress__lte=10),
                name="distress_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(completed_at__isnull=False),
                name="finished_assessment_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "-completed_at"], name="assessment_patient_done"),
        ]

    def __str__(self) -> str:
        return f"Needs assessment {self.pk} ({self.status})"

    @property
    def awaits_psychosocial_decision(self) -> bool:
        from waypoint.assessments.rules.hna import DISTRESS_REFERRAL_THRESHOLD

        return (
            self.status == AssessmentStatus.COMPLETED
            and self.distress is not None
            and self.distress >= DISTRESS_REFERRAL_THRESHOLD
            and not self.psychosocial_decision
        )


class AssessmentRequest(models.Model):
    """The person or a clinician asked for a needs assessment: a trigger of its own."""

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="assessment_requests"
    )
    requested_on = models.DateField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on"]

    def __str__(self) -> str:
        return f"Assessment requested for patient {self.patient_id} on {self.requested_on}"


class AssessmentInvitation(models.Model):
    """The person was invited to complete an assessment that fell due (one per due date)."""

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="assessment_invitations"
    )
    due_since = models.DateField()
    reason = models.CharField(max_length=60)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "due_since"], name="one_invitation_per_due")
        ]

    def __str__(self) -> str:
        return f"Invitation for patient {self.patient_id} ({self.reason}, {self.due_since})"


class CarePlanRevision(models.Model):
    """One agreed version of a person's care and support plan. Revisions are never changed: an
    update is a new revision, so what was agreed when can always be shown."""

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="care_plan_revisions"
    )
    number = models.PositiveIntegerField()
    assessment = models.ForeignKey(
        NeedsAssessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_plans",
        help_text="The needs assessment the plan answers, when there is one.",
    )
    agreed_with_person = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["patient", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "number"], name="care_plan_revision_unique")
        ]

    def __str__(self) -> str:
        return f"Care plan revision {self.number} for patient {self.patient_id}"


class ActionStatus(models.TextChoices):
    TO_DO = "to_do", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "No longer needed"


class CarePlanAction(models.Model):
    """An agreed action: what, who, by when, and how it stands."""

    revision = models.ForeignKey(CarePlanRevision, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    concern = models.CharField(
        max_length=60, blank=True, help_text="The concern code from the assessment it answers."
    )
    concern_text = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=500)
    owner = models.CharField(max_length=120, help_text="Who does it: the person, the key worker…")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=15, choices=ActionStatus.choices, default=ActionStatus.TO_DO
    )

    class Meta:
        ordering = ["revision", "position"]

    def __str__(self) -> str:
        return self.action
