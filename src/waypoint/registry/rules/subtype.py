"""Receptor subtype of breast cancer from ER / PR / HER2 status.

Source: ESO-ESMO ABC 5 (Cardoso et al., Ann Oncol 2020), section "HR+/HER2−", "HER2+" and
"triple-negative" groupings; HER2-low (IHC 1+ or 2+/ISH−) per DESTINY-Breast04 and ABC 7.
HR-positive means ER or PR positive. Unknown HER2 or unknown hormone receptors give ``unknown``
rather than a guess.
"""

from __future__ import annotations

RULES_VERSION = "waypoint-subtype-1"

POSITIVE = "positive"
NEGATIVE = "negative"
LOW = "low"


def receptor_subtype(er: str, pr: str, her2: str) -> str:
    if her2 == POSITIVE:
        return "her2_positive"
    hr_positive = POSITIVE in (er, pr)
    hr_negative = er == NEGATIVE and pr in (NEGATIVE, "unknown", "")
    if her2 in (NEGATIVE, LOW):
        if hr_positive:
            return "hr_positive_her2_negative"
        if hr_negative and pr == NEGATIVE:
            return "triple_negative"
    return "unknown"


SUBTYPE_LABELS = {
    "hr_positive_her2_negative": "HR+/HER2−",
    "her2_positive": "HER2+",
    "triple_negative": "Triple negative",
    "unknown": "Not known",
}

# Every value a receptor field may hold, blank meaning "not recorded" (the registry's choices;
# tests/registry/rules/test_subtype.py checks these against the models).
ER_PR_VALUES = (POSITIVE, NEGATIVE, "unknown", "")
HER2_VALUES = (POSITIVE, LOW, NEGATIVE, "equivocal", "unknown", "")

REPORT_SUBTYPES_VERSION = "waypoint-report-subtype-1"


def report_subtype(er: str, pr: str, her2: str) -> str:
    """The subtype population reports count (docs/design/care-standards.md, "Population
    indicators": HR+/HER2−, HER2+, triple negative, HER2-low where recorded, not known).

    ``receptor_subtype`` rightly files HER2-low under HER2-negative (it is not HER2-positive
    disease); the reports show HER2-low (IHC 1+, or 2+ with negative ISH; DESTINY-Breast04,
    ABC 7) as its own group wherever it was recorded, whether HR-positive or negative, so that
    HR+/HER2− and triple negative there mean HER2 0 or HER2-negative without a grade. Only
    groups the base rule can name are refined: HER2-low with unknown hormone receptors stays
    ``unknown``.
    """
    base = receptor_subtype(er, pr, her2)
    if her2 == LOW and base in ("hr_positive_her2_negative", "triple_negative"):
        return "her2_low"
    return base


REPORT_SUBTYPE_LABELS = {
    "hr_positive_her2_negative": "HR+/HER2−",
    "her2_positive": "HER2+",
    "triple_negative": "Triple negative",
    "her2_low": "HER2-low",
    "unknown": "Not known",
}
