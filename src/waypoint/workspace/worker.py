"""One pass of background work: escalations and message delivery first, then everything else.

**Order.** Every pass starts with the urgent jobs: escalations (a report waiting past its clock
alerts the next person) and the outbox (those alerts, and every other message, actually leave).
Then come the check-ins, the session reminders and, hourly, the scans of the whole registry
(assessment and experience-survey invitations).

**Isolation.** Each job runs on its own: an exception is logged with its traceback (logger
``waypoint.worker``), counted in the pass's result (and so in the worker's heartbeat), and the next
job runs. A failed job has left nothing half-done: each of its claims is its own transaction,
which rolled back. The one exception that ends the pass is losing the database itself: a
``DatabaseError`` after which the database does not answer ``SELECT 1`` is raised to
``run_worker``, which waits and tries again, since no job could run without it.

**Time bound.** A job cannot be stopped in the middle of a transaction, so it is bounded by
batches. A batched job claims ``batch`` rows a call and is called again only while its last batch
was full (more may be waiting), it has run fewer than ``max_batches`` calls this pass (1,000 rows
with the defaults), and its ``job_seconds`` (10 s) have not run out; whatever is left waits for
the next pass, which starts at once because this one was busy. Between the other jobs the urgent
ones run again whenever ``urgent_every`` seconds (5 s) have passed since they last did, so a slow
reminder job delays an escalation by one of its batches at most, not by the whole pass. Jobs
without a limit run once a pass: closing missed check-ins is one UPDATE, session reminders stop at
500, and the hourly scans work through the registry in chunks of 2,000 people and take as long as
the registry does; they run last, right after the urgent jobs.

Every job claims its rows with a conditional UPDATE (or a unique constraint), so any number of
workers can run at once without doing the same thing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError, connection

from waypoint.assessments.services import hna_invitations_scan
from waypoint.experience.services import (
    experience_invitations_lapse,
    experience_invitations_scan,
)
from waypoint.notifications.services import outbox_deliver_due
from waypoint.support.sessions import session_reminders_send
from waypoint.triage.escalation import escalations_run
from waypoint.triage.monitoring import check_ins_close_missed, check_ins_schedule

logger = logging.getLogger("waypoint.worker")

Counts = dict[str, int]


@dataclass(frozen=True)
class Budget:
    """How much one job may do in one pass (see the module docstring)."""

    batch: int = 200
    max_batches: int = 5
    job_seconds: float = 10.0
    urgent_every: float = 5.0


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[dt.datetime, str, int], Counts]
    urgent: bool = False
    hourly: bool = False
    batched: bool = False  # takes a row limit, so a full batch means more may be waiting


@dataclass(frozen=True)
class JobFailure:
    job: str
    error: str  # the exception's class only: its message may quote a row (the log has it all)
    at: dt.datetime


# The jobs look their service up in this module when they run, so a test or a benchmark can
# replace one (``monkeypatch.setattr(worker, "session_reminders_send", ...)``).


def _escalations(now: dt.datetime, worker_id: str, limit: int) -> Counts:
    return {"escalations": escalations_run(now=now, limit=limit)}


def _outbox(now: dt.datetime, worker_id: str, limit: int) -> Counts:
    delivered = outbox_deliver_due(now=now, worker_id=worker_id, limit=limit)
    return {"sent": delivered.sent, "retrying": delivered.retrying, "failed": delivered.failed}


def _check_ins_missed(now: dt.datetime, worker_id: str, limit: int) -> Counts:
    return {"check_ins_missed": check_ins_close_missed(now=now)}


def _check_ins_opened(now: dt.datetime, worker_id: str, limit: int) -> Counts:
    return {"check_ins_opened": check_ins_schedule(now=now, limit=limit)}


def _session_reminders(now: dt.datetime, worker_id: str, limit: int) -> Counts:
    return {"session_reminders": session_reminders_send(now=now)}


def _assessment_invitations(now: dt.datetime, worker_id: str, limit: int) -> Counts:
    return {"assessment_invitations": hna_invitations_scan(now=now)}


def _experience_lapsed(now: dt.datetime, worker_id: str, limit: int) -> Counts:
    return {"experience_lapsed": experience_invitations_lapse(now=now)}


def _experience_invitations(now: dt.datetime, worker_id: str, limit: int) -> Counts:
    return {"experience_invitations": experience_invitations_scan(now=now)}


JOBS: tuple[Job, ...] = (
    Job("escalations", _escalations, urgent=True, batched=True),
    Job("outbox", _outbox, urgent=True, batched=True),
    Job("check_ins_missed", _check_ins_missed),
    Job("check_ins_opened", _check_ins_opened, batched=True),
    Job("session_reminders", _session_reminders),
    Job("assessment_invitations", _assessment_invitations, hourly=True),
    # Open invitations past their last day close before the next ones are sent.
    Job("experience_lapsed", _experience_lapsed, hourly=True),
    Job("experience_invitations", _experience_invitations, hourly=True),
)


@dataclass(frozen=True)
class PassResult:
    assessment_invitations: int = 0
    check_ins_missed: int = 0
    check_ins_opened: int = 0
    escalations: int = 0
    session_reminders: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    experience_invitations: int = 0
    experience_lapsed: int = 0
    failures: tuple[JobFailure, ...] = ()
    deferred: tuple[str, ...] = ()  # jobs stopped by their bound with more waiting
    order: tuple[str, ...] = ()  # the jobs in the order they ran, urgent ones repeated

    @property
    def busy(self) -> bool:
        """More may be waiting: the next pass should start at once."""
        return bool(self.deferred) or any(
            (
                self.assessment_invitations,
                self.check_ins_opened,
                self.escalations,
                self.session_reminders,
                self.sent,
                self.retrying,
                self.failed,
                self.experience_invitations,
                self.experience_lapsed,
            )
        )


@dataclass
class _Pass:
    worker_id: str
    budget: Budget
    clock: Callable[[], float]
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[JobFailure] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)

    def run(self, job: Job, *, now: dt.datetime) -> None:
        self.order.append(job.name)
        started = self.clock()
        batches = 0
        try:
            while True:
                counts = job.run(now, self.worker_id, self.budget.batch)
                self.counts.update(counts)
                batches += 1
                if not job.batched or sum(counts.values()) < self.budget.batch:
                    return
                spent = self.clock() - started
                if batches >= self.budget.max_batches or spent >= self.budget.job_seconds:
                    self.deferred.append(job.name)
                    logger.info(
                        "worker job %s stopped after %d batches in %.1f s; the rest waits for "
                        "the next pass",
                        job.name,
                        batches,
                        spent,
                    )
                    return
        except DatabaseError as exc:
            if not _database_answers():
                raise  # the database is gone: run_worker waits and starts the pass again
            self._failed(job, exc, now=now)
        except Exception as exc:
            self._failed(job, exc, now=now)

    def _failed(self, job: Job, exc: Exception, *, now: dt.datetime) -> None:
        logger.exception("worker job %s failed; the other jobs go on", job.name)
        self.failures.append(JobFailure(job=job.name, error=type(exc).__name__, at=now))

    def result(self) -> PassResult:
        counts = self.counts
        return PassResult(
            assessment_invitations=counts["assessment_invitations"],
            check_ins_missed=counts["check_ins_missed"],
            check_ins_opened=counts["check_ins_opened"],
            escalations=counts["escalations"],
            session_reminders=counts["session_reminders"],
            sent=counts["sent"],
            retrying=counts["retrying"],
            failed=counts["failed"],
            experience_invitations=counts["experience_invitations"],
            experience_lapsed=counts["experience_lapsed"],
            failures=tuple(self.failures),
            deferred=tuple(self.deferred),
            order=tuple(self.order),
        )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def run_pass(
    *,
    now: dt.datetime,
    worker_id: str,
    batch: int = 200,
    hourly: bool = False,
    budget: Budget | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> PassResult:
    """One pass; ``hourly`` adds the jobs that scan the whole registry. ``budget`` overrides
    ``batch``; ``clock`` (seconds, monotonic) is for tests of the time bound."""
    budget = budget or Budget(batch=batch)
    this = _Pass(worker_id=worker_id, budget=budget, clock=clock)
    urgent = [job for job in JOBS if job.urgent]
    others = [job for job in JOBS if not job.urgent and (hourly or not job.hourly)]
    started = urgent_at = clock()
    for job in urgent:
        this.run(job, now=now)
    for job in others:
        if clock() - urgent_at >= budget.urgent_every:
            # Later in a long pass, so later by the clock too: what fell due meanwhile goes out.
            later = now + dt.timedelta(seconds=clock() - started)
            for urgent_job in urgent:
                this.run(urgent_job, now=later)
            urgent_at = clock()
        this.run(job, now=now)
    return this.result()
