"""Code systems, profiles and small builders shared by the outbound mapping
(docs/design/codes.md; docs/fhir.md lists every code sent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

VERSION = "waypoint-fhir-outbound-1"

Resource = dict[str, Any]

SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOINC = "http://loinc.org"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
ODS = "https://fhir.nhs.uk/Id/ods-organization-code"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_PRIORITY = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
CONDITION_RELATED = "http://hl7.org/fhir/StructureDefinition/condition-related"

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
PROFILE_PATIENT = MCODE + "mcode-cancer-patient"
PROFILE_PRIMARY = MCODE + "mcode-primary-cancer-condition"
PROFILE_SECONDARY = MCODE + "mcode-secondary-cancer-condition"
PROFILE_TUMOR_MARKER = MCODE + "mcode-tumor-marker-test"
PROFILE_DISEASE_STATUS = MCODE + "mcode-cancer-disease-status"
PROFILE_MEDICATION_REQUEST = MCODE + "mcode-cancer-related-medication-request"

# Waypoint's own definitions, under the deployment's canonical base (WAYPOINT_FHIR_BASE_URL, which
# the export reads from settings and passes to every builder as ``canonical``): the questionnaires'
# URLs, the mapping-version tag and the few extensions that carry what no standard element does
# (the triage outcome, the referral's lifecycle step).
EXT_TRIAGE_OUTCOME = "StructureDefinition/triage-outcome"
EXT_REFERRAL_STATUS = "StructureDefinition/referral-status"
EXT_KEY_WORKER_INTRODUCED = "StructureDefinition/key-worker-introduced"
MAPPING_VERSION_SYSTEM = "CodeSystem/mapping-version"


def own(canonical: str, path: str) -> str:
    """The canonical URL of one of Waypoint's own definitions (``path`` is one of the above)."""
    return f"{canonical}/{path}"


def coding(system: str, code: str, display: str = "") -> dict[str, str]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(*codings: dict[str, str], text: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if codings:
        out["coding"] = list(codings)
    if text:
        out["text"] = text
    return out


def text_concept(text: str) -> dict[str, Any]:
    return {"text": text}


def ref(resource_type: str, resource_id: str | int, display: str = "") -> dict[str, str]:
    out = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        out["display"] = display
    return out


def patient_ref(patient: int) -> dict[str, str]:
    return ref("Patient", patient)


def local_ref(reference: str) -> dict[str, str]:
    """A reference given as "Type/id" (how the facts name related resources)."""
    return {"reference": reference}


def display_ref(display: str) -> dict[str, str]:
    """A person or service Waypoint does not publish as a resource: a name only."""
    return {"display": display}


def ods_ref(ods_code: str, name: str) -> dict[str, Any]:
    return {"identifier": {"system": ODS, "value": ods_code}, "display": name}


def meta(*profiles: str, canonical: str) -> dict[str, Any]:
    """``meta`` with the profiles claimed and the mapping version that produced the resource,
    so a receiving system can tell which rules shaped what it holds."""
    out: dict[str, Any] = {"tag": [coding(own(canonical, MAPPING_VERSION_SYSTEM), VERSION)]}
    if profiles:
        out["profile"] = list(profiles)
    return out


def day(value: dt.date) -> str:
    return value.isoformat()


def instant(value: dt.datetime) -> str:
    """An aware datetime as a FHIR dateTime/instant (seconds, with its offset)."""
    if value.tzinfo is None:
        raise ValueError("FHIR dateTimes with a time need a timezone")
    return value.isoformat(timespec="seconds")


def compact(resource: Resource) -> Resource:
    """Drop empty elements: FHIR forbids empty strings, lists and objects (ele-1)."""
    return {k: v for k, v in resource.items() if v not in (None, "", [], {})}
