"""Time from a symptom report being received to a clinician's acknowledgement, by level.

PostgreSQL computes the median and 90th percentile itself (``percentile_cont``). SQLite, the
trial database, has no percentile function: there the one duration column of each level's
acknowledged reports is fetched and the same interpolation done in Python
(``rules.figures.percentile``). tests/reports/test_response_times.py checks both give the same
answers on the same data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
)
from django.db.models.expressions import CombinedExpression
from django.utils import timezone

from waypoint.reports.rules.figures import percentile
from waypoint.reports.selectors import Scope
from waypoint.triage.models import Level, SymptomReport

LEVELS: tuple[tuple[str, str], ...] = tuple(reversed(Level.choices))  # emergency first


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate ``percentile_cont(f) WITHIN GROUP (ORDER BY x)``."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, *, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=float(fraction), **extra)


class EpochSeconds(Func):
    """Seconds in a PostgreSQL interval."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class LevelTimes:
    level: str
    label: str
    reports: int
    waiting: int  # not yet acknowledged
    acknowledged: int
    median_minutes: float | None
    p90_minutes: float | None
    within_clock: int  # acknowledged by respond_by
    late: int  # acknowledged after respond_by, or still waiting past it

    @property
    def judged(self) -> int:
        return self.within_clock + self.late

    @property
    def percent_within_clock(self) -> float | None:
        return round(100 * self.within_clock / self.judged, 1) if self.judged else None


def _period(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    """Reports received from the start of ``since`` to the end of ``until``, in local time."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(scope.since, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(scope.until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def reports_in(scope: Scope) -> QuerySet[SymptomReport]:
    start, end = _period(scope)
    return SymptomReport.objects.filter(
        team_id__in=scope.team_ids, received_at__gte=start, received_at__lt=end
    )


def _wait() -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(F("acknowledged_at") - F("received_at"), output_field=DurationField())


def percentiles_in_database(reports: QuerySet[SymptomReport]) -> dict[str, tuple[float, float]]:
    """Level -> (median, 90th percentile) in seconds, computed by PostgreSQL."""
    seconds = EpochSeconds(_wait())
    return {
        row["level"]: (row["median"], row["p90"])
        for row in reports.filter(acknowledged_at__isnull=False)
        .values("level")
        .annotate(
            median=PercentileCont(seconds, fraction=0.5), p90=PercentileCont(seconds, fraction=0.9)
        )
        .order_by()
    }


def percentiles_in_python(reports: QuerySet[SymptomReport]) -> dict[str, tuple[float, float]]:
    """The same, fetching only each level's durations: for databases without percentile_cont."""
    found: dict[str, tuple[float, float]] = {}
    for level, _ in LEVELS:
        waits = [
            wait.total_seconds()
            for wait in reports.filter(level=level, acknowledged_at__isnull=False)
            .annotate(wait=_wait())
            .values_list("wait", flat=True)
        ]
        median, p90 = percentile(waits, 0.5), percentile(waits, 0.9)
        if median is not None and p90 is not None:
            found[level] = (median, p90)
    return found


def response_times(scope: Scope, *, now: dt.datetime) -> list[LevelTimes]:
    reports = reports_in(scope)
    clocked = Q(respond_by__isnull=False)
    counts: dict[str, dict[str, Any]] = {
        row["level"]: dict(row)
        for row in reports.values("level")
        .annotate(
            reports=Count("id"),
            waiting=Count("id", filter=Q(acknowledged_at__isnull=True)),
            within=Count("id", filter=clocked & Q(acknowledged_at__lte=F("respond_by"))),
            late=Count(
                "id",
                filter=clocked
                & (
                    Q(acknowledged_at__gt=F("respond_by"))
                    | Q(acknowledged_at__isnull=True, respond_by__lt=now)
                ),
            ),
        )
        .order_by()
    }
    if connection.vendor == "postgresql":
        spread = percentiles_in_database(reports)
    else:
        spread = percentiles_in_python(reports)
    rows = []
    for level, label in LEVELS:
        c = counts.get(level, {})
        median, p90 = spread.get(level, (None, None))
        rows.append(
            LevelTimes(
                level=level,
                label=label,
                reports=c.get("reports", 0),
                waiting=c.get("waiting", 0),
                acknowledged=c.get("reports", 0) - c.get("waiting", 0),
                median_minutes=None if median is None else round(median / 60, 1),
                p90_minutes=None if p90 is None else round(p90 / 60, 1),
                within_clock=c.get("within", 0),
                late=c.get("late", 0),
            )
        )
    return rows
