"""FHIR R4 Bundle → Waypoint values (waypoint-fhir-inbound-1). Pure: no database, no clock.

Every resource is first validated with the fhir.resources **R4B** models (R4B shares R4's
resource definitions for everything mapped here; the package's default models are R5), so two
value[x], a template placeholder where a date belongs or a DSTU2-shaped resource is refused by
a maintained library, and pydantic's message becomes an issue at the element's FHIRPath.
Then each resource is mapped, or skipped with the reason in an issue.

``records`` holds the values out, ``common`` what every mapper shares, one module per resource
family maps it, and ``bundle`` ties them together in ``map_bundle``.
"""

from waypoint.fhir.mapping.inbound.bundle import map_bundle, wrap_resource
from waypoint.fhir.mapping.inbound.common import canonical_hash, fhir_date, validation_issues
from waypoint.fhir.mapping.inbound.records import (
    BUNDLE_TYPES,
    FINISHED,
    MAPPED_TYPES,
    MAPPING_VERSION,
    NOT_HAPPENED,
    RESULT_STATUSES,
    STATUSES,
    SUPPORTING_TYPES,
    BiopsyIn,
    DiseaseStatusIn,
    EntryRef,
    MappedBundle,
    MedicationIn,
    PatientBundle,
    PatientIn,
    PrimaryIn,
    ReceptorIn,
    SecondaryIn,
    SkippedIn,
)

__all__ = [
    "BUNDLE_TYPES",
    "FINISHED",
    "MAPPED_TYPES",
    "MAPPING_VERSION",
    "NOT_HAPPENED",
    "RESULT_STATUSES",
    "STATUSES",
    "SUPPORTING_TYPES",
    "BiopsyIn",
    "DiseaseStatusIn",
    "EntryRef",
    "MappedBundle",
    "MedicationIn",
    "PatientBundle",
    "PatientIn",
    "PrimaryIn",
    "ReceptorIn",
    "SecondaryIn",
    "SkippedIn",
    "canonical_hash",
    "fhir_date",
    "map_bundle",
    "validation_issues",
    "wrap_resource",
]
