from __future__ import annotations

import pytest

from waypoint.registry.rules.subtype import receptor_subtype


@pytest.mark.parametrize(
    ("er", "pr", "her2", "expected"),
    [
        ("positive", "positive", "negative", "hr_positive_her2_negative"),
        ("positive", "negative", "low", "hr_positive_her2_negative"),  # HER2-low is HER2-negative
        ("negative", "positive", "negative", "hr_positive_her2_negative"),  # PR alone is HR+
        ("positive", "positive", "positive", "her2_positive"),
        ("negative", "negative", "positive", "her2_positive"),
        ("negative", "negative", "negative", "triple_negative"),
        ("negative", "negative", "low", "triple_negative"),
        ("negative", "unknown", "negative", "unknown"),  # PR not known: cannot call it TNBC
        ("positive", "positive", "equivocal", "unknown"),  # awaiting ISH
        ("positive", "positive", "unknown", "unknown"),
        ("", "", "", "unknown"),
    ],
)
def test_subtype_from_receptors(er: str, pr: str, her2: str, expected: str) -> None:
    assert receptor_subtype(er, pr, her2) == expected
