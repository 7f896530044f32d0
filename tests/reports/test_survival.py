"""Kaplan–Meier survival by subtype: a hand-computed five-person example, lifelines' own
numbers, and no estimates for small groups."""

from __future__ import annotations

import datetime as dt

import pytest
from lifelines import KaplanMeierFitter
from tests.reports.conftest import TODAY, person

from waypoint.reports.services import report_open
from waypoint.reports.survival import DAYS_PER_YEAR, SurvivalGroup

pytestmark = pytest.mark.django_db

HR_POSITIVE = ("positive", "positive", "negative")
# Days from T0 to death (True) or to today, alive (False).
FIVE = ((200, True), (400, False), (600, True), (800, True), (1000, False))


def five_people(world) -> None:  # type: ignore[no-untyped-def]
    for days, died in FIVE:
        if died:
            t0 = TODAY - dt.timedelta(days=1500)
            person(world, t0=t0, primary=HR_POSITIVE, died_on=t0 + dt.timedelta(days=days))
        else:
            person(world, t0=TODAY - dt.timedelta(days=days), primary=HR_POSITIVE)


def group(actor, key: str) -> SurvivalGroup:  # type: ignore[no-untyped-def]
    report = report_open(actor=actor, indicators=["survival"])
    assert report.survival is not None
    return next(g for g in report.survival if g.key == key)


def test_five_people_against_a_hand_computed_kaplan_meier(world) -> None:
    five_people(world)
    hr = group(world.key_worker, "hr_positive_her2_negative")
    assert (hr.people, hr.deaths, hr.estimated) == (5, 3, True)
    # S(200 d) = 4/5; 400 d censored; S(600 d) = 0.8 × 2/3; S(800 d) = 0.5333 × 1/2.
    steps = dict(hr.curve)
    assert steps[round(200 / DAYS_PER_YEAR, 4)] == pytest.approx(0.8)
    assert steps[round(600 / DAYS_PER_YEAR, 4)] == pytest.approx(0.5333, abs=1e-4)
    assert steps[round(800 / DAYS_PER_YEAR, 4)] == pytest.approx(0.2667, abs=1e-4)
    # The median is the first time survival is at or below one half: 800 days.
    assert hr.median_years == round(800 / DAYS_PER_YEAR, 2) == 2.19
    assert hr.survival_at == {1: 0.8, 2: 0.533, 3: None, 5: None}  # nobody followed 3 years
    # At risk: still followed and alive just after each tick's last event.
    assert hr.at_risk == {0: 5, 1: 4, 2: 2, 3: 0, 4: 0, 5: 0}


def test_the_figures_are_lifelines_own(world) -> None:
    five_people(world)
    hr = group(world.key_worker, "hr_positive_her2_negative")
    kmf = KaplanMeierFitter().fit(
        [d / DAYS_PER_YEAR for d, _ in FIVE], event_observed=[e for _, e in FIVE]
    )
    assert hr.curve == tuple(
        (round(float(t), 4), round(float(s), 4))
        for t, s in kmf.survival_function_["KM_estimate"].items()
    )
    assert hr.median_years == round(float(kmf.median_survival_time_), 2)
    assert hr.median_upper is None  # lifelines: the upper limit is not reached


def test_a_median_not_reached_and_a_group_too_small_to_estimate(world, settings) -> None:
    for days in (100, 200, 300, 400, 500):
        person(
            world, t0=TODAY - dt.timedelta(days=days), primary=("negative", "negative", "positive")
        )
    her2 = group(world.key_worker, "her2_positive")
    assert her2.estimated and her2.deaths == 0 and her2.median_years is None
    person(world, primary=("negative", "negative", "negative"))
    tnbc = group(world.key_worker, "triple_negative")
    assert (tnbc.people, tnbc.estimated, tnbc.curve) == (1, False, ())
    settings.WAYPOINT_REPORT_SMALL_NUMBER = 0
    assert group(world.key_worker, "triple_negative").estimated


def test_all_subtypes_together_include_the_not_known(world) -> None:
    five_people(world)
    together = group(world.key_worker, "all")
    assert together.people == 7  # and the world's two people in team A, subtype not known
