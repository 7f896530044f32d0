"""Which kind of systemic anti-cancer therapy a drug is (treatment.TreatmentKind values).

Codes: the RxNorm codes seen in the mCODE example files (each checked against the display the
file gives). Names: the common breast-cancer drugs by international non-proprietary name
(BNF chapter 8.1–8.3 and NICE TA guidance for advanced breast cancer), matched as whole words
in the coding's display or the concept's text, longest name first so that "trastuzumab
deruxtecan" is an ADC and not trastuzumab. dm+d and other codes are recognised through their
display by name. A drug found in neither table is never guessed: the import reports it.
"""

from __future__ import annotations

import re

DRUG_TABLE_VERSION = "waypoint-drugs-1"

SUPPORTIVE = "supportive"  # bone-protecting agents: not a line of systemic anti-cancer therapy

KIND_BY_NAME: dict[str, str] = {
    # chemotherapy
    "paclitaxel": "chemotherapy",
    "nab-paclitaxel": "chemotherapy",
    "docetaxel": "chemotherapy",
    "doxorubicin": "chemotherapy",
    "epirubicin": "chemotherapy",
    "cyclophosphamide": "chemotherapy",
    "capecitabine": "chemotherapy",
    "eribulin": "chemotherapy",
    "vinorelbine": "chemotherapy",
    "gemcitabine": "chemotherapy",
    "carboplatin": "chemotherapy",
    "cisplatin": "chemotherapy",
    "fluorouracil": "chemotherapy",
    "methotrexate": "chemotherapy",
    # HER2-directed
    "trastuzumab": "her2_directed",
    "pertuzumab": "her2_directed",
    "lapatinib": "her2_directed",
    "neratinib": "her2_directed",
    "tucatinib": "her2_directed",
    # antibody–drug conjugates
    "trastuzumab emtansine": "adc",
    "trastuzumab deruxtecan": "adc",
    "sacituzumab govitecan": "adc",
    "datopotamab deruxtecan": "adc",
    # targeted (CDK4/6, mTOR, PI3K/AKT, PARP, EGFR, VEGF)
    "palbociclib": "targeted",
    "ribociclib": "targeted",
    "abemaciclib": "targeted",
    "everolimus": "targeted",
    "alpelisib": "targeted",
    "capivasertib": "targeted",
    "olaparib": "targeted",
    "talazoparib": "targeted",
    "gefitinib": "targeted",
    "bevacizumab": "targeted",
    # immunotherapy
    "pembrolizumab": "immunotherapy",
    "atezolizumab": "immunotherapy",
    # endocrine (including ovarian function suppression)
    "tamoxifen": "endocrine",
    "toremifene": "endocrine",
    "letrozole": "endocrine",
    "anastrozole": "endocrine",
    "exemestane": "endocrine",
    "fulvestrant": "endocrine",
    "elacestrant": "endocrine",
    "megestrol": "endocrine",
    "goserelin": "endocrine",
    "leuprolide": "endocrine",
    "leuprorelin": "endocrine",
    "triptorelin": "endocrine",
    # supportive
    "zoledronic acid": SUPPORTIVE,
    "denosumab": SUPPORTIVE,
    "pamidronate": SUPPORTIVE,
    "ibandronic acid": SUPPORTIVE,
}

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
# RxNorm codes in the example files → ingredient name.
NAME_BY_CODE: dict[tuple[str, str], str] = {
    (RXNORM, "1163443"): "leuprolide",  # leuprolide Injectable Product
    (RXNORM, "1156671"): "fulvestrant",  # fulvestrant Injectable Product
    (RXNORM, "1946828"): "abemaciclib",  # abemaciclib Oral Product
    (RXNORM, "1873980"): "ribociclib",  # ribociclib Oral Product
    (RXNORM, "583214"): "paclitaxel",  # Paclitaxel 100 MG Injection
    (RXNORM, "349472"): "gefitinib",  # gefitinib 250 MG Oral Tablet
}

# Line kind when a regimen mixes kinds: the more specific therapy names the line (a HER2-directed
# regimen with a taxane is HER2-directed; a CDK4/6 inhibitor with an aromatase inhibitor is
# targeted, as TreatmentKind.TARGETED's label says).
KIND_PRECEDENCE = ("adc", "her2_directed", "immunotherapy", "targeted", "chemotherapy", "endocrine")

_NAMES = sorted(KIND_BY_NAME, key=len, reverse=True)


def _normalise(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower().replace("ado-", "")).strip() + " "


def drugs_in_text(text: str) -> list[str]:
    """Every listed drug named in ``text`` (a product may combine two, e.g. pertuzumab and
    trastuzumab)."""
    haystack = _normalise(text)
    found: list[str] = []
    for name in _NAMES:
        needle = _normalise(name)
        if needle in haystack:
            found.append(name)
            haystack = haystack.replace(needle, " | ")
    return sorted(found)


def classify(codings: list[tuple[str, str, str]], text: str) -> list[str]:
    """The drug names a medication concept stands for; empty when it cannot be classified.
    ``codings`` are (system, code, display)."""
    for system, code, _ in codings:
        name = NAME_BY_CODE.get((system, code))
        if name:
            return [name]
    for _, _, display in codings:
        names = drugs_in_text(display)
        if names:
            return names
    return drugs_in_text(text)


def line_kind(names: list[str]) -> str:
    kinds = {KIND_BY_NAME[n] for n in names}
    for kind in KIND_PRECEDENCE:
        if kind in kinds:
            return kind
    return ""
