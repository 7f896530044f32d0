from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from waypoint.access.models import InvitationBase
from waypoint.accounts.models import Role, User
from waypoint.core.models import TimeStampedModel

ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,10}$", "An ODS code is 3 to 10 capital letters or digits."
)


class Organisation(TimeStampedModel):
    """A provider organisation (an NHS trust or hospital), identified by its ODS code."""

    name = models.CharField(max_length=200)
    ods_code = models.CharField(max_length=10, unique=True, validators=[ods_code_validator])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class Team(TimeStampedModel):
    """A breast care team. Its numbers are what a patient is told to call."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    in_hours_phone = models.CharField(max_length=32)
    in_hours_description = models.CharField(max_length=120, default="Monday to Friday, 9am to 5pm")
    out_of_hours_phone = models.CharField(
        max_length=32, help_text="24-hour acute oncology line for out of hours."
    )
    email = models.EmailField(blank=True)
    members = models.ManyToManyField(User, through="TeamMembership", related_name="teams")

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class TeamOpeningHours(models.Model):
    """When a team is in hours on one weekday, in local wall-clock time (``waypoint-duty-1``,
    ``careteam/rules/duty.py``). Outside these hours, and on bank holidays, a red report goes to
    the on-call clinician at once. ``Team.in_hours_description`` stays the words shown to people.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField(help_text="Local time; in hours from this minute.")
    closes_at = models.TimeField(help_text="Local time; out of hours from this minute.")

    class Meta:
        ordering = ["team_id", "weekday"]
        verbose_name_plural = "team opening hours"
        constraints = [
            models.UniqueConstraint(fields=["team", "weekday"], name="opening_hours_one_per_day"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="opening_hours_close_after_open"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="opening_hours_weekday_range"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.team} {self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"
        )


class TeamMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    is_lead = models.BooleanField(default=False)
    joined_on = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class KeyWorkerAssignment(models.Model):
    """One period during which a clinician is a patient's named key worker.

    Invariant (database-enforced): at most one open assignment per patient. The history is kept:
    an assignment is ended, never deleted.
    """

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="key_worker_assignments"
    )
    key_worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assignments")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    start_reason = models.CharField(max_length=300)
    end_reason = models.CharField(max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="assignments_made",
        null=True,
        blank=True,
        help_text="Empty when Waypoint itself assigned (an import, say).",
    )
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="assignments_ended", null=True, blank=True
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(ended_at__isnull=True),
                name="one_current_key_worker_per_patient",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["key_worker"],
                condition=Q(ended_at__isnull=True),
                name="assignment_current_by_worker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_worker} for patient {self.patient_id}"


class Cover(TimeStampedModel):
    """Another clinician answers for an absent key worker's patients, both dates inclusive."""

    absent_user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="absences")
    cover_user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="covers_given")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200, default="Annual leave")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="covers_arranged")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cover_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(absent_user=F("cover_user")), name="cover_by_someone_else"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cover_user} covers {self.absent_user} {self.starts_on}–{self.ends_on}"


class OnCallShift(TimeStampedModel):
    """Who answers for a team's triage reports between two instants.

    Out of the team's hours, the people on duty: a red report goes to them at once. In hours, the
    second step of the escalation chain (key worker or cover → on call → team lead → acute
    oncology).
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="on_call_shifts")
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="on_call_shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="on_call_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["team", "starts_at", "ends_at"], name="on_call_team")]

    def __str__(self) -> str:
        return f"{self.clinician} on call for {self.team} {self.starts_at:%Y-%m-%d %H:%M}"


# Roles a team lead may invite someone into: those that work with the team's patients. Patients,
# carers, service managers and administrators are given their accounts another way.
INVITABLE_ROLES = (Role.KEY_WORKER, Role.HELPLINE_NURSE, Role.ONCOLOGIST)


class TeamInvitation(InvitationBase):
    """An invitation to join a team, sent by email by one of its leads or an administrator.

    The account is made only when the link is used, with the role and names written here, so
    what the person may see is decided by the lead who invited them, not by the person.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_lead = models.BooleanField(default=False)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField()
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in INVITABLE_ROLES]),
                name="team_invitation_role_invitable",
            ),
        ]
        indexes = [models.Index(fields=["team", "email"], name="team_invitation_by_email")]

    def __str__(self) -> str:
        return f"Team invitation {self.pk} to team {self.team_id}"


class KeyWorkerNotice(models.Model):
    """Telling a person that they have a new named key worker.

    Written with the assignment, in the same transaction, so nobody is given a key worker without
    being told. A person with a portal account sees it there until they (or their carer) say they
    have read it; a person without one is sent a printed letter, and the team marks it printed.
    A cover for leave is temporary and writes no notice: the person keeps their key worker.
    """

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="key_worker_notices"
    )
    assignment = models.OneToOneField(
        KeyWorkerAssignment, on_delete=models.CASCADE, related_name="notice"
    )
    created_at = models.DateTimeField()
    by_letter = models.BooleanField(
        help_text="The person had no portal account when told, so a letter is to be printed."
    )
    seen_at = models.DateTimeField(null=True, blank=True)
    letter_printed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["patient"], condition=Q(seen_at__isnull=True), name="notice_unseen"
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(by_letter=True, letter_printed_at__isnull=True),
                name="notice_letter_to_print",
            ),
        ]

    def __str__(self) -> str:
        return f"Key worker notice {self.pk} for patient {self.patient_id}"
