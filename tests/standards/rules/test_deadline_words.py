"""The evidence names the configured deadline, not a number written into the words."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from waypoint.standards.rules.standards import Deadlines, Facts, Result, evaluate

T0 = dt.date(2026, 1, 1)
LATER = dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC)


def result(code: str, facts: Facts, deadlines: Deadlines) -> Result:
    results = evaluate(facts, now=LATER, today=LATER.date(), deadlines=deadlines)
    return next(r for r in results if r.code == code)


@pytest.mark.parametrize(
    ("days", "words"),
    [(1, "in the last 1 day"), (14, "in the last 14 days"), (7, "in the last 7 days")],
)
def test_missed_monitoring_names_the_configured_days(days: int, words: str) -> None:
    facts = replace(Facts(t0=T0), active_line_since=T0)
    evidence = result("PRO1", facts, Deadlines(monitoring_days=days)).evidence
    assert evidence == f"no report or outreach {words}"


@pytest.mark.parametrize(("days", "words"), [(1, "in the last 1 day"), (90, "in the last 90 days")])
def test_lost_contact_names_the_configured_days(days: int, words: str) -> None:
    evidence = result("CON1", Facts(t0=T0), Deadlines(contact_days=days)).evidence
    assert evidence == f"no contact {words}"
