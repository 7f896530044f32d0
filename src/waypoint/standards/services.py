"""Evaluating every standard for everyone, as of a day, into snapshots the dashboards count."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from waypoint.registry.models import Patient
from waypoint.standards.models import StandardSnapshot
from waypoint.standards.rules.standards import Status, evaluate
from waypoint.standards.selectors import deadlines, facts_for

CHUNK = 10_000


@dataclass(frozen=True)
class SnapshotRun:
    as_of: dt.date
    people: int
    results: int
    seconds: float


COLUMNS = (
    "patient_id",
    "team_id",
    "as_of",
    "code",
    "status",
    "deadline",
    "evidence",
    "rules_version",
)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    """One value in COPY's text format (PostgreSQL docs, COPY, "Text Format")."""
    if value is None:
        return "\\N"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _insert(rows: Sequence[tuple[object, ...]]) -> None:
    """PostgreSQL's COPY when available (a million rows in seconds), bulk INSERTs otherwise.
    The rows are formatted here: psycopg's per-value adaptation (``write_row``) cost more than
    the rest of the COPY."""
    if connection.vendor == "postgresql":
        table = StandardSnapshot._meta.db_table
        statement = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
        text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            copy.write(text)
        return
    StandardSnapshot.objects.bulk_create(
        [StandardSnapshot(**dict(zip(COLUMNS, row, strict=True))) for row in rows],
        batch_size=5000,
    )


def standards_snapshot(*, as_of: dt.date) -> SnapshotRun:
    """Replace the snapshot of ``as_of`` with every registered person's results on that day."""
    started = time.monotonic()
    now = timezone.make_aware(dt.datetime.combine(as_of, dt.time(23, 59)))
    limits = deadlines()
    registered = Patient.objects.filter(
        metastatic_diagnosed_on__isnull=False, metastatic_diagnosed_on__lte=as_of
    )
    people = list(registered.order_by("pk").values_list("pk", "team_id"))
    total = 0
    with transaction.atomic():
        StandardSnapshot.objects.filter(as_of=as_of).delete()
        for start in range(0, len(people), CHUNK):
            chunk = people[start : start + CHUNK]
            teams = dict(chunk)
            # A range of primary keys, so each query of facts_for joins on it in the database.
            facts = facts_for(
                registered.filter(pk__gte=chunk[0][0], pk__lte=chunk[-1][0]), today=as_of
            )
            # Not-applicable results are not counted anywhere, so they are not stored.
            rows = [
                (
                    pk,
                    teams[pk],
                    as_of,
                    r.code,
                    r.status.value,
                    r.deadline,
                    r.evidence[:200],
                    r.rules_version,
                )
                for pk, fact in facts.items()
                for r in evaluate(fact, now=now, today=as_of, deadlines=limits)
                if r.status is not Status.NOT_APPLICABLE
            ]
            _insert(rows)
            total += len(rows)
    return SnapshotRun(
        as_of=as_of, people=len(people), results=total, seconds=time.monotonic() - started
    )
