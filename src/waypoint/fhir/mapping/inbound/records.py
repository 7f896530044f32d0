"""The values the inbound mapping hands the import: one frozen dataclass per kind of record,
and the vocabularies of bundle types and statuses it accepts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from waypoint.fhir.mapping.issues import Issue
from waypoint.fhir.mapping.rules import (
    RULES_VERSION,
)

MAPPING_VERSION = RULES_VERSION
BUNDLE_TYPES = ("transaction", "collection", "batch")
MAPPED_TYPES = frozenset(
    {
        "Patient",
        "Condition",
        "Observation",
        "MedicationStatement",
        "MedicationRequest",
        "MedicationAdministration",
        "Procedure",
    }
)
# Resources other resources point at: read for references, not imported themselves.
SUPPORTING_TYPES = frozenset({"Medication", "Specimen"})
ENTRY_KEYS = frozenset(
    {"id", "extension", "modifierExtension", "link", "fullUrl", "resource", "search", "request"}
) | {"response"}
FINISHED = frozenset({"completed", "stopped"})
# R4 status value sets (required bindings) of the resources mapped. The R4B models check the
# form of a code, not its value set, so a template value like "example-status" is caught here.
STATUSES: dict[str, frozenset[str]] = {
    "MedicationStatement": frozenset(
        {
            "active",
            "completed",
            "entered-in-error",
            "intended",
            "stopped",
            "on-hold",
            "unknown",
            "not-taken",
        }
    ),
    "MedicationRequest": frozenset(
        {
            "active",
            "on-hold",
            "cancelled",
            "completed",
            "entered-in-error",
            "stopped",
            "draft",
            "unknown",
        }
    ),
    "MedicationAdministration": frozenset(
        {
            "in-progress",
            "not-done",
            "on-hold",
            "completed",
            "entered-in-error",
            "stopped",
            "unknown",
        }
    ),
    "Observation": frozenset(
        {
            "registered",
            "preliminary",
            "final",
            "amended",
            "corrected",
            "cancelled",
            "entered-in-error",
            "unknown",
        }
    ),
    "Procedure": frozenset(
        {
            "preparation",
            "in-progress",
            "not-done",
            "on-hold",
            "stopped",
            "completed",
            "entered-in-error",
            "unknown",
        }
    ),
}
NOT_HAPPENED = frozenset(
    {"entered-in-error", "not-taken", "not-done", "cancelled", "draft", "intended", "preparation"}
)
RESULT_STATUSES = frozenset({"final", "amended", "corrected"})


# ---------------------------------------------------------------------------- values out


@dataclass(frozen=True)
class EntryRef:
    """One bundle entry, as the import keeps it for provenance."""

    index: int
    resource_type: str
    source_id: str  # "Type/id", else the fullUrl, else "sha256:<hash>"
    full_url: str
    content_hash: str
    raw: Mapping[str, Any] = field(compare=False, repr=False)

    @property
    def path(self) -> str:
        return f"Bundle.entry[{self.index}].resource"


@dataclass(frozen=True)
class PatientIn:
    entry: EntryRef
    given_name: str
    family_name: str
    birth_date: dt.date
    sex: str
    nhs_number: str
    identifiers: tuple[tuple[str, str], ...]
    phone: str = ""
    email: str = ""
    postcode: str = ""
    address: str = ""
    died_on: dt.date | None = None


@dataclass(frozen=True)
class PrimaryIn:
    entry: EntryRef
    diagnosed_on: dt.date
    laterality: str
    er: str = "unknown"
    pr: str = "unknown"
    her2: str = "unknown"


@dataclass(frozen=True)
class SecondaryIn:
    """One metastatic diagnosis; the Conditions of one day are one diagnosis with their sites."""

    entries: tuple[EntryRef, ...]
    diagnosed_on: dt.date
    presentation: str
    presentation_reason: str
    sites: tuple[tuple[str, str], ...]  # (site, detail)


@dataclass(frozen=True)
class ReceptorIn:
    entry: EntryRef
    marker: str
    value: str
    observed_on: dt.date
    specimen: str
    loinc_code: str
    note: str = ""


@dataclass(frozen=True)
class DiseaseStatusIn:
    entry: EntryRef
    on: dt.date
    kind: str  # progression | response
    result: str  # for a response: complete | partial | stable
    note: str


@dataclass(frozen=True)
class MedicationIn:
    entry: EntryRef
    drugs: tuple[str, ...]
    kind: str
    on: dt.date
    ended_on: dt.date | None
    status: str
    curative: bool
    stop_reason: str = ""  # a Waypoint StopReason read from statusReason, when it says


@dataclass(frozen=True)
class BiopsyIn:
    entry: EntryRef
    performed_on: dt.date
    site: str
    body_site: str
    snomed_code: str
    note: str


@dataclass(frozen=True)
class SkippedIn:
    entry: EntryRef
    reason: str


@dataclass(frozen=True)
class PatientBundle:
    """Everything in one bundle about one person."""

    patient: PatientIn
    primaries: tuple[PrimaryIn, ...]
    secondaries: tuple[SecondaryIn, ...]
    receptors: tuple[ReceptorIn, ...]
    statuses: tuple[DiseaseStatusIn, ...]
    medications: tuple[MedicationIn, ...]
    biopsies: tuple[BiopsyIn, ...]
    skipped: tuple[SkippedIn, ...]


@dataclass(frozen=True)
class MappedBundle:
    version: str
    bundle_type: str
    patients: tuple[PatientBundle, ...]
    issues: tuple[Issue, ...]
    entries: tuple[EntryRef, ...]

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)
