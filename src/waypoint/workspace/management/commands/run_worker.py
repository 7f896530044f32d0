"""``manage.py run_worker``: escalations, check-in reminders and notification delivery.

Run one or more copies beside the web servers. SIGTERM or SIGINT stops it after the current pass.
Each pass ends by writing the worker's heartbeat (triage/health.py), which the staff pages and
``/health/ready`` read: a worker that stops is noticed within ``WAYPOINT_WORKER_STALE_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from waypoint.triage.health import worker_heartbeat_record
from waypoint.workspace.worker import PassResult, run_pass

logger = logging.getLogger("waypoint.worker")
HOURLY = 3600.0  # seconds between scans of the whole registry (two workers may both scan: safe)


class Command(BaseCommand):
    help = "Run escalations, check-in reminders and outbox delivery until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds to wait when idle (default 5)."
        )
        parser.add_argument(
            "--batch", type=int, default=200, help="Rows each job claims per pass (default 200)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        self.host = socket.gethostname()
        self.started_at = timezone.now()
        self.passes = self.job_failures = 0
        self.last_error = ""
        self.last_error_at: dt.datetime | None = None
        worker_id = f"{self.host}:{os.getpid()}"[:40]

        def stop(signum: int, frame: FrameType | None) -> None:
            self.stopping = True

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._loop(worker_id, options)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _loop(self, worker_id: str, options: dict[str, Any]) -> None:
        self.stdout.write(f"worker {worker_id} started")
        last_hourly = 0.0
        while not self.stopping:
            self._refresh_connections()
            hourly = time.monotonic() - last_hourly >= HOURLY or options["once"]
            try:
                result = run_pass(
                    now=timezone.now(), worker_id=worker_id, batch=options["batch"], hourly=hourly
                )
                self._beat(worker_id, result, prune=hourly)
                if hourly:
                    last_hourly = time.monotonic()
            except DatabaseError as exc:  # a lost connection or a lock: try again shortly
                if options["once"]:
                    raise
                logger.warning("worker pass failed, retrying: %s", exc)
                self._sleep(options["interval"])
                continue
            if result.busy:
                self.stdout.write(
                    f"escalations {result.escalations}, sent {result.sent}, "
                    f"retrying {result.retrying}, failed {result.failed}, "
                    f"check-ins opened {result.check_ins_opened}, "
                    f"missed {result.check_ins_missed}, "
                    f"assessment invitations {result.assessment_invitations}"
                )
            for failure in result.failures:
                self.stderr.write(f"job {failure.job} failed ({failure.error}); the others ran")
            if options["once"]:
                break
            if not result.busy:
                self._sleep(options["interval"])
        self._refresh_connections()
        self.stdout.write(f"worker {worker_id} stopped")

    def _beat(self, worker_id: str, result: PassResult, *, prune: bool) -> None:
        self.passes += 1
        self.job_failures += len(result.failures)
        if result.failures:
            last = result.failures[-1]
            self.last_error = f"{last.job}: {last.error} (the traceback is in the worker's log)"
            self.last_error_at = last.at
        worker_heartbeat_record(
            worker_id=worker_id,
            host=self.host,
            pid=os.getpid(),
            started_at=self.started_at,
            at=timezone.now(),
            passes=self.passes,
            job_failures=self.job_failures,
            last_error=self.last_error,
            last_error_at=self.last_error_at,
            prune=prune,
        )

    def _refresh_connections(self) -> None:
        """Drop broken or expired connections between passes (never inside a transaction)."""
        if not connection.in_atomic_block:
            close_old_connections()

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))
