"""What the caseload lists as due or overdue (waypoint-due-1): open standards and the support
review after each progression, at their deadline boundaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from waypoint.standards.rules.standards import (
    DUE_RULES_VERSION,
    Clocked,
    Deadlines,
    Facts,
    Status,
    due_items,
    evaluate,
)

T0 = dt.date(2026, 9, 1)
D = Deadlines()


def day(n: int) -> dt.date:
    return T0 + dt.timedelta(days=n)


def noon(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(12), tzinfo=dt.UTC)


def due(facts: Facts, today: dt.date) -> dict[str, Status]:
    return {r.code: r.status for r in due_items(facts, now=noon(today), today=today, deadlines=D)}


def result(code: str, facts: Facts, today: dt.date):  # type: ignore[no-untyped-def]
    return next(
        r for r in evaluate(facts, now=noon(today), today=today, deadlines=D) if r.code == code
    )


@pytest.mark.parametrize(
    ("reviews", "today", "expected"),
    [
        ((), day(40), Status.PENDING),  # progression on day 10: due by day 41
        ((), day(41), Status.PENDING),
        ((), day(42), Status.NOT_MET),
        ((day(41),), day(42), None),  # reviewed on the last day: nothing due
        ((day(9),), day(20), Status.PENDING),  # a review before the progression does not count
    ],
)
def test_support_review_falls_due_31_days_after_a_progression(reviews, today, expected):
    facts = Facts(
        t0=T0,
        progression_dates=(day(10),),
        support_review_dates=reviews,
        has_key_worker=True,
        first_key_worker_on=T0,
    )
    assert due(facts, today).get("REV1") is expected


def test_the_support_review_carries_its_own_rule_version():
    facts = Facts(t0=T0, progression_dates=(day(10),))
    items = due_items(facts, now=noon(day(20)), today=day(20), deadlines=D)
    assert next(r for r in items if r.code == "REV1").rules_version == DUE_RULES_VERSION


def test_without_a_progression_no_support_review_is_due():
    assert "REV1" not in due(Facts(t0=T0), day(100))


def test_a_standard_met_late_is_not_listed_but_one_still_missing_is():
    late = Facts(t0=T0, key_worker_told_on=day(30))
    missing = Facts(t0=T0)
    assert result("KW2", late, day(40)).status is Status.NOT_MET
    assert result("KW2", late, day(40)).open is False
    assert "KW2" not in due(late, day(40))
    assert due(missing, day(40))["KW2"] is Status.NOT_MET


@pytest.mark.parametrize(
    ("acknowledged", "expected_open"),
    [(None, True), (noon(day(3)), False)],
)
def test_a_late_red_report_is_open_only_while_it_waits(acknowledged, expected_open):
    report = Clocked(respond_by=noon(day(2)), acknowledged_at=acknowledged)
    facts = Facts(t0=T0, red_reports=(report,))
    r = result("TRI1", facts, day(5))
    assert r.status is Status.NOT_MET
    assert r.open is expected_open


def test_overdue_items_come_first_then_the_soonest_deadline():
    facts = Facts(t0=T0, progression_dates=(day(20),), has_key_worker=True, first_key_worker_on=T0)
    items = due_items(facts, now=noon(day(25)), today=day(25), deadlines=D)
    statuses = [r.status for r in items]
    assert statuses == sorted(statuses, key=lambda s: s is not Status.NOT_MET)
    overdue = [r for r in items if r.status is Status.NOT_MET]
    pending = [r for r in items if r.status is Status.PENDING]
    assert [r.code for r in overdue] == ["KW2"]  # day 21 passed without an introduction
    deadlines = [r.deadline or dt.date.max for r in pending]
    assert deadlines == sorted(deadlines)


def test_after_death_nothing_is_due():
    facts = replace(Facts(t0=T0, progression_dates=(day(10),)), died_on=day(12))
    assert due_items(facts, now=noon(day(20)), today=day(20), deadlines=D) == []


def test_without_a_secondary_diagnosis_nothing_is_due():
    assert due_items(Facts(t0=None), now=noon(day(20)), today=day(20), deadlines=D) == []
