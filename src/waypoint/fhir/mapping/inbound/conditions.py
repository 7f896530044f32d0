"""Condition → primary and secondary (metastatic) breast cancer diagnoses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from waypoint.fhir.mapping import codes
from waypoint.fhir.mapping.inbound.common import _codings, _profiles, _status, _Work, fhir_date
from waypoint.fhir.mapping.inbound.records import EntryRef
from waypoint.fhir.mapping.issues import error


def _condition_date(r: Mapping[str, Any]) -> dt.date | None:
    onset_period = r.get("onsetPeriod") or {}
    for value in (r.get("onsetDateTime"), onset_period.get("start"), r.get("recordedDate")):
        day = fhir_date(value)
        if day is not None:
            return day
    return None


def _condition_class(r: Mapping[str, Any]) -> tuple[str, list[tuple[str, str]], str]:
    """("primary" | "secondary" | "other", sites, laterality)."""
    profiles = _profiles(r)
    codings = _codings(r.get("code"))
    primary = bool(profiles & codes.PRIMARY_PROFILES)
    secondary = bool(profiles & codes.SECONDARY_PROFILES)
    is_breast = any(
        (s == codes.SNOMED and c in codes.PRIMARY_BREAST_SNOMED)
        or (s in (codes.ICD10, codes.ICD10CM) and c.upper().startswith("C50"))
        for s, c, _ in codings
    )
    sites: list[tuple[str, str]] = []
    for system, code, display in codings:
        if system == codes.SNOMED and codes.is_secondary_snomed(code):
            site = codes.SITE_BY_SECONDARY_SNOMED.get(code, "other")
            detail = "" if site != "other" else display or codes.secondary_display(system, code)
            sites.append((site, detail))
        elif system in (codes.ICD10, codes.ICD10CM):
            site_code = codes.site_for_icd10(code)
            if site_code:
                detail = (
                    "" if site_code != "other" else display or codes.secondary_display(system, code)
                )
                sites.append((site_code, detail))
    body_sites = [codes.SITE_BY_BODY_SITE.get(c) for s, c, _ in _body_site_codings(r)]
    if sites or secondary:
        mapped = [s for s in body_sites if s]
        if mapped:
            specific = [s for s in sites if s[0] != "other"]
            sites = specific + [(m, "") for m in mapped if (m, "") not in specific]
        kind = "secondary"
        if (is_breast and not sites) or (is_breast and not secondary):
            kind = "conflict"
        return kind, _dedupe(sites), ""
    if primary or is_breast:
        return ("primary" if is_breast else "not-breast"), [], _laterality(r)
    return "other", [], ""


def _dedupe(sites: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for s in sites:
        if s not in seen:
            seen.append(s)
    return seen


def _body_site_codings(r: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for concept in r.get("bodySite") or []:
        out.extend(c for c in _codings(concept) if c[0] == codes.SNOMED)
    return out


def _laterality(r: Mapping[str, Any]) -> str:
    for concept in r.get("bodySite") or []:
        for ext in concept.get("extension") or []:
            if str(ext.get("url", "")).endswith("laterality"):
                for _, code, _ in _codings(ext.get("valueCodeableConcept")):
                    if code in codes.LATERALITY_QUALIFIERS:
                        return codes.LATERALITY_QUALIFIERS[code]
        for _, code, _ in _codings(concept):
            side = codes.BREAST_SITES.get(code)
            if side and side != "unknown":
                return side
    return "unknown"


def _condition(work: _Work, entry: EntryRef) -> None:
    r = entry.raw
    kind, sites, laterality = _condition_class(r)
    if kind == "other":
        patient = work.patient_of(entry, required=False)
        work.skip(
            entry, patient, "Condition: not a breast cancer or metastasis code; not imported."
        )
        return
    if kind == "not-breast":
        patient = work.patient_of(entry, required=False)
        work.skip(
            entry,
            patient,
            "Condition: a primary cancer that is not breast cancer; Waypoint keeps breast cancer "
            "only.",
            level="warning",
        )
        return
    if kind == "conflict":
        work.issues.append(
            error(
                "invalid",
                "Condition: its codings contradict each other (a primary breast cancer and a "
                "secondary cancer code in one concept).",
                entry.path + ".code",
            )
        )
        return
    verification = _status(r.get("verificationStatus"))
    if verification in ("refuted", "entered-in-error"):
        work.skip(entry, work.patient_of(entry, required=False), f"Condition: {verification}.")
        return
    patient = work.patient_of(entry, required=True)
    if patient is None:
        return
    day = _condition_date(r)
    if kind == "primary":
        stage_iv = any(
            _stage_is_iv(_codings(stage.get("summary"))) for stage in r.get("stage") or []
        )
        work.primary[patient].append((entry, day, laterality, stage_iv))
        work.condition_kind[entry.index] = "primary"
        return
    if not sites:
        work.issues.append(
            error(
                "code-invalid",
                "Condition: a secondary cancer whose site Waypoint cannot tell; give the site in "
                "the code or in bodySite.",
                entry.path + ".code",
            )
        )
        return
    work.secondary[patient].append((entry, day, sites))
    work.condition_kind[entry.index] = "metastatic"


def _stage_is_iv(codings: list[tuple[str, str, str]]) -> bool:
    for _, code, display in codings:
        if code.upper().lstrip("CP").startswith("4") or display.upper().startswith("IV"):
            return True
    return False
