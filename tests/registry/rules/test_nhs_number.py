"""NHS number: modulus-11 check digit (NHS Data Dictionary; docs/design/codes.md)."""

from __future__ import annotations

import pytest

from waypoint.registry.rules.nhs_number import (
    InvalidNhsNumber,
    check_digit,
    format_nhs_number,
    is_valid_nhs_number,
    normalise_nhs_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9434765919", "9434765919"),  # NHS Digital's published example
        ("943 476 5919", "9434765919"),  # spaces as people write it
        (" 943-476-5919 ", "9434765919"),  # hyphens and padding
        ("4010232137", "4010232137"),
        ("9000000009", "9000000009"),  # 9 x 10 = 90; 90 mod 11 = 2; 11 - 2 = 9
        ("0000000000", "0000000000"),  # sum 0 -> 11 - 0 = 11 -> check digit 0
    ],
)
def test_valid_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalise_nhs_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("9434765918", "wrong check digit"),
        ("943476591", "nine digits"),
        ("94347659190", "eleven digits"),
        ("94347659l9", "a letter"),
        ("", "empty"),
        ("１２３４５６７８９０", "full-width digits are not ASCII"),
        ("1000000010", "weighted sum gives check 10: no valid number has this stem"),
    ],
)
def test_invalid_numbers_are_rejected(raw: str, why: str) -> None:
    with pytest.raises(InvalidNhsNumber):
        normalise_nhs_number(raw)
    assert not is_valid_nhs_number(raw), why


@pytest.mark.parametrize(
    ("first_nine", "expected"),
    [
        ("943476591", 9),
        ("900000000", 9),  # 90 mod 11 = 2 -> 9
        ("100000001", None),  # 10 + 2 = 12; 12 mod 11 = 1; 11 - 1 = 10 -> no valid number
        ("000000000", 0),  # 0 mod 11 = 0; 11 - 0 = 11 -> 0
        ("100000000", 1),  # 10 mod 11 = 10; 11 - 10 = 1
    ],
)
def test_check_digit_boundaries(first_nine: str, expected: int | None) -> None:
    assert check_digit(first_nine) == expected


def test_the_number_is_shown_in_three_three_four_groups() -> None:
    assert format_nhs_number("9434765919") == "943 476 5919"
