"""waypoint-standards-1, each standard at its deadline boundary (the day itself, the day after)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from waypoint.standards.rules.standards import (
    Clocked,
    Deadlines,
    Facts,
    Status,
    evaluate,
)

T0 = dt.date(2026, 9, 1)
D = Deadlines()
BASE = Facts(t0=T0)


def status(code: str, facts: Facts, today: dt.date, now: dt.datetime | None = None) -> Status:
    moment = now or dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    results = {r.code: r for r in evaluate(facts, now=moment, today=today, deadlines=D)}
    return results[code].status


def day(n: int) -> dt.date:
    return T0 + dt.timedelta(days=n)


MET, NOT_MET, PENDING, NA = Status.MET, Status.NOT_MET, Status.PENDING, Status.NOT_APPLICABLE


def test_without_a_secondary_diagnosis_nothing_applies():
    assert {
        r.status
        for r in evaluate(Facts(t0=None), now=dt.datetime.now(dt.UTC), today=T0, deadlines=D)
    } == {NA}


@pytest.mark.parametrize(
    ("facts", "today", "expected"),
    [
        (BASE, day(14), PENDING),
        (BASE, day(15), NOT_MET),
        (replace(BASE, has_key_worker=True, first_key_worker_on=day(14)), day(15), MET),
        (replace(BASE, has_key_worker=True, first_key_worker_on=day(15)), day(15), NOT_MET),
        (replace(BASE, has_key_worker=False, first_key_worker_on=day(3)), day(30), NOT_MET),
    ],
)
def test_kw1_named_key_worker_by_day_14_and_always(facts, today, expected):
    assert status("KW1", facts, today) is expected


@pytest.mark.parametrize(
    ("told", "today", "expected"),
    [
        (None, day(21), PENDING),
        (None, day(22), NOT_MET),
        (day(21), day(40), MET),
        (day(22), day(40), NOT_MET),
    ],
)
def test_kw2_told_who_and_how_by_day_21(told, today, expected):
    assert status("KW2", replace(BASE, key_worker_told_on=told), today) is expected


@pytest.mark.parametrize(
    ("mdts", "today", "expected"),
    [
        ((), day(28), PENDING),
        ((), day(29), NOT_MET),
        ((day(28),), day(60), MET),
        ((day(29),), day(60), NOT_MET),
    ],
)
def test_mdt1_discussed_by_day_28(mdts, today, expected):
    assert status("MDT1", replace(BASE, mdt_dates=mdts), today) is expected


@pytest.mark.parametrize(
    ("progressions", "mdts", "today", "expected"),
    [
        ((), (), day(100), NA),
        ((day(50),), (), day(78), PENDING),
        ((day(50),), (), day(79), NOT_MET),
        ((day(50),), (day(78),), day(90), MET),
        ((day(50),), (day(40),), day(90), NOT_MET),  # an MDT before the progression does not count
        ((day(50), day(80)), (day(60),), day(100), PENDING),  # the second is still within time
    ],
)
def test_mdt2_discussed_after_each_progression(progressions, mdts, today, expected):
    facts = replace(BASE, progression_dates=progressions, mdt_dates=mdts)
    assert status("MDT2", facts, today) is expected


@pytest.mark.parametrize(
    ("facts", "today", "expected"),
    [
        (replace(BASE, biopsy_resolved=True), day(1), MET),
        (BASE, day(100), PENDING),
        (replace(BASE, mdt_dates=(day(20),), first_line_started_on=day(30)), day(20), PENDING),
        (replace(BASE, mdt_dates=(day(20),), first_line_started_on=day(30)), day(21), NOT_MET),
    ],
)
def test_bx1_biopsy_decided_by_the_first_mdt_or_treatment(facts, today, expected):
    assert status("BX1", facts, today) is expected


@pytest.mark.parametrize(
    ("receptors", "first_line", "today", "expected"),
    [
        (None, None, day(50), PENDING),
        (day(10), None, day(50), MET),
        (day(20), day(20), day(50), MET),
        (day(21), day(20), day(50), NOT_MET),
        (None, day(20), day(50), NOT_MET),
    ],
)
def test_rx1_receptors_before_first_line(receptors, first_line, today, expected):
    facts = replace(BASE, receptors_on=receptors, first_line_started_on=first_line)
    assert status("RX1", facts, today) is expected


@pytest.mark.parametrize(
    ("done", "today", "expected"),
    [
        ((), day(31), PENDING),
        ((), day(32), NOT_MET),
        ((day(31),), day(40), MET),
        ((day(32),), day(40), NOT_MET),
    ],
)
def test_hna1_by_day_31(done, today, expected):
    assert status("HNA1", replace(BASE, hna_done_dates=done), today) is expected


@pytest.mark.parametrize(
    ("lines", "done", "today", "expected"),
    [
        ((), (), day(200), NA),
        ((day(100),), (), day(131), PENDING),
        ((day(100),), (), day(132), NOT_MET),
        ((day(100),), (day(131),), day(140), MET),
    ],
)
def test_hna2_after_each_change(lines, done, today, expected):
    facts = replace(BASE, line_change_dates=lines, hna_done_dates=done)
    assert status("HNA2", facts, today) is expected


@pytest.mark.parametrize(
    ("plans", "today", "expected"),
    [((), day(24), PENDING), ((), day(25), NOT_MET), ((day(24),), day(30), MET)],
)
def test_cp1_plan_within_14_days_of_an_assessment(plans, today, expected):
    facts = replace(BASE, hna_completed_dates=(day(10),), care_plan_dates=plans)
    assert status("CP1", facts, today) is expected


@pytest.mark.parametrize(
    ("decided", "today", "expected"),
    [
        (None, day(24), PENDING),
        (None, day(25), NOT_MET),
        (day(24), day(30), MET),
        (day(25), day(30), NOT_MET),
    ],
)
def test_dt1_distress_acted_on_within_14_days(decided, today, expected):
    facts = replace(BASE, distress=((day(10), decided),))
    assert status("DT1", facts, today) is expected
    assert status("DT1", BASE, today) is NA


@pytest.mark.parametrize(
    ("offers", "today", "expected"),
    [
        ({}, day(31), PENDING),
        ({"peer_support": day(5), "resource_pack": day(5)}, day(32), NOT_MET),
        ({"peer_support": day(5), "resource_pack": day(5), "helpline": day(31)}, day(40), MET),
        ({"peer_support": day(5), "resource_pack": day(5), "helpline": day(32)}, day(40), NOT_MET),
    ],
)
def test_sup1_all_three_offers_by_day_31(offers, today, expected):
    assert status("SUP1", replace(BASE, offers=offers), today) is expected


@pytest.mark.parametrize(
    ("on", "today", "expected"),
    [(None, day(56), PENDING), (None, day(57), NOT_MET), (day(56), day(60), MET)],
)
def test_pal1_palliative_care_considered_by_week_8(on, today, expected):
    assert status("PAL1", replace(BASE, palliative_on=on), today) is expected


NOON = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("reports", "now", "expected"),
    [
        ((), NOON, NA),
        ((Clocked(NOON, NOON),), NOON, MET),  # acknowledged on the minute
        ((Clocked(NOON, NOON + dt.timedelta(seconds=1)),), NOON, NOT_MET),
        ((Clocked(NOON, None),), NOON, PENDING),
        ((Clocked(NOON, None),), NOON + dt.timedelta(seconds=1), NOT_MET),
    ],
)
def test_tri1_red_reports_answered_within_their_clock(reports, now, expected):
    facts = replace(BASE, red_reports=reports)
    assert status("TRI1", facts, now.date(), now) is expected
    assert status("TRI2", replace(BASE, amber_reports=reports), now.date(), now) is expected


@pytest.mark.parametrize(
    ("active", "last", "today", "expected"),
    [
        (None, None, day(50), NA),
        (day(10), None, day(24), PENDING),
        (day(10), None, day(25), NOT_MET),
        (day(10), day(20), day(34), MET),
        (day(10), day(20), day(35), NOT_MET),
    ],
)
def test_pro1_a_report_every_14_days_on_treatment(active, last, today, expected):
    facts = replace(BASE, active_line_since=active, last_report_on=last)
    assert status("PRO1", facts, today) is expected


@pytest.mark.parametrize(
    ("responses", "today", "expected"),
    [
        ((), day(130), PENDING),
        ((), day(131), NOT_MET),
        ((day(100),), day(220), MET),
        ((day(100),), day(221), NOT_MET),
    ],
)
def test_resp1_response_assessed_every_120_days(responses, today, expected):
    facts = replace(BASE, active_line_since=day(10), response_dates=responses)
    assert status("RESP1", facts, today) is expected


@pytest.mark.parametrize(
    ("last", "today", "expected"),
    [
        (None, day(90), PENDING),
        (None, day(91), NOT_MET),
        (day(100), day(190), MET),
        (day(100), day(191), NOT_MET),
    ],
)
def test_con1_no_one_lost_to_contact(last, today, expected):
    assert status("CON1", replace(BASE, last_contact_on=last), today) is expected


def test_after_death_rolling_standards_do_not_apply_and_others_are_judged_on_that_day():
    facts = replace(BASE, died_on=day(10), active_line_since=day(1))
    assert status("PRO1", facts, day(200)) is NA
    assert status("KW1", facts, day(200)) is PENDING  # day 10 was within the 14 days
