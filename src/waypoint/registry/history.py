"""Recording a person's history in one go (an import): diagnoses, receptor results and biopsies.

The same checks and the same rows as the single-record services (``services``, ``results``),
with one policy check per person, one INSERT per model and one for the audit events (one event
per record, as the single services write). Every item is checked before anything is written:
a refusal names each item's problems (``primaries.0.diagnosed_on``, ``receptors.2.value``) and
writes nothing, and leaves a caller's transaction usable; the writes need no savepoint of their
own, so a database error rolls the caller's transaction back whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import AuditItem, audit_record_each
from waypoint.core.errors import ValidationFailed
from waypoint.registry.models import (
    Biopsy,
    MetastaticSite,
    MetastaticSiteCode,
    Patient,
    PrimaryDiagnosis,
    ReceptorResult,
    SecondaryDiagnosis,
    Specimen,
)
from waypoint.registry.results import (
    apply_biopsy,
    apply_receptor_result,
    biopsy_errors,
    diagnosis_for_result,
    receptor_result_errors,
)
from waypoint.registry.rules.codes import SITES_BY_CODE
from waypoint.registry.services import (
    SiteInput,
    primary_diagnosis_errors,
    require_edit,
    secondary_diagnosis_errors,
)


@dataclass(frozen=True)
class PrimaryInput:
    diagnosed_on: dt.date
    laterality: str
    er: str
    pr: str
    her2: str


@dataclass(frozen=True)
class SecondaryInput:
    diagnosed_on: dt.date
    presentation: str
    sites: Sequence[SiteInput]


@dataclass(frozen=True)
class ReceptorInput:
    marker: str
    value: str
    observed_on: dt.date
    specimen: str
    loinc_code: str = ""
    note: str = ""


@dataclass(frozen=True)
class BiopsyInput:
    performed_on: dt.date
    site: str = ""
    body_site: str = ""
    snomed_code: str = ""
    note: str = ""


@dataclass
class PatientHistory:
    """The rows written, in the order of the inputs."""

    primaries: list[PrimaryDiagnosis] = field(default_factory=list)
    secondaries: list[SecondaryDiagnosis] = field(default_factory=list)
    receptors: list[ReceptorResult] = field(default_factory=list)
    biopsies: list[Biopsy] = field(default_factory=list)


def _prefixed(prefix: str, errors: dict[str, str], into: dict[str, str]) -> None:
    for name, message in errors.items():
        into[f"{prefix}.{name}"] = message


def patient_history_import(
    *,
    actor: User | None,
    patient: Patient,
    primaries: Sequence[PrimaryInput] = (),
    secondaries: Sequence[SecondaryInput] = (),
    receptors: Sequence[ReceptorInput] = (),
    biopsies: Sequence[BiopsyInput] = (),
) -> PatientHistory:
    """Record primaries, secondaries, receptor results and biopsies for one person, in that
    order: a metastatic result or biopsy settles the diagnosis it belongs to (the latest made on
    or before it, these included) exactly as ``receptor_result_record`` and ``biopsy_record``
    would one after another. The person's T0 moves to the earliest secondary diagnosis."""
    require_edit(actor, patient)
    errors: dict[str, str] = {}
    for i, p in enumerate(primaries):
        _prefixed(
            f"primaries.{i}",
            primary_diagnosis_errors(
                patient=patient,
                diagnosed_on=p.diagnosed_on,
                laterality=p.laterality,
                er=p.er,
                pr=p.pr,
                her2=p.her2,
            ),
            errors,
        )
    for i, s in enumerate(secondaries):
        _prefixed(
            f"secondaries.{i}",
            secondary_diagnosis_errors(
                patient=patient,
                diagnosed_on=s.diagnosed_on,
                presentation=s.presentation,
                sites=s.sites,
            ),
            errors,
        )
    for i, r in enumerate(receptors):
        _prefixed(
            f"receptors.{i}",
            receptor_result_errors(
                patient=patient,
                marker=r.marker,
                value=r.value,
                observed_on=r.observed_on,
                specimen=r.specimen,
            ),
            errors,
        )
    for i, b in enumerate(biopsies):
        _prefixed(
            f"biopsies.{i}",
            biopsy_errors(patient=patient, performed_on=b.performed_on, site=b.site),
            errors,
        )
    if errors:
        raise ValidationFailed("The history was not recorded.", fields=errors)
    out = PatientHistory()
    with transaction.atomic(savepoint=False):
        _write(actor, patient, primaries, secondaries, receptors, biopsies, out)
    return out


