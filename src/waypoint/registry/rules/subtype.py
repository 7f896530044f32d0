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
