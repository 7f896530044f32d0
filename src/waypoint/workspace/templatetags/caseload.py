from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django import template

from waypoint.standards.rules.standards import Result
from waypoint.workspace import caseload_presenters as presenters
from waypoint.workspace.caseload_presenters import DueSummary, due_summary

register = template.Library()


@register.filter
def due_for_row(results: Sequence[Result], today: dt.date) -> DueSummary:
    """``row.due|due_for_row:today``: the caseload's few lines of care standards due."""
    return due_summary(results, today=today)


@register.filter
def short_date(value: dt.date | None, today: dt.date) -> str:
    """``4 Oct`` (or ``Oct 2025`` when more than six months away): short enough for a table
    cell; the full date is the ``<time>`` element's title."""
    return presenters.short_date(value, today=today) if value else ""
