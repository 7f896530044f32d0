from __future__ import annotations

from django.db import models
from django.db.models import Q

from waypoint.accounts.models import User


class Source(models.TextChoices):
    PATIENT = "patient", "The person, on the portal"
    HELPLINE = "helpline", "Helpline call"
    CLINICIAN = "clinician", "Clinician"
    CARER = "carer", "A carer, on the portal"


class Level(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    EMERGENCY = "emergency", "Emergency"


LEVEL_RANK: dict[str, int] = {"green": 0, "amber": 1, "red": 2, "emergency": 3}


class ReportStatus(models.TextChoices):
    OPEN = "open", "Waiting for a clinician"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLOSED = "closed", "Closed"


class ContextSource(models.TextChoices):
    REPORTED = "reported", "Given with the report"
    TREATMENT_RECORD = "treatment_record", "From the treatment record"
    NONE = "none", "Not known"


class SymptomReport(models.Model):
    """One symptom report and the outcome waypoint-triage-1 gave it (a FHIR
    QuestionnaireResponse with its RiskAssessment, in spirit).

    What the person submitted is kept exactly (``symptoms``, ``context``, ``free_text``) beside the
    rules version and the fingerprint of the thresholds that graded it, so every decision can be
    explained later. Reports are never deleted; they are acknowledged and closed.
    """

    patient = models.ForeignKey(
        "registry.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="symptom_reports",
        help_text="Empty for a helpline caller not yet registered.",
    )
    team = models.ForeignKey(
        "careteam.Team", on_delete=models.PROTECT, related_name="symptom_reports"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    is_check_in = models.BooleanField(default=False)
    reported_at = models.DateTimeField()
    received_at = models.DateTimeField()
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reported_by_relationship = models.CharField(
        max_length=100,
        blank=True,
        help_text="For a report a carer made for the person: who they are to the person, as the "
        "grant named them when the report was made (kept here, since the grant may change or end).",
    )
    idempotency_key = models.CharField(max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)

    symptoms = models.JSONField(default=list)
    context = models.JSONField(null=True, blank=True)
    context_source = models.CharField(max_length=20, choices=ContextSource.choices)
    free_text = models.TextField(blank=True)

    level = models.CharField(max_length=10, choices=Level.choices)
    level_rank = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    pathways = models.JSONField(default=list)
    advice = models.TextField()
    on_sact = models.BooleanField()
    respond_within_minutes = models.PositiveIntegerField(null=True, blank=True)
    respond_by = models.DateTimeField(null=True, blank=True)
    rules_version = models.CharField(max_length=40)
    thresholds_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="Which thresholds graded the report (triage.rules.config): the default set "
        "or a deployment's WAYPOINT_TRIAGE_CONFIG overrides. Blank for reports graded before "
        "it was recorded, whose thresholds are not known.",
    )
    needs_review = models.BooleanField(default=False)
    monitoring_alerts = models.JSONField(default=list, blank=True)

    status = models.CharField(max_length=15, choices=ReportStatus.choices)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    # Keeps counting through the repeats after the chain is exhausted: an integer, so a report left
    # unacknowledged for years still escalates (a small integer would overflow within a year).
    escalation_step = models.PositiveIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    nobody_reachable_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When every step of the escalation chain had been alerted and nobody new was "
        "left to alert; the safety contact was told then.",
    )

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="report_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(acknowledged_at__isnull=False),
                name="report_acknowledged_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "-reported_at"], name="report_patient_time"),
            models.Index(
                fields=["team", "-level_rank", "respond_by"],
                condition=~Q(status="closed"),
                name="report_queue",
            ),
            models.Index(
                fields=["next_escalation_at"],
                condition=Q(status="open"),
                name="report_escalation_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Symptom report {self.pk} ({self.level})"


class EventKind(models.TextChoices):
    RECEIVED = "received", "Received and graded"
    ALERTED = "alerted", "Alert sent"
    INFORMED = "informed", "Told for information (no action asked)"
    ESCALATED = "escalated", "Escalated"
    NO_RECIPIENT = "no_recipient", "Nobody to alert at this step"
    UNREACHABLE = "unreachable", "Nobody reachable: everyone in the chain has been alerted"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLOSED = "closed", "Closed with an outcome"
    LINKED = "linked", "Linked to a registered patient"
    MONITORING = "monitoring", "Check-in alert"


class ReportEvent(models.Model):
    """The history of a report: every alert, escalation step and acknowledgement."""

    report = models.ForeignKey(SymptomReport, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=15, choices=EventKind.choices)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class CallerRelationship(models.TextChoices):
    SELF = "self", "The person themselves"
    PARTNER = "partner", "Partner or spouse"
    FAMILY = "family", "Family member"
    CARER = "carer", "Carer"
    FRIEND = "friend", "Friend"
    PROFESSIONAL = "professional", "Health or care professional"
    OTHER = "other", "Other"


class Disposition(models.TextChoices):
    SELF_CARE = "self_care", "Self-care advice"
    GP = "gp", "See their GP"
    TEAM_REVIEW = "team_review", "Breast care team follow-up"
    ASSESSMENT_UNIT = "assessment_unit", "Attend the assessment unit"
    AMBULANCE = "ambulance", "Ambulance (999)"


class HelplineCall(models.Model):
    """A call to the helpline, following the UKONS triage log sheet.

    The caller may be someone other than the person (a carer, say). The person is found in the
    registry, or their name and birth date are recorded so that they can be registered later.
    """

    report = models.OneToOneField(
        SymptomReport, on_delete=models.PROTECT, related_name="helpline_call"
    )
    called_at = models.DateTimeField()
    caller_name = models.CharField(max_length=200)
    caller_relationship = models.CharField(max_length=15, choices=CallerRelationship.choices)
    callback_number = models.CharField(max_length=32)
    patient = models.ForeignKey(
        "registry.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="helpline_calls",
    )
    person_given_name = models.CharField(max_length=100, blank=True)
    person_family_name = models.CharField(max_length=100, blank=True)
    person_birth_date = models.DateField(null=True, blank=True)
    person_nhs_number = models.CharField(max_length=10, blank=True)
    advice_given = models.TextField()
    disposition = models.CharField(max_length=20, choices=Disposition.choices)
    follow_up_due = models.DateTimeField(null=True, blank=True)
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="helpline_calls")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-called_at"]
        indexes = [
            models.Index(
                fields=["called_at"], condition=Q(patient__isnull=True), name="call_unregistered"
            ),
        ]

    def __str__(self) -> str:
        return f"Call from {self.caller_name} at {self.called_at:%Y-%m-%d %H:%M}"

    @property
    def person_name(self) -> str:
        return f"{self.person_given_name} {self.person_family_name}".strip()


