"""Registry reads. Callers pass a queryset already scoped by ``policies.patients_for_actor``."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Prefetch, Q, QuerySet

from waypoint.accounts.models import User
from waypoint.registry.models import (
    Biopsy,
    MetastaticSite,
    Patient,
    ReceptorResult,
    SecondaryDiagnosis,
)

_DIGITS = re.compile(r"^[0-9 ]{10,12}$")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def parse_search_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007  # a date, no time
        except ValueError:
            continue
    return None


def patient_search_queryset(queryset: QuerySet[Patient], *, query: str) -> QuerySet[Patient]:
    """NHS number (with or without spaces), a birth date, or name words (prefix match on each)."""
    text = query.strip()
    if not text:
        return with_display_relations(queryset)
    if _DIGITS.match(text):
        digits = text.replace(" ", "")
        return with_display_relations(queryset.filter(nhs_number=digits))
    condition = Q()
    for word in text.split():
        day = parse_search_date(word)
        if day is not None:
            condition &= Q(birth_date=day)
        else:
            condition &= Q(family_name__istartswith=word) | Q(given_name__istartswith=word)
    return with_display_relations(queryset.filter(condition))


def living_with_secondary(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """The registry proper: people with a metastatic diagnosis who are alive."""
    return patients.filter(metastatic_diagnosed_on__isnull=False, died_on__isnull=True)


def _secondaries_with_sites() -> QuerySet[SecondaryDiagnosis]:
    return SecondaryDiagnosis.objects.prefetch_related(
        Prefetch("sites", queryset=MetastaticSite.objects.order_by("id"))
    )


def with_display_relations(queryset: QuerySet[Patient]) -> QuerySet[Patient]:
    """Join what a patient row shows, so a list costs a fixed number of queries.

    The key worker comes through the assignments careteam attaches to each person; a person's
    few assignments are all fetched and ``current_key_worker`` picks the open one."""
    return queryset.select_related("team").prefetch_related(
        Prefetch("secondaries", queryset=_secondaries_with_sites()),
        "primaries",
        "key_worker_assignments__key_worker",
    )


def current_key_worker(patient: Patient) -> User | None:
    """The named key worker now: the one assignment not yet ended (at most one, a database
    constraint in careteam). Uses prefetched assignments when present."""
    for assignment in patient.key_worker_assignments.all():
        if assignment.ended_at is None:
            return assignment.key_worker
    return None


def patient_detail_queryset(queryset: QuerySet[Patient]) -> QuerySet[Patient]:
    return with_display_relations(queryset).prefetch_related(
        "identifiers", "carers", "receptor_results", "biopsies"
    )


def patient_with_details(patient: Patient) -> Patient:
    """An opened record again, with everything its record page or API answer shows joined."""
    return patient_detail_queryset(Patient.objects.filter(pk=patient.pk)).get()


def secondary_diagnoses_for(patient: Patient) -> QuerySet[SecondaryDiagnosis]:
    return _secondaries_with_sites().filter(patient=patient)


def receptor_results_for(patient: Patient) -> QuerySet[ReceptorResult]:
    return ReceptorResult.objects.filter(patient=patient)


def biopsies_for(patient: Patient) -> QuerySet[Biopsy]:
    return Biopsy.objects.filter(patient=patient)


def current_receptors(patient: Patient) -> tuple[str, str, str, str]:
    """(er, pr, her2, source): the latest metastatic result, else the primary's.

    docs/design/codes.md: receptor status can change between the primary and a metastasis; use the
    latest metastatic result. Uses prefetched relations when present.
    """
    assessed = [s for s in patient.secondaries.all() if s.receptors_assessed_on and s.er]
    if assessed:
        latest = max(assessed, key=lambda s: s.receptors_assessed_on or dt.date.min)
        return latest.er, latest.pr, latest.her2, "metastasis"
    primaries = list(patient.primaries.all())
    if primaries:
        latest_primary = primaries[-1]
        return latest_primary.er, latest_primary.pr, latest_primary.her2, "primary"
    return "", "", "", ""


def patient_with_team(patient_id: int) -> Patient | None:
    """One person with their team, unchecked: the caller's service checks access."""
    return Patient.objects.select_related("team").filter(pk=patient_id).first()
