from __future__ import annotations

import datetime as dt

import pytest

from waypoint.core.small_numbers import shown
from waypoint.reports.rules.figures import age_band, age_on, latest_birth_date_for_age, percentile


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "under_40"),
        (39, "under_40"),
        (40, "40_49"),
        (49, "40_49"),
        (50, "50_59"),
        (59, "50_59"),
        (60, "60_69"),
        (69, "60_69"),
        (70, "70_79"),
        (79, "70_79"),
        (80, "80_over"),
        (104, "80_over"),
    ],
)
def test_every_age_band_boundary(age: int, band: str) -> None:
    assert age_band(age) == band


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (dt.date(1986, 11, 20), dt.date(2026, 11, 20), 40),  # the birthday itself
        (dt.date(1986, 11, 21), dt.date(2026, 11, 20), 39),  # the day before it
        (dt.date(1988, 2, 29), dt.date(2027, 2, 28), 38),  # leapling, common year
        (dt.date(1988, 2, 29), dt.date(2027, 3, 1), 39),
    ],
)
def test_age_in_completed_years(born: dt.date, day: dt.date, age: int) -> None:
    assert age_on(born, day) == age


@pytest.mark.parametrize(
    ("day", "years", "latest"),
    [
        (dt.date(2026, 11, 20), 40, dt.date(1986, 11, 20)),
        (dt.date(2024, 2, 29), 50, dt.date(1974, 2, 28)),  # 1974 has no 29 February
        (dt.date(2024, 2, 29), 40, dt.date(1984, 2, 29)),
    ],
)
def test_the_latest_birth_date_for_an_age_agrees_with_age_on(
    day: dt.date, years: int, latest: dt.date
) -> None:
    assert latest_birth_date_for_age(day, years) == latest
    assert age_on(latest, day) == years
    assert age_on(latest + dt.timedelta(days=1), day) == years - 1


@pytest.mark.parametrize(
    ("count", "threshold", "expected"),
    [
        (0, 5, 0),
        (1, 5, "fewer than 5"),
        (4, 5, "fewer than 5"),
        (5, 5, 5),
        (120, 5, 120),
        (3, 0, 3),  # 0 turns suppression off
        (9, 10, "fewer than 10"),
    ],
)
def test_small_numbers_are_suppressed(count: int, threshold: int, expected: int | str) -> None:
    assert shown(count, threshold) == expected


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([], 0.5, None),
        ([7.0], 0.9, 7.0),
        ([10.0, 20.0, 30.0, 40.0], 0.5, 25.0),  # between the middle two
        ([10.0, 20.0, 30.0, 40.0], 0.9, 37.0),  # rank 2.7: 30 + 0.7 × 10
        ([40.0, 10.0, 30.0, 20.0, 50.0], 0.5, 30.0),  # unsorted input
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9, 9.1),
    ],
)
def test_percentiles_interpolate_like_percentile_cont(
    values: list[float], fraction: float, expected: float | None
) -> None:
    got = percentile(values, fraction)
    assert got == pytest.approx(expected) if expected is not None else got is None
