"""Is the background work being done? The worker's heartbeat, the warning on staff pages, and the
checks behind ``/health/ready``.

Escalations and every email and text message depend on ``manage.py run_worker``. If it stops, or
runs but sends nothing, the pages still work and nobody would notice: so each worker rewrites its
heartbeat at the end of every pass, and the staff pages and the readiness check read two things,
the newest heartbeat and the oldest message due, each one read of an index.

Everything here is counts and ages: ``/health/ready`` answers anyone who asks, and the heartbeat is
seen in the admin, so neither carries a name or a message's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max

from waypoint.notifications.selectors import outbox_oldest_due_at
from waypoint.triage.models import LEVEL_RANK, ReportStatus, SymptomReport, WorkerHeartbeat

T = TypeVar("T")
HEARTBEATS_KEPT = dt.timedelta(days=7)  # a worker not seen for a week has gone for good


@dataclass(frozen=True)
class BackgroundWork:
    """What the staff pages' warning and the readiness check say about the worker."""

    now: dt.datetime
    last_pass_at: dt.datetime | None
    oldest_due_at: dt.datetime | None
    worker_stale_after: dt.timedelta
    outbox_stale_after: dt.timedelta

    @property
    def worker_age(self) -> dt.timedelta | None:
        return None if self.last_pass_at is None else self.now - self.last_pass_at

    @property
    def outbox_wait(self) -> dt.timedelta | None:
        return None if self.oldest_due_at is None else self.now - self.oldest_due_at

    @property
    def worker_stale(self) -> bool:
        age = self.worker_age
        return age is None or age > self.worker_stale_after

    @property
    def outbox_stale(self) -> bool:
        wait = self.outbox_wait
        return wait is not None and wait > self.outbox_stale_after

    @property
    def ok(self) -> bool:
        return not (self.worker_stale or self.outbox_stale)


def background_work_status(*, now: dt.datetime) -> BackgroundWork:
    """Two indexed reads (``heartbeat_last_pass`` and ``outbox_due``); no actor, since it names
    nobody and every member of staff is shown it."""
    newest = WorkerHeartbeat.objects.aggregate(newest=Max("last_pass_at"))["newest"]
    return BackgroundWork(
        now=now,
        last_pass_at=newest,
        oldest_due_at=outbox_oldest_due_at(now=now),
        worker_stale_after=dt.timedelta(seconds=settings.WAYPOINT_WORKER_STALE_SECONDS),
        outbox_stale_after=dt.timedelta(seconds=settings.WAYPOINT_OUTBOX_STALE_SECONDS),
    )


@transaction.atomic
def worker_heartbeat_record(
    *,
    worker_id: str,
    host: str,
    pid: int,
    started_at: dt.datetime,
    at: dt.datetime,
    passes: int,
    job_failures: int,
    last_error: str = "",
    last_error_at: dt.datetime | None = None,
    prune: bool = False,
) -> WorkerHeartbeat:
    """Write this worker's row (one per worker id) with its totals so far: only the worker itself
    writes it, so the totals it holds are the truth. ``prune`` removes rows of workers not seen
    for a week (restarted processes leave theirs behind)."""
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": host[:255],
            "pid": pid,
            "started_at": started_at,
            "last_pass_at": at,
            "passes": passes,
            "job_failures": job_failures,
            "last_error": last_error[:200],
            "last_error_at": last_error_at,
        },
    )
    if prune:
        WorkerHeartbeat.objects.filter(last_pass_at__lt=at - HEARTBEATS_KEPT).delete()
    return heartbeat


def red_reports_past_clock(*, now: dt.datetime) -> int:
    """Red and emergency reports nobody has acknowledged whose response time has passed."""
    return SymptomReport.objects.filter(
        status=ReportStatus.OPEN, level_rank__gte=LEVEL_RANK["red"], respond_by__lt=now
    ).count()


def unapplied_migrations() -> int:
    """Migrations in the code not yet applied to the database (reads the migration files: tens
    of milliseconds)."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@dataclass
class Readiness:
    """``/health/ready``'s answer: ready, or the reasons not, and what each check found."""

    reasons: list[dict[str, str]] = field(default_factory=list)
    checks: dict[str, dict[str, int | bool | None]] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return not self.reasons

    def fail(self, code: str, message: str) -> None:
        self.reasons.append({"code": code, "message": message})


def _seconds(delta: dt.timedelta | None) -> int | None:
    return None if delta is None else int(delta.total_seconds())


def _read(read: Callable[[], T]) -> T | None:
    """One check; None when the database cannot answer it (a missing table, say). Each runs in
    its own savepoint, so one failed read never spoils the next."""
    try:
        with transaction.atomic():
            return read()
    except DatabaseError:
        return None


def readiness_check(*, now: dt.datetime) -> Readiness:
    readiness = Readiness()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        readiness.checks["database"] = {"reachable": False}
        readiness.fail("database_unreachable", "The database does not answer.")
        return readiness
    readiness.checks["database"] = {"reachable": True}

    unapplied = _read(unapplied_migrations)
    readiness.checks["migrations"] = {"unapplied": unapplied}
    if unapplied != 0:
        readiness.fail(
            "migrations_unapplied",
            "The database is not up to date with this version (run manage.py migrate).",
        )

    work = _read(lambda: background_work_status(now=now))
    stale_after = settings.WAYPOINT_WORKER_STALE_SECONDS
    readiness.checks["worker"] = {
        "last_pass_age_seconds": _seconds(work.worker_age) if work else None,
        "stale_after_seconds": stale_after,
    }
    if work is None or work.worker_stale:
        readiness.fail(
            "worker_not_running",
            f"No worker has finished a pass in the last {stale_after} seconds: escalations and "
            "messages are not going out (start manage.py run_worker).",
        )
    waiting_after = settings.WAYPOINT_OUTBOX_STALE_SECONDS
    readiness.checks["outbox"] = {
        "oldest_waiting_age_seconds": _seconds(work.outbox_wait) if work else None,
        "stale_after_seconds": waiting_after,
    }
    if work is not None and work.outbox_stale:
        readiness.fail(
            "outbox_stale",
            f"A message has been due for more than {waiting_after} seconds without being sent.",
        )

    late = _read(lambda: red_reports_past_clock(now=now))
    readiness.checks["triage"] = {"red_reports_past_clock": late}
    return readiness
