from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from waypoint.accounts.models import User


class InvitationStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    LAPSED = "lapsed", "Lapsed without an answer"


class InvitationRoute(models.TextChoices):
    MESSAGE = "message", "A text or email with a link to the portal"
    PORTAL = "portal", "Shown on the portal only (no message route)"
    PAPER = "paper", "Answered on paper"


class ResponseMode(models.TextChoices):
    PORTAL = "portal", "By the person, on the portal"
    PAPER = "paper", "On paper, entered by staff"


class YesNoNotSure(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


class YesNoDontRemember(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    DONT_REMEMBER = "dont_remember", "I do not remember"


class Coordination(models.TextChoices):
    ALWAYS = "always", "Always"
    MOSTLY = "mostly", "Mostly"
    SOMETIMES = "sometimes", "Sometimes"
    NEVER = "never", "Never"
    NOT_SURE = "not_sure", "Not sure"


class ExperienceInvitation(models.Model):
    """One survey that fell due for one person (waypoint-experience-due-1): sent, then answered
    or lapsed. Lapsed invitations stay, so a response rate always has its denominator."""

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="experience_invitations"
    )
    team = models.ForeignKey(
        "careteam.Team",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person's team when it was sent: the team whose figures it counts in.",
    )
    due_on = models.DateField()
    reason = models.CharField(max_length=40)
    rules_version = models.CharField(max_length=40)
    route = models.CharField(max_length=10, choices=InvitationRoute.choices)
    sent_at = models.DateTimeField()
    closes_on = models.DateField(help_text="The first day it is no longer open.")
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.OPEN
    )
    lapsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "due_on"], name="experience_one_invitation_per_due"
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="open"),
                name="experience_one_open_invitation",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "answered", "lapsed"]),
                name="experience_invitation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="lapsed", lapsed_at__isnull=False)
                | (~Q(status="lapsed") & Q(lapsed_at__isnull=True)),
                name="experience_lapsed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("due_on")),
                name="experience_closes_after_due",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "sent_at"], name="experience_inv_team_sent"),
            models.Index(fields=["status", "closes_on"], name="experience_inv_open"),
        ]

    def __str__(self) -> str:
        return f"Experience survey for patient {self.patient_id} due {self.due_on} ({self.status})"


def _one_of(field: str, choices: type[models.TextChoices]) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": [*choices.values, ""]}),
        name=f"experience_{field}_valid",
    )


class ExperienceResponse(models.Model):
    """The answers to one invitation (a FHIR QuestionnaireResponse of waypoint-experience-1).

    Confidential: staff see these only counted, except the paper entry they typed themselves.
    An empty string is a question the person chose to skip.
    """

    invitation = models.OneToOneField(
        ExperienceInvitation, on_delete=models.PROTECT, related_name="response"
    )
    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="experience_responses"
    )
    questionnaire_version = models.CharField(max_length=40)
    mode = models.CharField(max_length=10, choices=ResponseMode.choices)
    completed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    names_key_worker = models.CharField(max_length=15, choices=YesNoNotSure.choices, blank=True)
    key_worker_name = models.CharField(max_length=200, blank=True)
    key_worker_named_correctly = models.BooleanField(
        null=True,
        blank=True,
        help_text="The name written matched the key worker's at the time; never shown to them.",
    )
    contact_in_hours = models.CharField(max_length=15, choices=YesNoNotSure.choices, blank=True)
    contact_out_of_hours = models.CharField(max_length=15, choices=YesNoNotSure.choices, blank=True)
    offered_peer_support = models.CharField(
        max_length=15, choices=YesNoDontRemember.choices, blank=True
    )
    offered_resource_pack = models.CharField(
        max_length=15, choices=YesNoDontRemember.choices, blank=True
    )
    offered_helpline = models.CharField(
        max_length=15, choices=YesNoDontRemember.choices, blank=True
    )
    care_coordinated = models.CharField(max_length=15, choices=Coordination.choices, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            _one_of("names_key_worker", YesNoNotSure),
            _one_of("contact_in_hours", YesNoNotSure),
            _one_of("contact_out_of_hours", YesNoNotSure),
            _one_of("offered_peer_support", YesNoDontRemember),
            _one_of("offered_resource_pack", YesNoDontRemember),
            _one_of("offered_helpline", YesNoDontRemember),
            _one_of("care_coordinated", Coordination),
            models.CheckConstraint(
                condition=Q(mode__in=["portal", "paper"]), name="experience_mode_valid"
            ),
            models.CheckConstraint(
                condition=~Q(key_worker_name="") | Q(key_worker_named_correctly__isnull=True),
                name="experience_named_correctly_needs_a_name",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comment"), 2000),
                name="experience_comment_length",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "-submitted_at"], name="experience_resp_patient"),
        ]

    def __str__(self) -> str:
        return f"Experience response {self.pk} ({self.mode})"
