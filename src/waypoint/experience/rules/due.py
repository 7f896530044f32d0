"""When the experience survey is sent (waypoint-experience-due-1), and how long it stays open.

First at T0 (the earliest metastatic diagnosis) + ``first_days``, then ``interval_days`` after the
previous invitation was sent, for as long as the person is alive and can be reached (a portal
account, or a route for messages). Both values are *proposed* (docs/design/care-standards.md,
patient-reported experience; the study asked once, Waypoint asks again at intervals) and read
from configuration. Counting each interval from the last invitation rather than from T0 means a
person registered long after their diagnosis is asked once, soon, and never twice in a row.

An invitation stays open ``open_days`` from the day it was sent, then lapses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

RULES_VERSION = "waypoint-experience-due-1"


@dataclass(frozen=True)
class Schedule:
    first_days: int
    interval_days: int
    open_days: int


@dataclass(frozen=True)
class Person:
    t0: dt.date | None
    died_on: dt.date | None
    reachable: bool
    last_invited_on: dt.date | None


@dataclass(frozen=True)
class DueStatus:
    due: bool
    due_on: dt.date | None  # when it falls (or fell) due; None when it never will as things are
    reason: str
    rules_version: str = RULES_VERSION


def experience_due(person: Person, *, today: dt.date, schedule: Schedule) -> DueStatus:
    if person.t0 is None:
        return DueStatus(False, None, "no secondary diagnosis recorded")
    if person.died_on is not None and person.died_on <= today:
        return DueStatus(False, None, "died")
    if not person.reachable:
        return DueStatus(False, None, "no portal account and no way to send a message")
    if person.last_invited_on is None:
        due_on = person.t0 + dt.timedelta(days=schedule.first_days)
        reason = "first survey"
    else:
        due_on = person.last_invited_on + dt.timedelta(days=schedule.interval_days)
        reason = "routine survey"
    return DueStatus(today >= due_on, due_on, reason)


def closes_on(sent_on: dt.date, *, schedule: Schedule) -> dt.date:
    """The first day an invitation is no longer open: it is open on ``open_days`` days."""
    return sent_on + dt.timedelta(days=schedule.open_days)


def is_open(closes: dt.date, *, today: dt.date) -> bool:
    return today < closes