def _write(
    actor: User | None,
    patient: Patient,
    primaries: Sequence[PrimaryInput],
    secondaries: Sequence[SecondaryInput],
    receptors: Sequence[ReceptorInput],
    biopsies: Sequence[BiopsyInput],
    out: PatientHistory,
) -> None:
    audit: list[AuditItem] = []
    if primaries:
        out.primaries = PrimaryDiagnosis.objects.bulk_create(
            PrimaryDiagnosis(
                patient=patient,
                diagnosed_on=p.diagnosed_on,
                laterality=p.laterality,
                er=p.er,
                pr=p.pr,
                her2=p.her2,
                created_by=actor,
            )
            for p in primaries
        )
        audit += [AuditItem(AuditAction.CREATE, "PrimaryDiagnosis", r.pk) for r in out.primaries]
    if secondaries:
        out.secondaries = SecondaryDiagnosis.objects.bulk_create(
            SecondaryDiagnosis(
                patient=patient,
                diagnosed_on=s.diagnosed_on,
                presentation=s.presentation,
                created_by=actor,
            )
            for s in secondaries
        )
        MetastaticSite.objects.bulk_create(
            MetastaticSite(
                diagnosis=row,
                site=site.site,
                snomed_code=SITES_BY_CODE[site.site].snomed,
                detail=site.detail.strip(),
            )
            for row, s in zip(out.secondaries, secondaries, strict=True)
            for site in s.sites
        )
        earliest = min(s.diagnosed_on for s in secondaries)
        if patient.metastatic_diagnosed_on is None or earliest < patient.metastatic_diagnosed_on:
            Patient.objects.filter(pk=patient.pk).update(metastatic_diagnosed_on=earliest)
            patient.metastatic_diagnosed_on = earliest
        audit += [
            AuditItem(AuditAction.CREATE, "SecondaryDiagnosis", r.pk) for r in out.secondaries
        ]
    if receptors:
        out.receptors = ReceptorResult.objects.bulk_create(
            ReceptorResult(
                patient=patient,
                marker=r.marker,
                value=r.value,
                observed_on=r.observed_on,
                specimen=r.specimen,
                loinc_code=r.loinc_code.strip()[:12],
                note=r.note.strip()[:300],
                created_by=actor,
            )
            for r in receptors
        )
        audit += [
            AuditItem(
                AuditAction.CREATE, "ReceptorResult", row.pk, f"{r.marker} {r.value} ({r.specimen})"
            )
            for row, r in zip(out.receptors, receptors, strict=True)
        ]
    if biopsies:
        out.biopsies = Biopsy.objects.bulk_create(
            Biopsy(
                patient=patient,
                performed_on=b.performed_on,
                site=b.site,
                body_site=b.body_site.strip()[:200],
                snomed_code=b.snomed_code.strip()[:18],
                note=b.note.strip()[:500],
                created_by=actor,
            )
            for b in biopsies
        )
        audit += [
            AuditItem(AuditAction.CREATE, "Biopsy", row.pk, b.site or "breast or not known")
            for row, b in zip(out.biopsies, biopsies, strict=True)
        ]
    _settle_diagnoses(patient, receptors, biopsies)
    audit_record_each(actor=actor, patient=patient, items=audit)


def _settle_diagnoses(
    patient: Patient, receptors: Sequence[ReceptorInput], biopsies: Sequence[BiopsyInput]
) -> None:
    """The metastatic results and biopsies applied to their diagnoses in order, one read (the
    person's diagnoses, locked) and one UPDATE per diagnosis that changed."""
    metastatic = [r for r in receptors if r.specimen == Specimen.METASTATIC]
    of_sites = [b for b in biopsies if b.site in MetastaticSiteCode.values]
    if not metastatic and not of_sites:
        return
    diagnoses = list(SecondaryDiagnosis.objects.select_for_update().filter(patient=patient))
    changed: dict[int, tuple[SecondaryDiagnosis, set[str]]] = {}
    for r in metastatic:
        diagnosis = diagnosis_for_result(diagnoses, r.observed_on)
        if apply_receptor_result(diagnosis, r.marker, r.value, r.observed_on):
            assert diagnosis is not None  # noqa: S101  # applied to it
            changed.setdefault(diagnosis.pk, (diagnosis, set()))[1].update(
                {r.marker, "receptors_assessed_on"}
            )
    for b in of_sites:
        diagnosis = diagnosis_for_result(diagnoses, b.performed_on)
        if apply_biopsy(diagnosis):
            assert diagnosis is not None  # noqa: S101  # applied to it
            changed.setdefault(diagnosis.pk, (diagnosis, set()))[1].update(
                {"biopsy_decision", "biopsy_not_feasible_reason"}
            )
    for diagnosis, fields in changed.values():
        diagnosis.save(update_fields=[*sorted(fields), "updated_at"])
