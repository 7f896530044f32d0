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
