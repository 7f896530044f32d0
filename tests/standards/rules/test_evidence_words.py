"""The evidence beside a standard is read by nurses: plain words and plurals that agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from waypoint.standards.rules.standards import Clocked, Deadlines, Facts, Result, evaluate

T0 = dt.date(2026, 9, 1)
NOON = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC)


def result(code: str, facts: Facts, now: dt.datetime) -> Result:
    results = evaluate(facts, now=now, today=now.date(), deadlines=Deadlines())
    return next(r for r in results if r.code == code)


def test_one_late_red_report_reads_in_the_singular() -> None:
    late = Clocked(NOON, NOON + dt.timedelta(minutes=5))
    assert result("TRI1", replace(Facts(t0=T0), red_reports=(late,)), NOON).evidence == (
        "1 red report answered late"
    )


def test_two_late_red_reports_read_in_the_plural() -> None:
    late = Clocked(NOON, NOON + dt.timedelta(minutes=5))
    facts = replace(Facts(t0=T0), red_reports=(late, late))
    assert result("TRI1", facts, NOON).evidence == "2 red reports answered late"


def test_a_single_report_answered_in_time_is_not_called_all() -> None:
    facts = replace(Facts(t0=T0), amber_reports=(Clocked(NOON, NOON),))
    assert result("TRI2", facts, NOON).evidence == "the amber report answered in time"


def test_missing_support_offers_are_named_in_words_not_codes() -> None:
    facts = replace(Facts(t0=T0), offers={"helpline": T0})
    evidence = result("SUP1", facts, NOON + dt.timedelta(days=40)).evidence
    assert evidence == "not offered: peer support, the resource pack"
    assert "_" not in evidence
