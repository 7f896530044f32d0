from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from waypoint.access.models import InvitationBase
from waypoint.accounts.models import User
from waypoint.core.models import TimeStampedModel
from waypoint.registry.rules.codes import METASTATIC_SITES
from waypoint.registry.rules.subtype import receptor_subtype

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"


class Sex(models.TextChoices):
    """FHIR AdministrativeGender."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"
    POST = "post", "Letter"
    PORTAL = "portal", "Waypoint portal"


class ReceptorStatus(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    UNKNOWN = "unknown", "Not known"


class Her2Status(models.TextChoices):
    POSITIVE = "positive", "Positive"
    LOW = "low", "Low (IHC 1+ or 2+ with negative ISH)"
    NEGATIVE = "negative", "Negative (IHC 0)"
    EQUIVOCAL = "equivocal", "Equivocal, awaiting ISH"
    UNKNOWN = "unknown", "Not known"


class Laterality(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Both breasts"
    UNKNOWN = "unknown", "Not known"


class Presentation(models.TextChoices):
    DE_NOVO = "de_novo", "De novo (metastatic at first diagnosis)"
    RECURRENCE = "recurrence", "Recurrence after earlier breast cancer"


class BiopsyDecision(models.TextChoices):
    DONE = "done", "Biopsy done"
    NOT_FEASIBLE = "not_feasible", "Not feasible"
    NOT_DECIDED = "not_decided", "Not yet decided"


class MetastaticSiteCode(models.TextChoices):
    """The fixed site list (docs/design/codes.md); codes and SNOMED CT live in ``rules.codes``."""

    BONE = "bone", "Bone"
    LIVER = "liver", "Liver"
    LUNG = "lung", "Lung"
    BRAIN = "brain", "Brain"
    PLEURA = "pleura", "Pleura"
    DISTANT_LYMPH_NODES = "distant_lymph_nodes", "Distant lymph nodes"
    SKIN_SOFT_TISSUE = "skin_soft_tissue", "Skin or soft tissue"
    PERITONEUM = "peritoneum", "Peritoneum"
    OTHER = "other", "Other"


assert [(c.value, c.label) for c in MetastaticSiteCode] == [  # noqa: S101  # import-time guard
    (s.code, s.label) for s in METASTATIC_SITES
], "MetastaticSiteCode must match rules.codes.METASTATIC_SITES"


class Patient(TimeStampedModel):
    """A person living with (or treated for) breast cancer, in one team's care."""

    nhs_number = models.CharField(
        max_length=10, unique=True, null=True, blank=True, help_text="10 digits, validated."
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    birth_date = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact_method = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    died_on = models.DateField(null=True, blank=True)
    metastatic_diagnosed_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="T0: the earliest secondary diagnosis date, kept by the registry services.",
    )
    team = models.ForeignKey("careteam.Team", on_delete=models.PROTECT, related_name="patients")
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient_record",
        help_text="The portal account of the person themself.",
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="patients_registered", null=True
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nhs_number__isnull=True) | Q(nhs_number__regex=r"^[0-9]{10}$"),
                name="patient_nhs_number_ten_digits",
            ),
            models.CheckConstraint(
                condition=Q(died_on__isnull=True) | Q(died_on__gte=F("birth_date")),
                name="patient_died_after_birth",
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="patient_sex_valid"),
        ]
        indexes = [
            models.Index(Lower("family_name"), "birth_date", name="patient_family_birth"),
            models.Index(fields=["team", "died_on"], name="patient_team_alive"),
            models.Index(fields=["metastatic_diagnosed_on"], name="patient_t0"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_alive(self) -> bool:
        return self.died_on is None

    def age_on(self, day: dt.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PatientIdentifier(models.Model):
    """Identifiers other than the NHS number: hospital numbers, an imported record's MRN."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="identifiers")
    system = models.CharField(max_length=255)
    value = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "value"], name="identifier_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.value}"


class CarerContact(TimeStampedModel):
    """A carer the person has consented to us contacting. No consent, no row."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="carers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    consent_given_on = models.DateField()
    consent_scope = models.CharField(
        max_length=300, default="May be contacted about care and given updates"
    )
    consent_withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_withdrawn_on__isnull=True)
                | Q(consent_withdrawn_on__gte=F("consent_given_on")),
                name="carer_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class PrimaryDiagnosis(TimeStampedModel):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="primaries")
    diagnosed_on = models.DateField()
    laterality = models.CharField(max_length=10, choices=Laterality.choices)
    er = models.CharField(max_length=10, choices=ReceptorStatus.choices)
    pr = models.CharField(max_length=10, choices=ReceptorStatus.choices)
    her2 = models.CharField(max_length=10, choices=Her2Status.choices)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["diagnosed_on"]

    def __str__(self) -> str:
        return f"Primary breast cancer ({self.laterality}) {self.diagnosed_on}"

    @property
    def subtype(self) -> str:
        return receptor_subtype(self.er, self.pr, self.her2)


class SecondaryDiagnosis(TimeStampedModel):
    """A metastatic diagnosis (T0 for the care standards is the earliest one's ``diagnosed_on``)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="secondaries")
    diagnosed_on = models.DateField()
    presentation = models.CharField(max_length=12, choices=Presentation.choices)
    # Receptor status of metastatic tissue, when biopsied (blank when not assessed).
    er = models.CharField(max_length=10, choices=ReceptorStatus.choices, blank=True)
    pr = models.CharField(max_length=10, choices=ReceptorStatus.choices, blank=True)
    her2 = models.CharField(max_length=10, choices=Her2Status.choices, blank=True)
    receptors_assessed_on = models.DateField(null=True, blank=True)
    biopsy_decision = models.CharField(
        max_length=14, choices=BiopsyDecision.choices, default=BiopsyDecision.NOT_DECIDED
    )
    biopsy_not_feasible_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["diagnosed_on", "id"]
        verbose_name_plural = "secondary diagnoses"
        constraints = [
            models.CheckConstraint(
                condition=~Q(biopsy_decision=BiopsyDecision.NOT_FEASIBLE)
                | ~Q(biopsy_not_feasible_reason=""),
                name="secondary_not_feasible_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(presentation__in=Presentation.values),
                name="secondary_presentation_valid",
            ),
        ]
        indexes = [models.Index(fields=["patient", "diagnosed_on"], name="secondary_patient_on")]

    def __str__(self) -> str:
        return f"Secondary breast cancer diagnosed {self.diagnosed_on}"


class MetastaticSite(models.Model):
    diagnosis = models.ForeignKey(
        SecondaryDiagnosis, on_delete=models.CASCADE, related_name="sites"
    )
    site = models.CharField(max_length=24, choices=MetastaticSiteCode.choices)
    snomed_code = models.CharField(max_length=18)
    detail = models.CharField(max_length=200, blank=True, help_text="Body site, for 'other'.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "site", "detail"], name="site_unique"),
            models.CheckConstraint(
                condition=Q(site__in=MetastaticSiteCode.values), name="site_code_valid"
            ),
        ]
        indexes = [models.Index(fields=["site"], name="metastatic_site_code")]

    def __str__(self) -> str:
        return self.get_site_display()


class ReceptorMarker(models.TextChoices):
    ER = "er", "Oestrogen receptor (ER)"
    PR = "pr", "Progesterone receptor (PR)"
    HER2 = "her2", "HER2"


class Specimen(models.TextChoices):
    PRIMARY = "primary", "Primary tumour"
    METASTATIC = "metastatic", "Metastasis"
    UNKNOWN = "unknown", "Not known"


class ReceptorResult(TimeStampedModel):
    """One tumour-marker result (mCODE TumorMarkerTest), kept with its date and specimen.

    Receptor status can change between the primary and a metastasis (ER+ → ER−), so every result
    is kept; the registry's current status is the latest metastatic result (docs/design/codes.md).
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="receptor_results")
    marker = models.CharField(max_length=4, choices=ReceptorMarker.choices)
    value = models.CharField(max_length=10, choices=Her2Status.choices)
    observed_on = models.DateField()
    specimen = models.CharField(max_length=10, choices=Specimen.choices)
    loinc_code = models.CharField(max_length=12, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["observed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(marker__in=ReceptorMarker.values), name="receptor_marker_valid"
            ),
            models.CheckConstraint(
                condition=Q(marker="her2", value__in=Her2Status.values)
                | Q(value__in=ReceptorStatus.values),
                name="receptor_value_fits_marker",
            ),
            models.CheckConstraint(
                condition=Q(specimen__in=Specimen.values), name="receptor_specimen_valid"
            ),
        ]
        indexes = [models.Index(fields=["patient", "observed_on"], name="receptor_patient_on")]

    def __str__(self) -> str:
        return f"{self.get_marker_display()} {self.get_value_display()} on {self.observed_on}"


class Biopsy(TimeStampedModel):
    """A biopsy (FHIR Procedure). A biopsy of a metastasis answers BX1 for the diagnosis."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="biopsies")
    performed_on = models.DateField()
    site = models.CharField(
        max_length=24,
        choices=MetastaticSiteCode.choices,
        blank=True,
        help_text="The metastatic site biopsied; empty for the breast or when not known.",
    )
    body_site = models.CharField(max_length=200, blank=True)
    snomed_code = models.CharField(max_length=18, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["performed_on", "id"]
        verbose_name_plural = "biopsies"
        constraints = [
            models.CheckConstraint(
                condition=Q(site="") | Q(site__in=MetastaticSiteCode.values),
                name="biopsy_site_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Biopsy on {self.performed_on}"


class PortalInvitation(InvitationBase):
    """An invitation for the person themself to make their portal account. Using it checks
    their date of birth before the account is linked to this record."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="portal_invitations"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "-created_at"], name="portal_invitation_latest")]

    def __str__(self) -> str:
        return f"Portal invitation for patient {self.patient_id} ({self.channel})"


class ProxyEndReason(models.TextChoices):
    WITHDRAWN = "withdrawn", "The person withdrew it"
    ENDED_BY_TEAM = "ended_by_team", "Ended by the care team"
    DIED = "died", "The person died"
    DECLINED = "declined", "The carer declined or asked to stop"


class ProxyAccess(TimeStampedModel):
    """Someone the person trusts (a carer, a partner, a grown-up child) acting for them on
    Waypoint, with the person's consent and only in the ways the person chose.

    Seeing the key worker, the team's numbers and the helpline is part of every grant: that is
    what a carer needs in a crisis. The rest is the person's choice, changeable at any time.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="proxies")
    carer = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxy_grants",
        help_text="The carer's own account, once they have accepted the invitation.",
    )
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    may_see_appointments = models.BooleanField(
        default=True, help_text="Support meetings booked and referrals."
    )
    may_see_resource_pack = models.BooleanField(default=True)
    may_report_symptoms = models.BooleanField(
        default=False, help_text="Use the symptom check on the person's behalf."
    )
    may_see_timeline = models.BooleanField(default=False)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    consent_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="When a clinician records it: how and when the person gave consent.",
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_reason = models.CharField(max_length=15, choices=ProxyEndReason.choices, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(ended_reason=""),
                name="proxy_ended_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["carer", "ended_at"], name="proxy_carer_active")]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship}) for patient {self.patient_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class ProxyInvitation(InvitationBase):
    """An invitation for a carer to make (or use) their account and start acting for the
    person. Using it checks the PERSON's date of birth, which a trusted carer knows."""

    proxy = models.ForeignKey(ProxyAccess, on_delete=models.CASCADE, related_name="invitations")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Carer invitation {self.pk} ({self.channel})"
