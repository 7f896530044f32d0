"""People living now and new diagnoses per month: each breakdown, counted in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.reports.conftest import TODAY, person

from waypoint.reports.selectors import Population, month_starts
from waypoint.reports.services import report_open

pytestmark = pytest.mark.django_db


def counts(population: Population, dimension: str) -> dict[str, int]:
    found = next(b for b in population.breakdowns if b.dimension == dimension)
    return {k: v for k, v in found.counts.items() if v}


def living(actor, **kwargs):  # type: ignore[no-untyped-def]
    report = report_open(actor=actor, indicators=["prevalence"], **kwargs)
    assert report.prevalence is not None
    return report.prevalence


def new(actor, **kwargs):  # type: ignore[no-untyped-def]
    report = report_open(actor=actor, indicators=["incidence"], **kwargs)
    assert report.incidence is not None
    return report.incidence


def test_people_living_now_by_every_breakdown(world) -> None:
    # The world: two people in team A (T0 1 October 2026, recurrence, bone, born 1960: 66).
    person(
        world,
        presentation="de_novo",
        primary=("positive", "positive", "negative"),
        sites=("bone", "liver"),
        born=dt.date(1986, 11, 20),  # 40 today
    )
    person(world, primary=("negative", "negative", "negative"), born=dt.date(1986, 11, 21))  # 39
    person(
        world, primary=("positive", "negative", "low"), sites=("brain",), born=dt.date(1946, 11, 20)
    )
    person(world, primary=("negative", "negative", "positive"), died_on=dt.date(2026, 10, 1))
    person(
        world,
        presentation="de_novo",
        more=(dt.date(2026, 8, 1), "recurrence", ("lung", "bone")),  # a later diagnosis
        born=dt.date(1956, 11, 21),  # 69 until tomorrow
    )
    got = living(world.key_worker)
    assert got.total == 6  # the world's two and four of these: the dead person is not counted
    assert counts(got, "presentation") == {"de_novo": 2, "recurrence": 4}
    assert counts(got, "subtype") == {
        "hr_positive_her2_negative": 1,
        "triple_negative": 1,
        "her2_low": 1,
        "unknown": 3,
    }
    # Once per site a person has, across all their secondary diagnoses.
    assert counts(got, "site") == {"bone": 5, "liver": 1, "brain": 1, "lung": 1}
    assert counts(got, "age_band") == {"under_40": 1, "40_49": 1, "60_69": 3, "80_over": 1}
    assert counts(got, "team") == {str(world.team_a.pk): 6}
    assert counts(got, "organisation") == {str(world.organisation.pk): 6}


def test_the_manager_sees_every_team_of_the_trust_and_can_choose_one(world) -> None:
    person(world, team=world.team_b)
    everyone = living(world.manager)
    assert everyone.total == 4
    assert counts(everyone, "team") == {str(world.team_a.pk): 2, str(world.team_b.pk): 2}
    assert living(world.manager, team_id=world.team_b.pk).total == 2
    assert living(world.manager, organisation_id=world.organisation.pk).total == 4


def test_new_diagnoses_fall_in_the_month_of_t0_on_its_first_and_last_days(world) -> None:
    person(world, t0=dt.date(2026, 3, 1))
    person(world, t0=dt.date(2026, 3, 31))
    person(world, t0=dt.date(2026, 4, 1), died_on=dt.date(2026, 9, 1))  # died since: counted
    person(world, t0=dt.date(2025, 11, 30))  # the day before the default period
    person(world, t0=dt.date(2025, 12, 1), born=dt.date(1985, 12, 1))  # 40 on the day of T0
    person(world, t0=dt.date(2026, 1, 15), born=dt.date(1985, 12, 2))  # 40 at T0
    person(world, t0=dt.date(2026, 1, 16), born=dt.date(1986, 1, 17))  # 39 at T0
    got = new(world.key_worker)
    assert got.months[0] == dt.date(2025, 12, 1) and got.months[-1] == dt.date(2026, 11, 1)
    assert len(got.months) == 12
    by_month = {m: n for m, n in got.totals_by_month.items() if n}
    assert by_month == {
        dt.date(2025, 12, 1): 1,
        dt.date(2026, 1, 1): 2,
        dt.date(2026, 3, 1): 2,
        dt.date(2026, 4, 1): 1,
        dt.date(2026, 10, 1): 2,  # the world's two people in team A
    }
    assert got.total == 8
    ages = next(b for b in got.breakdowns if b.dimension == "age_band")
    assert ages.by_month[dt.date(2025, 12, 1)] == {"40_49": 1}
    assert ages.by_month[dt.date(2026, 1, 1)] == {"40_49": 1, "under_40": 1}
    # A chosen period, ending on the last day of March.
    march = new(world.key_worker, since=dt.date(2026, 3, 1), until=dt.date(2026, 3, 31))
    assert march.months == (dt.date(2026, 3, 1),)
    assert march.total == 2


def test_age_at_t0_counts_a_birthday_on_the_day_of_t0(world) -> None:
    person(world, t0=dt.date(2026, 6, 15), born=dt.date(1976, 6, 15))  # 50 that day
    person(world, t0=dt.date(2026, 6, 15), born=dt.date(1976, 6, 16))  # 49
    person(world, t0=dt.date(2026, 6, 15), born=dt.date(1946, 6, 15))  # 80
    got = new(world.key_worker, since=dt.date(2026, 6, 1), until=dt.date(2026, 6, 30))
    assert counts(got, "age_band") == {"50_59": 1, "40_49": 1, "80_over": 1}


def test_month_starts_cover_the_period() -> None:
    assert month_starts(dt.date(2025, 12, 31), dt.date(2026, 2, 1)) == (
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    )
    assert dt.date(2026, 11, 20) == TODAY
