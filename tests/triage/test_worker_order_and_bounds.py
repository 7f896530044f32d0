"""Each worker pass runs escalations and message delivery first, and no job runs unbounded: a job
stops after its rows or its seconds, and the urgent jobs run again during a long pass."""

from __future__ import annotations

import datetime as dt

import pytest

from waypoint.notifications.services import DeliveryStats
from waypoint.workspace import worker

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 10, tzinfo=dt.UTC)


class FakeClock:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


JOB_SERVICES = (
    "escalations_run",
    "outbox_deliver_due",
    "check_ins_close_missed",
    "check_ins_schedule",
    "session_reminders_send",
    "hna_invitations_scan",
    "experience_invitations_lapse",
    "experience_invitations_scan",
)


def fake_jobs(monkeypatch, *, full=(), seconds=None, clock=None):  # type: ignore[no-untyped-def]
    """Replace every job's service with one that records its call; ``full`` ones always return
    a full batch, and each call of one in ``seconds`` moves ``clock`` on by that much."""
    calls: list[tuple[str, dt.datetime]] = []
    seconds = seconds or {}

    def fake(name: str):  # type: ignore[no-untyped-def]
        def run(**kwargs):  # type: ignore[no-untyped-def]
            calls.append((name, kwargs["now"]))
            if clock is not None:
                clock.seconds += seconds.get(name, 0.0)
            handled = kwargs["limit"] if name in full else 0
            return DeliveryStats(sent=handled) if name == "outbox_deliver_due" else handled

        return run

    for name in JOB_SERVICES:
        monkeypatch.setattr(worker, name, fake(name))
    return calls


def test_escalations_and_delivery_run_first_then_the_other_jobs(monkeypatch):
    calls = fake_jobs(monkeypatch)
    result = worker.run_pass(now=NOW, worker_id="w1", hourly=True)
    assert [name for name, _ in calls] == list(JOB_SERVICES)
    assert result.order[:2] == ("escalations", "outbox")
    assert not result.busy


def test_the_hourly_scans_wait_for_the_hourly_pass(monkeypatch):
    calls = fake_jobs(monkeypatch)
    worker.run_pass(now=NOW, worker_id="w1")
    assert "hna_invitations_scan" not in [name for name, _ in calls]


def test_a_job_with_more_waiting_stops_after_its_batches_and_the_next_pass_starts_at_once(
    monkeypatch,
):
    calls = fake_jobs(monkeypatch, full={"escalations_run"})
    budget = worker.Budget(batch=10, max_batches=3)
    result = worker.run_pass(now=NOW, worker_id="w1", budget=budget)
    assert [name for name, _ in calls].count("escalations_run") == 3
    assert result.escalations == 30
    assert result.deferred == ("escalations",)
    assert result.busy
    assert calls[3][0] == "outbox_deliver_due"  # delivery is not starved by a backlog


def test_a_job_stops_starting_batches_when_its_seconds_run_out(monkeypatch):
    clock = FakeClock()
    calls = fake_jobs(
        monkeypatch, full={"check_ins_schedule"}, seconds={"check_ins_schedule": 4.0}, clock=clock
    )
    budget = worker.Budget(batch=10, max_batches=100, job_seconds=10.0, urgent_every=1000.0)
    result = worker.run_pass(now=NOW, worker_id="w1", budget=budget, clock=clock)
    # 4 s, 8 s: another batch; at 12 s the budget of 10 s is spent and the rest waits.
    assert [name for name, _ in calls].count("check_ins_schedule") == 3
    assert result.deferred == ("check_ins_opened",)
    assert "session_reminders_send" in [name for name, _ in calls]


def test_during_a_long_pass_escalations_and_delivery_run_again_between_the_other_jobs(
    monkeypatch,
):
    clock = FakeClock()
    calls = fake_jobs(monkeypatch, seconds={"check_ins_schedule": 6.0}, clock=clock)
    budget = worker.Budget(urgent_every=5.0)
    worker.run_pass(now=NOW, worker_id="w1", budget=budget, clock=clock)
    names = [name for name, _ in calls]
    assert names[names.index("check_ins_schedule") + 1 :][:3] == [
        "escalations_run",
        "outbox_deliver_due",
        "session_reminders_send",
    ]
    # The second run is 6 seconds into the pass, and sees what fell due meanwhile.
    again = [at for name, at in calls if name == "escalations_run"]
    assert again == [NOW, NOW + dt.timedelta(seconds=6)]
