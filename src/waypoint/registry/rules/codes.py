"""Coded vocabularies for the registry (docs/design/codes.md).

SNOMED CT codes are "secondary malignant neoplasm of …" concepts; ICD-10 codes are the 4-character
WHO / UK forms. SNOMED CT needs an affiliate licence for production use.
"""

from __future__ import annotations

from dataclasses import dataclass

SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"


@dataclass(frozen=True)
class SiteCode:
    code: str
    label: str
    snomed: str
    icd10: str


METASTATIC_SITES: tuple[SiteCode, ...] = (
    SiteCode("bone", "Bone", "94222008", "C79.5"),
    SiteCode("liver", "Liver", "94381002", "C78.7"),
    SiteCode("lung", "Lung", "94391008", "C78.0"),
    SiteCode("brain", "Brain", "94225005", "C79.3"),
    SiteCode("pleura", "Pleura", "94493005", "C78.2"),
    SiteCode("distant_lymph_nodes", "Distant lymph nodes", "94392001", "C77.9"),
    SiteCode("skin_soft_tissue", "Skin or soft tissue", "94579000", "C79.2"),
    SiteCode("peritoneum", "Peritoneum", "188445006", "C78.6"),
    SiteCode("other", "Other", "128462008", "C79.8"),
)
SITES_BY_CODE = {site.code: site for site in METASTATIC_SITES}


def snomed_for_site(site: str) -> str:
    return SITES_BY_CODE[site].snomed


# Body structures (SNOMED CT "… structure (body structure)") → metastatic site, for a secondary
# cancer Condition or a biopsy that names the site in ``bodySite`` rather than in its code.
# Source: SNOMED CT International Edition body-structure hierarchy (concept ids as published in
# the SNOMED CT browser); 8935007 as used in mCODE example data (clinical-trial-matching-service
# patient_data.json, a secondary Condition whose bodySite is the cerebral meninges).
BODY_SITE_SNOMED: dict[str, str] = {
    "272673000": "bone",  # Bone structure
    "3138006": "bone",  # Bone tissue structure
    "14016003": "bone",  # Bone marrow structure
    "421060004": "bone",  # Spinal bone structure
    "10200004": "liver",  # Liver structure
    "39607008": "lung",  # Lung structure
    "12738006": "brain",  # Brain structure
    "8935007": "brain",  # Cerebral meninges structure
    "3120008": "pleura",  # Pleural membrane structure
    "59441001": "distant_lymph_nodes",  # Structure of lymph node
    "39937001": "skin_soft_tissue",  # Skin structure
    "87784001": "skin_soft_tissue",  # Soft tissues
    "15425007": "peritoneum",  # Peritoneum (serous membrane) structure
}