class CheckInStatus(models.TextChoices):
    DUE = "due", "Due"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"


class CheckIn(models.Model):
    """A weekly symptom check-in asked of a person on active treatment (PRO monitoring)."""

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="check_ins"
    )
    due_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CheckInStatus.choices)
    reminded_at = models.DateTimeField(null=True, blank=True)
    report = models.OneToOneField(
        SymptomReport, on_delete=models.PROTECT, null=True, blank=True, related_name="check_in"
    )

    class Meta:
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(status="due"), name="one_due_check_in"
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "-due_at"], name="check_in_patient"),
            models.Index(fields=["closes_at"], condition=Q(status="due"), name="check_in_due"),
        ]

    def __str__(self) -> str:
        return f"Check-in for patient {self.patient_id} due {self.due_at:%Y-%m-%d}"


class WorkerHeartbeat(models.Model):
    """One row per ``manage.py run_worker`` process, rewritten at the end of each of its passes,
    so the pages, the admin and ``/health/ready`` can tell that escalations and messages are
    going out (``triage.health``). Counts and times only: a job's traceback is in the worker's
    log, never here, since an exception's message may quote a patient's row."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_pass_at = models.DateTimeField()
    passes = models.PositiveBigIntegerField(default=0)
    job_failures = models.PositiveBigIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_pass_at"]
        indexes = [models.Index(fields=["last_pass_at"], name="heartbeat_last_pass")]

    def __str__(self) -> str:
        return f"Worker {self.worker_id}"
