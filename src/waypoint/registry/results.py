"""Receptor results and biopsies: each result is kept with its date and specimen, and the
registry's metastatic receptor status and biopsy decision follow from them (docs/design/codes.md:
"keep each result with its date and specimen, and use the latest metastatic result")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import ValidationFailed
from waypoint.registry.models import (
    Biopsy,
    BiopsyDecision,
    Her2Status,
    MetastaticSiteCode,
    Patient,
    ReceptorMarker,
    ReceptorResult,
    ReceptorStatus,
    SecondaryDiagnosis,
    Specimen,
)
from waypoint.registry.rules.codes import SITES_BY_CODE
from waypoint.registry.services.patients import (
    check_not_before_birth,
    check_not_future,
    require_edit,
)


def _diagnosis_on(patient: Patient, day: dt.date) -> SecondaryDiagnosis | None:
    """The secondary diagnosis a result of ``day`` belongs to: the latest made on or before it,
    else (a biopsy taken to make the diagnosis, dated a few days before it) the earliest."""
    rows = SecondaryDiagnosis.objects.select_for_update().filter(patient=patient)
    return (
        rows.filter(diagnosed_on__lte=day).order_by("-diagnosed_on", "-id").first()
        or rows.order_by("diagnosed_on", "id").first()
    )


def receptor_result_errors(
    *, patient: Patient, marker: str, value: str, observed_on: dt.date, specimen: str
) -> dict[str, str]:
    """What is wrong with a receptor result of ``patient``, by field (empty when nothing)."""
    errors: dict[str, str] = {}
    if marker not in ReceptorMarker.values:
        errors["marker"] = f"One of {', '.join(ReceptorMarker.values)}."
    allowed = Her2Status.values if marker == ReceptorMarker.HER2 else ReceptorStatus.values
    if value not in allowed:
        errors["value"] = f"One of {', '.join(allowed)}."
    if specimen not in Specimen.values:
        errors["specimen"] = f"One of {', '.join(Specimen.values)}."
    check_not_future(observed_on, "observed_on", errors)
    check_not_before_birth(observed_on, patient.birth_date, "observed_on", errors)
    return errors


def biopsy_errors(*, patient: Patient, performed_on: dt.date, site: str) -> dict[str, str]:
    """What is wrong with a biopsy of ``patient``, by field (empty when nothing)."""
    errors: dict[str, str] = {}
    if site and site not in SITES_BY_CODE:
        errors["site"] = f"Empty (breast or not known) or one of {', '.join(SITES_BY_CODE)}."
    check_not_future(performed_on, "performed_on", errors)
    check_not_before_birth(performed_on, patient.birth_date, "performed_on", errors)
    return errors


def diagnosis_for_result(
    diagnoses: Sequence[SecondaryDiagnosis], day: dt.date
) -> SecondaryDiagnosis | None:
    """The secondary diagnosis a result of ``day`` belongs to: the latest made on or before it,
    else (a biopsy taken to make the diagnosis, dated a few days before it) the earliest."""
    before = [d for d in diagnoses if d.diagnosed_on <= day]
    if before:
        return max(before, key=lambda d: (d.diagnosed_on, d.pk))
    return min(diagnoses, key=lambda d: (d.diagnosed_on, d.pk), default=None)


def apply_receptor_result(
    diagnosis: SecondaryDiagnosis | None, marker: str, value: str, observed_on: dt.date
) -> bool:
    """A metastatic result at least as recent as the diagnosis's current one becomes its
    status. True when the diagnosis changed."""
    if diagnosis is None:
        return False
    current = diagnosis.receptors_assessed_on
    if current is None or observed_on >= current:
        setattr(diagnosis, marker, value)
        diagnosis.receptors_assessed_on = observed_on
        return True
    return False


def apply_biopsy(diagnosis: SecondaryDiagnosis | None) -> bool:
    """A biopsy of a metastatic site settles BX1 ("biopsy done"). True when it changed."""
    if diagnosis is None or diagnosis.biopsy_decision == BiopsyDecision.DONE:
        return False
    diagnosis.biopsy_decision = BiopsyDecision.DONE
    diagnosis.biopsy_not_feasible_reason = ""
    return True


@transaction.atomic
def receptor_result_record(
    *,
    actor: User | None,
    patient: Patient,
    marker: str,
    value: str,
    observed_on: dt.date,
    specimen: str,
    loinc_code: str = "",
    note: str = "",
) -> ReceptorResult:
    """Keep one tumour-marker result. A metastatic result at least as recent as the diagnosis's
    current one becomes its status, so the latest metastatic result is the one that counts."""
    require_edit(actor, patient)
    errors = receptor_result_errors(
        patient=patient, marker=marker, value=value, observed_on=observed_on, specimen=specimen
    )
    if errors:
        raise ValidationFailed("The receptor result was not recorded.", fields=errors)
    result = ReceptorResult.objects.create(
        patient=patient,
        marker=marker,
        value=value,
        observed_on=observed_on,
        specimen=specimen,
        loinc_code=loinc_code.strip()[:12],
        note=note.strip()[:300],
        created_by=actor,
    )
    if specimen == Specimen.METASTATIC:
        diagnosis = _diagnosis_on(patient, observed_on)
        if apply_receptor_result(diagnosis, marker, value, observed_on):
            assert diagnosis is not None  # noqa: S101  # applied to it
            diagnosis.save(update_fields=[marker, "receptors_assessed_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type="ReceptorResult",
        object_id=result.pk,
        detail=f"{marker} {value} ({specimen})",
    )
    return result


@transaction.atomic
def biopsy_record(
    *,
    actor: User | None,
    patient: Patient,
    performed_on: dt.date,
    site: str = "",
    body_site: str = "",
    snomed_code: str = "",
    note: str = "",
) -> Biopsy:
    """Record a biopsy. A biopsy of a metastatic site settles BX1 ("biopsy done") for the
    diagnosis it belongs to (ESO-ESMO ABC 4)."""
    require_edit(actor, patient)
    errors = biopsy_errors(patient=patient, performed_on=performed_on, site=site)
    if errors:
        raise ValidationFailed("The biopsy was not recorded.", fields=errors)
    biopsy = Biopsy.objects.create(
        patient=patient,
        performed_on=performed_on,
        site=site,
        body_site=body_site.strip()[:200],
        snomed_code=snomed_code.strip()[:18],
        note=note.strip()[:500],
        created_by=actor,
    )
    if site in MetastaticSiteCode.values:
        diagnosis = _diagnosis_on(patient, performed_on)
        if apply_biopsy(diagnosis):
            assert diagnosis is not None  # noqa: S101  # applied to it
            diagnosis.save(
                update_fields=["biopsy_decision", "biopsy_not_feasible_reason", "updated_at"]
            )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type="Biopsy",
        object_id=biopsy.pk,
        detail=site or "breast or not known",
    )
    return biopsy
