"""The registry's clinical facts as mCODE resources: the person (CancerPatient), the primary and
secondary cancer conditions, tumour-marker tests and disease status, treatment lines
(CancerRelatedMedicationRequest) and biopsies (Procedure). Codes: docs/design/codes.md."""

from __future__ import annotations

from waypoint.fhir.mapping.outbound.common import (
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_RELATED,
    CONDITION_VERIFICATION,
    DATA_ABSENT,
    ICD10,
    LOINC,
    NHS_NUMBER,
    OBSERVATION_CATEGORY,
    PROFILE_DISEASE_STATUS,
    PROFILE_MEDICATION_REQUEST,
    PROFILE_PATIENT,
    PROFILE_PRIMARY,
    PROFILE_SECONDARY,
    PROFILE_TUMOR_MARKER,
    SNOMED,
    Resource,
    coding,
    compact,
    concept,
    day,
    instant,
    local_ref,
    meta,
    ods_ref,
    patient_ref,
    text_concept,
)
from waypoint.fhir.mapping.outbound.facts import (
    BiopsyFacts,
    DiseaseStatusFacts,
    LineFacts,
    MarkerFacts,
    PatientFacts,
    PrimaryFacts,
    SecondaryFacts,
)
from waypoint.registry.rules.codes import SITES_BY_CODE

# The person's preferred way to be contacted, as the telecom it ranks first.
_PREFERRED_TELECOM = {"phone": "phone", "sms": "phone", "email": "email"}


def patient_resource(p: PatientFacts, *, canonical: str) -> Resource:
    identifiers = []
    if p.nhs_number:
        identifiers.append({"system": NHS_NUMBER, "value": p.nhs_number})
    identifiers.extend({"system": system, "value": value} for system, value in p.identifiers)
    preferred = _PREFERRED_TELECOM.get(p.preferred_contact_method, "")
    telecom = []
    if p.phone:
        phone: dict[str, object] = {"system": "phone", "value": p.phone}
        if preferred == "phone":
            phone["rank"] = 1
        telecom.append(phone)
    if p.email:
        email: dict[str, object] = {"system": "email", "value": p.email}
        if preferred == "email":
            email["rank"] = 1
        telecom.append(email)
    address = compact(
        {
            "use": "home",
            "line": [line.strip() for line in p.address.splitlines() if line.strip()],
            "postalCode": p.postcode,
        }
    )
    return compact(
        {
            "resourceType": "Patient",
            "id": str(p.pk),
            "meta": {
                **meta(PROFILE_PATIENT, canonical=canonical),
                "lastUpdated": instant(p.updated_at),
            },
            "identifier": identifiers,
            "name": [{"use": "official", "family": p.family_name, "given": [p.given_name]}],
            "telecom": telecom,
            "gender": p.sex,
            "birthDate": day(p.birth_date),
            "deceasedDateTime": day(p.died_on) if p.died_on else None,
            "address": [address] if len(address) > 1 else [],
            "managingOrganization": ods_ref(p.organisation.ods_code, p.organisation.name),
        }
    )


def _condition_base(profile: str, resource_id: str, patient: int, *, canonical: str) -> Resource:
    return {
        "resourceType": "Condition",
        "id": resource_id,
        "meta": meta(profile, canonical=canonical),
        # The person lives with the cancer: Waypoint records no remission of either condition.
        "clinicalStatus": concept(coding(CONDITION_CLINICAL, "active", "Active")),
        "verificationStatus": concept(coding(CONDITION_VERIFICATION, "confirmed", "Confirmed")),
        "category": [concept(coding(CONDITION_CATEGORY, "problem-list-item", "Problem List Item"))],
        "subject": patient_ref(patient),
    }


# Breast structures for the primary's laterality (SNOMED CT body structure concepts).
_BREAST_SITE = {
    "left": ("80248007", "Left breast structure"),
    "right": ("73056007", "Right breast structure"),
    "bilateral": ("76752008", "Breast structure"),
    "unknown": ("76752008", "Breast structure"),
}


def primary_condition(p: PrimaryFacts, *, canonical: str) -> Resource:
    site_code, site_display = _BREAST_SITE.get(p.laterality, _BREAST_SITE["unknown"])
    return compact(
        {
            **_condition_base(PROFILE_PRIMARY, f"primary-{p.pk}", p.patient, canonical=canonical),
            "code": concept(
                coding(SNOMED, "254837009", "Malignant neoplasm of breast"),
                coding(ICD10, "C50.9", "Malignant neoplasm of breast, unspecified"),
                text="Primary breast cancer",
            ),
            "bodySite": [concept(coding(SNOMED, site_code, site_display), text=p.laterality_label)],
            "onsetDateTime": day(p.diagnosed_on),
            "recordedDate": instant(p.recorded_at),
        }
    )


