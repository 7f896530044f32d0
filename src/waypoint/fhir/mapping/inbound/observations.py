"""Observation → receptor results (ER, PR, HER2) and disease status (progression, response)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from waypoint.fhir.mapping import codes
from waypoint.fhir.mapping.inbound.common import _codings, _profiles, _text, _Work, fhir_date
from waypoint.fhir.mapping.inbound.conditions import _body_site_codings, _condition_class
from waypoint.fhir.mapping.inbound.records import RESULT_STATUSES, DiseaseStatusIn, EntryRef
from waypoint.fhir.mapping.issues import error
from waypoint.fhir.mapping.rules import (
    DISEASE_STATUS_RULE,
    specimen_for,
)


def _loinc_codes(r: Mapping[str, Any]) -> list[str]:
    return [c for s, c, _ in _codings(r.get("code")) if s == codes.LOINC]


def _observation(work: _Work, entry: EntryRef) -> None:
    r = entry.raw
    loinc = _loinc_codes(r)
    profiles = _profiles(r)
    markers = {codes.RECEPTOR_LOINC[c] for c in loinc if c in codes.RECEPTOR_LOINC}
    if (
        any(c in codes.DISEASE_STATUS_LOINC for c in loinc)
        or profiles & codes.DISEASE_STATUS_PROFILES
    ):
        _disease_status(work, entry)
        return
    if markers:
        _receptor(work, entry, markers, loinc)
        return
    patient = work.patient_of(entry, required=False)
    known = next(
        (codes.KNOWN_SKIPPED_LOINC[c] for c in loinc if c in codes.KNOWN_SKIPPED_LOINC), None
    )
    if known:
        work.skip(entry, patient, f"Observation: {known}.")
    elif profiles & codes.TUMOR_MARKER_PROFILES:
        work.skip(
            entry,
            patient,
            "Observation: a tumour marker other than ER, PR or HER2 "
            f"({', '.join(loinc) or 'no LOINC'}); "
            "not kept by Waypoint.",
        )
    else:
        work.skip(entry, patient, "Observation: not a code Waypoint imports.")


def _answer(r: Mapping[str, Any], marker: str, loinc: list[str]) -> tuple[str | None, str]:
    """The receptor value and a note; None when the resource gives none Waypoint can read."""
    from_value: str | None = None
    for system, code, _ in _codings(r.get("valueCodeableConcept")):
        from_value = codes.ANSWER_CODES.get((system, code)) or from_value
    text = str(r.get("valueString") or _text(r.get("valueCodeableConcept")) or "").strip().lower()
    note = ""
    if marker == "her2":
        score = re.search(r"(?<![0-9])([0-3])\s*\+|ihc\s*([0])\b|^([0])$", text)
        # "Low (IHC 1+ or 2+ with negative ISH)" is Waypoint's own label for HER2-low.
        if "her2-low" in text or "her2 low" in text or re.match(r"low\b", text):
            from_value = "low"
        elif score and any(c in codes.HER2_IHC_LOINC for c in loinc):
            digit = next(g for g in score.groups() if g is not None)
            from_value = {"0": "negative", "1": "low", "2": "equivocal", "3": "positive"}[digit]
            note = f"IHC {digit}+" if digit != "0" else "IHC 0"
    if from_value is None and text:
        if "equivocal" in text:
            from_value = "equivocal"
        elif text.startswith("pos"):
            from_value = "positive"
        elif text.startswith("neg"):
            from_value = "negative"
    from_interpretation: str | None = None
    for concept in r.get("interpretation") or []:
        for system, code, _ in _codings(concept):
            from_interpretation = codes.ANSWER_CODES.get((system, code)) or from_interpretation
    if (
        from_value
        and from_interpretation
        and from_value != from_interpretation
        and not (from_value == "low" and from_interpretation == "negative")
    ):
        return "conflict", f"value says {from_value}, interpretation says {from_interpretation}"
    value = from_value or from_interpretation
    if value == "equivocal" and marker != "her2":
        return None, "equivocal is not a result Waypoint keeps for ER or PR"
    return value, note


def _specimen_kinds(work: _Work, r: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    focus: list[str] = []
    for ref in r.get("focus") or []:
        target = work.index.resolve(ref)
        if target is not None and target.resource_type == "Condition":
            kind, _, _ = _condition_class(target.raw)
            if kind == "primary":
                focus.append("primary")
            elif kind == "secondary":
                focus.append("metastatic")
    sites = list(_body_site_codings({"bodySite": [r["bodySite"]]} if r.get("bodySite") else {}))
    specimen = work.index.resolve(r.get("specimen"))
    if specimen is not None and specimen.resource_type == "Specimen":
        collection = specimen.raw.get("collection") or {}
        if collection.get("bodySite"):
            sites.extend(_body_site_codings({"bodySite": [collection["bodySite"]]}))
    body: list[str] = []
    for _, code, _ in sites:
        if code in codes.BREAST_SITES:
            body.append("primary")
        elif code in codes.SITE_BY_BODY_SITE:
            body.append("metastatic")
    return focus, body


def _result_status_ok(work: _Work, entry: EntryRef, patient: int | None) -> bool:
    status = str(entry.raw.get("status", ""))
    if status in RESULT_STATUSES:
        return True
    work.skip(
        entry,
        patient,
        f"Observation: status '{status}' is not a final result; not imported.",
        level="warning" if status in ("preliminary", "registered", "unknown") else "info",
    )
    return False


def _receptor(work: _Work, entry: EntryRef, markers: set[str], loinc: list[str]) -> None:
    r = entry.raw
    if len(markers) > 1:
        work.issues.append(
            error(
                "invalid",
                "Observation: its codes name more than one receptor.",
                entry.path + ".code",
            )
        )
        return
    marker = markers.pop()
    patient = work.patient_of(entry, required=True)
    if patient is None or not _result_status_ok(work, entry, patient):
        return
    value, note = _answer(r, marker, loinc)
    if value == "conflict":
        work.issues.append(
            error("invalid", f"Observation: {note}.", entry.path + ".interpretation")
        )
        return
    if value is None:
        work.skip(
            entry,
            patient,
            f"Observation: no {marker.upper()} result Waypoint can read"
            + (f" ({note})" if note else "")
            + "; not imported.",
            level="warning",
        )
        return
    period = r.get("effectivePeriod") or {}
    day = next(
        (
            d
            for d in (
                fhir_date(r.get("effectiveDateTime")),
                fhir_date(period.get("start")),
                fhir_date(r.get("issued")),
            )
            if d is not None
        ),
        None,
    )
    focus, body = _specimen_kinds(work, r)
    specimen = specimen_for(focus_kinds=focus, body_site_kinds=body)
    code = next((c for c in loinc if c in codes.RECEPTOR_LOINC), "")
    work.receptors[patient].append((entry, marker, value, day, specimen, code, note))


def _disease_status(work: _Work, entry: EntryRef) -> None:
    r = entry.raw
    patient = work.patient_of(entry, required=True)
    if patient is None or not _result_status_ok(work, entry, patient):
        return
    value = None
    for system, code, _ in _codings(r.get("valueCodeableConcept")):
        value = codes.DISEASE_STATUS_VALUES.get((system, code)) or value
    if value is None or value not in DISEASE_STATUS_RULE:
        work.skip(
            entry,
            patient,
            "Observation: cancer disease status "
            + ("undetermined" if value == "undetermined" else "with a value Waypoint does not know")
            + "; not imported.",
            level="warning",
        )
        return
    day = fhir_date(r.get("effectiveDateTime")) or fhir_date(
        (r.get("effectivePeriod") or {}).get("start")
    )
    if day is None:
        work.skip(
            entry, patient, "Observation: cancer disease status without a date.", level="warning"
        )
        return
    kind, result = DISEASE_STATUS_RULE[value]
    work.statuses[patient].append(
        DiseaseStatusIn(entry, day, kind, result, f"FHIR cancer disease status: {value}")
    )
