"""Response times by level against hand-computed medians and 90th percentiles, on whichever
database runs the tests (scripts/test.sh runs SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from tests.reports.conftest import NOW

from waypoint.reports.response_times import (
    percentiles_in_database,
    percentiles_in_python,
    reports_in,
)
from waypoint.reports.services import report_open
from waypoint.triage.services import ReportInput, symptom_report_acknowledge, symptom_report_submit

pytestmark = pytest.mark.django_db

SYMPTOMS = {
    "red": [{"code": "limb_weakness", "present": True}],
    "amber": [{"code": "nausea", "grade": 2}],
    "green": [{"code": "fatigue", "grade": 1}],
}
DAY = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)


def report(world, level: str, *, at: dt.datetime, wait_minutes: int | None):  # type: ignore[no-untyped-def]
    stored, _ = symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(symptoms=SYMPTOMS[level], reported_at=at),
        now=at,
    )
    assert stored.level == level
    if wait_minutes is not None:
        symptom_report_acknowledge(
            actor=world.key_worker,
            report_id=stored.pk,
            action_taken="Called back",
            now=at + dt.timedelta(minutes=wait_minutes),
        )
    return stored


def build(world) -> None:  # type: ignore[no-untyped-def]
    for i, wait in enumerate((10, 20, 30, 40, 90)):
        report(world, "red", at=DAY + dt.timedelta(hours=i), wait_minutes=wait)
    report(world, "red", at=NOW - dt.timedelta(hours=3), wait_minutes=None)  # past its clock
    report(world, "amber", at=DAY, wait_minutes=60)
    report(world, "amber", at=DAY + dt.timedelta(hours=1), wait_minutes=120)
    report(world, "amber", at=NOW - dt.timedelta(hours=1), wait_minutes=None)  # inside its clock
    report(world, "green", at=DAY, wait_minutes=5)


def test_medians_percentiles_and_the_share_within_the_clock(world) -> None:
    build(world)
    got = report_open(actor=world.key_worker, indicators=["response-times"], now=NOW)
    assert got.response_times is not None
    rows = {r.level: r for r in got.response_times}
    assert [r.level for r in got.response_times] == ["emergency", "red", "amber", "green"]
    red = rows["red"]
    assert (red.reports, red.waiting, red.acknowledged) == (6, 1, 5)
    assert red.median_minutes == 30.0
    assert red.p90_minutes == 70.0  # rank 3.6 of 10, 20, 30, 40, 90: 40 + 0.6 × 50
    assert (red.within_clock, red.late) == (4, 2)  # 90 min and the one still waiting
    assert red.percent_within_clock == 66.7
    amber = rows["amber"]
    assert (amber.reports, amber.waiting) == (3, 1)
    assert (amber.median_minutes, amber.p90_minutes) == (90.0, 114.0)
    assert (amber.within_clock, amber.late) == (2, 0)  # the waiting one is still in its clock
    green = rows["green"]
    assert (green.median_minutes, green.p90_minutes, green.judged) == (5.0, 5.0, 0)
    assert rows["emergency"].reports == 0 and rows["emergency"].median_minutes is None


def test_the_database_and_python_paths_agree(world) -> None:
    build(world)
    scope = report_open(actor=world.key_worker, indicators=["response-times"], now=NOW).scope
    in_python = percentiles_in_python(reports_in(scope))
    assert in_python["red"] == pytest.approx((30 * 60, 70 * 60))
    if connection.vendor != "postgresql":
        pytest.skip("percentile_cont is PostgreSQL's; the Python path was checked above")
    in_database = percentiles_in_database(reports_in(scope))
    assert in_database.keys() == in_python.keys()
    for level, (median, p90) in in_python.items():
        assert in_database[level] == pytest.approx((median, p90)), level


def test_the_period_is_counted_in_local_time(world) -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    report(world, "green", at=dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), wait_minutes=5)
    july = report_open(
        actor=world.key_worker,
        indicators=["response-times"],
        since=dt.date(2026, 7, 1),
        until=dt.date(2026, 7, 31),
        now=NOW,
    )
    june = report_open(
        actor=world.key_worker,
        indicators=["response-times"],
        since=dt.date(2026, 6, 1),
        until=dt.date(2026, 6, 30),
        now=NOW,
    )
    assert july.response_times and june.response_times
    assert {r.level: r.reports for r in july.response_times}["green"] == 1
    assert {r.level: r.reports for r in june.response_times}["green"] == 0
