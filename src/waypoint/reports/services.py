"""Opening a report: resolve the viewer's scope, count, and record the access.

The reports name nobody, but each view is still a read of registry data in aggregate, so each
writes one audit event (action ``aggregate``, or ``export`` for a CSV) with the scope and period,
in the same transaction as the reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.reports.response_times import LevelTimes, response_times
from waypoint.reports.selectors import Population, Scope, incidence, prevalence, report_scope_for
from waypoint.reports.survival import SurvivalGroup, survival

INDICATORS = ("prevalence", "incidence", "response-times", "survival")
REPORT_OBJECT = "population_report"


def small_number() -> int:
    return int(settings.WAYPOINT_REPORT_SMALL_NUMBER)


@dataclass(frozen=True)
class Report:
    scope: Scope
    threshold: int  # counts 1 to threshold − 1 are suppressed; 0 shows them exactly
    minimum_group: int  # no survival estimates or curve below this many people
    prevalence: Population | None = None
    incidence: Population | None = None
    response_times: list[LevelTimes] | None = None
    survival: list[SurvivalGroup] | None = None


@transaction.atomic
def report_open(
    *,
    actor: User,
    indicators: Collection[str],
    team_id: int | None = None,
    organisation_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    export: bool = False,
    now: dt.datetime | None = None,
) -> Report:
    """The figures of ``indicators`` for the viewer's chosen scope. Exact counts only for a
    clinician of the teams, on the page; aggregate-only viewers and every export see small
    numbers suppressed."""
    unknown = set(indicators) - set(INDICATORS)
    if unknown or not indicators:
        raise ValueError(f"unknown indicators: {sorted(unknown)}")
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        # These are short aggregate queries whose plans cost enough to trigger PostgreSQL's JIT;
        # compiling them took about a second (measured with EXPLAIN ANALYZE at 5,000 people),
        # many times the query itself. Off for this transaction only.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
    scope = report_scope_for(
        actor,
        team_id=team_id,
        organisation_id=organisation_id,
        since=since,
        until=until,
        today=timezone.localdate(now),
    )
    minimum = small_number()
    threshold = 0 if scope.exact and not export else minimum
    report = Report(
        scope=scope,
        threshold=threshold,
        minimum_group=minimum,
        prevalence=prevalence(scope) if "prevalence" in indicators else None,
        incidence=incidence(scope) if "incidence" in indicators else None,
        response_times=response_times(scope, now=now) if "response-times" in indicators else None,
        survival=survival(scope, minimum=minimum) if "survival" in indicators else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT if export else AuditAction.AGGREGATE,
        patient=None,
        object_type=REPORT_OBJECT,
        object_id=",".join(i for i in INDICATORS if i in indicators),
        detail=(
            f"{scope.label} (teams {','.join(str(t) for t in scope.team_ids)}); "
            f"{scope.since.isoformat()} to {scope.until.isoformat()}"
        ),
    )
    return report
