"""Small numbers in published figures.

Counts from 1 to N − 1 could identify someone in a small team, so for viewers who see figures only
in aggregate, and in every CSV (which travels), they are shown as "fewer than N" and any share
built on them is withheld, the usual primary suppression for published health statistics (as in
the ONS guidance on disclosure control for tables from administrative sources). The threshold N
is WAYPOINT_REPORT_SMALL_NUMBER, 5 unless set. Zero is shown: it identifies no one. The rule
itself is the population reports' (``core.small_numbers``), so both publish alike.
"""

from __future__ import annotations

from waypoint.core import small_numbers as figures


def is_small(count: int, *, threshold: int) -> bool:
    return figures.is_small(count, threshold)


def count_text(count: int, *, threshold: int | None) -> str:
    """``threshold`` None: the viewer may see exact figures."""
    return str(count) if threshold is None else str(figures.shown(count, threshold))


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def percent_text(part: int, whole: int, *, threshold: int | None) -> str:
    if threshold is not None and (
        is_small(part, threshold=threshold) or is_small(whole, threshold=threshold)
    ):
        return "withheld"
    value = percent(part, whole)
    return "–" if value is None else f"{value:g}%"