# The body structure of each metastatic site (SNOMED CT), for Condition.bodySite. "other" has
# none: its body site is the words recorded with it.
BODY_STRUCTURES: dict[str, tuple[str, str]] = {
    "bone": ("272673000", "Bone structure"),
    "liver": ("10200004", "Liver structure"),
    "lung": ("39607008", "Lung structure"),
    "brain": ("12738006", "Brain structure"),
    "pleura": ("3120008", "Pleural membrane structure"),
    "distant_lymph_nodes": ("59441001", "Structure of lymph node"),
    "skin_soft_tissue": ("39937001", "Skin structure"),
    "peritoneum": ("15425007", "Peritoneum structure"),
}


def _site_body(code: str, label: str, detail: str) -> Resource:
    structure = BODY_STRUCTURES.get(code)
    words = f"{label}: {detail}" if detail else label
    if structure is None:
        return text_concept(words)
    return concept(coding(SNOMED, structure[0], structure[1]), text=words)


def secondary_condition(s: SecondaryFacts, *, canonical: str) -> Resource:
    """One Condition per diagnosis. Each site's SNOMED CT and ICD-10 codes are codings of
    ``code`` and the site is a ``bodySite``: a receiver that needs one concept per site reads
    ``bodySite`` (docs/fhir.md)."""
    codings = []
    for site in s.sites:
        known = SITES_BY_CODE[site.code]
        codings.append(coding(SNOMED, known.snomed, f"Secondary malignant neoplasm: {known.label}"))
        codings.append(coding(ICD10, known.icd10))
    labels = ", ".join(f"{x.label} ({x.detail})" if x.detail else x.label for x in s.sites)
    notes = [f"Presentation: {s.presentation_label}.", f"Biopsy: {s.biopsy_decision_label}."]
    if s.biopsy_not_feasible_reason:
        notes.append(f"Biopsy not feasible because: {s.biopsy_not_feasible_reason}")
    return compact(
        {
            **_condition_base(
                PROFILE_SECONDARY, f"secondary-{s.pk}", s.patient, canonical=canonical
            ),
            "extension": [
                {
                    "url": CONDITION_RELATED,
                    "valueReference": local_ref(f"Condition/primary-{s.primary}"),
                }
            ]
            if s.primary is not None
            else [],
            "code": concept(*codings, text=f"Secondary breast cancer: {labels}"),
            "bodySite": [_site_body(x.code, x.label, x.detail) for x in s.sites],
            "onsetDateTime": day(s.diagnosed_on),
            "recordedDate": instant(s.recorded_at),
            "note": [{"text": " ".join(notes)}],
        }
    )


# Default LOINC code of each marker (interpretation in tissue; docs/design/codes.md).
MARKER_LOINC: dict[str, tuple[str, str]] = {
    "er": ("16112-5", "Estrogen receptor [Interpretation] in Tissue"),
    "pr": ("16113-3", "Progesterone receptor [Interpretation] in Tissue"),
    "her2": ("48676-1", "HER2 [Interpretation] in Tissue"),
}
_MARKER_WORDS = {
    "er": "Oestrogen receptor (ER)",
    "pr": "Progesterone receptor (PR)",
    "her2": "HER2",
}

# Answers with both their LOINC answer and SNOMED CT codes. HER2-low and equivocal have no
# agreed code in either answer list: they travel as text, which a receiver must not read as
# negative (docs/clinical-safety/hazard-log.md).
MARKER_ANSWERS: dict[str, tuple[dict[str, str], ...]] = {
    "positive": (coding(LOINC, "LA6576-8", "Positive"), coding(SNOMED, "10828004", "Positive")),
    "negative": (coding(LOINC, "LA6577-6", "Negative"), coding(SNOMED, "260385009", "Negative")),
}


def tumour_marker(m: MarkerFacts, *, canonical: str) -> Resource:
    loinc = m.loinc_code or MARKER_LOINC[m.marker][0]
    display = MARKER_LOINC[m.marker][1] if loinc == MARKER_LOINC[m.marker][0] else ""
    value: Resource = {}
    if m.value == "unknown":
        value["dataAbsentReason"] = concept(coding(DATA_ABSENT, "unknown", "Unknown"))
    else:
        answers = MARKER_ANSWERS.get(m.value, ())
        value["valueCodeableConcept"] = concept(*answers, text=m.value_label)
    contained: list[Resource] = []
    specimen: Resource | None = None
    notes = [m.note] if m.note else []
    if m.specimen in ("primary", "metastatic"):
        contained.append(
            {
                "resourceType": "Specimen",
                "id": "specimen",
                "type": text_concept(m.specimen_label),
                "subject": patient_ref(m.patient),
            }
        )
        specimen = {"reference": "#specimen", "display": m.specimen_label}
    else:
        notes.append("The specimen (primary tumour or metastasis) was not recorded.")
    return compact(
        {
            "resourceType": "Observation",
            "id": m.id,
            "meta": meta(PROFILE_TUMOR_MARKER, canonical=canonical),
            "contained": contained,
            "status": "final",
            "category": [concept(coding(OBSERVATION_CATEGORY, "laboratory", "Laboratory"))],
            "code": concept(coding(LOINC, loinc, display), text=_MARKER_WORDS[m.marker]),
            "subject": patient_ref(m.patient),
            "focus": [local_ref(m.focus)] if m.focus else [],
            "effectiveDateTime": day(m.observed_on),
            **value,
            "specimen": specimen,
            "note": [{"text": n} for n in notes],
        }
    )


