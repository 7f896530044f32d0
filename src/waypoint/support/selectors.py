from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from waypoint.registry.models import Patient
from waypoint.support.models import OPEN_REFERRAL_STATUSES, Referral, SupportOffer, SupportService
from waypoint.support.rules.referrals import is_overdue


def services_search(
    *, kind: str = "", area: str = "", mode: str = "", q: str = ""
) -> list[SupportService]:
    """Active services by type, area (a postcode or a place) and mode; national ones included."""
    found: QuerySet[SupportService] = SupportService.objects.filter(is_active=True)
    if kind:
        found = found.filter(kind=kind)
    if mode:
        found = found.filter(Q(mode=mode) | Q(mode="mixed"))
    if q:
        found = found.filter(
            Q(name__icontains=q) | Q(provider__icontains=q) | Q(description__icontains=q)
        )
    services = list(found.order_by("kind", "name"))
    area = area.strip()
    if area:
        looks_like_postcode = any(ch.isdigit() for ch in area)
        services = [
            s
            for s in services
            if (s.serves(area) if looks_like_postcode else area.lower() in s.area_served.lower())
            or not s.postcode_areas
        ]
    return services


def service_named(raw_id: object) -> str:
    """The name of the active service with this id as posted by a form, or "" if there is none."""
    try:
        service_id = int(str(raw_id))
    except ValueError:
        return ""
    found = SupportService.objects.filter(pk=service_id, is_active=True).values_list(
        "name", flat=True
    )
    return found.first() or ""


def referrals_of(patient: Patient) -> QuerySet[Referral]:
    return Referral.objects.filter(patient=patient).select_related("service", "requested_by")


def overdue(referral: Referral, *, today: dt.date) -> bool:
    return is_overdue(status=referral.status, respond_by=referral.respond_by, today=today)


def offers_of(patient: Patient) -> QuerySet[SupportOffer]:
    return SupportOffer.objects.filter(patient=patient).select_related("offered_by")


def open_referral_counts(patient_ids: list[int]) -> dict[int, int]:
    """Open referrals per patient, in one query (for list pages)."""
    rows = (
        Referral.objects.filter(patient_id__in=patient_ids, status__in=OPEN_REFERRAL_STATUSES)
        .values("patient_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["patient_id"]: row["n"] for row in rows}
