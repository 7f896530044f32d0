"""Whether a team is within its opening hours at an instant (``waypoint-duty-1``).

Why it matters: a red report made after the team has gone home must reach the clinician on duty
at once, not wait in the inbox of a key worker who is off duty (docs/design/triage-rules.md,
"Levels": a red report is promised a call back within 60 minutes; docs/clinical-safety/
hazard-log.md, HAZ-040). The escalation chain reads this rule to decide who is told first.

The rule works on local wall-clock time in the team's time zone, so 09:00 is 09:00 whether the
clocks show GMT or BST (the last Sunday of March and of October). A team is open when the local
day is not a bank holiday and one of its rows for that weekday has ``opens_at <= time <
closes_at``: opening time is in hours, closing time is out of hours. A team with no row for a
weekday is closed all that day, so a team whose hours were never recorded is always out of hours
and the on-call clinician is told at once (the safe reading).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import holidays

DUTY_RULES_VERSION = "waypoint-duty-1"

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class OpeningHours:
    """One weekday's hours: ``weekday`` 0 is Monday, 6 is Sunday (as ``date.weekday()``)."""

    weekday: int
    opens_at: dt.time
    closes_at: dt.time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday}")
        if self.opens_at.tzinfo is not None or self.closes_at.tzinfo is not None:
            raise ValueError("opening hours are local wall-clock times, without a time zone")
        if self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")


@dataclass(frozen=True)
class Opening:
    """The answer, with the inputs it rests on in words, so a routing can be explained later."""

    is_open: bool
    local: dt.datetime
    why: str
    rules_version: str = DUTY_RULES_VERSION


def team_opening(
    now: dt.datetime,
    *,
    hours: Iterable[OpeningHours],
    bank_holidays: Collection[dt.date],
    tz: dt.tzinfo,
) -> Opening:
    """Whether ``now`` falls within the team's hours in time zone ``tz``."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")
    local = now.astimezone(tz)
    day = local.date()
    name = WEEKDAY_NAMES[day.weekday()]
    if day in bank_holidays:
        return Opening(is_open=False, local=local, why="out of the team's hours (bank holiday)")
    moment = local.time().replace(tzinfo=None)
    todays = sorted((h for h in hours if h.weekday == day.weekday()), key=lambda h: h.opens_at)
    for row in todays:
        if row.opens_at <= moment < row.closes_at:
            return Opening(
                is_open=True,
                local=local,
                why=f"within the team's hours ({name} {row.opens_at:%H:%M}–{row.closes_at:%H:%M})",
            )
    if not todays:
        return Opening(
            is_open=False, local=local, why=f"out of the team's hours (closed on {name})"
        )
    spans = ", ".join(f"{r.opens_at:%H:%M}–{r.closes_at:%H:%M}" for r in todays)
    return Opening(is_open=False, local=local, why=f"out of the team's hours ({name} {spans})")


def bank_holiday_region(value: str) -> str:
    """``GB-ENG``, ``GB-SCT``, ``GB-WLS``, ``GB-NIR`` (or another country and subdivision the
    ``holidays`` package knows), normalised; ValueError for one it does not know."""
    country, _, subdivision = value.strip().upper().partition("-")
    try:
        holidays.country_holidays(country, subdiv=subdivision or None)
    except NotImplementedError as exc:  # the package's answer for an unknown country or region
        raise ValueError(f"unknown bank-holiday region {value!r}") from exc
    return f"{country}-{subdivision}" if subdivision else country


@functools.lru_cache(maxsize=32)
def bank_holidays(region: str, year: int) -> frozenset[dt.date]:
    """The bank holidays of ``region`` (checked by ``bank_holiday_region``) in ``year``, from the
    maintained ``holidays`` package, substitute days included."""
    country, _, subdivision = region.partition("-")
    return frozenset(holidays.country_holidays(country, subdiv=subdivision or None, years=year))