# Cancer disease status (mCODE; LOINC 97509-4) and its values, SNOMED CT. A RECIST-style response
# maps to how the condition is going: complete and partial response → improved, stable disease →
# stable, progressive disease → worsened; a recorded progression is worsened.
DISEASE_STATUS_CODE = coding(LOINC, "97509-4", "Cancer disease progression")
IMPROVED = coding(SNOMED, "268910001", "Patient's condition improved")
STABLE = coding(SNOMED, "359746009", "Patient's condition stable")
WORSENED = coding(SNOMED, "271299001", "Patient's condition worsened")
RESPONSE_STATUS: dict[str, dict[str, str]] = {
    "complete": IMPROVED,
    "partial": IMPROVED,
    "stable": STABLE,
    "progressive": WORSENED,
}


def disease_status(d: DiseaseStatusFacts, *, canonical: str) -> Resource:
    if d.kind == "progression":
        value = concept(WORSENED, text="Progression")
    else:
        value = concept(RESPONSE_STATUS[d.result], text=d.result_label)
    return compact(
        {
            "resourceType": "Observation",
            "id": d.id,
            "meta": meta(PROFILE_DISEASE_STATUS, canonical=canonical),
            "status": "final",
            "category": [concept(coding(OBSERVATION_CATEGORY, "survey", "Survey"))],
            "code": concept(DISEASE_STATUS_CODE),
            "subject": patient_ref(d.patient),
            "focus": [local_ref(d.focus)] if d.focus else [],
            "effectiveDateTime": day(d.on),
            "valueCodeableConcept": value,
            "note": [{"text": d.note}] if d.note else [],
        }
    )


def _line_status(line: LineFacts) -> str:
    if line.stopped_on is None:
        return "active"
    return "completed" if line.stop_reason == "completed" else "stopped"


def medication_request(line: LineFacts, *, canonical: str) -> Resource:
    """A line of systemic therapy. The drugs are words (Waypoint records no dm+d or RxNorm
    codes); the treatment intent is a note, as the mCODE intent extension is not claimed."""
    status = _line_status(line)
    period = compact(
        {"start": day(line.started_on), "end": day(line.stopped_on) if line.stopped_on else None}
    )
    notes = [f"Line {line.line_number}. Intent: {line.intent_label}."]
    if line.last_dose_on:
        notes.append(f"Last dose recorded: {day(line.last_dose_on)}.")
    if line.cycles:
        notes.append(f"Cycles recorded: {line.cycles}.")
    return compact(
        {
            "resourceType": "MedicationRequest",
            "id": f"line-{line.pk}",
            "meta": meta(PROFILE_MEDICATION_REQUEST, canonical=canonical),
            "status": status,
            "statusReason": text_concept(line.stop_reason_label)
            if status == "stopped" and line.stop_reason_label
            else None,
            "intent": "order",
            "category": [text_concept(line.kind_label)],
            "medicationCodeableConcept": text_concept(line.drugs),
            "subject": patient_ref(line.patient),
            "authoredOn": day(line.started_on),
            "reasonReference": [local_ref(line.reason)] if line.reason else [],
            "note": [{"text": " ".join(notes)}],
            "dosageInstruction": [
                {"text": line.drugs, "timing": {"repeat": {"boundsPeriod": period}}}
            ],
        }
    )


BIOPSY = coding(SNOMED, "86273004", "Biopsy")


def biopsy_procedure(b: BiopsyFacts, *, canonical: str) -> Resource:
    body: list[Resource] = []
    if b.site:
        body.append(_site_body(b.site, b.site_label, b.body_site))
    elif b.body_site or b.snomed_code:
        codings = [coding(SNOMED, b.snomed_code)] if b.snomed_code else []
        body.append(concept(*codings, text=b.body_site))
    return compact(
        {
            "resourceType": "Procedure",
            "id": f"biopsy-{b.pk}",
            "meta": meta(canonical=canonical),
            "status": "completed",
            "code": concept(BIOPSY, text="Biopsy"),
            "subject": patient_ref(b.patient),
            "performedDateTime": day(b.performed_on),
            "bodySite": body,
            "note": [{"text": b.note}] if b.note else [],
        }
    )
