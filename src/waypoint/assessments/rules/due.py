"""When a holistic needs assessment is due (waypoint-hna-due-1).

NICE CG81 1.1.1 asks for a holistic needs assessment at key points: at diagnosis of advanced
disease, at each change (progression, a new line of treatment), on request, and at intervals.
docs/design/care-standards.md HNA1 and HNA2 give 31 days (*proposed*) from each of these to offer
it; the routine interval is *proposed* too. Both are arguments, read from configuration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

RULES_VERSION = "waypoint-hna-due-1"


@dataclass(frozen=True)
class Trigger:
    on: dt.date
    reason: str  # "secondary diagnosis", "progression", "new treatment line", "requested"


@dataclass(frozen=True)
class DueStatus:
    due: bool
    since: dt.date | None
    reason: str
    overdue: bool
    deadline: dt.date | None
    rules_version: str = RULES_VERSION


NOT_DUE = DueStatus(due=False, since=None, reason="", overdue=False, deadline=None)


def hna_due(
    *,
    triggers: Iterable[Trigger],
    last_done: dt.date | None,
    today: dt.date,
    interval_days: int,
    offer_within_days: int,
) -> DueStatus:
    """Due from the earliest trigger not yet answered by an assessment done (or declined) on or
    after it, or when ``interval_days`` have passed since the last one. Overdue after
    ``offer_within_days``."""
    pending = sorted(
        (t for t in triggers if t.on <= today and (last_done is None or t.on > last_done)),
        key=lambda t: t.on,
    )
    candidates = list(pending[:1])
    if last_done is not None:
        routine = last_done + dt.timedelta(days=interval_days)
        if routine <= today:
            candidates.append(Trigger(routine, "routine review"))
    if not candidates:
        return NOT_DUE
    first = min(candidates, key=lambda t: t.on)
    deadline = first.on + dt.timedelta(days=offer_within_days)
    return DueStatus(
        due=True, since=first.on, reason=first.reason, overdue=today > deadline, deadline=deadline
    )
