from __future__ import annotations

import itertools

import pytest

from waypoint.registry.rules.subtype import (
    ER_PR_VALUES,
    HER2_VALUES,
    receptor_subtype,
    report_subtype,
)


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


@pytest.mark.parametrize(
    ("er", "pr", "her2", "expected"),
    [
        ("positive", "positive", "negative", "hr_positive_her2_negative"),
        ("positive", "negative", "low", "her2_low"),  # HR+ and HER2-low: its own group here
        ("negative", "negative", "low", "her2_low"),  # HR− and HER2-low, too
        ("negative", "negative", "negative", "triple_negative"),
        ("positive", "positive", "positive", "her2_positive"),
        ("negative", "unknown", "low", "unknown"),  # HR status not known: not guessed
        ("positive", "positive", "equivocal", "unknown"),
        ("", "", "", "unknown"),
    ],
)
def test_report_subtype_names_her2_low_where_recorded(
    er: str, pr: str, her2: str, expected: str
) -> None:
    assert report_subtype(er, pr, her2) == expected


def test_report_subtype_differs_from_the_base_rule_only_for_her2_low() -> None:
    for er, pr, her2 in itertools.product(ER_PR_VALUES, ER_PR_VALUES, HER2_VALUES):
        base, reported = receptor_subtype(er, pr, her2), report_subtype(er, pr, her2)
        assert reported == base or (her2 == "low" and reported == "her2_low")
