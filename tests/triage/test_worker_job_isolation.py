"""One worker job failing never stops the others: escalations and messages still go out in the
same pass, and the failure is logged with its traceback and counted in the worker's heartbeat."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError
from tests.triage.test_escalation import T0, staff, submit

from waypoint.notifications.models import OutboundMessage
from waypoint.triage.models import EventKind, ReportEvent, WorkerHeartbeat
from waypoint.workspace import worker

pytestmark = pytest.mark.django_db

RED = [{"code": "limb_weakness", "present": True}]
CLOCK_RAN_OUT = T0 + dt.timedelta(minutes=60)


def broken(**kwargs: object) -> int:
    raise RuntimeError("the session reminder job is broken")


def test_a_failing_reminder_job_leaves_escalations_and_messages_going_out(
    world, monkeypatch, caplog
):
    staff(world)
    report = submit(world, RED)  # the key worker is alerted at once; the clock runs 60 minutes
    monkeypatch.setattr(worker, "session_reminders_send", broken)

    with time_machine.travel(CLOCK_RAN_OUT, tick=False), caplog.at_level(logging.ERROR):
        call_command("run_worker", "--once")

    escalated = ReportEvent.objects.filter(report=report, kind=EventKind.ESCALATED)
    assert [e.recipient.username for e in escalated] == ["colleague"]  # on call, at 60 minutes
    assert OutboundMessage.objects.count() == 2
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"sent"}
    failure = next(r for r in caplog.records if r.name == "waypoint.worker")
    assert "session_reminders failed" in failure.getMessage()
    assert failure.exc_info is not None
    assert "the session reminder job is broken" in caplog.text  # the traceback is in the log
    heartbeat = WorkerHeartbeat.objects.get()
    assert (heartbeat.passes, heartbeat.job_failures) == (1, 1)
    assert heartbeat.last_error.startswith("session_reminders: RuntimeError")
    assert heartbeat.last_error_at == CLOCK_RAN_OUT


def test_the_heartbeat_keeps_no_words_of_the_exception(world, monkeypatch):
    def quoting(**kwargs: object) -> int:
        raise ValueError("Ada Lovelace, NHS 943 476 5919")

    monkeypatch.setattr(worker, "session_reminders_send", quoting)
    with time_machine.travel(T0, tick=False):
        call_command("run_worker", "--once")
    heartbeat = WorkerHeartbeat.objects.get()
    assert "Lovelace" not in heartbeat.last_error
    assert "943" not in heartbeat.last_error


def test_the_jobs_after_a_failing_one_still_run(world, monkeypatch):
    monkeypatch.setattr(worker, "session_reminders_send", broken)
    result = worker.run_pass(now=T0, worker_id="w1", hourly=True)
    assert [f.job for f in result.failures] == ["session_reminders"]
    later = result.order[result.order.index("session_reminders") + 1 :]
    assert later == ("assessment_invitations", "experience_lapsed", "experience_invitations")


def test_a_database_error_in_one_job_is_that_jobs_failure_while_the_database_answers(
    world, monkeypatch
):
    def integrity(**kwargs: object) -> int:
        raise DatabaseError("duplicate key value violates unique constraint")

    monkeypatch.setattr(worker, "session_reminders_send", integrity)
    result = worker.run_pass(now=T0, worker_id="w1")
    assert [(f.job, f.error) for f in result.failures] == [("session_reminders", "DatabaseError")]


def test_losing_the_database_ends_the_pass_for_run_worker_to_retry(world, monkeypatch):
    def lost(**kwargs: object) -> int:
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(worker, "escalations_run", lost)
    monkeypatch.setattr(worker, "_database_answers", lambda: False)
    with pytest.raises(DatabaseError):
        worker.run_pass(now=T0, worker_id="w1")
