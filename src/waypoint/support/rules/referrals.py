"""The referral lifecycle (waypoint-referral-1): which status may follow which, and when a
referral is overdue. A referral is a FHIR ServiceRequest in spirit: requested → accepted →
booked → completed, or declined / cancelled with a reason at any open step."""

from __future__ import annotations

import datetime as dt

RULES_VERSION = "waypoint-referral-1"

TRANSITIONS: dict[str, frozenset[str]] = {
    "requested": frozenset({"accepted", "declined", "cancelled"}),
    "accepted": frozenset({"booked", "completed", "declined", "cancelled"}),
    "booked": frozenset({"completed", "cancelled"}),
    "completed": frozenset(),
    "declined": frozenset(),
    "cancelled": frozenset(),
}
NEEDS_REASON = frozenset({"declined", "cancelled"})
OPEN = frozenset({"requested", "accepted", "booked"})


def may_move(current: str, to: str) -> bool:
    return to in TRANSITIONS.get(current, frozenset())


def is_overdue(*, status: str, respond_by: dt.date, today: dt.date) -> bool:
    """A request nobody has accepted by the service's response time is overdue."""
    return status == "requested" and today > respond_by
