"""Evaluating every standard for everyone, as of a day, into snapshots the dashboards count."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from waypoint.registry.models import Patient
from waypoint.standards.models import StandardSnapshot
from waypoint.standards.rules.standards import evaluate
from waypoint.standards.selectors import deadlines, facts_for

CHUNK = 2000


@dataclass(frozen=True)
class SnapshotRun:
    as_of: dt.date
    people: int
    results: int
    seconds: float


def standards_snapshot(*, as_of: dt.date) -> SnapshotRun:
    """Replace the snapshot of ``as_of`` with every registered person's results on that day."""
    started = time.monotonic()
    now = timezone.make_aware(dt.datetime.combine(as_of, dt.time(23, 59)))
    limits = deadlines()
    people = list(
        Patient.objects.filter(
            metastatic_diagnosed_on__isnull=False, metastatic_diagnosed_on__lte=as_of
        )
        .order_by("pk")
        .values_list("pk", "team_id")
    )
    total = 0
    with transaction.atomic():
        StandardSnapshot.objects.filter(as_of=as_of).delete()
        for start in range(0, len(people), CHUNK):
            chunk = people[start : start + CHUNK]
            teams = dict(chunk)
            facts = facts_for(teams.keys(), today=as_of)
            rows = [
                StandardSnapshot(
                    patient_id=pk,
                    team_id=teams[pk],
                    as_of=as_of,
                    code=r.code,
                    status=r.status.value,
                    deadline=r.deadline,
                    evidence=r.evidence[:200],
                    rules_version=r.rules_version,
                )
                for pk, fact in facts.items()
                for r in evaluate(fact, now=now, today=as_of, deadlines=limits)
            ]
            StandardSnapshot.objects.bulk_create(rows, batch_size=5000)
            total += len(rows)
    return SnapshotRun(
        as_of=as_of, people=len(people), results=total, seconds=time.monotonic() - started
    )
