"""Age bands, small-number suppression and percentiles for the population reports.

Version ``waypoint-reports-1``. Age bands follow the decades the National Audit of Metastatic
Breast Cancer and cancer registries report (under 40, then ten-year bands, 80 and over).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

RULES_VERSION = "waypoint-reports-1"


@dataclass(frozen=True)
class AgeBand:
    code: str
    label: str
    lowest: int  # youngest age in the band, in whole years
    highest: int | None  # oldest, or None for "and over"


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("under_40", "Under 40", 0, 39),
    AgeBand("40_49", "40 to 49", 40, 49),
    AgeBand("50_59", "50 to 59", 50, 59),
    AgeBand("60_69", "60 to 69", 60, 69),
    AgeBand("70_79", "70 to 79", 70, 79),
    AgeBand("80_over", "80 and over", 80, None),
)


def age_band(age: int) -> str:
    for band in AGE_BANDS:
        if band.highest is None or age <= band.highest:
            return band.code
    raise AssertionError("unreachable: the last band is open-ended")  # pragma: no cover


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on ``day`` (as ``Patient.age_on``): a birthday on 29 February is
    reached on 1 March in a common year."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def latest_birth_date_for_age(day: dt.date, years: int) -> dt.date:
    """The latest birth date of someone at least ``years`` old on ``day``: the same day
    ``years`` earlier, or 28 February when that year has no 29 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks: what PostgreSQL's ``percentile_cont``
    answers, so that both databases give the same figure."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
