"""How the caseload shows the care standards still to do: a few short lines, overdue first.

A key worker scans 50 rows for what needs doing now, so each due item is one line naming the
thing to do in plain words; the standard's code and full title stay a click (or a hover) away on
the person's standards page. Presentation only: what is due, and when, is decided by
``waypoint.standards.rules`` (``due_items``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from waypoint.standards.rules.standards import TITLES, Result, Status

# What to do, in a few words a nurse would use, for each standard on the due list. The full
# titles (TITLES) are the audit's wording and too long for a table cell.
SHORT_NAMES = {
    "KW1": "Name a key worker",
    "KW2": "Introduce key worker",
    "MDT1": "MDT discussion",
    "MDT2": "MDT after progression",
    "BX1": "Consider biopsy",
    "RX1": "Retest receptors",
    "HNA1": "Needs assessment",
    "HNA2": "Reassess needs",
    "CP1": "Care plan",
    "DT1": "Act on distress",
    "SUP1": "Offer support",
    "PAL1": "Consider palliative care",
    "TRI1": "Answer red report",
    "TRI2": "Follow up amber report",
    "PRO1": "Symptom check-in",
    "RESP1": "Assess response",
    "CON1": "Contact the person",
    "REV1": "Review support",
}

RECENT_DAYS = 182

# Two lines of items and one for the link to the rest keep a row about three lines tall.
SHOWN = 2


@dataclass(frozen=True)
class DueItem:
    code: str
    name: str  # short, plain: what to do
    title: str  # the standard's full title, for the tooltip
    overdue: bool
    deadline: dt.date | None
    when: str  # short: "25 Oct", or "Oct 2025" when more than six months away


@dataclass(frozen=True)
class DueSummary:
    shown: list[DueItem]
    more: int  # items not shown, one link away
    more_overdue: int  # of those, how many are overdue


def short_date(day: dt.date, *, today: dt.date) -> str:
    """ "29 Jul" within six months of today, where the year goes without saying; "Jan 2022"
    further off, where the year matters more than the day. Either fits a narrow column."""
    if abs((day - today).days) <= RECENT_DAYS:
        return f"{day.day} {day:%b}"
    return f"{day:%b %Y}"


def due_item(result: Result, *, today: dt.date) -> DueItem:
    return DueItem(
        code=result.code,
        name=SHORT_NAMES.get(result.code) or TITLES.get(result.code, result.code),
        title=f"{TITLES.get(result.code, result.code)} ({result.code})",
        overdue=result.status is Status.NOT_MET,
        deadline=result.deadline,
        when=short_date(result.deadline, today=today) if result.deadline else "",
    )


def due_summary(results: Sequence[Result], *, today: dt.date, shown: int = SHOWN) -> DueSummary:
    """The first ``shown`` items, overdue ones first (then by the rules' own order, soonest
    deadline first), and how many more there are."""
    items = sorted((due_item(r, today=today) for r in results), key=lambda item: not item.overdue)
    rest = items[shown:]
    return DueSummary(
        shown=items[:shown], more=len(rest), more_overdue=sum(item.overdue for item in rest)
    )
