"""What every export reader shares: the people's ids, the day, and the rows several resource
types point to (the diagnoses), read once per request."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from waypoint.accounts.models import User
from waypoint.fhir.mapping.outbound.facts import (
    ContactFacts,
    PersonRef,
    SymptomReportFacts,
)
from waypoint.registry.models import (
    Her2Status,
    PrimaryDiagnosis,
    SecondaryDiagnosis,
    Specimen,
)


def person(user: User | None) -> PersonRef:
    if user is None:
        return PersonRef("Waypoint")
    return PersonRef(user.display_name, user.job_title)


def _labels(choices: Iterable[tuple[Any, str]]) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


HER2_LABELS = _labels(Her2Status.choices)
SPECIMEN_LABELS = _labels(Specimen.choices)


def _diagnosis_on(diagnoses: Sequence[tuple[int, dt.date]], day: dt.date) -> int | None:
    """The secondary diagnosis a dated fact belongs to: the latest made on or before ``day``,
    else the earliest (how ``registry.results`` files a receptor result)."""
    before = [d for d in diagnoses if d[1] <= day]
    if before:
        return max(before, key=lambda d: (d[1], d[0]))[0]
    return min(diagnoses, key=lambda d: (d[1], d[0]))[0] if diagnoses else None


class Rows:
    """The rows of ``patient_ids`` that several resource types share, each read at most once.
    ``canonical`` is Waypoint's canonical FHIR base (WAYPOINT_FHIR_BASE_URL) for the mapping."""

    def __init__(self, patient_ids: Iterable[int], *, today: dt.date, canonical: str) -> None:
        self.ids = sorted(set(patient_ids))
        self.today = today
        self.canonical = canonical
        self._primary_rows: list[PrimaryDiagnosis] | None = None
        self._secondary_rows: list[SecondaryDiagnosis] | None = None
        self._report_rows: list[SymptomReportFacts] | None = None
        self._contact_rows: list[ContactFacts] | None = None

    def primary_rows(self) -> list[PrimaryDiagnosis]:
        if self._primary_rows is None:
            self._primary_rows = list(
                PrimaryDiagnosis.objects.filter(patient_id__in=self.ids).order_by(
                    "diagnosed_on", "pk"
                )
            )
        return self._primary_rows

    def secondary_rows(self) -> list[SecondaryDiagnosis]:
        if self._secondary_rows is None:
            self._secondary_rows = list(
                SecondaryDiagnosis.objects.filter(patient_id__in=self.ids)
                .prefetch_related("sites")
                .order_by("diagnosed_on", "pk")
            )
        return self._secondary_rows

    @functools.cached_property
    def secondaries_by_patient(self) -> dict[int, list[tuple[int, dt.date]]]:
        found: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
        for s in self.secondary_rows():
            found[s.patient_id].append((s.pk, s.diagnosed_on))
        return found

    @functools.cached_property
    def primaries_by_patient(self) -> dict[int, list[tuple[int, dt.date]]]:
        found: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
        for p in self.primary_rows():
            found[p.patient_id].append((p.pk, p.diagnosed_on))
        return found

    def _first_primary(self, patient_id: int) -> int | None:
        rows = self.primaries_by_patient.get(patient_id, [])
        return min(rows, key=lambda d: (d[1], d[0]))[0] if rows else None

    def _secondary_ref(self, patient_id: int, day: dt.date) -> str:
        pk = _diagnosis_on(self.secondaries_by_patient.get(patient_id, []), day)
        return f"Condition/secondary-{pk}" if pk is not None else ""
