"""NHS number validation.

Source: NHS Data Dictionary, "NHS Number" — 10 digits, the tenth a modulus-11 check digit: weights
10 down to 2 on the first nine digits; check = 11 − (sum mod 11); a result of 11 becomes 0 and a
result of 10 means the number is invalid (docs/design/codes.md, Identifiers).
"""

from __future__ import annotations

RULES_VERSION = "waypoint-nhs-number-1"

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


class InvalidNhsNumber(ValueError):
    pass


def normalise_nhs_number(raw: str) -> str:
    """The 10-digit form of ``raw`` (spaces and hyphens allowed), or InvalidNhsNumber."""
    compact = "".join(raw.split()).replace("-", "")
    if len(compact) != 10 or not compact.isascii() or not compact.isdigit():
        raise InvalidNhsNumber("An NHS number has 10 digits.")
    expected = check_digit(compact[:9])
    if expected is None or expected != int(compact[9]):
        raise InvalidNhsNumber("This is not a valid NHS number: the check digit does not match.")
    return compact


def check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None when no valid number can end them."""
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(raw: str) -> bool:
    try:
        normalise_nhs_number(raw)
    except InvalidNhsNumber:
        return False
    return True


def format_nhs_number(value: str) -> str:
    """3-3-4 grouping, as the NHS shows it to people."""
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value
