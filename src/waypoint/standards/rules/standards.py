"""The care standards Waypoint audits, per patient at a given day (`waypoint-standards-1`).

docs/design/care-standards.md is the specification: each standard answers met, not met, pending
(its deadline has not passed) or not applicable, with its evidence and deadline. Evidence counts
when it is dated on or before the deadline. Deadlines marked *proposed* there are in ``Deadlines``
(configuration). The audit supports the team's review of care; it does not judge a clinician.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

RULES_VERSION = "waypoint-standards-1"


class Status(Enum):
    MET = "met"
    NOT_MET = "not_met"
    PENDING = "pending"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Deadlines:
    key_worker_days: int = 14  # KW1, *proposed*
    key_worker_told_days: int = 21  # KW2, *proposed*
    mdt_days: int = 28  # MDT1, MDT2, *proposed*
    hna_days: int = 31  # HNA1, HNA2, *proposed*
    care_plan_days: int = 14  # CP1, *proposed*
    distress_days: int = 14  # DT1, *proposed*
    support_days: int = 31  # SUP1, *proposed*
    palliative_days: int = 56  # PAL1: 8 weeks (ASCO early palliative care)
    monitoring_days: int = 14  # PRO1: a report at least every 14 days on treatment (STAR)
    response_days: int = 120  # RESP1: ABC 4, every 2–4 months
    contact_days: int = 90  # CON1, *proposed*
    support_review_days: int = 31  # REV1 (due list only), *proposed*, as HNA2


@dataclass(frozen=True)
class Clocked:
    """A report with a response clock: when it was due and when it was acknowledged."""

    respond_by: dt.datetime
    acknowledged_at: dt.datetime | None


@dataclass(frozen=True)
class Facts:
    """What the audit needs to know of one person (dates are local dates)."""

    t0: dt.date | None
    died_on: dt.date | None = None
    has_key_worker: bool = False
    first_key_worker_on: dt.date | None = None
    key_worker_told_on: dt.date | None = None
    mdt_dates: tuple[dt.date, ...] = ()
    progression_dates: tuple[dt.date, ...] = ()
    line_change_dates: tuple[dt.date, ...] = ()
    first_line_started_on: dt.date | None = None
    active_line_since: dt.date | None = None
    biopsy_resolved: bool = False
    receptors_on: dt.date | None = None
    hna_done_dates: tuple[dt.date, ...] = ()  # completed or declined
    hna_completed_dates: tuple[dt.date, ...] = ()
    care_plan_dates: tuple[dt.date, ...] = ()
    distress: tuple[tuple[dt.date, dt.date | None], ...] = ()  # (score ≥ 4 on, decided on)
    offers: dict[str, dt.date] = field(default_factory=dict)  # kind -> first offered on
    palliative_on: dt.date | None = None
    red_reports: tuple[Clocked, ...] = ()
    amber_reports: tuple[Clocked, ...] = ()
    last_report_on: dt.date | None = None
    response_dates: tuple[dt.date, ...] = ()
    last_contact_on: dt.date | None = None
    support_review_dates: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Result:
    """``open`` says whether something can still be done to meet the standard (nothing recorded
    yet), as against a standard met, or missed with the evidence recorded late: the caseload lists
    only open ones as due or overdue."""

    code: str
    status: Status
    deadline: dt.date | None
    evidence: str
    rules_version: str = RULES_VERSION
    open: bool = False


def _days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


def _by_deadline(
    code: str, evidence_on: dt.date | None, deadline: dt.date, today: dt.date, what: str
) -> Result:
    if evidence_on is not None and evidence_on <= deadline:
        return Result(code, Status.MET, deadline, f"{what} on {evidence_on:%d %b %Y}")
    if today <= deadline:
        return Result(code, Status.PENDING, deadline, f"no {what} yet", open=True)
    late = f", late on {evidence_on:%d %b %Y}" if evidence_on else ""
    return Result(
        code,
        Status.NOT_MET,
        deadline,
        f"no {what} by the deadline{late}",
        open=evidence_on is None,
    )


def _first_on_or_after(dates: Sequence[dt.date], day: dt.date) -> dt.date | None:
    later = [d for d in dates if d >= day]
    return min(later) if later else None


def _each_event(
    code: str,
    events: Sequence[dt.date],
    answers: Sequence[dt.date],
    days: int,
    today: dt.date,
    what: str,
) -> Result:
    """Every event needs an answer on or after it, within ``days``: the worst result counts."""
    if not events:
        return Result(code, Status.NOT_APPLICABLE, None, "no event to answer")
    results = [
        _by_deadline(code, _first_on_or_after(answers, e), _days(e, days), today, what)
        for e in sorted(events)
    ]
    return _worst(results)


def _worst(results: Sequence[Result]) -> Result:
    """The result that counts among several events: not met, then pending, else the last; an
    open one first within each, so that what can still be done is what the caseload shows."""
    for status in (Status.NOT_MET, Status.PENDING):
        matching = [r for r in results if r.status is status]
        if matching:
            return next((r for r in matching if r.open), matching[0])
    return results[-1]


def _reports(count: int, what: str) -> str:
    """Agrees in number ("1 red report", "3 red reports"): people read the evidence."""
    return f"{count} {what} report{'' if count == 1 else 's'}"


def _day_count(days: int) -> str:
    """The configured deadline in words ("1 day", "14 days"), never a number written in."""
    return f"{days} day{'' if days == 1 else 's'}"


def _clocks(code: str, reports: Sequence[Clocked], now: dt.datetime, what: str) -> Result:
    if not reports:
        return Result(code, Status.NOT_APPLICABLE, None, f"no {what} report")
    late = [r for r in reports if (r.acknowledged_at or now) > r.respond_by]
    waiting = [r for r in reports if r.acknowledged_at is None]
    if late:
        worst = min(late, key=lambda r: r.respond_by)
        return Result(
            code,
            Status.NOT_MET,
            worst.respond_by.date(),
            f"{_reports(len(late), what)} answered late",
            open=bool(waiting),
        )
    if waiting:
        first = min(waiting, key=lambda r: r.respond_by)
        return Result(
            code, Status.PENDING, first.respond_by.date(), f"{len(waiting)} waiting", open=True
        )
    every = f"the {what} report" if len(reports) == 1 else f"all {_reports(len(reports), what)}"
    return Result(code, Status.MET, None, f"{every} answered in time")


Rule = Callable[[Facts, dt.date, dt.datetime, Deadlines], Result]


def kw1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """KW1 Named key worker by T0 + 14 days, and at every moment after (NICE CG81 1.1.2)."""
    assert f.t0 is not None  # noqa: S101  # evaluate() skips people without T0
    deadline = _days(f.t0, d.key_worker_days)
    if not f.has_key_worker and today > deadline:
        return Result("KW1", Status.NOT_MET, deadline, "no named key worker now", open=True)
    if not f.has_key_worker:
        return Result("KW1", Status.PENDING, deadline, "no named key worker yet", open=True)
    return _by_deadline("KW1", f.first_key_worker_on, deadline, today, "key worker assigned")


def kw2(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """KW2 Told who their key worker is and how to reach them, by T0 + 21 days."""
    assert f.t0 is not None  # noqa: S101
    return _by_deadline(
        "KW2", f.key_worker_told_on, _days(f.t0, d.key_worker_told_days), today, "introduction"
    )


def mdt1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """MDT1 Discussed at the MDT by T0 + 28 days (NICE QS12 statement 5)."""
    assert f.t0 is not None  # noqa: S101
    on = _first_on_or_after(f.mdt_dates, f.t0)
    return _by_deadline("MDT1", on, _days(f.t0, d.mdt_days), today, "MDT discussion")


def mdt2(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """MDT2 Discussed again within 28 days of each progression (ABC guidelines)."""
    return _each_event(
        "MDT2", f.progression_dates, f.mdt_dates, d.mdt_days, today, "MDT discussion"
    )


def bx1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """BX1 Biopsy done or not feasible, by the first MDT or first-line start (ABC 4)."""
    if f.biopsy_resolved:
        return Result("BX1", Status.MET, None, "biopsy done or recorded as not feasible")
    limits = [x for x in (min(f.mdt_dates, default=None), f.first_line_started_on) if x]
    if not limits:
        return Result(
            "BX1", Status.PENDING, None, "no decision yet; no MDT or treatment yet", open=True
        )
    deadline = min(limits)
    status = Status.PENDING if today <= deadline else Status.NOT_MET
    return Result("BX1", status, deadline, "no biopsy decision recorded", open=True)


def rx1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """RX1 Receptors of metastatic tissue recorded before first-line treatment (ABC 4)."""
    if f.first_line_started_on is None:
        if f.receptors_on:
            return Result("RX1", Status.MET, None, "receptors recorded")
        return Result("RX1", Status.PENDING, None, "not yet", open=True)
    return _by_deadline(
        "RX1", f.receptors_on, f.first_line_started_on, today, "metastatic receptors"
    )


def hna1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """HNA1 Needs assessment completed or declined by T0 + 31 days (NICE CG81 1.1.1)."""
    assert f.t0 is not None  # noqa: S101
    on = _first_on_or_after(f.hna_done_dates, f.t0)
    return _by_deadline("HNA1", on, _days(f.t0, d.hna_days), today, "needs assessment")


def hna2(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """HNA2 Needs reassessed within 31 days of each progression or line change."""
    events = (*f.progression_dates, *f.line_change_dates)
    return _each_event("HNA2", events, f.hna_done_dates, d.hna_days, today, "needs assessment")


def cp1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """CP1 A care and support plan within 14 days of each completed assessment."""
    return _each_event(
        "CP1", f.hna_completed_dates, f.care_plan_dates, d.care_plan_days, today, "care plan"
    )


def dt1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """DT1 Every distress score of 4 or more acted on within 14 days (NCCN)."""
    if not f.distress:
        return Result("DT1", Status.NOT_APPLICABLE, None, "no distress score of 4 or more")
    results = [
        _by_deadline("DT1", decided, _days(scored, d.distress_days), today, "decision")
        for scored, decided in f.distress
    ]
    return _worst(results)


_OFFER_WORDS = {
    "peer_support": "peer support",
    "resource_pack": "the resource pack",
    "helpline": "the helpline",
}


def sup1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """SUP1 Peer support, the resource pack and the helpline all offered by T0 + 31 days."""
    assert f.t0 is not None  # noqa: S101
    kinds = ("peer_support", "resource_pack", "helpline")
    missing = [k for k in kinds if k not in f.offers]
    last = None if missing else max(f.offers[k] for k in kinds)
    result = _by_deadline("SUP1", last, _days(f.t0, d.support_days), today, "all three offers")
    if missing and result.status is not Status.MET:
        return Result(
            "SUP1",
            result.status,
            result.deadline,
            f"not offered: {', '.join(_OFFER_WORDS[k] for k in missing)}",
            open=True,
        )
    return result


def pal1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """PAL1 Palliative or supportive care referral, or a decision, by T0 + 56 days (ASCO)."""
    assert f.t0 is not None  # noqa: S101
    return _by_deadline(
        "PAL1", f.palliative_on, _days(f.t0, d.palliative_days), today, "palliative referral"
    )


def tri1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """TRI1 Every red or emergency report acknowledged within its clock (UKONS)."""
    return _clocks("TRI1", f.red_reports, now, "red")


def tri2(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """TRI2 Every amber report followed up within 24 hours (UKONS)."""
    return _clocks("TRI2", f.amber_reports, now, "amber")


def pro1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """PRO1 A symptom report (or outreach) every 14 days while on treatment (STAR, PRO-TECT)."""
    if f.active_line_since is None:
        return Result("PRO1", Status.NOT_APPLICABLE, None, "no active treatment line")
    latest = max((x for x in (f.last_report_on, f.last_contact_on) if x is not None), default=None)
    start = max(latest or f.active_line_since, f.active_line_since)
    deadline = _days(start, d.monitoring_days)
    if latest is not None and latest >= f.active_line_since and today <= deadline:
        return Result("PRO1", Status.MET, deadline, f"last report or contact {latest:%d %b %Y}")
    if today <= deadline:
        return Result(
            "PRO1", Status.PENDING, deadline, "first report since treatment started", open=True
        )
    return Result(
        "PRO1",
        Status.NOT_MET,
        deadline,
        f"no report or outreach in the last {_day_count(d.monitoring_days)}",
        open=True,
    )


def resp1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """RESP1 A response assessment within 120 days of the last one, on treatment (ABC 4)."""
    if f.active_line_since is None:
        return Result("RESP1", Status.NOT_APPLICABLE, None, "no active treatment line")
    since = [x for x in f.response_dates if x >= f.active_line_since]
    base = max(since) if since else f.active_line_since
    deadline = _days(base, d.response_days)
    if today > deadline:
        return Result(
            "RESP1", Status.NOT_MET, deadline, "no response assessment in time", open=True
        )
    if since:
        return Result("RESP1", Status.MET, deadline, f"last assessed {base:%d %b %Y}")
    return Result("RESP1", Status.PENDING, deadline, "none yet", open=True)


def con1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """CON1 A contact with the key worker or team in the last 90 days (the study)."""
    assert f.t0 is not None  # noqa: S101
    base = max(f.last_contact_on or f.t0, f.t0)
    deadline = _days(base, d.contact_days)
    if today <= deadline:
        if f.last_contact_on:
            return Result("CON1", Status.MET, deadline, "in contact")
        return Result("CON1", Status.PENDING, deadline, "none yet", open=True)
    return Result(
        "CON1",
        Status.NOT_MET,
        deadline,
        f"no contact in the last {_day_count(d.contact_days)}",
        open=True,
    )


RULES: tuple[tuple[str, Rule], ...] = (
    ("KW1", kw1),
    ("KW2", kw2),
    ("MDT1", mdt1),
    ("MDT2", mdt2),
    ("BX1", bx1),
    ("RX1", rx1),
    ("HNA1", hna1),
    ("HNA2", hna2),
    ("CP1", cp1),
    ("DT1", dt1),
    ("SUP1", sup1),
    ("PAL1", pal1),
    ("TRI1", tri1),
    ("TRI2", tri2),
    ("PRO1", pro1),
    ("RESP1", resp1),
    ("CON1", con1),
)


def evaluate(
    facts: Facts, *, now: dt.datetime, today: dt.date, deadlines: Deadlines
) -> list[Result]:
    """Every standard for one person. Without a secondary diagnosis none applies; after death
    only the standards about care already due are judged, on the day of death."""
    if facts.t0 is None:
        return [
            Result(code, Status.NOT_APPLICABLE, None, "no secondary diagnosis") for code, _ in RULES
        ]
    day = min(today, facts.died_on) if facts.died_on else today
    results = []
    for code, rule in RULES:
        if facts.died_on and code in ("PRO1", "RESP1", "CON1"):
            results.append(Result(code, Status.NOT_APPLICABLE, None, "died"))
            continue
        results.append(rule(facts, day, now, deadlines))
    return results


DUE_RULES_VERSION = "waypoint-due-1"


def rev1(f: Facts, today: dt.date, now: dt.datetime, d: Deadlines) -> Result:
    """REV1 Support reviewed with the person within 31 days (*proposed*, as HNA2) of each
    progression: what support they use and need now (ABC guidelines: supportive care needs are
    reassessed as the disease progresses; NICE CG81 1.1.1, "at relapse"). On the due list only,
    not in the audit: care-standards.md has no standard for it."""
    result = _each_event(
        "REV1",
        f.progression_dates,
        f.support_review_dates,
        d.support_review_days,
        today,
        "support review",
    )
    return replace(result, rules_version=DUE_RULES_VERSION)


def due_items(
    facts: Facts, *, now: dt.datetime, today: dt.date, deadlines: Deadlines
) -> list[Result]:
    """What the key worker can still do for one person, soonest deadline first: every standard
    that is open (nothing recorded yet), pending or overdue, and the support review after a
    progression (``waypoint-due-1``). After death nothing is due."""
    if facts.t0 is None or facts.died_on is not None:
        return []
    results = [*evaluate(facts, now=now, today=today, deadlines=deadlines)]
    results.append(rev1(facts, today, now, deadlines))
    due = [r for r in results if r.open and r.status in (Status.PENDING, Status.NOT_MET)]
    return sorted(
        due, key=lambda r: (r.status is not Status.NOT_MET, r.deadline or dt.date.max, r.code)
    )


TITLES = {
    "KW1": "Named key worker",
    "KW2": "Told who their key worker is and how to reach them",
    "MDT1": "Discussed at the MDT meeting",
    "MDT2": "Discussed again after each progression",
    "BX1": "Biopsy of a metastasis considered",
    "RX1": "Receptors reassessed in the metastatic setting",
    "HNA1": "Holistic needs assessment offered",
    "HNA2": "Needs reassessed at each change",
    "CP1": "Care plan after assessment",
    "DT1": "Distress acted on",
    "SUP1": "Offered formal support",
    "PAL1": "Palliative or supportive care considered",
    "TRI1": "Red triage answered in time",
    "TRI2": "Amber triage followed up",
    "PRO1": "Symptom monitoring while on treatment",
    "RESP1": "Response assessed",
    "CON1": "No one lost to contact",
    "REV1": "Support reviewed after progression",
}
