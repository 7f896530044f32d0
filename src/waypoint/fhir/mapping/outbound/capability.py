"""What the export serves, as a CapabilityStatement, and the search parameters the REST layer
accepts (one table, so the statement and the server cannot disagree)."""

from __future__ import annotations

from dataclasses import dataclass

from waypoint.fhir.mapping.outbound.common import (
    PROFILE_DISEASE_STATUS,
    PROFILE_MEDICATION_REQUEST,
    PROFILE_PATIENT,
    PROFILE_PRIMARY,
    PROFILE_SECONDARY,
    PROFILE_TUMOR_MARKER,
    VERSION,
    Resource,
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # a FHIR search-param-type: token, string, date, reference, number
    documentation: str


PATIENT = Param("patient", "reference", "The person: `123` or `Patient/123`. Required.")
SUBJECT = Param("subject", "reference", "The same as `patient`.")
ID = Param("_id", "token", "The resource id.")

SEARCH_PARAMS: dict[str, tuple[Param, ...]] = {
    "Patient": (
        ID,
        Param(
            "identifier",
            "token",
            "`system|value` (the NHS number is `https://fhir.nhs.uk/Id/nhs-number|…`) or a value "
            "in any system.",
        ),
        Param("family", "string", "Family name, starts with, ignoring case."),
        Param("given", "string", "Given name, starts with, ignoring case."),
        Param("birthdate", "date", "`YYYY-MM-DD`, optionally with a prefix eq, lt, le, gt, ge."),
    ),
    **dict.fromkeys(
        (
            "Condition",
            "Observation",
            "MedicationRequest",
            "Procedure",
            "CareTeam",
            "CarePlan",
            "Task",
            "ServiceRequest",
            "QuestionnaireResponse",
            "Encounter",
            "Communication",
        ),
        (PATIENT, SUBJECT, ID),
    ),
    "Questionnaire": (ID,),
}
# Searches for these may leave out ``patient`` and list everything in scope.
PATIENT_OPTIONAL = frozenset({"Patient", "Questionnaire"})
# Control parameters every search accepts.
RESULT_PARAMS: tuple[Param, ...] = (
    Param("_count", "number", "Entries per page: default 50, at most 200; 0 gives the total only."),
    Param("_offset", "number", "Where the page starts (the server's next/previous links set it)."),
    Param("_format", "token", "`json` or `application/fhir+json`; nothing else is served."),
)

PROFILES: dict[str, tuple[str, ...]] = {
    "Patient": (PROFILE_PATIENT,),
    "Condition": (PROFILE_PRIMARY, PROFILE_SECONDARY),
    "Observation": (PROFILE_TUMOR_MARKER, PROFILE_DISEASE_STATUS),
    "MedicationRequest": (PROFILE_MEDICATION_REQUEST,),
}

SECURITY = (
    "Every request except GET /metadata needs `Authorization: Bearer <token>` (a Waypoint API "
    "token, `manage.py create_api_token`) or a signed-in browser session. Access follows "
    "Waypoint's record policy: a clinician sees their teams' people, a person their own record, "
    "a helpline nurse anyone in their organisation with a reason in `X-Access-Reason`, a service "
    "manager nobody. A record out of scope answers 404. Every read and search of a person's "
    "resources is written to the audit trail."
)


def capability_statement(*, base: str, software_version: str, published: str) -> Resource:
    resources = []
    for resource_type, params in SEARCH_PARAMS.items():
        entry: Resource = {"type": resource_type}
        profiles = PROFILES.get(resource_type, ())
        if profiles:
            entry["supportedProfile"] = list(profiles)
        entry["interaction"] = [{"code": "read"}, {"code": "search-type"}]
        entry["searchParam"] = [
            {"name": p.name, "type": p.type, "documentation": p.documentation}
            for p in (*params, *RESULT_PARAMS)
        ]
        if resource_type == "Patient":
            entry["operation"] = [
                {
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                    "documentation": "Everything Waypoint holds about the person, in one "
                    "searchset Bundle (not paged).",
                }
            ]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "id": "waypoint",
        "url": f"{base}/metadata",
        "version": software_version,
        "name": "WaypointFhirServer",
        "title": "Waypoint FHIR R4 server",
        "status": "active",
        "date": published,
        "publisher": "Waypoint",
        "kind": "instance",
        "software": {"name": "Waypoint", "version": software_version},
        "implementation": {"description": f"Waypoint FHIR export ({VERSION})", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read, search and Patient/$everything, in JSON. Searches other "
                "than Patient and Questionnaire need `patient` (or `subject`). Unknown search "
                "parameters answer 400 unless the request says `Prefer: handling=lenient`.",
                "security": {"cors": False, "description": SECURITY},
                "resource": resources,
            }
        ],
    }
