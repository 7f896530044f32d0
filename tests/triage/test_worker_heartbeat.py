"""Each worker keeps one heartbeat row, rewritten at the end of every pass."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from waypoint.triage.health import worker_heartbeat_record
from waypoint.triage.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 23, 10, 10, tzinfo=dt.UTC)


def beat(worker_id: str, *, at: dt.datetime, passes: int, prune: bool = False) -> WorkerHeartbeat:
    return worker_heartbeat_record(
        worker_id=worker_id,
        host="app-1",
        pid=4242,
        started_at=T0,
        at=at,
        passes=passes,
        job_failures=0,
        prune=prune,
    )


def test_a_second_pass_updates_the_workers_row_instead_of_adding_one():
    beat("app-1:4242", at=T0, passes=1)
    beat("app-1:4242", at=T0 + dt.timedelta(seconds=5), passes=2)
    row = WorkerHeartbeat.objects.get()
    assert (row.passes, row.last_pass_at, row.started_at) == (2, T0 + dt.timedelta(seconds=5), T0)


def test_each_worker_has_its_own_row():
    beat("app-1:4242", at=T0, passes=1)
    beat("app-2:77", at=T0, passes=1)
    assert WorkerHeartbeat.objects.count() == 2


def test_rows_of_workers_gone_for_a_week_are_pruned_by_the_hourly_pass():
    beat("app-1:1", at=T0 - dt.timedelta(days=8), passes=1)
    beat("app-1:2", at=T0 - dt.timedelta(days=6), passes=1)
    beat("app-1:3", at=T0, passes=1, prune=True)
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {
        "app-1:2",
        "app-1:3",
    }


def test_run_worker_writes_its_heartbeat_after_its_pass(world):
    with time_machine.travel(T0, tick=False):
        call_command("run_worker", "--once")
    row = WorkerHeartbeat.objects.get()
    assert row.last_pass_at == T0
    assert (row.passes, row.job_failures, row.last_error) == (1, 0, "")
    assert row.worker_id == f"{row.host}:{row.pid}"[:40]
