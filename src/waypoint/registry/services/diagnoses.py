"""Primary and secondary (metastatic) diagnoses, their sites, receptor status and biopsy
decision. Receptor results and biopsies kept as their own rows are in ``registry.results``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import ValidationFailed
from waypoint.registry.models import (
    BiopsyDecision,
    Her2Status,
    Laterality,
    MetastaticSite,
    Patient,
    Presentation,
    PrimaryDiagnosis,
    ReceptorStatus,
    SecondaryDiagnosis,
)
from waypoint.registry.rules.codes import SITES_BY_CODE
from waypoint.registry.services.patients import (
    check_choice,
    check_not_before_birth,
    check_not_future,
    require_edit,
)


@dataclass(frozen=True)
class SiteInput:
    site: str
    detail: str = ""


def _receptors(er: str, pr: str, her2: str, errors: dict[str, str], *, blank_ok: bool) -> None:
    extra = [""] if blank_ok else []
    check_choice(er, [*ReceptorStatus.values, *extra], "er", errors)
    check_choice(pr, [*ReceptorStatus.values, *extra], "pr", errors)
    check_choice(her2, [*Her2Status.values, *extra], "her2", errors)


def primary_diagnosis_errors(
    *, patient: Patient, diagnosed_on: dt.date, laterality: str, er: str, pr: str, her2: str
) -> dict[str, str]:
    """What is wrong with a primary diagnosis of ``patient``, by field (empty when nothing)."""
    errors: dict[str, str] = {}
    check_not_future(diagnosed_on, "diagnosed_on", errors)
    check_not_before_birth(diagnosed_on, patient.birth_date, "diagnosed_on", errors)
    check_choice(laterality, Laterality.values, "laterality", errors)
    _receptors(er, pr, her2, errors, blank_ok=False)
    return errors


@transaction.atomic
def primary_diagnosis_record(
    *,
    actor: User | None,
    patient: Patient,
    diagnosed_on: dt.date,
    laterality: str,
    er: str,
    pr: str,
    her2: str,
) -> PrimaryDiagnosis:
    require_edit(actor, patient)
    errors = primary_diagnosis_errors(
        patient=patient, diagnosed_on=diagnosed_on, laterality=laterality, er=er, pr=pr, her2=her2
    )
    if errors:
        raise ValidationFailed("The primary diagnosis could not be recorded.", fields=errors)
    primary = PrimaryDiagnosis.objects.create(
        patient=patient,
        diagnosed_on=diagnosed_on,
        laterality=laterality,
        er=er,
        pr=pr,
        her2=her2,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type="PrimaryDiagnosis",
        object_id=primary.pk,
    )
    return primary


def secondary_diagnosis_errors(
    *,
    patient: Patient,
    diagnosed_on: dt.date,
    presentation: str,
    sites: Sequence[SiteInput],
    er: str = "",
    pr: str = "",
    her2: str = "",
    receptors_assessed_on: dt.date | None = None,
    biopsy_decision: str = BiopsyDecision.NOT_DECIDED,
    biopsy_not_feasible_reason: str = "",
) -> dict[str, str]:
    """What is wrong with a secondary diagnosis of ``patient``, by field (empty when nothing)."""
    errors: dict[str, str] = {}
    check_not_future(diagnosed_on, "diagnosed_on", errors)
    check_not_before_birth(diagnosed_on, patient.birth_date, "diagnosed_on", errors)
    check_choice(presentation, Presentation.values, "presentation", errors)
    if not sites:
        errors["sites"] = "give at least one metastatic site"
    seen: set[tuple[str, str]] = set()
    for i, site in enumerate(sites):
        if site.site not in SITES_BY_CODE:
            errors[f"sites.{i}"] = (
                f"unknown site {site.site!r}; use one of: {', '.join(SITES_BY_CODE)}"
            )
        elif site.site == "other" and not site.detail.strip():
            errors[f"sites.{i}"] = "say which body site for 'other'"
        key = (site.site, site.detail.strip())
        if key in seen:
            errors[f"sites.{i}"] = "this site is listed twice"
        seen.add(key)
    _receptors(er, pr, her2, errors, blank_ok=True)
    any_receptor = bool(er or pr or her2)
    if any_receptor and receptors_assessed_on is None:
        errors["receptors_assessed_on"] = "give the date of the metastatic receptor result"
    check_not_future(receptors_assessed_on, "receptors_assessed_on", errors)
    check_not_before_birth(
        receptors_assessed_on, patient.birth_date, "receptors_assessed_on", errors
    )
    check_choice(biopsy_decision, BiopsyDecision.values, "biopsy_decision", errors)
    if biopsy_decision == BiopsyDecision.NOT_FEASIBLE and not biopsy_not_feasible_reason.strip():
        errors["biopsy_not_feasible_reason"] = "say why a biopsy is not feasible"
    if patient.died_on is not None:
        errors["patient"] = "this person has died"
    return errors


@transaction.atomic
def secondary_diagnosis_record(
    *,
    actor: User | None,
    patient: Patient,
    diagnosed_on: dt.date,
    presentation: str,
    sites: Sequence[SiteInput],
    er: str = "",
    pr: str = "",
    her2: str = "",
    receptors_assessed_on: dt.date | None = None,
    biopsy_decision: str = BiopsyDecision.NOT_DECIDED,
    biopsy_not_feasible_reason: str = "",
) -> SecondaryDiagnosis:
    """Record a metastatic diagnosis: the person enters the registry and the key-worker worklist."""
    require_edit(actor, patient)
    errors = secondary_diagnosis_errors(
        patient=patient,
        diagnosed_on=diagnosed_on,
        presentation=presentation,
        sites=sites,
        er=er,
        pr=pr,
        her2=her2,
        receptors_assessed_on=receptors_assessed_on,
        biopsy_decision=biopsy_decision,
        biopsy_not_feasible_reason=biopsy_not_feasible_reason,
    )
    if errors:
        raise ValidationFailed("The secondary diagnosis could not be recorded.", fields=errors)
    diagnosis = SecondaryDiagnosis.objects.create(
        patient=patient,
        diagnosed_on=diagnosed_on,
        presentation=presentation,
        er=er,
        pr=pr,
        her2=her2,
        receptors_assessed_on=receptors_assessed_on,
        biopsy_decision=biopsy_decision,
        biopsy_not_feasible_reason=biopsy_not_feasible_reason.strip(),
        created_by=actor,
    )
    MetastaticSite.objects.bulk_create(
        MetastaticSite(
            diagnosis=diagnosis,
            site=s.site,
            snomed_code=SITES_BY_CODE[s.site].snomed,
            detail=s.detail.strip(),
        )
        for s in sites
    )
    if patient.metastatic_diagnosed_on is None or diagnosed_on < patient.metastatic_diagnosed_on:
        Patient.objects.filter(pk=patient.pk).update(metastatic_diagnosed_on=diagnosed_on)
        patient.metastatic_diagnosed_on = diagnosed_on
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type="SecondaryDiagnosis",
        object_id=diagnosis.pk,
    )
    return diagnosis
