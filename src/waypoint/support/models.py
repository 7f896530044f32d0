from __future__ import annotations

from django.db import models
from django.db.models import Q

from waypoint.accounts.models import User
from waypoint.core.models import TimeStampedModel


class ServiceKind(models.TextChoices):
    PALLIATIVE = "palliative", "Palliative or supportive care"
    PSYCHOLOGY = "psychology", "Psychology or counselling"
    BENEFITS = "benefits", "Benefits and money advice"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    LYMPHOEDEMA = "lymphoedema", "Lymphoedema"
    DIETITIAN = "dietitian", "Dietitian"
    COMPLEMENTARY = "complementary", "Complementary therapy"
    PEER_SUPPORT = "peer_support", "Peer support"
    HELPLINE = "helpline", "Helpline"
    INFORMATION = "information", "Information"


# A person may refer themselves to these; the others need a clinician's referral.
SELF_REFERRAL_KINDS = frozenset(
    {
        ServiceKind.BENEFITS,
        ServiceKind.COMPLEMENTARY,
        ServiceKind.PEER_SUPPORT,
        ServiceKind.HELPLINE,
        ServiceKind.INFORMATION,
    }
)


class ServiceMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    PHONE = "phone", "By phone"
    MIXED = "mixed", "In person or online"


class SupportService(TimeStampedModel):
    """One service in the directory that admins keep (a FHIR HealthcareService, in spirit)."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ServiceKind.choices)
    provider = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    area_served = models.CharField(
        max_length=200, help_text='Where it serves, in words ("Leeds", "National").'
    )
    postcode_areas = models.CharField(
        max_length=200,
        blank=True,
        help_text="Postcode areas served, comma-separated (LS, WF); empty means everywhere.",
    )
    mode = models.CharField(max_length=10, choices=ServiceMode.choices)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    opening_hours = models.CharField(max_length=200, blank=True)
    eligibility = models.CharField(max_length=300, blank=True)
    response_days = models.PositiveSmallIntegerField(
        default=14, help_text="A referral not accepted within this many days is flagged overdue."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def self_referral(self) -> bool:
        return self.kind in SELF_REFERRAL_KINDS

    def serves(self, postcode: str) -> bool:
        areas = [a.strip().upper() for a in self.postcode_areas.split(",") if a.strip()]
        if not areas:
            return True
        outward = postcode.strip().upper().split(" ")[0]
        letters = "".join(ch for ch in outward if ch.isalpha())[:2]
        return any(letters == a or outward == a for a in areas)


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    BOOKED = "booked", "Booked"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


OPEN_REFERRAL_STATUSES = (ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED, ReferralStatus.BOOKED)


class Referral(TimeStampedModel):
    """A referral to a support service (a FHIR ServiceRequest, in spirit)."""

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="referrals"
    )
    service = models.ForeignKey(SupportService, on_delete=models.PROTECT, related_name="referrals")
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    self_referral = models.BooleanField(default=False)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    respond_by = models.DateField()
    booked_for = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["patient", "status"], name="referral_patient_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["declined", "cancelled"]) | ~Q(status_reason=""),
                name="referral_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral to {self.service} ({self.status})"


class ReferralEvent(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d}"


class OfferKind(models.TextChoices):
    PEER_SUPPORT = "peer_support", "Peer support group"
    RESOURCE_PACK = "resource_pack", "Secondary resource pack"
    HELPLINE = "helpline", "Helpline"


class SupportOffer(models.Model):
    """Formal support offered to a person (docs/design/care-standards.md SUP1)."""

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="support_offers"
    )
    kind = models.CharField(max_length=15, choices=OfferKind.choices)
    offered_at = models.DateTimeField()
    offered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    accepted = models.BooleanField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-offered_at"]
        indexes = [models.Index(fields=["patient", "kind"], name="offer_patient_kind")]

    def __str__(self) -> str:
        return f"{self.kind} offered to patient {self.patient_id}"


class PeerSession(TimeStampedModel):
    """A peer support meeting in the way of "Living with Secondary Breast Cancer"."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=10, choices=ServiceMode.choices)
    location = models.CharField(max_length=300, help_text="The address, or how to join online.")
    capacity = models.PositiveSmallIntegerField()
    facilitator = models.CharField(max_length=200, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_places"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class Booking(models.Model):
    session = models.ForeignKey(PeerSession, on_delete=models.PROTECT, related_name="bookings")
    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="session_bookings"
    )
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    created_at = models.DateTimeField()
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "patient"],
                condition=~Q(status="cancelled"),
                name="one_live_booking_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.status} for {self.session_id}"


class ResourcePackSection(TimeStampedModel):
    """A section of the secondary resource pack, kept as content by admins."""

    position = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text; a blank line starts a new paragraph.")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class OrderStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    DISPATCHED = "dispatched", "Sent"
    CANCELLED = "cancelled", "Cancelled"


class ResourcePackOrder(models.Model):
    """A printed resource pack ordered by post, and whether it has been sent."""

    patient = models.ForeignKey(
        "registry.Patient", on_delete=models.PROTECT, related_name="resource_pack_orders"
    )
    name = models.CharField(max_length=200)
    address = models.TextField()
    postcode = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=OrderStatus.choices)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatched_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["status", "requested_at"], name="pack_order_queue")]

    def __str__(self) -> str:
        return f"Resource pack for patient {self.patient_id} ({self.status})"
