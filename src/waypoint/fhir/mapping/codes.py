"""The codes the import recognises (docs/design/codes.md). SNOMED CT needs an affiliate licence
for production use (in the UK through NHS England TRUD)."""

from __future__ import annotations

from waypoint.fhir.mapping.secondary_valueset import SECONDARY_ICD10CM, SECONDARY_SNOMED
from waypoint.registry.rules.codes import BODY_SITE_SNOMED, METASTATIC_SITES

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
DMD = "https://dmd.nhs.uk"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
MCODE_SNOMED_REQUESTED = "http://hl7.org/fhir/us/mcode/CodeSystem/snomed-requested-cs"

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
# mCODE profiles by what they mean; older (STU1/STU2) names are accepted beside the current ones.
PRIMARY_PROFILES = frozenset({MCODE + "mcode-primary-cancer-condition"})
SECONDARY_PROFILES = frozenset({MCODE + "mcode-secondary-cancer-condition"})
TUMOR_MARKER_PROFILES = frozenset({MCODE + "mcode-tumor-marker-test", MCODE + "mcode-tumor-marker"})
DISEASE_STATUS_PROFILES = frozenset({MCODE + "mcode-cancer-disease-status"})
MEDICATION_PROFILES = frozenset(
    {
        MCODE + "mcode-cancer-related-medication-request",
        MCODE + "mcode-cancer-related-medication-administration",
        MCODE + "mcode-cancer-related-medication-statement",
    }
)
TREATMENT_INTENT_EXTENSIONS = frozenset(
    {MCODE + "mcode-treatment-intent", MCODE + "mcode-procedure-intent"}
)
LATERALITY_EXTENSION = MCODE + "mcode-laterality"

# Primary breast cancer: SNOMED CT (docs/design/codes.md) and ICD-10 C50.x.
PRIMARY_BREAST_SNOMED = frozenset({"254837009", "372137005", "408643008", "188152004"})

# Tumour markers: LOINC → marker (docs/design/codes.md "Receptor status").
RECEPTOR_LOINC: dict[str, str] = {
    "16112-5": "er",
    "85337-4": "er",
    "40556-3": "er",
    "16113-3": "pr",
    "85339-0": "pr",
    "40557-1": "pr",
    "48676-1": "her2",
    "85319-2": "her2",
    "85318-4": "her2",
    "18474-7": "her2",
}
HER2_IHC_LOINC = frozenset({"85319-2", "18474-7"})

# Answers: LOINC answer codes and SNOMED CT qualifiers (docs/design/codes.md), and the v3
# ObservationInterpretation codes the example files put in ``interpretation``.
ANSWER_CODES: dict[tuple[str, str], str] = {
    (LOINC, "LA6576-8"): "positive",
    (LOINC, "LA6577-6"): "negative",
    (SNOMED, "10828004"): "positive",
    (SNOMED, "260385009"): "negative",
    (SNOMED, "42425007"): "equivocal",
    (V3_INTERPRETATION, "POS"): "positive",
    (V3_INTERPRETATION, "NEG"): "negative",
    (V3_INTERPRETATION, "IND"): "equivocal",
}

DISEASE_STATUS_LOINC = frozenset({"97509-4", "88040-1"})
# Cancer disease status values → what Waypoint records (rules.DISEASE_STATUS_RULE explains).
DISEASE_STATUS_VALUES: dict[tuple[str, str], str] = {
    (SNOMED, "268910001"): "improved",
    (SNOMED, "359746009"): "stable",
    (SNOMED, "271299001"): "worsened",
    (SNOMED, "709137006"): "undetermined",
    (MCODE_SNOMED_REQUESTED, "USCRS-352236"): "complete_remission",
    (SNOMED, "550991000124107"): "complete_remission",
}

# Observations Waypoint does not keep, by LOINC code, with the reason given in the outcome.
KNOWN_SKIPPED_LOINC: dict[str, str] = {
    "21908-9": "stage group (Waypoint keeps the metastatic diagnosis, not the stage)",
    "21902-2": "stage group (Waypoint keeps the metastatic diagnosis, not the stage)",
    "21905-5": "TNM category (not kept by Waypoint)",
    "21906-3": "TNM category (not kept by Waypoint)",
    "21907-1": "TNM category (not kept by Waypoint)",
    "21899-0": "TNM category (not kept by Waypoint)",
    "21900-6": "TNM category (not kept by Waypoint)",
    "21901-4": "TNM category (not kept by Waypoint)",
    "89247-1": "ECOG performance status (not kept by Waypoint)",
    "89243-0": "Karnofsky performance status (not kept by Waypoint)",
    "69548-6": "genetic variant (not kept by Waypoint)",
}

# Biopsy procedures (SNOMED CT).
BIOPSY_SNOMED: dict[str, str] = {
    "86273004": "Biopsy",
    "122548005": "Biopsy of breast",
    "396487001": "Sentinel lymph node biopsy",
    "237372006": "Stereotactic core biopsy of breast",
    "44578009": "Core needle biopsy of breast",
}

# Breast structures and laterality qualifiers (SNOMED CT body structure / qualifier value).
BREAST_SITES: dict[str, str] = {
    "76752008": "unknown",  # Breast structure
    "80248007": "left",  # Left breast structure
    "73056007": "right",  # Right breast structure
    "63762007": "bilateral",  # Both breasts
}
LATERALITY_QUALIFIERS: dict[str, str] = {
    "7771000": "left",
    "24028007": "right",
    "51440002": "bilateral",
}

SITE_BY_SECONDARY_SNOMED: dict[str, str] = {s.snomed: s.code for s in METASTATIC_SITES}
# The other "secondary malignant neoplasm of …" concepts docs/design/codes.md lists per site.
SITE_BY_SECONDARY_SNOMED.update(
    {
        "94217008": "bone",  # bone marrow
        "94602001": "bone",  # vertebral column
        "94246001": "brain",  # cerebral meninges
        "94181007": "distant_lymph_nodes",  # axillary lymph nodes
        "94351005": "distant_lymph_nodes",  # intrathoracic lymph nodes
    }
)
SITE_BY_BODY_SITE = dict(BODY_SITE_SNOMED)


def site_for_icd10(code: str) -> str | None:
    """WHO / UK 4-character and ICD-10-CM forms alike: ``C79.5`` and ``C79.51`` are both bone."""
    c = code.strip().upper()
    if c.startswith("C77"):
        return "distant_lymph_nodes"
    if c.startswith("C78.0"):
        return "lung"
    for prefix, site in (
        ("C78.2", "pleura"),
        ("C78.6", "peritoneum"),
        ("C78.7", "liver"),
        ("C79.2", "skin_soft_tissue"),
        ("C79.3", "brain"),
        ("C79.5", "bone"),
    ):
        if c.startswith(prefix):
            return site
    if c.startswith(("C78", "C79", "C7B")):
        return "other"
    return None


def is_secondary_snomed(code: str) -> bool:
    return code in SECONDARY_SNOMED or code in SITE_BY_SECONDARY_SNOMED


def secondary_display(system: str, code: str) -> str:
    if system == SNOMED:
        return SECONDARY_SNOMED.get(code, "")
    return SECONDARY_ICD10CM.get(code, "")
