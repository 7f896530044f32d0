"""MedicationStatement, MedicationRequest and MedicationAdministration → doses of systemic
therapy, which the import groups into lines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from waypoint.fhir.mapping import codes, drugs
from waypoint.fhir.mapping.inbound.common import (
    _codings,
    _extension_codes,
    _profiles,
    _text,
    _Work,
    fhir_date,
)
from waypoint.fhir.mapping.inbound.records import NOT_HAPPENED, EntryRef, MedicationIn
from waypoint.fhir.mapping.issues import error
from waypoint.fhir.mapping.rules import stop_reason_from


def _medication(work: _Work, entry: EntryRef) -> None:
    r = entry.raw
    rt = entry.resource_type
    profiled = bool(_profiles(r) & codes.MEDICATION_PROFILES)
    concept = r.get("medicationCodeableConcept")
    if concept is None:
        target = work.index.resolve(r.get("medicationReference"))
        if target is not None and target.resource_type == "Medication":
            concept = target.raw.get("code")
    codings = _codings(concept)
    names = drugs.classify(codings, _text(concept))
    supportive = [n for n in names if drugs.KIND_BY_NAME[n] == drugs.SUPPORTIVE]
    names = [n for n in names if drugs.KIND_BY_NAME[n] != drugs.SUPPORTIVE]
    label = _text(concept) or ", ".join(f"{s}|{c}" for s, c, _ in codings) or "no code"
    if not names:
        patient = work.patient_of(entry, required=False)
        if supportive:
            work.skip(entry, patient, f"{rt}: {label} is supportive care, not a line of therapy.")
        elif profiled:
            work.issues.append(
                error(
                    "code-unknown",
                    f"{rt}: Waypoint cannot tell what kind of anti-cancer drug '{label}' is "
                    f"(drug table {drugs.DRUG_TABLE_VERSION}); it never guesses. Add the drug "
                    "to the table or leave the resource out.",
                    entry.path
                    + (
                        ".medicationCodeableConcept"
                        if r.get("medicationCodeableConcept")
                        else ".medicationReference"
                    ),
                )
            )
        else:
            work.skip(
                entry, patient, f"{rt}: {label} is not a known anti-cancer drug; not imported."
            )
        return
    status = str(r.get("status", ""))
    patient = work.patient_of(entry, required=True)
    if patient is None:
        return
    if status in NOT_HAPPENED:
        work.skip(entry, patient, f"{rt}: status '{status}'; not imported.")
        return
    period = r.get("effectivePeriod") or {}
    if rt == "MedicationRequest":
        validity = (r.get("dispenseRequest") or {}).get("validityPeriod") or {}
        bounds = _bounds_period(r)
        start = (
            fhir_date(r.get("authoredOn"))
            or fhir_date(bounds.get("start"))
            or fhir_date(validity.get("start"))
        )
        # The dosage's bounds give when the regimen ended (Waypoint's own export says so there).
        end = fhir_date(bounds.get("end"))
    else:
        start = (
            fhir_date(r.get("effectiveDateTime"))
            or fhir_date(period.get("start"))
            or fhir_date(r.get("dateAsserted"))
        )
        end = fhir_date(period.get("end"))
    if start is None:
        work.issues.append(
            error(
                "required",
                f"{rt}: {label} has no date; Waypoint needs when it started.",
                entry.path,
            )
        )
        return
    curative = "373808002" in _extension_codes(r, codes.TREATMENT_INTENT_EXTENSIONS)
    kind = drugs.line_kind(names)
    work.medications[patient].append(
        MedicationIn(
            entry,
            tuple(names),
            kind,
            start,
            end,
            status,
            curative,
            stop_reason_from(_text(r.get("statusReason"))) if status == "stopped" else "",
        )
    )


def _bounds_period(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The first ``dosageInstruction[].timing.repeat.boundsPeriod`` that has one."""
    dosages = resource.get("dosageInstruction")
    for dosage in dosages if isinstance(dosages, list) else []:
        timing = dosage.get("timing") if isinstance(dosage, dict) else None
        repeat = timing.get("repeat") if isinstance(timing, dict) else None
        bounds = repeat.get("boundsPeriod") if isinstance(repeat, dict) else None
        if isinstance(bounds, dict):
            return bounds
    return {}
