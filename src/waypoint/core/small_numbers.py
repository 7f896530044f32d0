"""Small numbers in published figures: the one rule the population reports and the experience
survey both publish by (pure: no Django)."""

from __future__ import annotations


def is_small(count: int, threshold: int) -> bool:
    """A count that could pick a person out of a small group: 1 to ``threshold − 1``. 0 is not
    (an empty group discloses nobody); ``threshold`` 0 turns suppression off."""
    return threshold > 0 and 0 < count < threshold


def shown(count: int, threshold: int) -> int | str:
    """A count as an aggregate-only viewer may see it: small counts become "fewer than N"."""
    if is_small(count, threshold):
        return f"fewer than {threshold}"
    return count
